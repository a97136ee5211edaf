"""One partition's book: how an admitted event changes entries, cells, agency keys
and counters, corrections included. Pure rules over a ``Shelf``, so the worker
(over its tables and the batch in hand) and ``ledger verify`` (over plain dicts)
apply exactly the same ones.

A correction (``supersedes`` or ``event_voided``) takes back the whole
contribution of the event it names in the same step that counts the correction:
no reader sees both or neither. A correction whose event has not arrived waits
for it, and that event then never counts. Every change at a record's offset is
made from the state before that offset (``entries.before``), and a cell changes
only for records at or past its ``upto``: a batch read again after a crash
changes nothing twice.
"""

from typing import Protocol
from uuid import UUID

from ledger.rules import entries as e
from ledger.rules import rollup
from ledger.rules.counters import count_rejection
from ledger.rules.intake import Rejection

DUPLICATE = "duplicate"
COUNTS = ("superseded", "voided", "corrections_waiting")


class Shelf(Protocol):
    """Where a partition's entries, cells and agency keys are read and changed."""

    def entry(self, event_id: str) -> e.Entry | None: ...
    def keep(self, event_id: str, entry: e.Entry) -> None: ...
    def cell(self, entry: e.Entry, offset: int) -> dict | None: ...
    def rebound(self, entry: e.Entry, cell: dict) -> None: ...
    def note_agency(self, entry: e.Entry, offset: int) -> None: ...
    def agency_left(self, entry: e.Entry) -> None: ...
    def dead_letter(self, entry: e.Entry, rejection: Rejection) -> None: ...


