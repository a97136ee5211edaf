"""Verify's steps: the ledger's offsets, the log read up to them, then the tables
and the public answers compared, each at one consistent point.

The ledger keeps counting while verify reads. Each partition's tables are taken
from one worker's answer with the offset they reflect, and the log is recomputed
to exactly that offset: that comparison needs no quiet moment. The public answers
then follow (``public``), each when the ledger held still while it was fetched.
"""

from dataclasses import dataclass, field

from ledger.verify.compare import Difference, compare_partition
from ledger.verify.errors import CannotVerifyError
from ledger.verify.public import compare_public
from ledger.verify.recount import PartitionRecount
from ledger.verify.served import ServedLedger
from ledger.verify.spill import EntrySpill
from ledger.verify.topic_reader import TopicReader


@dataclass
class Outcome:
    """What was compared, at which offsets, and every difference found."""

    shares: dict[int, dict]
    recounts: dict[int, PartitionRecount]
    differences: list[Difference] = field(default_factory=list)
    # Per partition, the log's counts at the offset its tables were compared at.
    counted: dict[int, dict] = field(default_factory=dict)
    compared: dict[str, dict[int, int]] = field(default_factory=dict)  # by path
    not_compared: dict[str, str] = field(default_factory=dict)  # path: why not
    unreachable: list[str] = field(default_factory=list)

    @property
    def agrees(self) -> bool:
        return not self.differences

    @property
    def records(self) -> int:
        """How many records of the log were recomputed."""
        return sum(
            sum(r.counters[n] for n in ("accepted", "duplicates", "rejected"))
            for r in self.recounts.values()
        )


def verify(ledger: ServedLedger, reader: TopicReader, attempts: int) -> Outcome:
    shares = ledger.shares()
    _check_partitions(shares, reader)
    with EntrySpill() as spill:
        recounts = {
            p: PartitionRecount(p, entries=spill.of(p)) for p in reader.partitions
        }
        outcome = Outcome(shares, recounts, unreachable=ledger.unreachable)
        reader.read_to({p: shares[p]["next_offset"] for p in recounts}, recounts)
        for partition, recount in recounts.items():
            outcome.differences += compare_partition(shares[partition], recount)
            outcome.counted[partition] = dict(recount.counters)
        compare_public(ledger, reader, outcome, attempts)
    return outcome


def _check_partitions(shares: dict[int, dict], reader: TopicReader) -> None:
    missing = sorted(set(reader.partitions) - set(shares))
    if missing:
        raise CannotVerifyError(
            f"no reachable worker holds partitions {missing} of {reader.topic}: "
            "the ledger is starting or recovering; retry shortly"
        )
    unknown = sorted(set(shares) - set(reader.partitions))
    if unknown:
        raise CannotVerifyError(
            f"the ledger holds partitions {unknown} that {reader.topic} does not "
            "have: is verify reading the ledger's topic (LEDGER_TOPIC)?"
        )
