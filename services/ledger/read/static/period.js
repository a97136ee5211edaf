/* The reporting period in view: kept in the page's URL query (?period=2026-Q1, or
 * ?from=2026-01&to=2026-06) so a view can be shared and reloads the same, offered
 * by the period picker, and added to every summary request and CSV link.
 *
 * The ledger checks the period; a period it refuses comes back as a 400 whose
 * error the picker shows.
 */
(() => {
  "use strict";

  const ALL_TIME = { period: "", from: "", to: "" };

  /* All time, this and last year, their quarters (newest first), a custom range. */
  function presets(now = new Date()) {
    const year = now.getUTCFullYear();
    const quarters = (y) => [4, 3, 2, 1].map((q) => [`${y}-Q${q}`, `${y} Q${q}`]);
    return [
      ["", "All time"],
      [String(year), `This year (${year})`],
      [String(year - 1), `Last year (${year - 1})`],
      ...quarters(year),
      ...quarters(year - 1),
      ["custom", "Custom months…"],
    ];
  }

  function fromSearch(search) {
    const query = new URLSearchParams(search);
    const pick = (name) => query.get(name) ?? "";
    return { period: pick("period"), from: pick("from"), to: pick("to") };
  }

  /* The query parameters of a period: none for all time. */
  function params(period) {
    const found = {};
    for (const name of ["period", "from", "to"]) if (period[name]) found[name] = period[name];
    return found;
  }

  /* A URL with the period's parameters, and any others (e.g. format=csv). */
  function withPeriod(path, period, extra = {}) {
    const query = new URLSearchParams({ ...params(period), ...extra }).toString();
    return query ? `${path}?${query}` : path;
  }

  /* A page query with the period's parameters replaced and any others (the
   * view in view) kept: "?view=entries&region=EMEA&period=2026-Q1", or "". */
  function inSearch(search, period) {
    const query = new URLSearchParams(search);
    for (const name of ["period", "from", "to"]) query.delete(name);
    for (const [name, value] of Object.entries(params(period))) query.set(name, value);
    const text = query.toString();
    return text ? `?${text}` : "";
  }

  function label(period) {
    if (period.period) return period.period.replace(/-([HQ])/, " $1");
    if (period.from && period.to) return `${period.from} to ${period.to}`;
    if (period.from) return `from ${period.from}`;
    if (period.to) return `until ${period.to}`;
    return "All time";
  }

  /* The picker's <select>, two month inputs and an Apply button; calls onChange
   * with each period chosen. */
  function mountPicker(root, initial, onChange) {
    const select = root.querySelector("#period-select");
    const custom = root.querySelector("#period-custom");
    const from = root.querySelector("#period-from");
    const to = root.querySelector("#period-to");
    let known = presets();
    if (initial.period && !known.some(([value]) => value === initial.period)) {
      known = [...known.slice(0, -1), [initial.period, label(initial)], known.at(-1)];
    }
    select.replaceChildren(...known.map(([value, text]) => new Option(text, value)));
    const ranged = !initial.period && Boolean(initial.from || initial.to);
    select.value = ranged ? "custom" : initial.period;
    from.value = initial.from;
    to.value = initial.to;
    custom.hidden = !ranged;
    select.addEventListener("change", () => {
      custom.hidden = select.value !== "custom";
      if (select.value !== "custom") onChange({ ...ALL_TIME, period: select.value });
    });
    root.querySelector("#period-apply").addEventListener("click", () => {
      onChange({ ...ALL_TIME, from: from.value, to: to.value });
    });
  }

  window.LedgerPeriod = { fromSearch, withPeriod, inSearch, label, mountPicker, params };
})();
