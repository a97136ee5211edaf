"""Periods tile the calendar: every month lies in its year, in exactly one half and
exactly one quarter, and a from/to range holds exactly the months between its ends."""

from hypothesis import given
from hypothesis import strategies as st

from ledger.rules.periods import between, parse

years = st.integers(min_value=1, max_value=9999).map(lambda y: f"{y:04d}")
months = st.builds(lambda y, m: f"{y}-{m:02d}", years, st.integers(1, 12))


@given(months)
def test_every_month_lies_in_its_year_one_half_and_one_quarter(month):
    year = month[:4]
    assert parse(year).holds(month)
    halves = [h for h in ("H1", "H2") if parse(f"{year}-{h}").holds(month)]
    quarters = [
        q for q in ("Q1", "Q2", "Q3", "Q4") if parse(f"{year}-{q}").holds(month)
    ]
    assert len(halves) == 1 and len(quarters) == 1
    assert parse(month).holds(month)


@given(months, years)
def test_no_month_lies_in_another_year(month, year):
    assert parse(year).holds(month) == (month[:4] == year)


@given(months, months, months)
def test_a_range_holds_exactly_the_months_between_its_ends(a, b, probe):
    first, last = sorted((a, b))
    period = between(first, last)
    assert period.holds(probe) == (first <= probe <= last)
    assert parse(period.label) == period
    assert between(first, None).holds(probe) == (probe >= first)
    assert between(None, last).holds(probe) == (probe <= last)
