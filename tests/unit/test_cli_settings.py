"""Settings the ledger cannot use stop every command with a message, not a trace."""

import pytest

from ledger import cli, config


def test_bad_settings_stop_the_command_naming_the_variable_not_the_password(
    monkeypatch, tmp_path
):
    monkeypatch.setenv("LEDGER_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("LEDGER_KAFKA_SASL_MECHANISM", "PLAIN")
    monkeypatch.setenv("LEDGER_KAFKA_SASL_USERNAME", "u")
    monkeypatch.setenv("LEDGER_KAFKA_SASL_PASSWORD", "hunter2")
    monkeypatch.setenv("LEDGER_KAFKA_SASL_PASSWORD_FILE", str(tmp_path / "absent"))
    config.settings.cache_clear()
    try:
        with pytest.raises(SystemExit) as stopped:
            cli.main(["provision"])
    finally:
        config.settings.cache_clear()
    message = str(stopped.value)
    assert "LEDGER_KAFKA_SASL_PASSWORD_FILE=" in message and "no such file" in message
    assert "hunter2" not in message
