"""The entries view against a fake ledger in headless Chromium: opened from a
region's or a country's row, it lists the entries behind that figure for the period
in view, marks what no longer counts, pages with the cursor, filters, downloads,
and lives in the URL, so a reload or a shared link shows the same."""

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from urllib.parse import parse_qsl, urlsplit

import canned
import pytest
from fake_entries import HOSTILE, YEAR, EntriesLedger, event_id, matching
from fake_ledger import serving
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

pytestmark = pytest.mark.browser

QUARTER = f"period={YEAR}-Q1"
DE = f"/?view=entries&region=EMEA&country=DE&{QUARTER}"


@pytest.fixture
def open_at(browser) -> Iterator[Callable[[str], tuple[EntriesLedger, str]]]:
    """Factory: a fake ledger with summaries and entries; load the page at a path."""
    with ExitStack() as servers:

        def open_with(path: str) -> tuple[EntriesLedger, str]:
            ledger = EntriesLedger(canned.populated() | canned.in_period(QUARTER, 0.25))
            base = servers.enter_context(serving(ledger))
            browser.get(base + path)
            return ledger, base

        yield open_with


def until(browser, condition: Callable[[], object], timeout: float = 10) -> None:
    WebDriverWait(browser, timeout).until(lambda _: condition())


def shown_ids(browser) -> list[str]:
    rows = browser.find_elements(By.CSS_SELECTOR, "#entries-table tbody tr")
    return [row.get_attribute("data-event-id") for row in rows]


def ids(query: str) -> list[str]:
    return [e["event_id"] for e in matching(dict(parse_qsl(query)))]


def entries_asked(ledger: EntriesLedger) -> list[dict[str, str]]:
    return [
        dict(parse_qsl(urlsplit(path).query))
        for path in ledger.asked
        if path.startswith("/api/v1/entries")
    ]


def cell(browser, n: int, field: str):
    row = f'#entries-table tr[data-event-id="{event_id(n)}"]'
    return browser.find_element(By.CSS_SELECTOR, f'{row} td[data-field="{field}"]')


def summary_shown(browser) -> bool:
    return browser.find_element(By.CSS_SELECTOR, ".totals").is_displayed()


def load_all(browser) -> None:
    more = browser.find_element(By.ID, "entries-more")
    while more.is_displayed():
        count = len(shown_ids(browser))
        more.click()
        until(browser, lambda count=count: len(shown_ids(browser)) > count)


def test_a_country_rows_link_opens_its_entries_for_the_period_in_view(browser, open_at):
    ledger, base = open_at(f"/?{QUARTER}")
    region = '#regions-table tr[data-region="EMEA"]'
    until(browser, lambda: browser.find_elements(By.CSS_SELECTOR, region))
    browser.find_element(By.CSS_SELECTOR, region).click()
    link = '#country-table tr[data-country="DE"] a[data-entries-link]'
    until(browser, lambda: browser.find_elements(By.CSS_SELECTOR, link))
    browser.find_element(By.CSS_SELECTOR, link).click()

    until(
        browser,
        lambda: shown_ids(browser) == ids(f"region=EMEA&country=DE&{QUARTER}")[:3],
    )
    assert browser.current_url == base + DE
    assert entries_asked(ledger) == [
        {"region": "EMEA", "country": "DE", "period": f"{YEAR}-Q1"}
    ]
    assert browser.find_element(By.ID, "entries-title").text == "Entries · EMEA / DE"
    view = browser.find_element(By.ID, "entries-view")
    assert view.find_element(By.CSS_SELECTOR, "[data-period-tag]").text == f"{YEAR} Q1"
    assert not summary_shown(browser)
    assert browser.find_element(By.ID, "entries-freshness").text == (
        f"As of {YEAR}-11-21 19:00:00 UTC"
    )


def test_a_region_rows_link_opens_its_entries_not_its_country_panel(browser, open_at):
    ledger, base = open_at("/")
    link = '#regions-table tr[data-region="EMEA"] a[data-entries-link]'
    until(browser, lambda: browser.find_elements(By.CSS_SELECTOR, link))
    browser.find_element(By.CSS_SELECTOR, link).click()
    until(browser, lambda: shown_ids(browser) == ids("region=EMEA")[:3])
    assert browser.current_url == base + "/?view=entries&region=EMEA"
    assert browser.find_element(By.ID, "entries-title").text == "Entries · EMEA"
    assert entries_asked(ledger) == [{"region": "EMEA"}]
    assert browser.find_element(By.ID, "region-panel").get_attribute("hidden")


def test_rows_say_whether_each_entry_counts_and_what_replaced_it(browser, open_at):
    open_at(DE)
    until(browser, lambda: len(shown_ids(browser)) == 3)
    load_all(browser)
    assert cell(browser, 1, "status").text == f"Counted · corrects {event_id(2)[:8]}"
    assert cell(browser, 1, "figures").text == "40 attendees · 2 units · 16 h"
    assert cell(browser, 2, "status").text == f"Superseded by {event_id(1)[:8]}"
    assert cell(browser, 3, "figures").text == "freeze · 5.5 h turnaround"
    assert cell(browser, 4, "status").text == (
        f"Voided by {event_id(9)[:8]}: Entered twice"
    )
    assert cell(browser, 5, "status").text == "Counted"
    assert cell(browser, 5, "source").text == "exec-crm"
    assert cell(browser, 7, "status").text == f"Waiting for {event_id(8)[:8]}"
    assert cell(browser, 1, "occurred_at").text == f"{YEAR}-03-02 10:00"
    assert cell(browser, 1, "event_type").text == "Training"
    # What no longer counts is struck through; what counts is not.
    struck = {
        n: cell(browser, n, "agency").value_of_css_property("text-decoration-line")
        for n in (1, 2, 4, 5)
    }
    assert struck == {1: "none", 2: "line-through", 4: "line-through", 5: "none"}
    assert cell(browser, 2, "status").get_attribute("title").startswith(event_id(1))
    # An agency name that looks like markup is text, and never runs.
    assert cell(browser, 6, "agency").text == HOSTILE
    assert browser.execute_script("return window.__injected === undefined")


