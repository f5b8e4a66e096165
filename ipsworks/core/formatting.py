"""How dates, numbers and identifiers are written on pages (NHS.UK content style)."""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone


def uk_date(value: date | datetime | None, empty: str = "Not recorded") -> str:
    """'3 March 2026', the NHS.UK style for dates."""
    if value is None:
        return empty
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return f"{value.day} {value:%B %Y}"


def uk_short_date(value: date | datetime | None, empty: str = "Not recorded") -> str:
    """'3 Mar 2026', for tables where space is short."""
    if value is None:
        return empty
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return f"{value.day} {value:%b %Y}"


def uk_datetime(value: datetime | None, empty: str = "Not recorded") -> str:
    """'3 March 2026 at 2:05pm'."""
    if value is None:
        return empty
    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{uk_date(local)} at {hour}:{local.minute:02d}{suffix}"


def days_ago(days: int | None, empty: str = "No contact yet") -> str:
    if days is None:
        return empty
    if days == 0:
        return "Today"
    if days == 1:
        return "Yesterday"
    return f"{days} days ago"


def minutes(value: int | None) -> str:
    if not value:
        return "Not recorded"
    hours, mins = divmod(value, 60)
    if hours and mins:
        return f"{hours} hr {mins} min"
    if hours:
        return f"{hours} hr"
    return f"{mins} min"


def hours(value: float | Decimal | None) -> str:
    """'15', '20.5', '7.25': hours as typed, without a trailing '.0' (JSON keeps 15.0)."""
    if value is None:
        return ""
    return format(Decimal(str(value)).normalize(), "f")


def nhs_number(value: str | None) -> str:
    """'999 000 0018', the spaced format NHS staff read and say aloud."""
    if not value:
        return "Not known"
    return f"{value[:3]} {value[3:6]} {value[6:]}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"
