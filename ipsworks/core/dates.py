"""UK local dates and working days.

Dates in IPS Works are Europe/London calendar dates. Working days skip weekends and the
England and Wales bank holidays, taken from the maintained ``holidays`` package.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone


def local_today() -> date:
    """Today's date in Europe/London (the settings' time zone)."""
    return timezone.localdate()


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself is not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def age_on(date_of_birth: date, on: date) -> int:
    """Age in whole years on a date; someone born on 29 February turns a year older on 1 March."""
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years
