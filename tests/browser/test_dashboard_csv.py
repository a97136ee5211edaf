"""The dashboard's download buttons, on a real worker in headless Chromium: each
is there for the table in view, and its link answers that table as CSV."""

import csv
import io

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from harness import Ledger, processed, wait_for
from ledger.producer.client import LedgerProducer
from wire import OWN_FIELDS, wire_event

pytestmark = pytest.mark.browser

OCCURRED = "2025-06-10T12:00:00+00:00"
EVENTS = [
    wire_event("meeting_held", OCCURRED, participants=3),
    wire_event("meeting_held", OCCURRED, participants=2, country="JP"),
    wire_event(
        "training_delivered",
        "2025-07-01T09:00:00+00:00",
        **OWN_FIELDS["training_delivered"],
        region="EMEA",
        country="DE",
    ),
]
# Fetched by the page itself, so the link is followed as the browser would.
FETCH = """
const done = arguments[arguments.length - 1];
fetch(arguments[0]).then(async (r) => done({
  status: r.status, type: r.headers.get('content-type'),
  disposition: r.headers.get('content-disposition'), body: await r.text(),
})).catch((e) => done({error: String(e)}));
"""


@pytest.fixture(scope="module")
def worker(broker, tmp_path_factory):
    ledger = Ledger.fresh(broker.bootstrap, tmp_path_factory, "dashboard-csv")
    started = ledger.start_worker()
    with LedgerProducer(ledger.bootstrap, topic=ledger.topic) as producer:
        producer.publish_many(EVENTS)
    wait_for(processed(started, len(EVENTS)))
    yield started
    ledger.stop()


def follow(browser, link_id: str) -> tuple[dict, list[dict]]:
    """The link's answer, fetched by the page, and its CSV rows."""
    link = browser.find_element(By.ID, link_id)
    assert link.is_displayed() and link.text.endswith("Download CSV")
    assert link.get_attribute("download") is not None
    answer = browser.execute_async_script(FETCH, link.get_attribute("href"))
    return answer, list(csv.DictReader(io.StringIO(answer["body"])))


def until(browser, condition, timeout: float = 15) -> None:
    WebDriverWait(browser, timeout).until(lambda _: condition())


def test_each_table_in_view_downloads_as_csv(browser, worker):
    browser.get(worker.url)
    row = '#regions-table tbody tr[data-region="APAC"] td[data-field="region"]'
    until(browser, lambda: browser.find_elements(By.CSS_SELECTOR, row))

    answer, rows = follow(browser, "regions-csv")
    assert answer["status"] == 200
    assert answer["type"] == "text/csv; charset=utf-8"
    assert answer["disposition"] == 'attachment; filename="ledger-regions.csv"'
    assert [(r["region"], r["events"]) for r in rows] == [("APAC", "2"), ("EMEA", "1")]

    browser.find_element(By.CSS_SELECTOR, row).click()
    until(browser, lambda: browser.find_elements(By.CSS_SELECTOR, "tr[data-country]"))
    answer, rows = follow(browser, "countries-csv")
    assert answer["disposition"] == 'attachment; filename="ledger-APAC-countries.csv"'
    assert {r["country"]: r["meetings"] for r in rows} == {"TW": "1", "JP": "1"}

    answer, rows = follow(browser, "months-csv")
    assert answer["disposition"] == 'attachment; filename="ledger-APAC-months.csv"'
    assert [(r["region"], r["month"], r["meetings"]) for r in rows] == [
        ("APAC", "2025-06", "2")
    ]
