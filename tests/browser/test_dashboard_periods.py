"""The period picker against a fake ledger in headless Chromium: the period in the
URL is the period in view, shown in every panel, asked of every summary and of
every download; choosing another keeps it in the URL, so a reload or a shared
link shows the same; a period the ledger refuses is explained."""

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import canned
import pytest
from fake_ledger import FakeLedger, serving
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait
from test_dashboard_page import save_full_page

pytestmark = pytest.mark.browser

YEAR = datetime.now(UTC).year
QUARTER = f"{YEAR}-Q1"
RANGE = f"from={YEAR - 1}-11&to={YEAR}-02"
SHARES = {
    f"period={QUARTER}": 0.25,
    f"period={YEAR - 1}": 0.1,
    f"period={YEAR}": 0.9,
    RANGE: 0.3,
}
DOCS_PICTURE = Path(__file__).parents[2] / "docs" / "dashboard.png"


def answers() -> dict:
    found = canned.populated()
    for query, share in SHARES.items():
        found |= canned.in_period(query, share)
    return found


@pytest.fixture
def open_at(browser) -> Iterator[Callable[[str], tuple[FakeLedger, str]]]:
    """Factory: a fake ledger with period answers; load the page at a path."""
    with ExitStack() as servers:

        def open_with(path: str) -> tuple[FakeLedger, str]:
            ledger = FakeLedger(answers())
            base = servers.enter_context(serving(ledger))
            browser.get(base + path)
            return ledger, base

        yield open_with


def until(browser, condition: Callable[[], object], timeout: float = 10) -> None:
    WebDriverWait(browser, timeout).until(lambda _: condition())


def meetings_shown(browser) -> str:
    return browser.find_element(By.CSS_SELECTOR, '[data-total="meetings"]').text


def expected_meetings(query: str | None) -> str:
    path = "/api/v1/regions" + (f"?{query}" if query else "")
    return f"{answers()[path]['totals']['meetings']:,}"


def tags(browser) -> set[str]:
    shown = browser.find_elements(By.CSS_SELECTOR, "[data-period-tag]")
    return {tag.text for tag in shown if tag.is_displayed()}


def chart_months(browser) -> int | None:
    return browser.execute_script(
        "const chart = Chart.getChart('chart-meetings');"
        "return chart ? chart.data.labels.length : null;"
    )


def link(browser, link_id: str) -> str:
    href = browser.find_element(By.ID, link_id).get_attribute("href")
    parts = urlsplit(href)
    return f"{parts.path}?{parts.query}"


def test_a_period_in_the_url_is_in_every_panel_request_and_download(browser, open_at):
    ledger, _ = open_at(f"/?period={QUARTER}")
    until(
        browser,
        lambda: meetings_shown(browser) == expected_meetings(f"period={QUARTER}"),
    )
    assert (
        Select(browser.find_element(By.ID, "period-select")).first_selected_option.text
        == f"{YEAR} Q1"
    )
    assert tags(browser) == {f"{YEAR} Q1"}
    assert (
        link(browser, "regions-csv") == f"/api/v1/regions?period={QUARTER}&format=csv"
    )
    browser.find_element(
        By.CSS_SELECTOR, '#regions-table tr[data-region="EMEA"]'
    ).click()
    until(browser, lambda: browser.find_elements(By.CSS_SELECTOR, "tr[data-country]"))
    assert (
        link(browser, "countries-csv")
        == f"/api/v1/regions/EMEA?period={QUARTER}&format=csv"
    )
    assert (
        link(browser, "months-csv")
        == f"/api/v1/regions/EMEA/months?period={QUARTER}&format=csv"
    )
    assert tags(browser) == {f"{YEAR} Q1"}  # the region panel's too
    summaries = [p for p in ledger.asked if not p.startswith("/api/v1/stats")]
    assert summaries and all(p.endswith(f"?period={QUARTER}") for p in summaries)
    months = answers()[f"/api/v1/regions/EMEA/months?period={QUARTER}"]["months"]
    until(browser, lambda: chart_months(browser) == len(months))


