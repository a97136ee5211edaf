"""Runs deploy/dev-secrets.sh into a folder of the test's, as an operator would."""

import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parents[2] / "deploy" / "dev-secrets.sh"


def make(folder: Path) -> Path:
    """The secrets folder, made; the test skips where openssl is missing."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: deploy/dev-secrets.sh needs it")
    done = subprocess.run(
        ["bash", str(SCRIPT), str(folder)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return folder