class Book:
    def __init__(self, shelf: Shelf, counters: dict) -> None:
        self._shelf = shelf
        self._counters = counters
        for name in COUNTS:
            counters.setdefault(name, 0)

    def apply(self, event, offset: int, raw: bytes, at_us: int | None = None):
        """Accept the event (None), or say it is a DUPLICATE or a Rejection."""
        event_id = event.event_id.hex
        prior = self._at(event_id, offset)
        if prior is not None and e.status(prior) != e.AWAITED:
            return DUPLICATE
        entry = e.new_entry(event, offset, at_us)
        target_id = e.corrects(entry)
        if prior is None and target_id is None:  # nearly every event
            return self._count_new(event_id, entry, offset)
        entry["history"] = list(prior["history"]) if prior else []
        target = self._at(target_id, offset) if target_id else None
        if target is not None and (rejection := judge(entry, target, event_id)):
            return rejection
        self._counters["accepted"] += 1
        corrector = self._awaiting(prior, entry, event_id, offset)
        if target_id:
            self._correct(target_id, target, entry, event_id, offset)
        if corrector:
            self._claimed(event_id, entry, corrector, offset)
        elif target_id and target is None:
            e.set_status(entry, offset, e.WAITING)
            entry["raw"] = raw.decode("utf-8")
            self._counters["corrections_waiting"] += 1
            self._shelf.keep(event_id, entry)
        else:
            e.set_status(entry, offset, e.COUNTED)
            self._shelf.keep(event_id, entry)
            self._add(entry, offset)
        return None

    def _count_new(self, event_id: str, entry: e.Entry, offset: int) -> None:
        """An event no correction named and that corrects nothing: what ``apply``
        does for it, without the steps that change nothing for it."""
        self._counters["accepted"] += 1
        entry["history"] = [[offset, e.COUNTED, None]]
        self._shelf.keep(event_id, entry)
        self._add(entry, offset)

    def _at(self, event_id: str, offset: int) -> e.Entry | None:
        """The entry as it stood just before the record at ``offset``."""
        latest = self._shelf.entry(event_id)
        if latest is None or latest["history"][-1][0] < offset:
            return latest
        return e.before(latest, offset)

    def _correct(self, target_id, target, entry, event_id, offset) -> None:
        """The target stops counting; an absent one is marked as awaited."""
        if target is None:
            placeholder = {"history": [[offset, e.AWAITED, event_id]]}
            self._shelf.keep(target_id, placeholder)
            return
        self._retire(
            target_id,
            target,
            e.VOIDED if "voids" in entry else e.SUPERSEDED,
            event_id,
            offset,
        )

    def _retire(self, target_id, target, new: str, by: str, offset: int) -> None:
        was_counting = e.counts(target)
        target = self._move(target_id, target, offset, new, by)
        if was_counting:
            self._take_back(target, offset)

    def _move(self, event_id, entry, offset: int, new: str, by=None) -> e.Entry:
        """Keep a copy of an entry with its status changed, and count the change.
        Only a waiting correction keeps its record's text: no longer needed."""
        if e.status(entry) == e.WAITING:
            self._counters["corrections_waiting"] -= 1
        if new in (e.SUPERSEDED, e.VOIDED):
            self._counters[new] += 1
        moved = {**entry, "history": list(entry["history"])}
        moved.pop("raw", None)
        e.set_status(moved, offset, new, by)
        self._shelf.keep(event_id, moved)
        return moved

    def _awaiting(self, prior, entry, event_id: str, offset: int) -> str | None:
        """The waiting correction that names this event, if it may apply to it;
        one that may not (another region, a void) is rejected now."""
        if prior is None:
            return None
        corrector_id = e.corrected_by(prior)
        corrector = self._at(corrector_id, offset)
        if corrector is None or e.status(corrector) == e.REJECTED:
            return None
        rejection = fits(corrector, entry, corrector_id)
        if rejection is None:
            return corrector_id
        self._counters["accepted"] -= 1
        count_rejection(self._counters, rejection, corrector["offset"])
        self._shelf.dead_letter(corrector, rejection)
        self._move(corrector_id, corrector, offset, e.REJECTED)
        return None

    def _claimed(self, event_id, entry, corrector_id: str, offset: int) -> None:
        """The event arrives already corrected: it never counts, its correction
        counts from now on (unless it was itself corrected meanwhile)."""
        corrector = self._at(corrector_id, offset)
        new = e.VOIDED if "voids" in corrector else e.SUPERSEDED
        e.set_status(entry, offset, new, corrector_id)
        self._counters[new] += 1
        self._shelf.keep(event_id, entry)
        if e.status(corrector) == e.WAITING:
            counted = self._move(corrector_id, corrector, offset, e.COUNTED)
            self._add(counted, offset)

    def _add(self, entry: e.Entry, offset: int) -> None:
        if entry["type"] == e.VOID:
            return
        cell = self._shelf.cell(entry, offset)
        if cell is not None:
            rollup.add(cell, entry)
        self._shelf.note_agency(entry, offset)

    def _take_back(self, entry: e.Entry, offset: int) -> None:
        cell = self._shelf.cell(entry, offset)
        if cell is not None:
            rollup.take_back(cell, entry)
            if entry["at_us"] in (cell["first_us"], cell["last_us"]):
                self._shelf.rebound(entry, cell)
        self._shelf.agency_left(entry)


def judge(correction: e.Entry, target: e.Entry, event_id: str) -> Rejection | None:
    """May this correction apply to the event it names, as that event stands?"""
    if e.status(target) not in (e.COUNTED, e.WAITING):
        return Rejection(
            "already_corrected",
            f"{_uuid(e.corrects(correction))} is already corrected "
            f"({e.status(target)})",
            _uuid(event_id),
        )
    return fits(correction, target, event_id)


def fits(correction: e.Entry, target: e.Entry, event_id: str) -> Rejection | None:
    named = _uuid(e.corrects(correction))
    if target["region"] != correction["region"]:
        detail = (
            f"{named} is of region {target['region']!r}, not {correction['region']!r}"
        )
        return Rejection("region_mismatch", detail, _uuid(event_id))
    if target["type"] == e.VOID:
        detail = f"{named} is a void: a void cannot be corrected"
        return Rejection("corrects_a_void", detail, _uuid(event_id))
    return None


def _uuid(hex_: str) -> str:
    return str(UUID(hex_))
