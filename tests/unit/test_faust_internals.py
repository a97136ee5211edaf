"""A Faust release without a name the batch path uses stops the worker at startup."""

import ast
import asyncio
import inspect

import aiokafka
import pytest
from scripted_consumer import Handler, batch_app

from ledger.stream import batch_consumer, faust_internals
from ledger.stream.faust_internals import FaustInternalsError

# Private names batch_consumer.py introduces, as opposed to Faust's and aiokafka's.
OWN_NAMES = {
    "_ConsumerThread",
    "_in_flight",
    "_seek_to_committed",
    "_still_wanted",
    "_unread",
    "_hand_over",
    "_record",
    "_read_again",
    "_ack_offsets",
}


def test_the_pinned_faust_and_aiokafka_have_every_name_the_batch_path_uses(tmp_path):
    faust_internals.check_classes()
    faust_internals.check_consumer(batch_app(tmp_path, Handler()).consumer)

    async def check_a_client() -> None:
        client = aiokafka.AIOKafkaConsumer(bootstrap_servers="127.0.0.1:9")
        faust_internals.check_client(client)
        faust_internals.require(client, faust_internals.ON_STARTED_CLIENT)

    asyncio.run(check_a_client())


def test_every_private_name_batch_consumer_py_reaches_for_is_checked_at_startup():
    tree = ast.parse(inspect.getsource(batch_consumer))
    used = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    used |= {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.ClassDef)
    }
    private = {name for name in used if name.startswith("_") and name[1] != "_"}
    checked = {
        *(name for names in faust_internals.ON_CLASSES.values() for name in names),
        *faust_internals.ON_CONSUMER,
        *faust_internals.ON_CLIENT,
        *faust_internals.ON_STARTED_THREAD,
        *faust_internals.ON_STARTED_CLIENT,
    }
    assert private - OWN_NAMES - checked == set()


def test_a_missing_name_fails_with_what_is_missing_and_the_pin_to_install():
    class OlderConsumer:
        _acked = None

    with pytest.raises(FaustInternalsError) as raised:
        faust_internals.require(OlderConsumer, ["_acked", "_acked_index", "_n_acked"])

    message = str(raised.value)
    assert "OlderConsumer has no _acked_index, _n_acked," in message
    assert "ledger/stream/batch_consumer.py" in message
    assert "pyproject.toml pins faust-streaming" in message
    assert "<0.16" in message


def test_a_consumer_missing_an_attribute_set_by_faust_is_refused():
    with pytest.raises(FaustInternalsError, match="_read_offset"):
        faust_internals.check_consumer(object())
