"""Every LEDGER_* setting an operator can give is named in the README."""

from pathlib import Path

from ledger.config import Settings

README = (Path(__file__).parents[2] / "README.md").read_text()
TESTS_ONLY = {"test_crash_at"}


def test_every_setting_is_documented_in_the_readme():
    missing = [
        f"LEDGER_{name.upper()}"
        for name in Settings.model_fields
        if name not in TESTS_ONLY and f"`LEDGER_{name.upper()}`" not in README
    ]
    assert missing == []
