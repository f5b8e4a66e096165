"""Money typed by people: the one parser behind every form, import and API field for pay,
awards and contract rates.

Amounts are held as whole pence. What a person types is checked in an order that can never
raise: ``Decimal`` accepts ``NaN``, ``sNaN``, ``Infinity`` and ``1e308``, and comparing or
rounding those raises ``decimal.InvalidOperation`` (a 500 before this parser existed), so
the value is proved finite and of sensible size before anything else is asked of it.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

# No amount the service records (hourly pay, a salary, an Access to Work award, a payment
# in a contract) comes near a million pounds; larger is a typing slip.
MAX_POUNDS = Decimal(1_000_000)
# A longer string is not an amount; refuse it before Decimal reads thousands of digits.
MAX_LENGTH = 20
_PENNY = Decimal("0.01")


def parse_pounds(value: str, *, field: str = "amount") -> int:
    """``'£1,234.50'`` -> ``123450`` pence, or a ``ValidationError`` saying what is wrong.

    ``field`` names the amount in the message ("hourly pay", "yearly salary").
    """
    cleaned = str(value).strip().replace("£", "").replace(",", "")
    example = f"Enter the {field} in pounds, like 12.71"
    if len(cleaned) > MAX_LENGTH:
        raise ValidationError(example, code="invalid")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(example, code="invalid") from None
    if not amount.is_finite():  # NaN, sNaN, Infinity
        raise ValidationError(example, code="invalid")
    if amount.is_signed() and amount != 0:
        raise ValidationError(f"The {field} cannot be negative", code="negative")
    if amount > MAX_POUNDS:
        raise ValidationError(f"The {field} is too large: check it", code="too_large")
    if amount != amount.quantize(_PENNY):
        raise ValidationError(f"Enter the {field} to the nearest penny", code="fraction")
    return int(amount * 100)


def format_pence(pence: int | None, *, whole: bool = False, empty: str = "Not recorded") -> str:
    """``123450`` -> ``'£1,234.50'``: how every page, message and history line shows an
    amount held in pence. Also the Jinja filter ``pounds``.

    ``whole``: leave off ``.00`` from a whole number of pounds, as an advert gives a salary
    ("£24,000 a year"). ``empty`` is shown for None. Worked in whole pence, never through a
    float, so a large amount is exact to the penny.
    """
    if pence is None:
        return empty
    sign = "-" if pence < 0 else ""
    pounds, pennies = divmod(abs(int(pence)), 100)
    if whole and not pennies:
        return f"{sign}£{pounds:,}"
    return f"{sign}£{pounds:,}.{pennies:02d}"


def plain_pounds(pence: int | None) -> str:
    """``1271`` -> ``'12.71'``: an amount as a plain figure, where it is to be read again
    rather than looked at: put back in a form field or a link that fills one (for
    :func:`parse_pounds`), or a column of a file. Blank for None."""
    if pence is None:
        return ""
    sign = "-" if pence < 0 else ""
    pounds, pennies = divmod(abs(int(pence)), 100)
    return f"{sign}{pounds}.{pennies:02d}"
