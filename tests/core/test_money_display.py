"""The one way an amount held in pence is shown (``format_pence``, the Jinja filter
``pounds``), and the plain figure a form field or file holds (``plain_pounds``)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipsworks.config.jinja2 import environment
from ipsworks.core.money import MAX_POUNDS, format_pence, parse_pounds, plain_pounds


@pytest.mark.parametrize(
    ("pence", "shown"),
    [
        (0, "£0.00"),
        (1, "£0.01"),
        (99, "£0.99"),
        (1271, "£12.71"),
        (123450, "£1,234.50"),
        (-1, "-£0.01"),
        (-123450, "-£1,234.50"),
        # Past a float's exact integers (2**53): still exact to the penny.
        (12_345_678_901_234_567, "£123,456,789,012,345.67"),
    ],
)
def test_pence_are_shown_as_pounds_to_the_penny(pence, shown):
    assert format_pence(pence) == shown


def test_nothing_recorded_is_said_in_words():
    assert format_pence(None) == "Not recorded"
    assert format_pence(None, empty="Not stated") == "Not stated"


@pytest.mark.parametrize(
    ("pence", "shown"),
    [(2_400_000, "£24,000"), (2_400_050, "£24,000.50"), (0, "£0"), (-500, "-£5")],
)
def test_a_whole_number_of_pounds_can_leave_off_the_pence(pence, shown):
    assert format_pence(pence, whole=True) == shown


@pytest.mark.parametrize(
    ("pence", "figure"),
    [(None, ""), (0, "0.00"), (1, "0.01"), (1271, "12.71"), (123450, "1234.50"), (-5, "-0.05")],
)
def test_the_plain_figure_has_no_symbol_or_commas(pence, figure):
    assert plain_pounds(pence) == figure


@given(st.integers(min_value=0, max_value=int(MAX_POUNDS) * 100))
def test_what_is_shown_or_put_back_in_a_field_reads_back_as_the_same_pence(pence):
    assert parse_pounds(format_pence(pence)) == pence
    assert parse_pounds(plain_pounds(pence)) == pence


def test_templates_show_pence_through_the_pounds_filter():
    env = environment(loader=None)
    template = env.from_string("{{ amount | pounds }} a year; {{ missing | pounds }}")
    assert template.render(amount=125000, missing=None) == "£1,250.00 a year; Not recorded"
