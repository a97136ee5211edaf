"""Every figure a worker serves, checked against the independent recomputation."""

import pytest

import reference


def assert_every_figure(worker, sent: list[dict], rejected: int = 0) -> None:
    """Counts, totals, every region, country and month: nothing lost or doubled."""
    expected = reference.accepted(sent)
    stats = worker.api("/api/v1/stats")
    counts = (stats["accepted"], stats["duplicates"], stats["rejected"])
    want = (len(expected), len(sent) - len(expected), rejected)
    assert counts == want, f"(accepted, duplicates, rejected) {counts} != {want}"
    totals = worker.api("/api/v1/regions")["totals"]
    reference.assert_summary_matches(totals, reference.summary(expected))
    assert_every_region(worker, expected)


def assert_every_region(worker, expected: list[dict]) -> None:
    """Each region, its countries and its months against the accepted events."""
    for code, own in reference.by(expected, "region").items():
        detail = worker.api(f"/api/v1/regions/{code}")
        reference.assert_summary_matches(detail, reference.summary(own))
        for country, theirs in reference.by(own, "country").items():
            reference.assert_summary_matches(
                detail["countries"][country], reference.summary(theirs)
            )
        months = worker.api(f"/api/v1/regions/{code}/months")["months"]
        assert_months(months, reference.months(own))


def assert_months(actual: list[dict], expected: list[dict]) -> None:
    assert [m["month"] for m in actual] == [m["month"] for m in expected]
    for got, want in zip(actual, expected, strict=True):
        assert got["training_hours"] == pytest.approx(want["training_hours"], abs=1e-6)
        assert {**got, "training_hours": 0} == {**want, "training_hours": 0}
