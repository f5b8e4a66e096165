"""The same slip gets the same words wherever it is made: the messages for input that is
not valid come from ``core.form_messages``, and the fields of each app use them."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ipsworks.activity.forms import ContactForm
from ipsworks.benefits.forms import BetterOffForm
from ipsworks.core import form_messages
from ipsworks.core.forms import PostcodeField
from ipsworks.core.validators import clean_phone
from ipsworks.employers.forms import EmployerContactForm, EmployerForm
from ipsworks.jobs.forms import JobForm
from ipsworks.matching.forms import VacancyForm
from ipsworks.people.forms import PersonDetailsForm


def _refusal(field, value) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        field.clean(value)
    return refused.value.messages


@pytest.mark.parametrize(
    "field",
    [
        JobForm.base_fields["hours_per_week"],
        VacancyForm.base_fields["hours_min"],
        BetterOffForm.base_fields["hours"],  # was "Hours must be a number, like 16 or 22.5"
    ],
)
def test_hours_that_are_not_a_number_get_one_message(field):
    assert _refusal(field, "lots") == ["Enter hours as a number, like 16 or 7.5"]


@pytest.mark.parametrize(
    "field",
    [
        ContactForm.base_fields["duration_minutes"],  # was "..., like 45"
        EmployerContactForm.base_fields["duration_minutes"],
    ],
)
def test_a_length_that_is_not_whole_minutes_gets_one_message(field):
    assert _refusal(field, "half an hour") == ["Enter the length in whole minutes, like 30"]


@pytest.mark.parametrize(
    "field", [EmployerForm.base_fields["email"], PersonDetailsForm.base_fields["email"]]
)
def test_an_email_address_that_is_not_one_gets_one_message(field):
    assert _refusal(field, "not an address") == ["Enter an email address like name@example.com"]


def test_staff_and_public_pages_say_the_same_about_a_postcode_and_welsh_pages_in_welsh():
    # The public pages said "Enter a real postcode, like LS1 4AP"; the Welsh is unchanged.
    assert _refusal(PostcodeField(), "NOPE 123") == ["Enter a real UK postcode, like LS1 4AP"]
    with translation.override("cy"):
        assert str(form_messages.POSTCODE) == "Rhowch god post go iawn, fel LS1 4AP"
        assert str(form_messages.PHONE) == "Rhowch rif ffôn, fel 01632 960 001 neu 07700 900 982"
    with pytest.raises(ValidationError) as refused:
        clean_phone("12")
    assert refused.value.messages == ["Enter a phone number, like 01632 960 001 or 07700 900 982"]


def test_the_messages_with_a_subject_or_an_example_are_worded_alike():
    assert form_messages.real_date("Date of birth") == "Date of birth must be a real date"
    assert (
        form_messages.real_date("The closing date", example="31/12/2026")
        == "The closing date must be a real date, like 31/12/2026"
    )
    assert form_messages.whole_number(3) == "Enter a whole number, like 3"
    assert form_messages.whole_number(5, of="miles") == "Enter miles as a whole number, like 5"
    assert form_messages.hours_in_week(2) == "Week 2: enter hours as a number, like 16 or 7.5"
