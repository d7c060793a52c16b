"""FuzzyDate: parsing at each precision, labels, ISO form, sort order and invalid input."""

from __future__ import annotations

import re
from datetime import date

import pytest
from ai_timeline.dates import DAY, MONTH, QUARTER, YEAR, DateError, FuzzyDate


@pytest.mark.parametrize(
    "text, first, last, precision",
    [
        ("2026", date(2026, 1, 1), date(2026, 12, 31), YEAR),
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31), QUARTER),
        ("2026-Q2", date(2026, 4, 1), date(2026, 6, 30), QUARTER),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31), QUARTER),
        ("2026-04", date(2026, 4, 1), date(2026, 4, 30), MONTH),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28), MONTH),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), MONTH),
        ("2026-04-10", date(2026, 4, 10), date(2026, 4, 10), DAY),
    ],
)
def test_parse_each_precision(text, first, last, precision):
    parsed = FuzzyDate.parse(text)
    assert (parsed.first, parsed.last, parsed.precision, parsed.approximate) == (first, last, precision, False)


@pytest.mark.parametrize(
    "text, label",
    [
        ("2026", "2026"),
        ("2026-Q2", "Q2 2026"),
        ("2026-04", "April 2026"),
        ("2026-04-10", "10 April 2026"),
        ("2026-12-01", "1 December 2026"),
    ],
)
def test_label_at_its_precision(text, label):
    assert FuzzyDate.parse(text).label() == label


@pytest.mark.parametrize(
    "text, label",
    [
        ("2026-04", "c. April 2026"),
        ("2026", "c. 2026"),
        ("2026-Q2", "c. Q2 2026"),
        ("2026-04-10", "c. 10 April 2026"),
    ],
)
def test_approximate_label(text, label):
    assert FuzzyDate.parse(text, approximate=True).label() == label


@pytest.mark.parametrize("text", ["2026", "2026-Q3", "2026-04", "2026-04-10"])
def test_iso_round_trips(text):
    assert FuzzyDate.parse(text).iso() == text
    assert str(FuzzyDate.parse(text, approximate=True)) == text


def test_sort_key_puts_coarser_first_on_the_same_first_day():
    texts = ["2026-04-01", "2026-04", "2026-Q2", "2026-Q1", "2026-01", "2026", "2026-03-31", "2025-12-31"]
    ordered = sorted(texts, key=lambda t: FuzzyDate.parse(t).sort_key)
    assert ordered == ["2025-12-31", "2026", "2026-Q1", "2026-01", "2026-03-31", "2026-Q2", "2026-04", "2026-04-01"]


def test_sort_key_ignores_approximate():
    assert FuzzyDate.parse("2026-04", approximate=True).sort_key == FuzzyDate.parse("2026-04").sort_key
    assert FuzzyDate.parse("2026-04").sort_key == (date(2026, 4, 1), -29)  # longer intervals first on the same day


def test_days_after_counts_from_the_end_of_the_interval():
    april = FuzzyDate.parse("2026-04")
    assert april.days_after(date(2026, 5, 1)) == 1
    assert april.days_after(date(2026, 4, 30)) == 0
    assert april.days_after(date(2026, 4, 1)) == -29


def test_leap_day_exists_only_in_leap_years():
    assert FuzzyDate.parse("2024-02-29").first == date(2024, 2, 29)
    with pytest.raises(DateError, match="February 2026 has no day 29"):
        FuzzyDate.parse("2026-02-29")


