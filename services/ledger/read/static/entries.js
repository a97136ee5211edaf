/* The entries view: the events behind a region's or a country's figures, newest
 * first, a page at a time. The view and its filters live in the page's URL
 * (?view=entries&region=EMEA&country=DE&status=counted&period=2026-Q1), so a link
 * to it can be shared and a reload shows the same; the period is the picker's.
 */
(() => {
  "use strict";

  const API = "/api/v1/entries";
  const FILTERS = ["region", "country", "agency", "source", "event_type", "status"];
  const Period = window.LedgerPeriod;
  const $ = (selector) => document.querySelector(selector);
  const view = { filters: {}, period: {}, cursor: null, shown: 0, asked: 0 };

  // ---- the view in the URL ----------------------------------------------------
  function fromUrl() {
    const query = new URLSearchParams(window.location.search);
    const filters = chosen(Object.fromEntries(FILTERS.map((name) => [name, query.get(name)])));
    const open = query.get("view") === "entries";
    return { open, filters, period: Period.fromSearch(window.location.search) };
  }

  /* The filters set, in one order, so equal views have equal URLs. */
  function chosen(filters) {
    return Object.fromEntries(FILTERS.filter((n) => filters[n]).map((n) => [n, filters[n]]));
  }

  /* The page URL of the entries behind these filters, in this period. */
  function pageUrl(filters, period) {
    const query = { view: "entries", ...chosen(filters), ...Period.params(period) };
    return `${window.location.pathname}?${new URLSearchParams(query)}`;
  }

  function apiUrl(extra = {}) {
    const query = { ...chosen(view.filters), ...Period.params(view.period), ...extra };
    return `${API}?${new URLSearchParams(query)}`;
  }

  function navigate(url) {
    window.history.pushState(null, "", url);
    show();
  }

  // ---- loading pages ------------------------------------------------------------
  async function load(cursor) {
    const asked = ++view.asked;
    setBusy(true);
    try {
      const page = await getPage(apiUrl(cursor ? { cursor } : {}));
      if (asked !== view.asked) return; // the filters or period changed meanwhile
      append(page, Boolean(cursor));
      showError("");
    } catch (err) {
      if (asked !== view.asked) return;
      showError(err.message);
      if (!cursor) $("#entries-count").textContent = "";
    } finally {
      if (asked === view.asked) setBusy(false);
    }
  }

  async function getPage(url) {
    let response;
    try {
      response = await fetch(url, { cache: "no-store", headers: { Accept: "application/json" } });
    } catch {
      throw new Error("The ledger did not answer. Try again in a moment.");
    }
    const body = await response.json().catch(() => ({}));
    if (response.ok) return body;
    const reason = body.error ?? `answer ${response.status}`;
    if (response.status !== 503) throw new Error(`The ledger refused: ${reason}`);
    const missing = (body.missing_partitions ?? []).join(", ");
    const which = missing ? `partitions ${missing} are` : "the ledger is";
    throw new Error(`Not all entries can be listed: ${which} not reachable (${reason}).`);
  }

  function append(page, more) {
    const tbody = $("#entries-table tbody");
    if (!more) tbody.replaceChildren();
    tbody.append(...page.entries.map(window.LedgerEntryRows.row));
    view.shown = tbody.rows.length;
    view.cursor = page.next_cursor;
    $("#entries-more").hidden = !view.cursor;
    $("#entries-empty").hidden = view.shown > 0;
    $("#entries-table").hidden = view.shown === 0;
    const rest = view.cursor ? " · more to load" : "";
    $("#entries-count").textContent = `${view.shown} shown${rest}`;
    showFreshness(page);
  }

  function showFreshness(page) {
    const note = $("#entries-freshness");
    const when = `${new Date(page.as_of).toISOString().slice(0, 19).replace("T", " ")} UTC`;
    note.dataset.complete = String(page.complete);
    note.textContent = page.complete
      ? `As of ${when}`
      : `A worker is restarting · some entries as of ${when}`;
  }

  function setBusy(busy) {
    $("#entries-view").setAttribute("aria-busy", String(busy));
    $("#entries-more").disabled = busy;
  }

  function showError(message) {
    $("#entries-error").textContent = message;
    $("#entries-error").hidden = !message;
  }

  // ---- showing the view -----------------------------------------------------------
  function show() {
    const wanted = fromUrl();
    document.body.dataset.view = wanted.open ? "entries" : "summary";
    $("#entries-view").hidden = !wanted.open;
    if (!wanted.open) {
      view.asked += 1; // a page still on its way is not wanted any more
      return;
    }
    view.filters = wanted.filters;
    view.period = wanted.period;
    $("#entries-title").textContent = title(view.filters);
    $("#entries-counted").checked = view.filters.status === "counted";
    $("#entries-type").value = view.filters.event_type ?? "";
    $("#entries-csv").href = apiUrl({ format: "csv" });
    $("#entries-back").href = Period.withPeriod(window.location.pathname, view.period);
    $("#entries-table tbody").replaceChildren();
    $("#entries-count").textContent = "Loading…";
    $("#entries-more").hidden = true;
    load(null);
  }

  function title({ region, country }) {
    const where = [region, country].filter(Boolean).join(" / ");
    return `Entries · ${where || "all regions"}`;
  }

  /* Change one filter of the view in view: a new URL, the list from its start. */
  function refilter(name, value) {
    const filters = { ...view.filters };
    if (value) filters[name] = value;
    else delete filters[name];
    window.history.replaceState(null, "", pageUrl(filters, view.period));
    show();
  }

  // ---- links from the summary -----------------------------------------------------
  /* Give a summary row a last cell linking to its entries (region, and country). */
  function linkRow(tr, filters, period) {
    let link = tr.querySelector("a[data-entries-link]");
    if (!link) {
      link = document.createElement("a");
      link.dataset.entriesLink = "";
      link.textContent = "Entries";
      tr.insertCell().append(link);
      link.parentElement.className = "entries-link";
    }
    const href = pageUrl(filters, period);
    if (link.getAttribute("href") !== href) link.href = href;
    link.setAttribute("aria-label", `Entries behind ${Object.values(filters).join(" / ")}`);
  }

  function onLinkClick(event) {
    const link = event.target.closest("a[data-entries-link], #entries-back");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    navigate(link.href);
    window.scrollTo(0, 0);
    if (!$("#entries-view").hidden) $("#entries-title").focus();
  }

  function start() {
    document.addEventListener("click", onLinkClick);
    window.addEventListener("popstate", show);
    $("#entries-more").addEventListener("click", () => load(view.cursor));
    $("#entries-counted").addEventListener("change", (e) => {
      refilter("status", e.target.checked ? "counted" : "");
    });
    $("#entries-type").addEventListener("change", (e) => refilter("event_type", e.target.value));
    show();
  }

  // The period picker changed the URL's period: the view follows it.
  const periodChanged = () => (fromUrl().open ? show() : undefined);

  window.LedgerEntries = { linkRow, periodChanged };
  start();
})();
