"""The dashboard page end to end: a real worker, real events, headless Chromium."""

import json
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from chromium import VIEWPORT
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import reference
from harness import Ledger, processed, wait_for
from ledger.producer.client import LedgerProducer

pytestmark = pytest.mark.browser

HOSTILE = "<script>alert(1)</script>"
OCCURRED = datetime(2025, 6, 10, 12, tzinfo=UTC)
TOTALS = ("meetings", "trainings", "officers_trained", "requests_fulfilled")
# Records when the totals strip first shows a digit; installed before the page loads.
TOTALS_SHOWN_PROBE = """
window.__totalsShownAt = null;
new MutationObserver((_, observer) => {
  const node = document.querySelector('[data-total="meetings"]');
  if (node && /[0-9]/.test(node.textContent)) {
    window.__totalsShownAt = performance.now();
    observer.disconnect();
  }
}).observe(document, { subtree: true, childList: true, characterData: true });
"""
PAGE_METRICS = """
const nav = performance.getEntriesByType('navigation')[0];
const size = (e) => ({ name: e.name, type: e.initiatorType,
  transfer: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize });
return { dom_content_loaded_ms: nav.domContentLoadedEventEnd,
  load_event_end_ms: nav.loadEventEnd, totals_shown_ms: window.__totalsShownAt,
  entries: [size(nav), ...performance.getEntriesByType('resource').map(size)] };
"""


def _event(kind: str, where: str, agency: str, **fields) -> dict:
    region, country = where.split("/")
    return {
        "event_id": str(uuid.uuid4()),
        "schema_version": 1,
        "occurred_at": OCCURRED.isoformat(),
        "region": region,
        "country": country,
        "agency": agency,
        "source": "exec-crm",
        "event_type": kind,
        **fields,
    }


def _meeting(where: str, agency: str) -> dict:
    return _event("meeting_held", where, agency, participants=3)


def _training(where: str, agency: str, attendees: int, hours: float) -> dict:
    course = dict(course="Crypto tracing", units=2, delivery="in_person")
    return _event(
        "training_delivered", where, agency, **course, hours=hours, attendees=attendees
    )


def _request(where: str, agency: str, kind: str, waited_hours: float) -> dict:
    received = OCCURRED - timedelta(hours=waited_hours)
    return _event(
        "request_fulfilled",
        where,
        agency,
        request_id="LER-7",
        request_type=kind,
        received_at=received.isoformat(),
    )


CIB = "Criminal Investigation Bureau"
EVENTS = [
    _meeting("APAC/TW", CIB),
    _meeting("APAC/TW", HOSTILE),
    _training("APAC/JP", "National Police Agency", attendees=1200, hours=7.5),
    _request("APAC/TW", CIB, "disclosure", waited_hours=24),
    _meeting("EMEA/DE", "Bundeskriminalamt"),
    _training("EMEA/FR", "Gendarmerie", attendees=120, hours=40),
    _request("AMER/BR", "Policia Federal", "freeze", waited_hours=6),
    _meeting("AMER/US", "FBI"),
]
# The hostile agency's event under a hostile key (its detail quotes the key) and a
# record that is the hostile text itself (not JSON).
BAD = (
    (HOSTILE.encode(), json.dumps(EVENTS[1]).encode()),
    (b"APAC", HOSTILE.encode()),
)
# Worked out by hand from EVENTS, as the page formats them, column by column.
ROW_FIELDS = (
    "events",
    "meetings",
    "trainings",
    "officers_trained",
    "training_hours",
    "requests_fulfilled",
    "turnaround_hours_p50",
    "agencies_engaged",
)
REGION_ROWS = {
    "APAC": ("4", "2", "1", "1,200", "7.5", "1", "24 h", "3"),
    "EMEA": ("2", "1", "1", "120", "40", "0", "—", "2"),
    "AMER": ("2", "1", "0", "0", "0", "1", "6.0 h", "2"),
}
# What the live-update test adds (accents make "Policía" a new agency).
LATAM_ROW = ("2", "1", "1", "5,000", "3", "0", "—", "2")


