import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from ipsworks.core.dates import add_working_days, age_on, is_working_day
from ipsworks.core.forms import NHSForm, UKDateField
from ipsworks.core.validators import normalise_nhs_number, normalise_postcode
from tests.factories import synthetic_nhs_number


class _Form(NHSForm):
    when = UKDateField(subject="The date", past_only=True)


def _form(day, month, year):
    return _Form({"when[day]": day, "when[month]": month, "when[year]": year})


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date.today()))
def test_any_real_past_date_typed_as_parts_is_read_back_exactly(day):
    form = _form(str(day.day), str(day.month), str(day.year))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == day


@given(
    st.integers(min_value=1, max_value=31),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1900, max_value=2025),
)
def test_impossible_dates_are_refused_not_rolled_over(day, month, year):
    try:
        dt.date(year, month, day)
    except ValueError:
        form = _form(str(day), str(month), str(year))
        assert not form.is_valid()
        assert form.errors["when"] == ["The date must be a real date"]


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("", "", ""), "Enter the date"),
        (("1", "", "2020"), "The date must include a month"),
        (("", "", "2020"), "The date must include a day and month"),
        (("1", "1", "20"), "The date must be a real date"),
        (("a", "1", "2020"), "The date must be a real date"),
    ],
)
def test_date_error_messages_follow_the_design_system(parts, message):
    form = _form(*parts)
    assert not form.is_valid()
    assert form.errors["when"] == [message]


@pytest.mark.parametrize("year", ["1900", "1901", "1999"])
def test_event_dates_before_2000_are_refused_by_default(year):
    form = _form("31", "12", year)
    assert not form.is_valid()
    assert form.errors["when"] == ["The date must be on or after 1 January 2000"]


def test_a_date_field_may_opt_out_of_the_lower_bound():
    class _BirthForm(NHSForm):
        born = UKDateField(subject="Date of birth", past_only=True, earliest=None)

    form = _BirthForm({"born[day]": "1", "born[month]": "1", "born[year]": "1940"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["born"] == dt.date(1940, 1, 1)


def test_error_summary_links_to_the_first_empty_part_of_a_date():
    form = _form("3", "", "2020")
    form.is_valid()
    assert form.error_list() == [{"text": "The date must include a month", "href": "#when-month"}]


@given(
    st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2010, 12, 31)),
    st.dates(min_value=dt.date(2011, 1, 1), max_value=dt.date(2040, 12, 31)),
)
def test_age_is_whole_years_completed(born, on):
    age = age_on(born, on)
    try:
        birthday = born.replace(year=born.year + age)
    except ValueError:  # born on 29 February: the birthday is 1 March in other years
        birthday = dt.date(born.year + age, 3, 1)
    assert birthday <= on
    try:
        next_birthday = born.replace(year=born.year + age + 1)
    except ValueError:
        next_birthday = dt.date(born.year + age + 1, 3, 1)
    assert on < next_birthday


def test_working_days_skip_weekends_and_england_bank_holidays():
    assert not is_working_day(dt.date(2026, 12, 25))  # Christmas Day
    assert not is_working_day(dt.date(2026, 12, 28))  # Boxing Day, observed
    assert add_working_days(dt.date(2026, 12, 24), 1) == dt.date(2026, 12, 29)
    assert add_working_days(dt.date(2026, 11, 20), 1) == dt.date(2026, 11, 23)  # Friday to Monday


@given(st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31)), st.integers(0, 30))
def test_adding_working_days_lands_on_a_working_day(start, days):
    result = add_working_days(start, days)
    assert result >= start
    if days:
        assert is_working_day(result)


def test_nhs_numbers_are_checked_and_normalised():
    number = synthetic_nhs_number()
    assert normalise_nhs_number(f"{number[:3]} {number[3:6]} {number[6:]}") == number
    wrong_check = number[:9] + str((int(number[9]) + 1) % 10)
    with pytest.raises(Exception, match="not a valid NHS number"):
        normalise_nhs_number(wrong_check)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("ls14ap", "LS1 4AP"), (" sw1a 1aa ", "SW1A 1AA"), ("ZZ99 3VZ", "ZZ99 3VZ")],
)
def test_postcodes_are_normalised(typed, expected):
    assert normalise_postcode(typed) == expected


@pytest.mark.parametrize("typed", ["LS1", "12345", "QQ1 1QQQ"])
def test_malformed_postcodes_are_refused(typed):
    with pytest.raises(Exception, match="real UK postcode"):
        normalise_postcode(typed)


def test_a_multiple_choice_field_renders_as_checkboxes_not_radios():
    from django import forms as django_forms

    from ipsworks.core.forms import field_params

    class Choices(NHSForm):
        times = django_forms.MultipleChoiceField(
            choices=[("am", "Mornings"), ("pm", "Afternoons")],
            widget=django_forms.CheckboxSelectMultiple,
        )

    spec = field_params(Choices({"times": ["am", "pm"]})["times"])
    assert spec["component"] == "checkboxes"
    assert [item["checked"] for item in spec["params"]["items"]] == [True, True]


@pytest.mark.parametrize("typed", ["LS1 4AP LS1 4AP", "not a postcode at all", "NOPE"])
def test_a_postcode_too_long_or_not_real_gets_one_postcode_message(typed):
    # Too long used to say "Ensure this value has at most 10 characters (it has 14)".
    from ipsworks.core.forms import PostcodeField

    with pytest.raises(ValidationError) as refused:
        PostcodeField().clean(typed)
    assert refused.value.messages == ["Enter a real UK postcode, like LS1 4AP"]


def test_a_postcode_is_written_the_standard_way_and_may_be_left_out():
    from ipsworks.core.forms import PostcodeField

    assert PostcodeField().clean(" ls14ap ") == "LS1 4AP"
    assert PostcodeField().clean("") == ""
