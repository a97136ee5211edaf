/* One entry of the entries view as a table row: when it occurred, what it was, its
 * figures, and whether it counts (or which event superseded or voided it).
 *
 * Every string from an event reaches the page through textContent or an
 * attribute, never through HTML parsing.
 */
(() => {
  "use strict";

  const DASH = "—";
  const TYPES = {
    meeting_held: "Meeting",
    training_delivered: "Training",
    request_fulfilled: "Request",
  };
  const whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
  const upToOneDecimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
  // Superseded and voided entries are shown, but add nothing to any figure.
  const NOT_COUNTED = new Set(["superseded", "voided", "waiting", "rejected"]);

  const shortId = (id) => String(id).slice(0, 8);

  function utc(rfc3339) {
    return `${new Date(rfc3339).toISOString().slice(0, 16).replace("T", " ")}`;
  }

  function cell(tr, field, text, title) {
    const td = tr.insertCell();
    td.dataset.field = field;
    td.textContent = text;
    if (title) td.title = title;
    return td;
  }

  /* The numbers an entry adds: a training's attendees, units and hours, a
   * request's type and turnaround. Meetings carry none the ledger sums. */
  function figures(entry) {
    if (entry.event_type === "training_delivered") {
      const parts = [
        `${whole.format(entry.attendees)} attendees`,
        `${whole.format(entry.units)} units`,
        `${upToOneDecimal.format(entry.hours)} h`,
      ];
      return parts.join(" · ");
    }
    if (entry.event_type === "request_fulfilled") {
      const turnaround = entry.turnaround_hours;
      const hours = turnaround === null ? DASH : upToOneDecimal.format(turnaround);
      return `${entry.request_type} · ${hours} h turnaround`;
    }
    return DASH;
  }

  /* What the status says, and the event it names (for its full id on hover). */
  function status(entry) {
    switch (entry.status) {
      case "counted":
        return entry.supersedes
          ? [`Counted · corrects ${shortId(entry.supersedes)}`, entry.supersedes]
          : ["Counted", null];
      case "superseded":
        return [`Superseded by ${shortId(entry.superseded_by)}`, entry.superseded_by];
      case "voided": {
        const reason = entry.void_reason ? `: ${entry.void_reason}` : "";
        return [`Voided by ${shortId(entry.voided_by)}${reason}`, entry.voided_by];
      }
      case "waiting":
        return entry.supersedes
          ? [`Waiting for ${shortId(entry.supersedes)}`, entry.supersedes]
          : ["Waiting", null];
      case "rejected":
        return ["Rejected", null];
      default:
        return [String(entry.status), null];
    }
  }

  function row(entry) {
    const tr = document.createElement("tr");
    tr.dataset.eventId = entry.event_id;
    tr.dataset.status = entry.status;
    tr.dataset.counted = String(!NOT_COUNTED.has(entry.status));
    cell(tr, "occurred_at", utc(entry.occurred_at), entry.occurred_at);
    cell(tr, "event_id", shortId(entry.event_id), entry.event_id).className = "id";
    cell(tr, "event_type", TYPES[entry.event_type] ?? entry.event_type);
    cell(tr, "country", entry.country);
    cell(tr, "agency", entry.agency);
    cell(tr, "source", entry.source);
    cell(tr, "figures", figures(entry));
    const [text, names] = status(entry);
    const where = `partition ${entry.partition}, offset ${entry.offset}`;
    cell(tr, "status", text, names ? `${names} (${where})` : where);
    return tr;
  }

  window.LedgerEntryRows = { row };
})();
