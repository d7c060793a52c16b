"""Dates that carry their precision: `2026`, `2026-Q2`, `2026-04`, `2026-04-10`.

A date is the interval it names. It sorts on its first day (then coarser before finer, so
"April 2026" heads the April events) and is shown at exactly the precision it was given.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

YEAR, QUARTER, MONTH, DAY = "year", "quarter", "month", "day"
_PRECISION_RANK = {YEAR: 0, QUARTER: 1, MONTH: 2, DAY: 3}
# ASCII digits only (`\d` also takes '٢٠٢٦'), and `\Z`, not `$`, which would allow a trailing newline.
DATE_SHAPE = re.compile(r"^([0-9]{4})(?:-(?:Q([1-4])|([0-9]{2})(?:-([0-9]{2}))?))?\Z")
FORMAT_HINT = "write YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD, e.g. 2026-04 or 2026-04-10"
# Every date the pipeline draws (slip charts add margins of weeks) must stay far from
# datetime's year 9999 limit; nothing on record is older than 1900.
YEAR_RANGE = (1900, 2199)


class DateError(ValueError):
    pass


@dataclass(frozen=True)
class FuzzyDate:
    first: date  # the first day of the interval
    last: date  # the last day of the interval
    precision: str
    approximate: bool = False

    @classmethod
    def parse(cls, text: str, approximate: bool = False) -> FuzzyDate:
        match = DATE_SHAPE.match(text)
        if not match:
            raise DateError(f"{text!r} is not a date")  # repr: a stray newline must not split the error line
        year, quarter, month, day = match.groups()
        y = int(year)
        if not YEAR_RANGE[0] <= y <= YEAR_RANGE[1]:
            raise DateError(f"year {y} is out of range ({YEAR_RANGE[0]}-{YEAR_RANGE[1]})")
        if quarter:
            q = int(quarter)
            first = date(y, 3 * q - 2, 1)
            last_month = 3 * q
            return cls(first, date(y, last_month, calendar.monthrange(y, last_month)[1]), QUARTER, approximate)
        if month is None:
            return cls(date(y, 1, 1), date(y, 12, 31), YEAR, approximate)
        m = int(month)
        if not 1 <= m <= 12:
            raise DateError(f"month {month} does not exist")
        days = calendar.monthrange(y, m)[1]
        if day is None:
            return cls(date(y, m, 1), date(y, m, days), MONTH, approximate)
        d = int(day)
        if not 1 <= d <= days:
            raise DateError(f"{calendar.month_name[m]} {y} has no day {d}")
        return cls(date(y, m, d), date(y, m, d), DAY, approximate)

    @property
    def sort_key(self) -> tuple:
        return (self.first, _PRECISION_RANK[self.precision])

    def iso(self) -> str:
        """The date as written: ISO 8601 at its own precision."""
        if self.precision == YEAR:
            return f"{self.first.year:04d}"
        if self.precision == QUARTER:
            return f"{self.first.year:04d}-Q{(self.first.month + 2) // 3}"
        if self.precision == MONTH:
            return f"{self.first.year:04d}-{self.first.month:02d}"
        return self.first.isoformat()

    def label(self, abbreviated: bool = False) -> str:
        """Human form at the given precision: '2026', 'Q2 2026', 'April 2026', '10 April 2026'."""
        f = self.first
        months = calendar.month_abbr if abbreviated else calendar.month_name
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


def day_label(day: date, abbreviated: bool = False) -> str:
    """'24 November 2026', or '24 Nov 2026'."""
    months = calendar.month_abbr if abbreviated else calendar.month_name
    return f"{day.day} {months[day.month]} {day.year}"
