"""The README's corrections examples: its JSON is accepted and its Python runs."""

import json
import re
from pathlib import Path

from ledger.contract import EventVoided, TrainingDelivered
from ledger.producer import MemoryTransport, client
from ledger.rules.intake import admit

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    start = README.index(f"### {title}\n")
    return README[start : README.index("\n## ", start)]


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"^ *```{language}\n(.*?)^ *```$", text, re.M | re.S)


def test_the_corrections_examples_are_accepted_as_they_are_written():
    examples = [json.loads(text) for text in blocks(section("Corrections"), "json")]
    got = [admit(e["region"].encode(), json.dumps(e).encode()) for e in examples]
    assert [type(event) for event in got] == [TrainingDelivered, EventVoided]
    superseding, void = examples
    assert superseding["supersedes"] == void["voids"]


def test_the_producer_examples_publish_amend_and_void(monkeypatch):
    transport = MemoryTransport()

    class Recording(client.LedgerProducer):
        def __init__(self, bootstrap, *args, **kwargs):
            super().__init__(bootstrap, *args, **kwargs, transport=transport)

    monkeypatch.setattr(client, "LedgerProducer", Recording)
    examples = blocks(section("Producing from a service"), "python")
    reader = {}  # one namespace, as a reader goes from one example to the next
    for example in [code for code in examples if "publish(" in code or "void(" in code]:
        exec(example, reader)
    original, fixed, void = [json.loads(r.value) for r in transport.records]
    assert (fixed["supersedes"], fixed["attendees"]) == (original["event_id"], 1040)
    assert fixed["event_id"] != original["event_id"]
    assert (void["voids"], void["source"]) == (original["event_id"], "training-portal")
