"""Dates that carry their precision, as sources give them.

A date is the interval it names, written in one of these forms (the intervals are documented
in the contributing guide):

    2026              a year               2026-Q2            a quarter
    2026-H2           a half year          2026-04            a month
    2026-summer       a season             2026-W32           an ISO week (Monday to Sunday)
    2026-early-summer part of a season     2026-04-10         a day
    2026-late         part of a year (early, mid, late)       2026-end  the end of the year

EDTF (ISO 8601-2) codes seasons and halves as numbers (2026-22 for summer, 2026-41 for the
second half); the names here say the same and read as what sources say. Every date also
carries its first and last day, so a reader never needs the syntax.

A date sorts on its first day, longer intervals first (so "April 2026" heads the April events),
and is shown at exactly the precision it was given.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

YEAR, HALF, QUARTER, SEASON, PART, MONTH, WEEK, DAY = "year", "half", "quarter", "season", "part", "month", "week", "day"
# ASCII digits only (`\d` also takes '٢٠٢٦'), and `\Z`, not `$`, which would allow a trailing newline.
DATE_SHAPE = re.compile(
    r"^(?P<year>[0-9]{4})(?:-(?:"
    r"H(?P<half>[12])|Q(?P<quarter>[1-4])|W(?P<week>[0-9]{2})"
    r"|(?:(?P<third>early|mid|late)-)?(?P<season>spring|summer|autumn|winter)"
    r"|(?P<part>early|mid|late|end)"
    r"|(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?"
    r"))?\Z"
)
FORMAT_HINT = (
    "write YYYY, YYYY-H1, YYYY-Qn, YYYY-MM, YYYY-Www or YYYY-MM-DD, a season (2026-summer, 2026-early-summer) "
    "or part of a year (2026-early, 2026-mid, 2026-late, 2026-end)"
)
# Every date the pipeline draws (slip charts add margins of weeks) must stay far from
# datetime's year 9999 limit; nothing on record is older than 1900.
YEAR_RANGE = (1900, 2199)
# Meteorological seasons of the northern hemisphere; winter 2026 runs from December 2026 into 2027.
SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}
PART_MONTHS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12), "end": (12, 12)}
THIRD_OFFSET = {"early": 0, "mid": 1, "late": 2}
# English whatever the locale, and plain tuples: calendar.month_name formats a date with
# strftime on every lookup, which was most of what writing the API's events.json cost.
MONTH_NAMES = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTH_ABBREVIATIONS = tuple(name[:3] for name in MONTH_NAMES)


class DateError(ValueError):
    pass


def _month_span(year: int, first_month: int, months: int) -> tuple[date, date]:
    start = date(year, first_month, 1)
    end_index = year * 12 + first_month - 1 + months - 1
    end_year, end_month = divmod(end_index, 12)
    return start, date(end_year, end_month + 1, calendar.monthrange(end_year, end_month + 1)[1])


@dataclass(frozen=True)
class FuzzyDate:
    first: date  # the first day of the interval
    last: date  # the last day of the interval
    precision: str
    approximate: bool = False
    written: str = ""  # the form as given, for the forms whose interval alone cannot say it

    @classmethod
    def parse(cls, text: str, approximate: bool = False) -> FuzzyDate:
        match = DATE_SHAPE.match(text)
        if not match:
            raise DateError(f"{text!r} is not a date")  # repr: a stray newline must not split the error line
        parts = match.groupdict()
        y = int(parts["year"])
        if not YEAR_RANGE[0] <= y <= YEAR_RANGE[1]:
            raise DateError(f"year {y} is out of range ({YEAR_RANGE[0]}-{YEAR_RANGE[1]})")
        if parts["half"]:
            return cls(*_month_span(y, 6 * int(parts["half"]) - 5, 6), HALF, approximate, text)
        if parts["quarter"]:
            return cls(*_month_span(y, 3 * int(parts["quarter"]) - 2, 3), QUARTER, approximate)
        if parts["week"]:
            week = int(parts["week"])
            weeks_in_year = date(y, 12, 28).isocalendar()[1]
            if not 1 <= week <= weeks_in_year:
                raise DateError(f"{y} has no ISO week {week} (it has {weeks_in_year})")
            monday = date.fromisocalendar(y, week, 1)
            return cls(monday, monday + timedelta(days=6), WEEK, approximate, text)
        if parts["season"]:
            start = SEASON_START[parts["season"]]
            if parts["third"]:  # early, mid or late season: its first, second or third month
                return cls(*_month_span(*_shift(y, start + THIRD_OFFSET[parts["third"]]), 1), SEASON, approximate, text)
            return cls(*_month_span(y, start, 3), SEASON, approximate, text)
        if parts["part"]:
            first_month, last_month = PART_MONTHS[parts["part"]]
            return cls(*_month_span(y, first_month, last_month - first_month + 1), PART, approximate, text)
        if parts["month"] is None:
            return cls(date(y, 1, 1), date(y, 12, 31), YEAR, approximate)
        m = int(parts["month"])
        if not 1 <= m <= 12:
            raise DateError(f"month {parts['month']} does not exist")
        days = calendar.monthrange(y, m)[1]
        if parts["day"] is None:
            return cls(date(y, m, 1), date(y, m, days), MONTH, approximate)
        d = int(parts["day"])
        if not 1 <= d <= days:
            raise DateError(f"{MONTH_NAMES[m]} {y} has no day {d}")
        return cls(date(y, m, d), date(y, m, d), DAY, approximate)

    @property
    def sort_key(self) -> tuple[date, int]:
        return (self.first, -(self.last - self.first).days)

    def iso(self) -> str:
        """The date as written: ISO 8601 at its own precision, or the named form."""
        if self.written:
            return self.written
        if self.precision == YEAR:
            return f"{self.first.year:04d}"
        if self.precision == QUARTER:
            return f"{self.first.year:04d}-Q{(self.first.month + 2) // 3}"
        if self.precision == MONTH:
            return f"{self.first.year:04d}-{self.first.month:02d}"
        return self.first.isoformat()

    def label(self, abbreviated: bool = False) -> str:
        """Human form at the given precision: '2026', 'Q2 2026', 'second half of 2026',
        'early summer 2026', 'week 32 of 2026 (3-9 Aug)', 'April 2026', '10 April 2026'."""
        f = self.first
        months = MONTH_ABBREVIATIONS if abbreviated else MONTH_NAMES
        if self.precision == HALF:
            half = "H1" if f.month == 1 else "H2"
            text = f"{half} {f.year}" if abbreviated else f"{'first' if half == 'H1' else 'second'} half of {f.year}"
        elif self.precision in (SEASON, PART):
            year, named = self.written.split("-", 1)
            if named.endswith("winter"):  # December into the next year's February
                year = f"{year}-{(int(year) + 1) % 100:02d}" if named == "winter" else str(self.first.year)
            text = {"end": f"end of {year}", "mid": f"mid-{year}"}.get(named, f"{named.replace('-', ' ')} {year}")
        elif self.precision == WEEK:
            week = int(self.written.split("W")[1])
            days = (
                f"{self.first.day}-{self.last.day} {months[self.last.month]}"
                if self.first.month == self.last.month
                else f"{self.first.day} {months[self.first.month]}-{self.last.day} {months[self.last.month]}"
            )
            text = f"wk {week} {f.year}" if abbreviated else f"week {week} of {f.isocalendar()[0]} ({days})"
        else:
            text = {
                YEAR: f"{f.year}",
                QUARTER: f"Q{(f.month + 2) // 3} {f.year}",
                MONTH: f"{months[f.month]} {f.year}",
                DAY: day_label(f, abbreviated),
            }[self.precision]
        return f"c. {text}" if self.approximate else text

    def days_after(self, day: date) -> int:
        """Whole days from the end of this interval to `day` (negative if not yet over)."""
        return (day - self.last).days

    def __str__(self) -> str:
        return self.iso()


def _shift(year: int, month: int) -> tuple[int, int]:
    """(year, month) with a month past December carried into the next year."""
    return (year + (month - 1) // 12, (month - 1) % 12 + 1)


def day_label(day: date, abbreviated: bool = False) -> str:
    """'24 November 2026', or '24 Nov 2026'."""
    months = MONTH_ABBREVIATIONS if abbreviated else MONTH_NAMES
    return f"{day.day} {months[day.month]} {day.year}"
