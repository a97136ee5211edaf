"""An accepted event as the ledger keeps it: where it counts, what it adds to its
month cell, and whether it still counts.

Cells fold entries, not events, so a correction can take back exactly what an
event added. An entry's ``history`` lists each change of its status as
``[offset, status, by]``, the offset being the record that made the change: a
batch read again after a crash starts from the status each entry had before the
record being applied (``before``), so nothing is counted or taken back twice.
A history has at most four steps (waiting, counted, then superseded or voided).
"""

from ledger.contract.events import LedgerEvent
from ledger.rules.instants import epoch_us
from ledger.rules.rollup import micro_hours

COUNTED = "counted"  # in every figure (a void: in effect)
WAITING = "waiting"  # a correction whose event has not arrived yet
SUPERSEDED = "superseded"
VOIDED = "voided"
AWAITED = "awaited"  # not arrived, but a correction names it already
REJECTED = "rejected"  # a waiting correction its event turned out not to allow
VOID = "event_voided"

Entry = dict


def new_entry(event: LedgerEvent, offset: int, at_us: int | None = None) -> Entry:
    entry: Entry = {
        "offset": offset,
        "type": event.event_type,
        "region": event.region,
        "source": event.source,
        "at_us": epoch_us(event.occurred_at) if at_us is None else at_us,
    }
    if event.event_type == VOID:
        entry.update(voids=event.voids.hex, reason=event.reason)
        return entry
    entry["country"] = event.country
    entry["agency"] = event.agency
    if event.supersedes is not None:
        entry["supersedes"] = event.supersedes.hex
    _FIGURES[event.event_type](entry, event)
    return entry


def _training(entry: Entry, event) -> None:
    entry["attendees"] = event.attendees
    entry["units"] = event.units
    entry["uh"] = micro_hours(event.hours)


def _request(entry: Entry, event) -> None:
    """The turnaround as ``RequestFulfilled.turnaround_hours`` gives it (a
    timedelta's seconds are its microseconds / 10**6, one rounding), from epoch
    microseconds: no timedelta made or divided."""
    micros = entry["at_us"] - epoch_us(event.received_at)
    entry["request_type"] = event.request_type
    entry["turnaround_h"] = micros / 10**6 / 3600


_FIGURES = {
    "meeting_held": lambda entry, event: None,
    "training_delivered": _training,
    "request_fulfilled": _request,
}


def corrects(entry: Entry) -> str | None:
    """The event_id (hex) this entry supersedes or voids, if any."""
    return entry.get("voids") or entry.get("supersedes")


def status(entry: Entry) -> str:
    return entry["history"][-1][1]


def corrected_by(entry: Entry) -> str | None:
    return entry["history"][-1][2]


def set_status(entry: Entry, offset: int, new: str, by: str | None = None) -> None:
    entry["history"].append([offset, new, by])


def before(entry: Entry, offset: int) -> Entry | None:
    """The entry as it was before the record at ``offset`` changed it; None if it
    did not exist yet (the record at ``offset`` is the one that created it)."""
    history = [step for step in entry["history"] if step[0] < offset]
    if not history:
        return None
    return {**entry, "history": history}


def counts(entry: Entry | None) -> bool:
    """Does it add to the figures? (Not a void, nor an event not yet arrived.)"""
    if entry is None or entry.get("type", VOID) == VOID:
        return False
    return status(entry) == COUNTED
