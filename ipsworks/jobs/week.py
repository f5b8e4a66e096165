"""Presenters for the specialist's week (fidelity items 15, 17 and 23)."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

# Fidelity item 17: at least 6 face-to-face employer contacts a week per full-time specialist.
EMPLOYER_CONTACTS_PER_FTE_WEEK = 6
# Fidelity item 15: first face-to-face employer contact within 30 days of access.
FIRST_EMPLOYER_CONTACT_DAYS = 30
DUE_SOON_FROM_DAY = 21


def employer_contact_target(fte: Decimal) -> int:
    """The week's target, pro rata by FTE, rounded to a whole contact (at least 1)."""
    target = (Decimal(EMPLOYER_CONTACTS_PER_FTE_WEEK) * fte).quantize(Decimal(1), ROUND_HALF_UP)
    return max(1, int(target))


@dataclass(frozen=True)
class SeekerRow:
    referral: object
    access_date: date
    days_since_access: int
    first_contact_on: date | None

    @classmethod
    def of(cls, referral, today: date) -> "SeekerRow":
        return cls(
            referral=referral,
            access_date=referral.access_date,
            days_since_access=(today - referral.access_date).days,
            first_contact_on=referral.first_employer_contact_on,
        )

    @property
    def status(self) -> tuple[str, str]:
        if self.days_since_access > FIRST_EMPLOYER_CONTACT_DAYS:
            return ("Overdue", "red")
        if self.days_since_access >= DUE_SOON_FROM_DAY:
            return (
                f"Due within {FIRST_EMPLOYER_CONTACT_DAYS - self.days_since_access + 1} days",
                "orange",
            )
        return ("On track", "green")


@dataclass(frozen=True)
class CheckInRow:
    check_in: object
    overdue_days: int

    @classmethod
    def of(cls, check_in, today: date) -> "CheckInRow":
        return cls(check_in=check_in, overdue_days=(today - check_in.due_on).days)

    @property
    def status(self) -> tuple[str, str]:
        if self.overdue_days > 0:
            return (f"{self.overdue_days} days overdue", "red")
        if self.overdue_days == 0:
            return ("Due today", "orange")
        return (f"Due in {-self.overdue_days} days", "blue")