def test_choosing_a_period_keeps_it_in_the_url_and_a_reload_shows_the_same(
    browser, open_at
):
    _, base = open_at("/")
    until(browser, lambda: meetings_shown(browser) == expected_meetings(None))
    assert tags(browser) == {"All time"}
    Select(browser.find_element(By.ID, "period-select")).select_by_value(str(YEAR - 1))
    until(
        browser,
        lambda: meetings_shown(browser) == expected_meetings(f"period={YEAR - 1}"),
    )
    assert browser.current_url == f"{base}/?period={YEAR - 1}"
    assert tags(browser) == {str(YEAR - 1)}
    browser.refresh()
    until(
        browser,
        lambda: meetings_shown(browser) == expected_meetings(f"period={YEAR - 1}"),
    )
    assert Select(
        browser.find_element(By.ID, "period-select")
    ).first_selected_option.get_attribute("value") == str(YEAR - 1)
    Select(browser.find_element(By.ID, "period-select")).select_by_value("")
    until(browser, lambda: meetings_shown(browser) == expected_meetings(None))
    assert browser.current_url == f"{base}/"


def test_a_custom_month_range_is_asked_shown_and_kept(browser, open_at):
    _, base = open_at("/")
    until(browser, lambda: meetings_shown(browser) == expected_meetings(None))
    Select(browser.find_element(By.ID, "period-select")).select_by_value("custom")
    assert browser.find_element(By.ID, "period-custom").is_displayed()
    browser.execute_script(
        "document.getElementById('period-from').value = arguments[0];"
        "document.getElementById('period-to').value = arguments[1];",
        f"{YEAR - 1}-11",
        f"{YEAR}-02",
    )
    browser.find_element(By.ID, "period-apply").click()
    until(browser, lambda: meetings_shown(browser) == expected_meetings(RANGE))
    assert browser.current_url == f"{base}/?{RANGE}"
    assert tags(browser) == {f"{YEAR - 1}-11 to {YEAR}-02"}
    assert link(browser, "regions-csv") == f"/api/v1/regions?{RANGE}&format=csv"
    browser.refresh()
    until(browser, lambda: meetings_shown(browser) == expected_meetings(RANGE))
    assert browser.find_element(By.ID, "period-custom").is_displayed()
    assert (
        browser.find_element(By.ID, "period-from").get_attribute("value")
        == f"{YEAR - 1}-11"
    )


def test_a_period_the_ledger_refuses_is_explained_not_shown_as_an_outage(
    browser, open_at
):
    open_at("/?period=2026-13")
    error = browser.find_element(By.ID, "period-error")
    until(browser, error.is_displayed)
    assert "refused this period" in error.text and "01-12" in error.text
    assert (
        browser.find_element(By.ID, "freshness").get_attribute("data-state") != "down"
    )


def test_a_period_selected_is_pictured_for_the_readme(browser, open_at, artifacts_dir):
    """The README's picture: this year selected, a region open. Written to docs/
    only when UPDATE_DOCS_SCREENSHOT=1."""
    open_at(f"/?period={YEAR}")
    until(
        browser, lambda: meetings_shown(browser) == expected_meetings(f"period={YEAR}")
    )
    browser.find_element(
        By.CSS_SELECTOR, '#regions-table tr[data-region="APAC"]'
    ).click()
    until(browser, lambda: browser.find_elements(By.CSS_SELECTOR, "tr[data-country]"))
    until(browser, lambda: "Requests by type" in browser.page_source)
    save_full_page(browser, artifacts_dir / "dashboard-period.png")
    if os.environ.get("UPDATE_DOCS_SCREENSHOT") == "1":
        shutil.copyfile(artifacts_dir / "dashboard-period.png", DOCS_PICTURE)
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
