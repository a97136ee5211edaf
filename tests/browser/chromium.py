"""How browser tests start Debian's Chromium: headless, offline, fixed viewport."""

from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
VIEWPORT = {"width": 1400, "height": 1000, "deviceScaleFactor": 1, "mobile": False}
# No background traffic: the tests run without internet and must not wait on it.
QUIET_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def missing_binaries() -> list[str]:
    return [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]


def start_chromium(profile: str) -> webdriver.Chrome:
    """Start Chromium through an explicit chromedriver, so Selenium Manager never
    looks for (or downloads) a driver of its own."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in QUIET_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={VIEWPORT['width']},{VIEWPORT['height']}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    # Pin the viewport itself; --window-size also counts the window's frame.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", VIEWPORT)
    return driver
