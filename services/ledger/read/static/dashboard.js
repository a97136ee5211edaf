/* Ops dashboard: polls the ledger's read API and updates the page in place.
 *
 * Every string that came from an event (region, country, rejection detail) reaches
 * the page through textContent or an attribute, never through HTML parsing.
 */
(() => {
  "use strict";

  const POLL_MS = 2000;
  const STALE_AFTER_S = 30; // amber: records are waiting and none applied for this long
  const DOWN_AFTER_S = 300; // red: same, for this long
  const API = {
    regions: "/api/v1/regions",
    stats: "/api/v1/stats",
    region: (code) => `/api/v1/regions/${encodeURIComponent(code)}`,
    months: (code) => `/api/v1/regions/${encodeURIComponent(code)}/months`,
  };
  // Every summary is asked for the period in view (see period.js); the table in
  // view as a CSV file is the same answer, asked for as CSV.
  const Period = window.LedgerPeriod;
  const Entries = window.LedgerEntries; // each region and country row links to its entries
  const inPeriod = (path) => Period.withPeriod(path, state.period);
  const csv = (path) => Period.withPeriod(path, state.period, { format: "csv" });

  // ---- formatting -------------------------------------------------------------
  const whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
  const oneDecimal = new Intl.NumberFormat("en-US", {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  const upToOneDecimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
  const DASH = "—";

  const count = (n) => (n === null || n === undefined ? DASH : whole.format(n));
  const hours = (n) => (n === null || n === undefined ? DASH : upToOneDecimal.format(n));

  function duration(h) {
    if (h === null || h === undefined) return DASH;
    if (h < 1) return `${whole.format(h * 60)} min`;
    if (h < 10) return `${oneDecimal.format(h)} h`;
    if (h < 48) return `${whole.format(h)} h`;
    return `${oneDecimal.format(h / 24)} d`;
  }

  function ago(seconds) {
    const s = Math.max(0, Math.round(seconds));
    if (s < 90) return `${s} s ago`;
    if (s < 90 * 60) return `${Math.round(s / 60)} min ago`;
    if (s < 48 * 3600) return `${Math.round(s / 3600)} h ago`;
    return `${Math.round(s / 86400)} d ago`;
  }

  function monthLabel(month) {
    const [year, mon] = month.split("-").map(Number);
    const date = new Date(Date.UTC(year, mon - 1, 1));
    return date.toLocaleDateString("en-US", { month: "short", year: "2-digit", timeZone: "UTC" });
  }

  // ---- small DOM tools --------------------------------------------------------
  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

  function setText(node, text) {
    if (node.textContent !== text) node.textContent = text;
  }

  function textElement(tag, text, className) {
    const node = document.createElement(tag);
    node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  class HttpError extends Error {
    constructor(url, status, reason) {
      super(reason || `${url} answered ${status}`);
      this.status = status;
    }
  }

  async function getJson(url) {
    const response = await fetch(url, {
      cache: "no-store",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) {
      const body = response.status === 400 ? await response.json().catch(() => ({})) : {};
      throw new HttpError(url, response.status, body.error);
    }
    return response.json();
  }

  // ---- tables that update in place --------------------------------------------
  const SUMMARY_COLUMNS = [
    { field: "events", format: count },
    { field: "meetings", format: count },
    { field: "trainings", format: count },
    { field: "officers_trained", format: count },
    { field: "training_hours", format: hours },
    { field: "requests_fulfilled", format: count },
    { field: "turnaround_hours_p50", format: duration },
    { field: "agencies_engaged", format: count },
  ];
  const REGION_COLUMNS = [{ field: "region", format: String }, ...SUMMARY_COLUMNS];
  const COUNTRY_COLUMNS = [{ field: "country", format: String }, ...SUMMARY_COLUMNS];
  const REJECTION_COLUMNS = [
    { field: "rejected_at", format: (v) => (v ? ago((state.asOf - Date.parse(v)) / 1000) : DASH) },
    { field: "rejected_at", format: (v) => (v ? utc(v) : DASH), className: "when" },
    { field: "reason", format: String, className: "reason" },
    { field: "detail", format: (v) => v ?? "", className: "detail" },
    { field: "partition", format: count },
    { field: "offset", format: (v) => String(v) },
  ];

  /* Make tbody show `rows` in order, reusing the <tr> already there for each key. */
  function syncRows(tbody, rows, columns, keyOf, decorate) {
    const existing = new Map($$(":scope > tr", tbody).map((tr) => [tr.dataset.key, tr]));
    rows.forEach((row, index) => {
      const key = keyOf(row);
      const tr = existing.get(key) ?? newRow(columns);
      existing.delete(key);
      tr.dataset.key = key;
      columns.forEach((col, i) => setText(tr.cells[i], col.format(row[col.field], row)));
      if (decorate) decorate(tr, row);
      if (tbody.children[index] !== tr) tbody.insertBefore(tr, tbody.children[index] ?? null);
    });
    existing.forEach((tr) => tr.remove());
  }

  function newRow(columns) {
    const tr = document.createElement("tr");
    for (const col of columns) {
      const td = tr.insertCell();
      td.dataset.field = col.field;
      if (col.className) td.className = col.className;
    }
    return tr;
  }

  // ---- state ------------------------------------------------------------------
  const state = {
    sort: { key: "events", dir: "desc" },
    regions: [],
    openRegion: null,
    chartRegion: null,
    charts: null,
    monthsShown: "",
    asOf: Date.now(),
    lastProcessedAt: null,
    lag: null,
    receivedAt: null,
    reachable: true,
    period: Period.fromSearch(window.location.search),
  };
  const periodKey = () => JSON.stringify(state.period);

  // ---- totals, regions, sorting -----------------------------------------------
  function renderTotals(totals, known) {
    for (const node of $$("[data-total]")) {
      const field = node.dataset.total;
      const format = field.startsWith("turnaround")
        ? duration
        : field === "training_hours"
          ? hours
          : count;
      setText(node, format(totals[field]));
    }
    const empty = known === 0; // nothing ever recorded, in any period
    document.body.dataset.empty = String(empty);
    $("#empty-state").hidden = !empty;
  }

  function compareBy({ key, dir }) {
    const sign = dir === "asc" ? 1 : -1;
    return (a, b) => {
      const x = a[key];
      const y = b[key];
      if (x === y) return String(a.region).localeCompare(String(b.region));
      if (x === null || x === undefined) return 1; // unknowns sink in both directions
      if (y === null || y === undefined) return -1;
      return sign * (typeof x === "number" ? x - y : String(x).localeCompare(String(y)));
    };
  }

  function renderRegions() {
    const rows = [...state.regions].sort(compareBy(state.sort));
    syncRows(
      $("#regions-table tbody"),
      rows,
      REGION_COLUMNS,
      (r) => r.region,
      (tr, row) => {
        tr.dataset.region = row.region;
        tr.tabIndex = 0;
        tr.setAttribute("aria-selected", String(row.region === state.openRegion));
        tr.setAttribute("aria-label", `Open region ${row.region}`);
        Entries.linkRow(tr, { region: row.region }, state.period);
      },
    );
    for (const th of $$("#regions-table th[data-sort]")) {
      const sorted = th.dataset.sort === state.sort.key;
      th.setAttribute(
        "aria-sort",
        sorted ? (state.sort.dir === "asc" ? "ascending" : "descending") : "none",
      );
    }
  }

  function onSortClick(event) {
    const th = event.target.closest("th[data-sort]");
    if (!th) return;
    const key = th.dataset.sort;
    const firstDir = th.dataset.type === "text" ? "asc" : "desc";
    const flipped = state.sort.dir === "asc" ? "desc" : "asc";
    state.sort = { key, dir: state.sort.key === key ? flipped : firstDir };
    renderRegions();
  }

  // ---- region panel -----------------------------------------------------------
  function openRegion(code) {
    state.openRegion = code;
    $("#region-panel").hidden = false;
    setText($("#region-title"), `${code} · country breakdown`);
    $("#countries-csv").href = csv(API.region(code));
    syncRows($("#country-table tbody"), [], COUNTRY_COLUMNS, (r) => r.country);
    setText($("#region-requests"), "Loading…");
    chooseChartRegion(code);
    renderRegions();
    $("#region-title").focus();
    refreshRegionPanel().catch(showUnreachable);
  }

  function closeRegion() {
    const code = state.openRegion;
    state.openRegion = null;
    $("#region-panel").hidden = true;
    renderRegions();
    const row = $$("#regions-table tbody tr").find((tr) => tr.dataset.region === code);
    if (row) row.focus();
  }

  function onRowActivate(event) {
    const tr = event.target.closest("tr[data-region]");
    if (!tr || event.target.closest("a")) return; // its entries link goes elsewhere
    if (event.type === "keydown" && event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault();
    openRegion(tr.dataset.region);
  }

  async function refreshRegionPanel() {
    const code = state.openRegion;
    const asked = periodKey();
    if (code === null) return;
    let detail;
    try {
      detail = await getJson(inPeriod(API.region(code)));
    } catch (err) {
      if (!(err instanceof HttpError && err.status === 404)) throw err;
      setText($("#region-requests"), `Region ${code} is not reported by the ledger.`);
      return;
    }
    if (code !== state.openRegion || asked !== periodKey()) return; // moved on meanwhile
    const countries = Object.entries(detail.countries ?? {})
      .map(([country, summary]) => ({ ...summary, country }))
      .sort((a, b) => b.events - a.events || a.country.localeCompare(b.country));
    syncRows(
      $("#country-table tbody"),
      countries,
      COUNTRY_COLUMNS,
      (r) => r.country,
      (tr, row) => {
        tr.dataset.country = row.country;
        Entries.linkRow(tr, { region: code, country: row.country }, state.period);
      },
    );
    const byType = Object.entries(detail.requests_by_type ?? {})
      .map(([type, n]) => `${type} ${count(n)}`)
      .join(" · ");
    setText($("#region-requests"), `Requests by type: ${byType || DASH}`);
  }

  // ---- ingestion health -------------------------------------------------------
  function renderStats(stats) {
    for (const node of $$("[data-stat]")) setText(node, count(stats[node.dataset.stat]));
    $('[data-stat="rejected"]').dataset.nonzero = String(stats.rejected > 0);
    const reasons = Object.entries(stats.rejected_by_reason ?? {})
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1]);
    $("#rejected-by-reason").replaceChildren(...reasons.map(reasonChip));
    $("#reasons-empty").hidden = reasons.length > 0;
    const recent = stats.recent_rejections ?? [];
    syncRows(
      $("#rejections tbody"),
      recent,
      REJECTION_COLUMNS,
      (r) => `${r.partition}:${r.offset}`,
    );
    $("#rejections").hidden = recent.length === 0;
    $("#rejections-empty").hidden = recent.length > 0;
  }

  function reasonChip([reason, n]) {
    const chip = textElement("li", reason, "reason");
    chip.append(textElement("strong", count(n)));
    return chip;
  }

  // ---- freshness --------------------------------------------------------------
  function renderFreshness() {
    if (state.reachable && state.receivedAt === null) return; // still "Connecting…"
    const pill = $("#freshness");
    const sinceAnswer = state.receivedAt === null ? 0 : (Date.now() - state.receivedAt) / 1000;
    let status = "fresh";
    let text = "Waiting for the first record";
    if (state.lastProcessedAt !== null) {
      const age = (state.asOf - state.lastProcessedAt) / 1000 + sinceAnswer;
      text = `Updated ${ago(age)}`;
      if (state.lag !== 0 && age > DOWN_AFTER_S) status = "down";
      else if (state.lag !== 0 && age > STALE_AFTER_S) status = "stale";
      else if (state.lag === 0) text += " · caught up";
    }
    if (state.complete === false) {
      status = "stale";
      text = `A worker is restarting · some figures as of ${utc(state.asOfText)}`;
    }
    if (!state.reachable) {
      status = "down";
      text =
        state.receivedAt === null
          ? "API unreachable"
          : `API unreachable · last answer ${ago(sinceAnswer)}`;
    }
    pill.dataset.state = status;
    setText($(".freshness-text", pill), text);
  }

  function noteAnswer(stats) {
    state.reachable = true;
    state.receivedAt = Date.now();
    state.asOf = Date.parse(stats.as_of);
    state.asOfText = stats.as_of;
    state.complete = stats.complete;
    state.lastProcessedAt = stats.last_processed_at ? Date.parse(stats.last_processed_at) : null;
    state.lag = stats.lag;
    const applied = stats.last_processed_at
      ? `Last record applied ${utc(stats.last_processed_at)}`
      : "";
    setText($("#last-processed"), applied);
  }

  function utc(rfc3339) {
    return `${new Date(rfc3339).toISOString().slice(0, 19).replace("T", " ")} UTC`;
  }

  function showUnreachable() {
    state.reachable = false;
    renderFreshness();
  }

  // ---- monthly charts ---------------------------------------------------------
  function chooseChartRegion(code) {
    state.chartRegion = code;
    $("#chart-region").value = code;
    $("#months-csv").href = csv(API.months(code));
    refreshMonths().catch(showUnreachable);
  }

  function syncRegionOptions() {
    const select = $("#chart-region");
    const codes = state.regions.map((r) => r.region).sort();
    const current = $$("option", select).map((o) => o.value);
    if (codes.join("\n") !== current.join("\n")) {
      select.replaceChildren(...codes.map((code) => new Option(code, code)));
    }
    if (!codes.includes(state.chartRegion)) {
      const busiest = [...state.regions].sort((a, b) => b.events - a.events)[0];
      state.chartRegion = busiest ? busiest.region : null;
    }
    if (state.chartRegion !== null) {
      select.value = state.chartRegion;
      $("#months-csv").href = csv(API.months(state.chartRegion));
    }
    $("#months-csv").hidden = state.chartRegion === null;
  }

  async function refreshMonths() {
    const code = state.chartRegion;
    if (code === null || typeof Chart === "undefined") return;
    const asked = periodKey();
    const payload = await getJson(inPeriod(API.months(code)));
    const signature = JSON.stringify([code, asked, payload.months]);
    if (code !== state.chartRegion || asked !== periodKey()) return;
    if (signature === state.monthsShown) return;
    state.monthsShown = signature;
    state.charts ??= makeCharts();
    const months = payload.months;
    const labels = months.map((m) => monthLabel(m.month));
    setSeries(state.charts.trainings, labels, [
      months.map((m) => m.trainings),
      months.map((m) => m.officers_trained),
    ]);
    setSeries(state.charts.meetings, labels, [months.map((m) => m.meetings)]);
    setSeries(state.charts.requests, labels, [months.map((m) => m.requests_fulfilled)]);
  }

  function setSeries(chart, labels, series) {
    chart.data.labels = labels;
    series.forEach((data, i) => {
      chart.data.datasets[i].data = data;
    });
    chart.update();
  }

  function axis(title, extra = {}) {
    return {
      beginAtZero: true,
      ticks: { precision: 0 },
      title: { display: Boolean(title), text: title },
      ...extra,
    };
  }

  function chartOptions(scales, legend) {
    return {
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      plugins: { legend: { display: legend, position: "bottom" } },
      scales: {
        x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 8 } },
        ...scales,
      },
    };
  }

  function barChart(canvasId, label, colour) {
    return new Chart($(`#${canvasId}`), {
      type: "bar",
      data: {
        labels: [],
        datasets: [{ label, data: [], backgroundColor: colour, borderRadius: 3 }],
      },
      options: chartOptions({ y: axis("") }, false),
    });
  }

  function makeCharts() {
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.color = "#5b6678";
    const trainings = new Chart($("#chart-trainings"), {
      type: "bar",
      data: {
        labels: [],
        datasets: [
          {
            label: "Trainings",
            data: [],
            backgroundColor: "#1f4fd1",
            borderRadius: 3,
            yAxisID: "y",
            order: 2,
          },
          {
            label: "Officers trained",
            data: [],
            type: "line",
            yAxisID: "y1",
            order: 1,
            borderColor: "#d97706",
            backgroundColor: "#d97706",
            tension: 0.25,
            pointRadius: 3,
          },
        ],
      },
      options: chartOptions(
        {
          y: axis("Trainings"),
          y1: axis("Officers", { position: "right", grid: { drawOnChartArea: false } }),
        },
        true,
      ),
    });
    return {
      trainings,
      meetings: barChart("chart-meetings", "Meetings", "#0f766e"),
      requests: barChart("chart-requests", "Requests fulfilled", "#7c3aed"),
    };
  }

  // ---- polling ----------------------------------------------------------------
  async function refresh() {
    const asked = periodKey();
    try {
      const [regions, stats] = await Promise.all([
        getJson(inPeriod(API.regions)),
        getJson(API.stats),
      ]);
      if (asked !== periodKey()) return; // another period was chosen meanwhile
      showPeriodError("");
      noteAnswer(stats);
      state.regions = regions.regions;
      renderTotals(regions.totals, regions.regions.length);
      renderRegions();
      renderStats(stats);
      syncRegionOptions();
      renderFreshness();
      await Promise.all([refreshMonths(), refreshRegionPanel()]);
    } catch (err) {
      if (err instanceof HttpError && err.status === 400) return showPeriodError(err.message);
      console.warn("ledger dashboard poll failed", err);
      showUnreachable();
    }
  }

  async function poll() {
    await refresh();
    setTimeout(poll, POLL_MS);
  }

  // ---- the period in view -------------------------------------------------------
  function choosePeriod(period) {
    state.period = period;
    const shown = window.location.pathname + Period.inSearch(window.location.search, period);
    window.history.replaceState(null, "", shown + window.location.hash);
    renderPeriod();
    Entries.periodChanged();
    refresh();
  }

  function renderPeriod() {
    for (const node of $$("[data-period-tag]")) setText(node, Period.label(state.period));
    $("#regions-csv").href = csv(API.regions);
    if (state.openRegion !== null) $("#countries-csv").href = csv(API.region(state.openRegion));
    if (state.chartRegion !== null) $("#months-csv").href = csv(API.months(state.chartRegion));
  }

  function showPeriodError(message) {
    const node = $("#period-error");
    setText(node, message ? `The ledger refused this period: ${message}` : "");
    node.hidden = !message;
  }

  function start() {
    $("#regions-table thead").addEventListener("click", onSortClick);
    const tbody = $("#regions-table tbody");
    tbody.addEventListener("click", onRowActivate);
    tbody.addEventListener("keydown", onRowActivate);
    $("#region-close").addEventListener("click", closeRegion);
    $("#region-panel").addEventListener("keydown", (e) => e.key === "Escape" && closeRegion());
    $("#chart-region").addEventListener("change", (e) => chooseChartRegion(e.target.value));
    Period.mountPicker($("#period-bar"), state.period, choosePeriod);
    // Back or forward to a page of another period: load it as it was shared.
    window.addEventListener("popstate", () => {
      if (JSON.stringify(Period.fromSearch(window.location.search)) !== periodKey()) {
        window.location.reload();
      }
    });
    renderPeriod();
    setInterval(renderFreshness, 1000);
    poll();
  }

  start();
})();
