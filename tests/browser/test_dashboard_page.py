"""The dashboard page against a fake ledger: rendering, sorting, safety, updates."""

import re
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import canned
import pytest
from chromium import VIEWPORT
from fake_ledger import FakeLedger, serving
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.browser

HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_IMG = '<img src=x onerror="window.__injected=1">'


@pytest.fixture
def open_dashboard(browser) -> Iterator[Callable[[dict], FakeLedger]]:
    """Factory: serve these API answers from a fake ledger, load the page, return it."""
    with ExitStack() as servers:

        def open_with(answers: dict) -> FakeLedger:
            ledger = FakeLedger(answers)
            browser.get(servers.enter_context(serving(ledger)))
            until(browser, lambda: state_of(browser) not in ("connecting", None))
            return ledger

        yield open_with


def until(browser, condition: Callable[[], object], timeout: float = 10) -> None:
    WebDriverWait(browser, timeout).until(lambda _: condition())


def state_of(browser) -> str | None:
    return browser.find_element(By.ID, "freshness").get_attribute("data-state")


def number(element) -> float:
    return float(element.text.replace(",", ""))


def total(browser, name: str):
    return browser.find_element(By.CSS_SELECTOR, f'[data-total="{name}"]')


def region_cell(browser, region: str, field: str):
    selector = (
        f'#regions-table tbody tr[data-region="{region}"] td[data-field="{field}"]'
    )
    return browser.find_element(By.CSS_SELECTOR, selector)


def region_order(browser) -> list[str]:
    rows = browser.find_elements(By.CSS_SELECTOR, "#regions-table tbody tr")
    return [row.get_attribute("data-region") for row in rows]


def test_totals_and_region_rows_show_the_api_numbers(browser, open_dashboard):
    answers = canned.populated()
    open_dashboard(answers)
    totals = answers["/api/v1/regions"]["totals"]
    until(browser, lambda: total(browser, "meetings").text != "–")
    assert number(total(browser, "meetings")) == totals["meetings"]
    assert total(browser, "officers_trained").text == f"{totals['officers_trained']:,}"
    assert total(browser, "turnaround_hours_p50").text == "6.9 h"
    assert total(browser, "turnaround_hours_p90").text == "38 h"
    apac = answers["/api/v1/regions/APAC"]
    assert (
        number(region_cell(browser, "APAC", "officers_trained"))
        == apac["officers_trained"]
    )
    assert browser.find_element(By.ID, "empty-state").is_displayed() is False


def test_clicking_a_header_sorts_regions_by_number(browser, open_dashboard):
    answers = canned.populated()
    open_dashboard(answers)
    until(browser, lambda: len(region_order(browser)) == 4)
    regions = answers["/api/v1/regions"]["regions"]
    by_officers = sorted(regions, key=lambda r: r["officers_trained"])
    header = '#regions-table th[data-sort="officers_trained"] button'
    browser.find_element(By.CSS_SELECTOR, header).click()
    assert region_order(browser) == [r["region"] for r in reversed(by_officers)]
    browser.find_element(By.CSS_SELECTOR, header).click()
    assert region_order(browser) == [r["region"] for r in by_officers]


def test_selecting_a_region_opens_its_country_breakdown(browser, open_dashboard):
    open_dashboard(canned.populated())
    until(browser, lambda: "EMEA" in region_order(browser))
    region_cell(browser, "EMEA", "region").click()
    rows = '#country-table tbody tr[data-country="GB"] td[data-field="meetings"]'
    until(browser, lambda: browser.find_elements(By.CSS_SELECTOR, rows))
    assert browser.find_element(By.CSS_SELECTOR, rows).text == "44"
    assert "EMEA" in browser.find_element(By.ID, "region-title").text


def test_a_region_row_opens_from_the_keyboard(browser, open_dashboard):
    open_dashboard(canned.populated())
    until(browser, lambda: "LATAM" in region_order(browser))
    row = browser.find_element(By.CSS_SELECTOR, 'tr[data-region="LATAM"]')
    browser.execute_script("arguments[0].focus()", row)
    row.send_keys(Keys.ENTER)
    until(
        browser, lambda: browser.find_elements(By.CSS_SELECTOR, 'tr[data-country="BR"]')
    )
    assert browser.find_element(By.ID, "region-panel").is_displayed()


def save_full_page(browser, path: Path) -> None:
    """Picture the whole page at the viewport's width, then restore the viewport."""
    height = browser.execute_script("return document.documentElement.scrollHeight")
    metrics = VIEWPORT | {"height": height}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    time.sleep(1)  # charts redraw (animated) after the viewport grows
    browser.save_screenshot(str(path))
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", VIEWPORT)


