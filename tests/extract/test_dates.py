"""Date expressions normalised to xsd:date intervals (kg.extract.dates)."""

import datetime as dt

import pytest

from kg.extract.dates import find_dates

PUB = dt.date(2025, 4, 29)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("The workshop, on April 23 and 24, was", "2025-04-23", "2025-04-24"),
        ("held in Kuala Lumpur on 23-24 April.", "2025-04-23", "2025-04-24"),
        ("endorsed on August 12, 2024", "2024-08-12", "2024-08-12"),
        ("from 30 April to 2 May 2025", "2025-04-30", "2025-05-02"),
        ("ran from 3 to 9 June 2024", "2024-06-03", "2024-06-09"),
        ("29-04-2025", "2025-04-29", "2025-04-29"),
        ("2025-04-29", "2025-04-29", "2025-04-29"),
        ("on 31 October 2017", "2017-10-31", "2017-10-31"),
    ],
)
def test_normalises_days_and_ranges(text: str, first: str, last: str) -> None:
    (d,) = find_dates(text, published=PUB)
    assert (d.first.isoformat(), d.last.isoformat()) == (first, last)


def test_missing_year_comes_from_publication_date() -> None:
    (d,) = find_dates("on February 14 to 16", published=PUB)
    assert d.first == dt.date(2025, 2, 14) and not d.year_given


def test_missing_year_after_publication_looks_back_a_year() -> None:
    (d,) = find_dates("On 6 November, the plenary", published=dt.date(2025, 1, 10))
    assert d.first == dt.date(2024, 11, 6)


def test_month_only_and_unknown_year_give_nothing() -> None:
    assert find_dates("in March 2025", published=PUB) == []
    assert find_dates("on April 23", published=None) == []


def test_impossible_dates_are_skipped() -> None:
    assert find_dates("on 31 February 2024", published=PUB) == []
