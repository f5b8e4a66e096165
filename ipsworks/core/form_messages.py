"""What a person is told when what they typed is not valid, each said once.

Forms, file imports, the API and the services raise these, so the same slip gets the same
words wherever it is made (NHS.UK error message style: say what to do, with an example).
Messages the public pages show are translated; the Welsh is in
``ipsworks/public/locale``. Money has its own in ``core.money.parse_pounds``.
"""

from django.utils.translation import gettext_lazy as _

POSTCODE = _("Enter a real UK postcode, like LS1 4AP")
EMAIL = _("Enter an email address like name@example.com")
PHONE = _("Enter a phone number, like 01632 960 001 or 07700 900 982")
HOURS = "Enter hours as a number, like 16 or 7.5"
MINUTES = "Enter the length in whole minutes, like 30"
# The API's answer when a body or parameter fails its checks (422), with the fields beneath.
INPUT_NOT_VALID = "The input is not valid"


def hours_in_week(week: int) -> str:
    """One week of a phased return that is not a number of hours."""
    return f"Week {week}: {HOURS[0].lower()}{HOURS[1:]}"


def real_date(subject: str, *, example: str | None = None) -> str:
    """A day, month and year that is no date (31 February). A form's three boxes show the
    shape; a file's column needs the ``example``, like "31/03/2025"."""
    said = f"{subject} must be a real date"
    return f"{said}, like {example}" if example else said


def whole_number(example: int, *, of: str | None = None) -> str:
    """'Enter a whole number, like 3', or with ``of="miles"`` 'Enter miles as a whole number,
    like 5'."""
    if of:
        return f"Enter {of} as a whole number, like {example}"
    return f"Enter a whole number, like {example}"
