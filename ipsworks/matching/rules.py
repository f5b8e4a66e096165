"""Rules about vacancies and applications: what a valid vacancy is, how applications move.

Shared by the form, the CSV import and the services, so a vacancy typed in and a vacancy
imported are held to exactly the same rules and messages.
"""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ipsworks.matching.models import ApplicationStatus
from ipsworks.matching.text import normalise

MAX_HOURS = Decimal("100")
# Above this an hourly rate is almost certainly a typing error (an annual salary, say).
MAX_HOURLY_PAY_PENCE = 50_000
MAX_ANNUAL_PAY_PENCE = 50_000_000  # £500,000 a year
WEEKS_A_YEAR = 52

_S = ApplicationStatus
# The legal moves of an application. "Not successful" covers an offer the employer withdrew;
# "withdrawn" covers the person deciding against it, including after accepting an offer.
TRANSITIONS: dict[str, frozenset[str]] = {
    _S.APPLIED: frozenset({_S.INTERVIEW, _S.OFFER, _S.REJECTED, _S.WITHDRAWN}),
    _S.INTERVIEW: frozenset({_S.INTERVIEW, _S.OFFER, _S.REJECTED, _S.WITHDRAWN}),
    _S.OFFER: frozenset({_S.ACCEPTED, _S.REJECTED, _S.WITHDRAWN}),
    _S.ACCEPTED: frozenset({_S.WITHDRAWN}),
    _S.REJECTED: frozenset(),
    _S.WITHDRAWN: frozenset(),
}
ACTIVE_STATUSES = frozenset({_S.APPLIED, _S.INTERVIEW, _S.OFFER})


def next_statuses(status: str) -> list[str]:
    """Where an application may go from ``status``, in the order of the choices."""
    allowed = TRANSITIONS.get(status, frozenset())
    return [value for value in ApplicationStatus.values if value in allowed]


def hours_problems(hours_min: Decimal | None, hours_max: Decimal | None) -> dict[str, str]:
    errors = {}
    if hours_min is None:
        return {"hours_min": "Enter the hours a week"}
    if hours_min < 0 or hours_min > MAX_HOURS:
        errors["hours_min"] = "Hours a week must be between 0 and 100"
    if hours_max is not None:
        if hours_max < 0 or hours_max > MAX_HOURS:
            errors["hours_max"] = "Hours a week must be between 0 and 100"
        elif hours_max < hours_min:
            errors["hours_max"] = "The most hours cannot be fewer than the fewest hours"
    if not errors and max(hours_min, hours_max or hours_min) == 0:
        errors["hours_min"] = "Enter more than 0 hours a week"
    return errors


def pay_problems(pay_pence: int | None) -> dict[str, str]:
    if pay_pence is None:
        return {}
    if pay_pence < 0:
        return {"hourly_pay": "Hourly pay cannot be negative"}
    if pay_pence == 0:
        return {"hourly_pay": "Enter the hourly pay: more than £0, or leave it blank"}
    if pay_pence > MAX_HOURLY_PAY_PENCE:
        return {"hourly_pay": "Hourly pay over £500 looks wrong: check it"}
    return {}


def hourly_from_annual(annual_pence: int, weekly_hours: Decimal) -> int:
    """A yearly salary as hourly pay, in pence: over 52 weeks of ``weekly_hours``, to the
    penny (half up). Called with the most hours a vacancy offers, so the hourly figure that
    matching compares with the minimum wage is never overstated."""
    if weekly_hours <= 0:
        raise ValueError("Weekly hours must be more than 0")
    hourly = Decimal(annual_pence) / (WEEKS_A_YEAR * weekly_hours)
    return int(hourly.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def annual_pay_problems(annual_pence: int | None, *, hourly_given: bool) -> dict[str, str]:
    """A yearly salary is an alternative to hourly pay, never both."""
    if annual_pence is None:
        return {}
    if hourly_given:
        return {"annual_pay": "Enter the hourly pay or the yearly salary, not both"}
    if annual_pence < 0:
        return {"annual_pay": "The yearly salary cannot be negative"}
    if annual_pence == 0:
        return {"annual_pay": "Enter the yearly salary: more than £0, or leave it blank"}
    if annual_pence > MAX_ANNUAL_PAY_PENCE:
        return {"annual_pay": "A yearly salary over £500,000 looks wrong: check it"}
    return {}


# Adverts close within weeks; a closing date years away is a slip (9999-12-31 was accepted).
CLOSING_DAYS_AHEAD = 730


def closing_date_problems(closing_date: date | None, today: date) -> dict[str, str]:
    """A new vacancy cannot already have closed (checked on creation and import only), nor
    close more than two years from today."""
    if closing_date is not None and closing_date < today:
        return {"closing_date": "The closing date must be today or in the future"}
    if closing_date is not None and (closing_date - today).days > CLOSING_DAYS_AHEAD:
        return {"closing_date": "The closing date must be within 2 years of today"}
    return {}


def dedupe_key(
    *, employer_id: int, title: str, postcode: str, closing_date: date | None, reference: str
) -> str:
    """The identity of a vacancy within a service: the same advert imported twice is one row."""
    parts = [
        str(employer_id),
        normalise(title),
        postcode.replace(" ", "").upper(),
        closing_date.isoformat() if closing_date else "",
        normalise(reference),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def application_date_problems(
    *, applied_on: date, closing_date: date | None, today: date
) -> dict[str, str]:
    if applied_on > today:
        return {"applied_on": "The date they applied must be today or in the past"}
    if closing_date is not None and applied_on > closing_date:
        return {"applied_on": "The date they applied cannot be after the vacancy closed"}
    return {}


def move_problems(
    *, current: str, new: str, effective_on: date, applied_on: date, last_on: date, today: date
) -> dict[str, str]:
    if new not in TRANSITIONS.get(current, frozenset()):
        label = ApplicationStatus(current).label.lower()
        return {"status": f"An application that is '{label}' cannot move to that status"}
    if effective_on > today:
        return {"effective_on": "The date must be today or in the past"}
    if effective_on < applied_on:
        return {"effective_on": "The date cannot be before they applied"}
    if effective_on < last_on:
        return {"effective_on": "The date cannot be before the last change to the application"}
    return {}
