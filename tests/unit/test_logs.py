"""A crash's stack trace reaches the log, whoever logged it and however rendered."""

import json
import logging

import pytest
import structlog

from ledger import logs

CRASH = "No current assignment for partition TopicPartition(topic='t', partition=0)"


@pytest.fixture
def configure():
    """Factory: the worker's logging, as `ledger worker` sets it; undone after."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield lambda console: logs.configure("info", console=console)
    root.handlers[:] = handlers
    root.setLevel(level)
    structlog.reset_defaults()


def _log_a_crash(log) -> None:
    try:
        raise RuntimeError(CRASH)
    except RuntimeError as exc:
        log.exception("Drain messages raised: %r", exc)


def _log_a_structlog_crash(log) -> None:
    try:
        raise RuntimeError(CRASH)
    except RuntimeError:
        log.exception("batch_failed", records=3)


def test_fausts_stdlib_exceptions_are_logged_as_json_with_their_traceback(
    configure, capsys
):
    configure(console=False)
    _log_a_crash(logging.getLogger("faust.transport.consumer"))

    line = json.loads(capsys.readouterr().err.splitlines()[-1])
    assert line["logger"] == "faust.transport.consumer"
    assert line["exception"].startswith("Traceback (most recent call last)")
    assert f"RuntimeError: {CRASH}" in line["exception"]
    assert "exc_info" not in line


def test_structlog_exceptions_are_logged_as_json_with_their_traceback(
    configure, capsys
):
    configure(console=False)
    _log_a_structlog_crash(structlog.get_logger("ledger.stream.recorder"))

    line = json.loads(capsys.readouterr().err.splitlines()[-1])
    assert (line["event"], line["records"]) == ("batch_failed", 3)
    assert line["exception"].startswith("Traceback (most recent call last)")
    assert f"RuntimeError: {CRASH}" in line["exception"]


@pytest.mark.parametrize("source", ["stdlib", "structlog"])
def test_the_console_renderer_prints_the_traceback_too(configure, capsys, source):
    configure(console=True)
    if source == "stdlib":
        _log_a_crash(logging.getLogger("faust.transport.consumer"))
    else:
        _log_a_structlog_crash(structlog.get_logger("ledger.stream.recorder"))

    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert f"RuntimeError: {CRASH}" in err
    assert "<traceback object" not in err