class Fed:
    """The module's ledger: its worker and every event published to it so far."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.worker = ledger.start_worker()
        self.events: list[dict] = []
        self.records = 0

    def publish(
        self, events: list[dict], bad: tuple[tuple[bytes, bytes], ...] = ()
    ) -> None:
        with LedgerProducer(self.ledger.bootstrap, topic=self.ledger.topic) as out:
            out.publish_many(events)
        if bad:
            self.ledger.send_raw(list(bad))
        self.events += events
        self.records += len(events) + len(bad)
        wait_for(processed(self.worker, self.records))


@pytest.fixture(scope="module")
def fed(broker, tmp_path_factory):
    ledger = Ledger.fresh(broker.bootstrap, tmp_path_factory, "dashboard")
    ledger_fed = Fed(ledger)
    ledger_fed.publish(EVENTS, BAD)
    yield ledger_fed
    ledger.stop()


def settle(read: Callable[[], object], expected: object, timeout: float = 15):
    """Read until it shows `expected` (the page polls every 2 s); the last reading."""
    deadline = time.monotonic() + timeout
    while (seen := read()) != expected and time.monotonic() < deadline:
        time.sleep(0.25)
    return seen


def until(browser, condition: Callable[[], object], timeout: float = 15) -> None:
    WebDriverWait(browser, timeout).until(lambda _: condition())


def total_text(browser, name: str) -> str:
    return browser.find_element(By.CSS_SELECTOR, f'[data-total="{name}"]').text


def totals_shown(browser) -> dict[str, float | None]:
    texts = {name: total_text(browser, name) for name in TOTALS}
    return {
        name: float(text.replace(",", "")) if text[:1].isdigit() else None
        for name, text in texts.items()
    }


def region_rows(browser) -> dict[str, tuple[str, ...]]:
    rows = browser.find_elements(By.CSS_SELECTOR, "#regions-table tbody tr")
    return {row.get_attribute("data-region"): cells(row, ROW_FIELDS) for row in rows}


def cells(row, fields: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(
        row.find_element(By.CSS_SELECTOR, f'td[data-field="{field}"]').text
        for field in fields
    )


def expected_totals(events: list[dict]) -> dict[str, float]:
    summary = reference.summary(events)
    return {name: summary[name] for name in TOTALS}


def test_totals_and_region_rows_show_the_ledgers_numbers(browser, fed):
    browser.get(fed.worker.url)
    totals = fed.worker.api("/api/v1/regions")["totals"]
    assert settle(lambda: totals_shown(browser), expected_totals(fed.events)) == {
        name: totals[name] for name in TOTALS
    }
    rows = settle(lambda: region_rows(browser), REGION_ROWS)
    assert {code: rows.get(code) for code in REGION_ROWS} == REGION_ROWS
    assert [total_text(browser, f"turnaround_hours_p{q}") for q in (50, 90)] == [
        "15 h",  # linear quantiles of 24 h and 6 h
        "22 h",
    ]
    stat = browser.find_element(By.CSS_SELECTOR, '[data-stat="rejected"]')
    assert settle(lambda: stat.text, "2") == "2"


def test_new_events_change_the_numbers_without_a_reload(browser, fed):
    browser.get(fed.worker.url)
    until(browser, lambda: totals_shown(browser) == expected_totals(fed.events))
    browser.execute_script("window.__sameDocument = true")
    more = [
        _meeting("LATAM/MX", "Fiscalía General"),
        _training("LATAM/AR", "Policía Federal", attendees=5000, hours=3),
    ]
    fed.publish(more)
    expected = expected_totals(fed.events)
    assert settle(lambda: totals_shown(browser), expected) == expected
    latam = settle(lambda: region_rows(browser).get("LATAM"), LATAM_ROW)
    assert latam == LATAM_ROW
    assert browser.execute_script("return window.__sameDocument") is True


def test_a_hostile_record_key_is_shown_as_text_and_never_runs(browser, fed):
    browser.get(fed.worker.url)
    rejections = browser.find_element(By.ID, "rejections")
    until(browser, lambda: HOSTILE in rejections.text)
    rows = rejections.find_elements(By.CSS_SELECTOR, "tbody tr")
    details = dict(cells(row, ("reason", "detail")) for row in rows)
    assert details["key_mismatch"] == f"record key '{HOSTILE}' is not the region 'APAC'"
    assert browser.find_elements(By.CSS_SELECTOR, "main script, main img") == []
    # chart, period, the entries view's two, page
    assert len(browser.find_elements(By.TAG_NAME, "script")) == 5
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 - touching it is the check


def test_clicking_a_region_opens_its_country_breakdown(browser, fed):
    browser.get(fed.worker.url)
    until(browser, lambda: "APAC" in region_rows(browser))
    cell = '#regions-table tbody tr[data-region="APAC"] td[data-field="region"]'
    browser.find_element(By.CSS_SELECTOR, cell).click()
    until(browser, lambda: len(country_rows(browser)) == 2)
    assert country_rows(browser) == {
        "TW": ("3", "2", "0", "2"),
        "JP": ("1", "0", "1,200", "1"),
    }
    assert "APAC" in browser.find_element(By.ID, "region-title").text
    assert "disclosure 1" in browser.find_element(By.ID, "region-requests").text


def country_rows(browser) -> dict[str, tuple[str, ...]]:
    rows = browser.find_elements(By.CSS_SELECTOR, "#country-table tbody tr")
    fields = ("events", "meetings", "officers_trained", "agencies_engaged")
    return {row.get_attribute("data-country"): cells(row, fields) for row in rows}


def test_the_populated_page_is_pictured_and_its_load_recorded(
    browser, fed, artifacts_dir
):
    browser.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument", {"source": TOTALS_SHOWN_PROBE}
    )
    browser.get(fed.worker.url)
    until(browser, lambda: browser.execute_script("return window.__totalsShownAt"))
    until(browser, lambda: len(region_rows(browser)) >= len(REGION_ROWS))
    metrics = page_metrics(browser)
    (artifacts_dir / "page-metrics.json").write_text(json.dumps(metrics, indent=2))
    print(json.dumps({k: v for k, v in metrics.items() if k != "resources"}))
    save_full_page(browser, artifacts_dir / "dashboard-live.png")
    assert (artifacts_dir / "dashboard-live.png").stat().st_size > 0


def page_metrics(browser) -> dict:
    """Navigation timing and bytes over the wire; recorded, never asserted."""
    measured = browser.execute_script(PAGE_METRICS)
    entries = measured.pop("entries")
    return {
        **measured,
        "transfer_bytes": sum(e["transfer"] for e in entries),
        "api_transfer_bytes": sum(e["transfer"] for e in entries if api(e)),
        "encoded_bytes": sum(e["encoded"] for e in entries),
        "decoded_bytes": sum(e["decoded"] for e in entries),
        "resources": entries,
    }


def api(entry: dict) -> bool:
    return entry["type"] == "fetch"


def save_full_page(browser, path: Path) -> None:
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", VIEWPORT | {"height": height}
    )
    time.sleep(1)  # charts redraw (animated) after the viewport grows
    browser.save_screenshot(str(path))
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", VIEWPORT)