@pytest.mark.parametrize(
    "text, message",
    [
        ("2026-13", "month 13 does not exist"),
        ("2026-00", "month 00 does not exist"),
        ("2026-02-30", "February 2026 has no day 30"),
        ("2026-04-31", "April 2026 has no day 31"),
        ("2026-04-00", "April 2026 has no day 0"),
        ("1899", "year 1899 is out of range"),
        ("soon", "'soon' is not a date"),
        ("2026-Q5", "'2026-Q5' is not a date"),
        ("2026-q2", "'2026-q2' is not a date"),
        ("2026-4", "'2026-4' is not a date"),
        ("26-04-10", "'26-04-10' is not a date"),
        ("2026/04/10", "'2026/04/10' is not a date"),
        ("2026-04-10T00:00", "'2026-04-10T00:00' is not a date"),
        ("", "'' is not a date"),
        (" 2026", "' 2026' is not a date"),
        ("2026\n", "is not a date"),  # '$' would have let the newline through
        ("\u0662\u0660\u0662\u0666-\u0660\u0664", "is not a date"),  # Arabic-Indic digits
        ("\uff12\uff10\uff12\uff16", "is not a date"),  # full-width digits
    ],
)
def test_invalid_dates(text, message):
    with pytest.raises(DateError) as caught:
        FuzzyDate.parse(text)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    "text, first, last, label, short",
    [
        ("2025-H1", date(2025, 1, 1), date(2025, 6, 30), "first half of 2025", "H1 2025"),
        ("2025-H2", date(2025, 7, 1), date(2025, 12, 31), "second half of 2025", "H2 2025"),
        ("2025-spring", date(2025, 3, 1), date(2025, 5, 31), "spring 2025", "spring 2025"),
        ("2025-summer", date(2025, 6, 1), date(2025, 8, 31), "summer 2025", "summer 2025"),
        ("2025-early-summer", date(2025, 6, 1), date(2025, 6, 30), "early summer 2025", "early summer 2025"),
        ("2025-late-summer", date(2025, 8, 1), date(2025, 8, 31), "late summer 2025", "late summer 2025"),
        ("2025-autumn", date(2025, 9, 1), date(2025, 11, 30), "autumn 2025", "autumn 2025"),
        ("2025-winter", date(2025, 12, 1), date(2026, 2, 28), "winter 2025-26", "winter 2025-26"),
        ("2025-late-winter", date(2026, 2, 1), date(2026, 2, 28), "late winter 2026", "late winter 2026"),
        ("2025-early", date(2025, 1, 1), date(2025, 4, 30), "early 2025", "early 2025"),
        ("2025-mid", date(2025, 5, 1), date(2025, 8, 31), "mid-2025", "mid-2025"),
        ("2025-late", date(2025, 9, 1), date(2025, 12, 31), "late 2025", "late 2025"),
        ("2025-end", date(2025, 12, 1), date(2025, 12, 31), "end of 2025", "end of 2025"),
        ("2025-W32", date(2025, 8, 4), date(2025, 8, 10), "week 32 of 2025 (4-10 August)", "wk 32 2025"),
        ("2026-W53", date(2026, 12, 28), date(2027, 1, 3), "week 53 of 2026 (28 December-3 January)", "wk 53 2026"),
    ],
)
def test_vague_forms_name_their_documented_interval(text, first, last, label, short):
    parsed = FuzzyDate.parse(text)
    assert (parsed.first, parsed.last, parsed.label(), parsed.label(abbreviated=True), parsed.iso()) == (
        first,
        last,
        label,
        short,
        text,
    )


@pytest.mark.parametrize(
    "text, message",
    [
        ("2025-W54", "2025 has no ISO week 54 (it has 52)"),
        ("2025-W00", "2025 has no ISO week 0"),
        ("2025-H3", "is not a date"),
        ("2025-early-end", "is not a date"),
        ("2025-Summer", "is not a date"),
    ],
)
def test_vague_forms_that_do_not_exist(text, message):
    with pytest.raises(DateError, match=re.escape(message)):
        FuzzyDate.parse(text)


def test_a_coarser_date_sorts_before_finer_ones_on_the_same_first_day():
    forms = ["2025-06-01", "2025-early-summer", "2025-summer", "2025-06", "2025-W23"]
    assert [d.iso() for d in sorted(map(FuzzyDate.parse, forms), key=lambda d: d.sort_key)] == [
        "2025-summer",
        "2025-early-summer",
        "2025-06",
        "2025-06-01",
        "2025-W23",
    ]
