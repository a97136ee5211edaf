"""Fixtures for browser tests: a headless Chromium and a place for screenshots."""

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from chromium import missing_binaries, start_chromium
from selenium import webdriver


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    """A fresh headless Chromium (1400x1000 viewport) with its own throwaway profile."""
    missing = missing_binaries()
    if missing:
        pytest.skip(f"browser tests need Debian's chromium packages; missing {missing}")
    with tempfile.TemporaryDirectory(prefix="ledger-chromium-") as profile:
        driver = start_chromium(profile)
        try:
            yield driver
        finally:
            driver.quit()


@pytest.fixture
def artifacts_dir() -> Path:
    """Where tests leave screenshots for people to look at (git-ignored)."""
    path = Path(__file__).parents[2] / "artifacts"
    path.mkdir(exist_ok=True)
    return path
