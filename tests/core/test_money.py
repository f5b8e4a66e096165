"""The one money parser: what people type becomes whole pence, or a clear message, and
nothing a keyboard can produce makes it raise anything else (issue 16, item 5)."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from ipsworks.core.money import parse_pounds

# Strings Decimal accepts but cannot compare or round, and others on the edge.
AWKWARD = [
    "NaN",
    "nan",
    "-NaN",
    "sNaN",
    "-sNaN",
    "Infinity",
    "-Infinity",
    "inf",
    "1e308",
    "1E+308",
    "-1e308",
    "1e-400",
    "9" * 400,
    "0." + "0" * 30 + "1",
    "1e5",
    "£-3",
    "-0",
    "1,,2",
    "",
    " ",
]

# Everything a person or a fuzzer might type into a money field.
AMOUNTS = st.one_of(
    st.sampled_from(AWKWARD),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(str),
    st.from_regex(r"[-+£]?[0-9,]{0,9}(\.[0-9]{0,4})?([eE][-+]?[0-9]{1,4})?", fullmatch=True),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
)


@pytest.mark.parametrize(
    ("typed", "pence"),
    [("12.71", 1271), ("£1,234.50", 123450), (" 13 ", 1300), ("0", 0), ("-0", 0), ("1e2", 10000)],
)
def test_amounts_in_pounds_become_pence(typed, pence):
    assert parse_pounds(typed) == pence


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("NaN", "Enter the hourly pay in pounds, like 12.71"),
        ("sNaN", "Enter the hourly pay in pounds, like 12.71"),
        ("Infinity", "Enter the hourly pay in pounds, like 12.71"),
        ("-Infinity", "Enter the hourly pay in pounds, like 12.71"),
        ("1e308", "The hourly pay is too large: check it"),
        ("9" * 400, "Enter the hourly pay in pounds, like 12.71"),
        ("-1e308", "The hourly pay cannot be negative"),
        ("£-3", "The hourly pay cannot be negative"),
        ("12.715", "Enter the hourly pay to the nearest penny"),
        ("1e-400", "Enter the hourly pay to the nearest penny"),
        ("twelve", "Enter the hourly pay in pounds, like 12.71"),
    ],
)
def test_amounts_that_are_not_money_are_refused_with_a_clear_message(typed, message):
    with pytest.raises(ValidationError) as refused:
        parse_pounds(typed, field="hourly pay")
    assert refused.value.messages == [message]


@given(AMOUNTS)
def test_nothing_typed_raises_anything_but_a_validation_error(typed):
    try:
        pence = parse_pounds(typed)
    except ValidationError:
        return
    assert isinstance(pence, int)
    assert 0 <= pence <= 100_000_000
