"""Reporting periods: closed ranges of UK local dates."""

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    label: str

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("A period cannot end before it starts")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def financial_year(containing: date) -> Period:
    """The UK financial year (1 April to 31 March) that contains a date."""
    first_year = containing.year if containing.month >= 4 else containing.year - 1
    return Period(
        date(first_year, 4, 1),
        date(first_year + 1, 3, 31),
        f"{first_year}-{str(first_year + 1)[2:]}",
    )


def quarter(containing: date) -> Period:
    """The financial-year quarter (Q1 = April to June) that contains a date."""
    fy = financial_year(containing)
    index = ((containing.month - 4) % 12) // 3
    start_month = 4 + 3 * index
    start_year = fy.start.year + (start_month - 1) // 12
    start_month = (start_month - 1) % 12 + 1
    start = date(start_year, start_month, 1)
    next_month = start_month + 3
    end = date(start_year + (next_month - 1) // 12, (next_month - 1) % 12 + 1, 1) - timedelta(
        days=1
    )
    return Period(start, end, f"Q{index + 1} {fy.label}")


def month(containing: date) -> Period:
    start = containing.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return Period(start, following - timedelta(days=1), f"{start:%B %Y}")


def whole_months_problems(start: date, end: date) -> dict[str, str]:
    """Figures shared outside the providing service cover whole calendar months.

    With any custom dates, 1 January to 30 November minus 1 January to 29 November gives the
    figures for one day, however small (docs/security.md, "Figures outside the service").
    Keys are the fields at fault: ``start`` and ``end``.
    """
    problems = {}
    if start.day != 1:
        problems["start"] = "Figures shared outside the service start on the first of a month"
    if (end + timedelta(days=1)).day != 1:
        problems["end"] = "Figures shared outside the service end on the last day of a month"
    return problems
