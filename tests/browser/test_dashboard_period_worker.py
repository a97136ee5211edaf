"""The period picker on a real worker in headless Chromium: a shared link with a
period shows that period's figures, and its download is that period's CSV."""

import csv
import io

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from harness import Ledger, processed, wait_for
from ledger.producer.client import LedgerProducer
from wire import OWN_FIELDS, wire_event

pytestmark = pytest.mark.browser

EVENTS = [
    wire_event("meeting_held", "2025-06-10T12:00:00+00:00", participants=3),
    wire_event(
        "meeting_held", "2025-05-02T08:00:00+08:00", participants=2, country="JP"
    ),
    wire_event(
        "training_delivered",
        "2025-07-01T09:00:00+00:00",
        **OWN_FIELDS["training_delivered"],
        region="EMEA",
        country="DE",
    ),
]
FETCH = """
const done = arguments[arguments.length - 1];
fetch(arguments[0]).then(async (r) => done({
  status: r.status, disposition: r.headers.get('content-disposition'),
  body: await r.text(),
})).catch((e) => done({error: String(e)}));
"""


@pytest.fixture(scope="module")
def worker(broker, tmp_path_factory):
    ledger = Ledger.fresh(broker.bootstrap, tmp_path_factory, "dashboard-period")
    started = ledger.start_worker()
    with LedgerProducer(ledger.bootstrap, topic=ledger.topic) as producer:
        producer.publish_many(EVENTS)
    wait_for(processed(started, len(EVENTS)))
    yield started
    ledger.stop()


def until(browser, condition, timeout: float = 15) -> None:
    WebDriverWait(browser, timeout).until(lambda _: condition())


def totals(browser) -> tuple[str, str]:
    shown = (
        browser.find_element(By.CSS_SELECTOR, f'[data-total="{name}"]').text
        for name in ("meetings", "trainings")
    )
    return tuple(shown)


def region_events(browser) -> dict[str, str]:
    rows = browser.find_elements(By.CSS_SELECTOR, "#regions-table tbody tr")
    return {
        row.get_attribute("data-region"): row.find_element(
            By.CSS_SELECTOR, 'td[data-field="events"]'
        ).text
        for row in rows
    }


def test_a_shared_period_link_shows_and_downloads_that_period(browser, worker):
    browser.get(worker.url + "/?period=2025-Q2")
    until(browser, lambda: region_events(browser) == {"APAC": "2", "EMEA": "0"})
    assert totals(browser) == ("2", "0")
    href = browser.find_element(By.ID, "regions-csv").get_attribute("href")
    answer = browser.execute_async_script(FETCH, href)
    assert answer["status"] == 200
    assert answer["disposition"] == 'attachment; filename="ledger-regions-2025-Q2.csv"'
    rows = list(csv.DictReader(io.StringIO(answer["body"])))
    assert [(r["region"], r["events"]) for r in rows] == [("APAC", "2"), ("EMEA", "0")]


def test_a_custom_month_picks_out_that_months_events(browser, worker):
    browser.get(worker.url)
    until(browser, lambda: totals(browser) == ("2", "1"))
    Select(browser.find_element(By.ID, "period-select")).select_by_value("custom")
    browser.execute_script(
        "document.getElementById('period-from').value = '2025-07';"
        "document.getElementById('period-to').value = '2025-07';"
    )
    browser.find_element(By.ID, "period-apply").click()
    until(browser, lambda: totals(browser) == ("0", "1"))
    assert browser.current_url == worker.url + "/?from=2025-07&to=2025-07"
    assert region_events(browser) == {"APAC": "0", "EMEA": "1"}
