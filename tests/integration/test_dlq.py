"""`ledger dlq` against a real worker: rejected records are listed with why, and a
replay puts each back once: still-bad ones return with the same reason, a now
valid one is counted once, however often it is replayed."""

import json
import os
import subprocess
import sys

from harness import processed, wait_for
from wire import OWN_FIELDS, raw_record, wire_event

OCCURRED = "2025-05-02T09:00:00+00:00"


def ledger_dlq(ledger, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "ledger", "dlq", *args],
        env={
            **os.environ,
            "LEDGER_KAFKA_BOOTSTRAP": ledger.bootstrap,
            "LEDGER_TOPIC": ledger.topic,
            "LEDGER_APP_ID": ledger.app_id,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def letters(output: str) -> list[str]:
    """The reason of each listed dead letter, in order."""
    return [line.split()[1] for line in output.splitlines() if "  from " in line]


def since(output: str) -> str:
    return output.rsplit("--since ", 1)[1].split()[0]


def bad_records() -> list[tuple[bytes | None, bytes | None]]:
    valid = wire_event("meeting_held", OCCURRED, participants=3)
    no_country = wire_event("meeting_held", OCCURRED, participants=1)
    del no_country["country"]
    return [
        (b"APAC", b"{oops"),
        raw_record(no_country),
        (b"EMEA", json.dumps(valid).encode()),  # its region is APAC
    ]


def test_dead_letters_are_listed_and_replayed_once_each(new_ledger):
    ledger = new_ledger()
    worker = ledger.start_worker()
    good = [wire_event("meeting_held", OCCURRED, participants=2) for _ in range(20)]
    ledger.send_raw([raw_record(event) for event in good] + bad_records())
    # Rejected by an older ledger, valid today: a dead letter written as it was.
    fixed = wire_event(
        "training_delivered", OCCURRED, **OWN_FIELDS["training_delivered"]
    )
    ledger.raw_producer().send(
        f"{ledger.topic}.dlq",
        key=b"APAC",
        value=json.dumps(fixed).encode(),
        headers=[("ledger-reason", b"unsupported_schema_version")],
    ).get(timeout=30)
    wait_for(processed(worker, 23), timeout=60)

    listed = ledger_dlq(ledger, "list")
    reasons = [
        "not_json",
        "missing_field",
        "key_mismatch",
        "unsupported_schema_version",
    ]
    assert sorted(letters(listed)) == sorted(reasons)
    assert "from " + ledger.topic in listed and "value: b'{oops'" in listed
    assert letters(ledger_dlq(ledger, "list", "--reason", "key_mismatch")) == [
        "key_mismatch"
    ]

    first = ledger_dlq(ledger, "replay")
    assert "replayed 4 dead letters" in first
    stats = wait_for(processed(worker, 27), timeout=60)
    assert (stats["accepted"], stats["duplicates"], stats["rejected"]) == (21, 0, 6)
    assert sorted(letters(ledger_dlq(ledger, "list"))) == sorted(reasons + reasons[:3])

    # Only what came back since the first replay: the still-bad three.
    second = ledger_dlq(ledger, "replay", "--since", since(first))
    assert (
        "replayed 3 dead letters: key_mismatch 1, missing_field 1, not_json 1" in second
    )
    stats = wait_for(processed(worker, 30), timeout=60)
    assert (stats["accepted"], stats["rejected"]) == (21, 9)

    # Replaying the fixed one again is harmless: a duplicate, not a second event.
    ledger_dlq(ledger, "replay", "--reason", "unsupported_schema_version")
    stats = wait_for(processed(worker, 31), timeout=60)
    assert (stats["accepted"], stats["duplicates"], stats["rejected"]) == (21, 1, 9)
    assert stats["rejected_by_reason"] == {
        "not_json": 3,
        "missing_field": 3,
        "key_mismatch": 3,
    }
