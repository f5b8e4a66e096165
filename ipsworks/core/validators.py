"""Validation of identifiers and dates shared by every form and import.

NHS numbers are checked with the ``nhs-number`` package (modulus 11 check digit) and
postcodes with django-localflavor's UK postcode field, so the rules are the maintained ones.
"""

import re
from datetime import date

import nhs_number
from django.core.exceptions import ValidationError
from localflavor.gb.forms import GBPostcodeField

from ipsworks.core import form_messages

_postcode_field = GBPostcodeField(
    required=False, error_messages={"invalid": form_messages.POSTCODE}
)


def normalise_nhs_number(value: str) -> str:
    """Strip spaces and dashes and check the number; returns the 10 digits."""
    digits = "".join(ch for ch in value if ch not in " -")
    if not digits.isdigit() or len(digits) != 10:
        raise ValidationError(
            "NHS number must be 10 digits, like 999 000 0018", code="nhs_number_format"
        )
    if not nhs_number.is_valid(digits):
        raise ValidationError(
            "This is not a valid NHS number. Check it has been typed correctly",
            code="nhs_number_check_digit",
        )
    return digits


def validate_nhs_number(value: str) -> None:
    normalise_nhs_number(value)


# NHS pseudo-postcodes (ZZ99 then digit, letter, letter), for example ZZ99 3VZ for "no fixed
# abode". People without a home are among those IPS serves, so these must be accepted.
_NHS_PSEUDO_POSTCODE = re.compile(r"^ZZ99\s*([0-9][A-Z]{2})$")


def normalise_postcode(value: str) -> str:
    """Return the postcode in its standard form ('LS1 4AP') or raise a ValidationError."""
    pseudo = _NHS_PSEUDO_POSTCODE.match(value.strip().upper())
    if pseudo:
        return f"ZZ99 {pseudo.group(1)}"
    return _postcode_field.clean(value)


def validate_postcode(value: str) -> None:
    if value:
        normalise_postcode(value)


def validate_not_in_future(value: date, *, today: date | None = None) -> None:
    from ipsworks.core.dates import local_today

    if value > (today or local_today()):
        raise ValidationError("The date must be today or in the past", code="future_date")


_PHONE_CHARACTERS = frozenset("0123456789 +()-")


def clean_phone(value: str) -> str:
    """A UK or international phone number as typed (10 to 13 digits, with spaces, +, ( ) or
    -), or "" for none. One rule for staff, self-referral and employer forms; the message is
    translated on the public pages."""
    value = value.strip()
    digits = "".join(ch for ch in value if ch.isdigit())
    if value and not (10 <= len(digits) <= 13 and set(value) <= _PHONE_CHARACTERS):
        raise ValidationError(form_messages.PHONE)
    return value
