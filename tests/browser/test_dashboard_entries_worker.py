"""The entries view on a real worker in headless Chromium: from a country's row to
the entries behind its figures, a corrected entry marked superseded by its
correction, a voided one with the void's reason, the rest counted; the download is
the CSV of the entries in view."""

import csv
import io
import os
import shutil
import uuid
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from harness import Ledger, processed, wait_for
from ledger.producer.client import LedgerProducer
from wire import OWN_FIELDS, wire_event

pytestmark = pytest.mark.browser

EMEA = {"region": "EMEA", "country": "DE", "agency": "Bundeskriminalamt"}
TRAINING = OWN_FIELDS["training_delivered"] | {"attendees": 400}
WRONG = wire_event(
    "training_delivered", "2025-03-02T10:00:00+00:00", **TRAINING, **EMEA
)
FIXED = WRONG | {
    "event_id": str(uuid.uuid4()),
    "attendees": 40,
    "supersedes": WRONG["event_id"],
}
MEETING = wire_event(
    "meeting_held", "2025-02-10T09:00:00+00:00", participants=3, **EMEA
)
TWICE = wire_event("meeting_held", "2025-02-11T09:00:00+00:00", participants=3, **EMEA)
VOID = wire_event(
    "event_voided",
    "2025-02-12T09:00:00+00:00",
    **EMEA,
    voids=TWICE["event_id"],
    reason="Entered twice",
)
ELSEWHERE = wire_event(
    "meeting_held",
    "2025-02-10T09:00:00+00:00",
    participants=2,
    **EMEA | {"country": "GB"},
)
EVENTS = [WRONG, MEETING, TWICE, ELSEWHERE, FIXED, VOID]
DOCS_PICTURE = Path(__file__).resolve().parents[2] / "docs" / "dashboard-entries.png"
# The download link, followed by the page itself as the browser would.
FETCH = """
const done = arguments[arguments.length - 1];
fetch(arguments[0]).then(async (r) => done({
  status: r.status, disposition: r.headers.get('content-disposition'),
  body: await r.text(),
})).catch((e) => done({error: String(e)}));
"""


@pytest.fixture(scope="module")
def worker(broker, tmp_path_factory):
    ledger = Ledger.fresh(broker.bootstrap, tmp_path_factory, "dashboard-entries")
    started = ledger.start_worker()
    with LedgerProducer(ledger.bootstrap, topic=ledger.topic) as producer:
        producer.publish_many(EVENTS)
    wait_for(processed(started, len(EVENTS)))
    yield started
    ledger.stop()


def until(browser, condition, timeout: float = 15) -> None:
    WebDriverWait(browser, timeout).until(lambda _: condition())


def statuses(browser) -> dict[str, tuple[str, str, str]]:
    """Each entry shown: its status text, whether it counts, its agency's line."""
    rows = browser.find_elements(By.CSS_SELECTOR, "#entries-table tbody tr")
    return {
        row.get_attribute("data-event-id"): (
            row.find_element(By.CSS_SELECTOR, 'td[data-field="status"]').text,
            row.get_attribute("data-counted"),
            row.find_element(
                By.CSS_SELECTOR, 'td[data-field="agency"]'
            ).value_of_css_property("text-decoration-line"),
        )
        for row in rows
    }


def test_a_countrys_entries_show_the_correction_and_the_void(
    browser, worker, artifacts_dir
):
    browser.get(worker.url + "/?period=2025")
    region = '#regions-table tr[data-region="EMEA"]'
    until(browser, lambda: browser.find_elements(By.CSS_SELECTOR, region))
    browser.find_element(By.CSS_SELECTOR, region).click()
    link = '#country-table tr[data-country="DE"] a[data-entries-link]'
    until(browser, lambda: browser.find_elements(By.CSS_SELECTOR, link))
    browser.find_element(By.CSS_SELECTOR, link).click()

    until(browser, lambda: len(statuses(browser)) == 4)
    short = {event["event_id"]: event["event_id"][:8] for event in EVENTS}
    assert statuses(browser) == {
        WRONG["event_id"]: (
            f"Superseded by {short[FIXED['event_id']]}",
            "false",
            "line-through",
        ),
        FIXED["event_id"]: (
            f"Counted · corrects {short[WRONG['event_id']]}",
            "true",
            "none",
        ),
        TWICE["event_id"]: (
            f"Voided by {short[VOID['event_id']]}: Entered twice",
            "false",
            "line-through",
        ),
        MEETING["event_id"]: ("Counted", "true", "none"),
    }
    assert browser.current_url == (
        worker.url + "/?view=entries&region=EMEA&country=DE&period=2025"
    )
    _picture(browser, artifacts_dir / "dashboard-entries.png")
    fixed = f'#entries-table tr[data-event-id="{FIXED["event_id"]}"]'
    figures = browser.find_element(By.CSS_SELECTOR, f'{fixed} td[data-field="figures"]')
    assert figures.text.startswith("40 attendees")

    browser.find_element(By.ID, "entries-counted").click()
    until(
        browser,
        lambda: set(statuses(browser)) == {FIXED["event_id"], MEETING["event_id"]},
    )
    href = browser.find_element(By.ID, "entries-csv").get_attribute("href")
    answer = browser.execute_async_script(FETCH, href)
    assert answer["status"] == 200
    assert (
        answer["disposition"]
        == 'attachment; filename="ledger-entries-EMEA-DE-2025.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(answer["body"])))
    assert {(r["event_id"], r["status"]) for r in rows} == {
        (FIXED["event_id"], "counted"),
        (MEETING["event_id"], "counted"),
    }
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def _picture(browser, path: Path) -> None:
    """The entries panel, for the README: written to docs/ only when
    UPDATE_DOCS_SCREENSHOT=1."""
    panel = browser.find_element(By.ID, "entries-view")
    path.write_bytes(panel.screenshot_as_png)
    if os.environ.get("UPDATE_DOCS_SCREENSHOT") == "1":
        shutil.copyfile(path, DOCS_PICTURE)