def test_load_more_appends_the_next_page_by_its_cursor(browser, open_at):
    ledger, _ = open_at(DE)
    expected = ids(f"region=EMEA&country=DE&{QUARTER}")
    until(browser, lambda: shown_ids(browser) == expected[:3])
    assert browser.find_element(By.ID, "entries-count").text == "3 shown · more to load"
    browser.find_element(By.ID, "entries-more").click()
    until(browser, lambda: shown_ids(browser) == expected[:6])
    browser.find_element(By.ID, "entries-more").click()
    until(browser, lambda: shown_ids(browser) == expected)
    assert not browser.find_element(By.ID, "entries-more").is_displayed()
    assert browser.find_element(By.ID, "entries-count").text == f"{len(expected)} shown"
    first = {"region": "EMEA", "country": "DE", "period": f"{YEAR}-Q1"}
    assert entries_asked(ledger) == [
        first,
        first | {"cursor": "at-3"},
        first | {"cursor": "at-6"},
    ]


def test_counted_only_and_the_type_filter_change_the_request_url_and_csv(
    browser, open_at
):
    ledger, base = open_at(DE)
    until(browser, lambda: len(shown_ids(browser)) == 3)
    browser.find_element(By.ID, "entries-counted").click()
    counted = f"region=EMEA&country=DE&status=counted&{QUARTER}"
    until(browser, lambda: shown_ids(browser) == ids(counted)[:3])
    assert browser.current_url == f"{base}/?view=entries&{counted}"

    Select(browser.find_element(By.ID, "entries-type")).select_by_value(
        "training_delivered"
    )
    both = (
        f"region=EMEA&country=DE&event_type=training_delivered&status=counted&{QUARTER}"
    )
    until(browser, lambda: shown_ids(browser) == ids(both))
    assert shown_ids(browser) == [event_id(1)]
    assert browser.current_url == f"{base}/?view=entries&{both}"
    assert entries_asked(ledger)[-1] == dict(parse_qsl(both))
    csv = urlsplit(browser.find_element(By.ID, "entries-csv").get_attribute("href"))
    assert f"{csv.path}?{csv.query}" == f"/api/v1/entries?{both}&format=csv"

    browser.find_element(By.ID, "entries-counted").click()
    every = f"region=EMEA&country=DE&event_type=training_delivered&{QUARTER}"
    until(browser, lambda: shown_ids(browser) == ids(every))
    assert shown_ids(browser) == [event_id(2), event_id(1), event_id(7)]


def test_a_reload_restores_the_view_and_its_filters(browser, open_at):
    path = f"/?view=entries&region=EMEA&country=DE&event_type=meeting_held&{QUARTER}"
    _, base = open_at(path)
    until(browser, lambda: shown_ids(browser) == [event_id(4), event_id(5)])
    browser.refresh()
    until(browser, lambda: shown_ids(browser) == [event_id(4), event_id(5)])
    assert browser.current_url == base + path
    assert (
        Select(browser.find_element(By.ID, "entries-type")).first_selected_option.text
        == "Meetings"
    )
    assert not browser.find_element(By.ID, "entries-counted").is_selected()
    assert not summary_shown(browser)


def test_back_to_summary_keeps_the_period_and_the_browsers_back_returns(
    browser, open_at
):
    _, base = open_at(DE)
    until(browser, lambda: len(shown_ids(browser)) == 3)
    browser.find_element(By.ID, "entries-back").click()
    until(browser, lambda: summary_shown(browser))
    assert browser.current_url == f"{base}/?{QUARTER}"
    assert not browser.find_element(By.ID, "entries-view").is_displayed()
    assert browser.find_element(By.ID, "regions-table").is_displayed()
    browser.back()
    until(browser, lambda: not summary_shown(browser))
    assert browser.current_url == base + DE
    until(browser, lambda: len(shown_ids(browser)) == 3)


def test_choosing_another_period_in_the_view_lists_that_periods_entries(
    browser, open_at
):
    ledger, base = open_at(DE)
    until(browser, lambda: len(shown_ids(browser)) == 3)
    Select(browser.find_element(By.ID, "period-select")).select_by_value("")
    until(browser, lambda: shown_ids(browser) == ids("region=EMEA&country=DE")[:3])
    assert browser.current_url == f"{base}/?view=entries&region=EMEA&country=DE"
    assert entries_asked(ledger)[-1] == {"region": "EMEA", "country": "DE"}
    tag = browser.find_element(By.CSS_SELECTOR, "#entries-view [data-period-tag]")
    assert tag.text == "All time"


def test_an_incomplete_answer_and_an_unreachable_ledger_are_said(browser, open_at):
    ledger, _ = open_at(DE)
    until(browser, lambda: len(shown_ids(browser)) == 3)
    ledger.complete = False
    browser.find_element(By.ID, "entries-more").click()
    note = browser.find_element(By.ID, "entries-freshness")
    until(browser, lambda: note.text.startswith("A worker is restarting"))
    ledger.reachable = False
    browser.find_element(By.ID, "entries-more").click()
    error = browser.find_element(By.ID, "entries-error")
    until(browser, error.is_displayed)
    assert "not reachable" in error.text
    assert len(shown_ids(browser)) == 6  # what was shown stays