def hostile_answers() -> dict:
    answers = canned.populated()
    stats = answers["/api/v1/stats"]
    stats["recent_rejections"][0]["detail"] = HOSTILE_SCRIPT
    stats["recent_rejections"][1]["detail"] = HOSTILE_IMG
    apac = answers["/api/v1/regions/APAC"]
    apac["countries"][HOSTILE_IMG] = apac["countries"].pop("TW")
    regions = answers["/api/v1/regions"]["regions"]
    regions[0] = regions[0] | {"region": HOSTILE_SCRIPT}
    answers["/api/v1/regions"]["regions"] = regions
    answers[f"/api/v1/regions/{HOSTILE_SCRIPT}"] = apac | {"region": HOSTILE_SCRIPT}
    months = answers["/api/v1/regions/APAC/months"]
    answers[f"/api/v1/regions/{HOSTILE_SCRIPT}/months"] = months
    return answers


def test_event_strings_are_shown_as_text_and_never_run(browser, open_dashboard):
    open_dashboard(hostile_answers())
    until(browser, lambda: HOSTILE_SCRIPT in region_order(browser))
    rejections = browser.find_element(By.ID, "rejections").text
    assert HOSTILE_SCRIPT in rejections
    assert HOSTILE_IMG in rejections
    region = region_cell(browser, HOSTILE_SCRIPT, "region")
    assert region.text == HOSTILE_SCRIPT
    region.click()
    country_table = browser.find_element(By.ID, "country-table")
    until(browser, lambda: HOSTILE_IMG in country_table.text)
    assert browser.find_elements(By.CSS_SELECTOR, "main script, main img") == []
    assert browser.execute_script("return window.__injected") is None
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 - touching it is the check


def test_an_empty_ledger_explains_how_to_emit_the_first_event(
    browser, open_dashboard, artifacts_dir
):
    open_dashboard(canned.empty())
    empty_state = browser.find_element(By.ID, "empty-state")
    until(browser, empty_state.is_displayed)
    assert 'ledger emit \'{"event_type": "meeting_held"' in empty_state.text
    assert browser.find_element(By.ID, "regions-table").is_displayed() is False
    assert total(browser, "meetings").text == "0"
    browser.save_screenshot(str(artifacts_dir / "dashboard-empty.png"))


def test_numbers_and_charts_update_in_place_without_a_reload(browser, open_dashboard):
    answers = canned.populated()
    ledger = open_dashboard(answers)
    until(browser, lambda: total(browser, "meetings").text != "–")
    chart_id = "return Chart.getChart(document.getElementById('chart-meetings'))?.id"
    until(browser, lambda: browser.execute_script(chart_id) is not None)
    first_chart = browser.execute_script(chart_id)
    browser.execute_script("window.__sameDocument = true")
    bumped = canned.populated()
    bumped["/api/v1/regions"]["totals"]["meetings"] = 123_456
    bumped["/api/v1/stats"]["duplicates"] = 4_321
    ledger.answers = bumped
    until(browser, lambda: total(browser, "meetings").text == "123,456")
    stat = browser.find_element(By.CSS_SELECTOR, '[data-stat="duplicates"]')
    assert stat.text == "4,321"
    assert browser.execute_script("return window.__sameDocument") is True
    assert browser.execute_script(chart_id) == first_chart


def test_freshness_turns_red_when_the_api_cannot_be_reached(browser, open_dashboard):
    ledger = open_dashboard(canned.populated())
    until(browser, lambda: state_of(browser) == "fresh")
    ledger.reachable = False
    until(browser, lambda: state_of(browser) == "down")
    assert "unreachable" in browser.find_element(By.ID, "freshness").text


def test_populated_page_loads_without_console_errors(
    browser, open_dashboard, artifacts_dir
):
    open_dashboard(canned.populated())
    until(browser, lambda: "APAC" in region_order(browser))
    region_cell(browser, "APAC", "region").click()
    until(
        browser, lambda: browser.find_elements(By.CSS_SELECTOR, 'tr[data-country="TW"]')
    )
    until(browser, lambda: "Requests by type" in browser.page_source)
    save_full_page(browser, artifacts_dir / "dashboard.png")
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


def test_freshness_turns_amber_when_records_wait_and_none_are_applied(
    browser, open_dashboard
):
    answers = canned.populated()
    stats = answers["/api/v1/stats"]
    stats["lag"] = 5_000
    stats["last_processed_at"] = "2026-01-01T00:00:00Z"
    stats["as_of"] = "2026-01-01T00:01:00Z"
    open_dashboard(answers)
    until(browser, lambda: state_of(browser) == "stale")
    freshness = browser.find_element(By.ID, "freshness").text
    assert re.search(r"Updated 6\d s ago", freshness), freshness
