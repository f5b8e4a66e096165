"""Equality monitoring (issue 2): sexual orientation, disability and religion or belief,
each optional with "not known" as the default, on the referral and person details pages,
and reset by anonymisation."""

import datetime as dt

import pytest
from django.urls import reverse

from ipsworks.people.forms import PersonDetailsForm
from ipsworks.people.models import Person, PersonChange
from ipsworks.people.services import anonymise
from tests import factories as f

pytestmark = pytest.mark.django_db


def _details(**overrides) -> dict:
    data = {"given_name": "Robin", "family_name": "Equalitytest", "nhs_number": ""}
    data.update(gender_identity="X", ethnic_category="99")
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("sexual_orientation", "1"),
        ("sexual_orientation", "U"),
        ("sexual_orientation", "Z"),
        ("disability", "Y"),
        ("disability", "N"),
        ("religion_or_belief", "L"),
        ("religion_or_belief", "I"),
        ("religion_or_belief", "M"),
        ("religion_or_belief", "A"),
    ],
)
def test_the_form_accepts_each_listed_code(name, code):
    form = PersonDetailsForm(_details(**{name: code}))
    assert form.is_valid(), form.errors
    assert form.person_details()[name] == code


@pytest.mark.parametrize(
    ("name", "code", "message"),
    [
        ("sexual_orientation", "5", "Choose their sexual orientation from the list"),
        ("sexual_orientation", "X", "Choose their sexual orientation from the list"),
        ("disability", "yes", "Choose whether they have a disability"),
        ("religion_or_belief", "pastafarian", "Choose their religion or belief from the list"),
    ],
)
def test_the_form_refuses_a_code_not_on_the_list(name, code, message):
    form = PersonDetailsForm(_details(**{name: code}))
    assert not form.is_valid()
    assert message in form.errors[name][0]


def test_left_out_or_blank_is_not_known():
    form = PersonDetailsForm(_details(disability=""))
    assert form.is_valid(), form.errors
    details = form.person_details()
    assert (
        details["sexual_orientation"],
        details["disability"],
        details["religion_or_belief"],
    ) == ("9", "9", "N")


def test_a_referral_records_the_answers_given(world, as_staff):
    data = {
        **_details(sexual_orientation="3", disability="Y", religion_or_belief="G"),
        "source": "P1",
        "team": str(world.team_a.pk),
        "pathway": "job_seeking",
        "employment_status_at_referral": "02",
        "weekly_hours_at_referral": "98",
        "received_on[day]": str(dt.date.today().day),
        "received_on[month]": str(dt.date.today().month),
        "received_on[year]": str(dt.date.today().year),
    }
    response = as_staff(world.clinician).post(reverse("referral_new"), data)
    assert response.status_code == 302
    person = Person.objects.get(family_name="Equalitytest")
    assert (person.sexual_orientation, person.disability, person.religion_or_belief) == (
        "3",
        "Y",
        "G",
    )


def test_a_bad_code_on_the_referral_page_shows_the_error_summary_and_saves_nothing(world, as_staff):
    data = {**_details(sexual_orientation="7"), "source": "P1"}
    response = as_staff(world.clinician).post(reverse("referral_new"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in page
    assert "Choose their sexual orientation from the list" in page
    assert not Person.objects.filter(family_name="Equalitytest").exists()


def test_correcting_the_answers_shows_them_and_keeps_the_history(world, as_staff):
    person = world.person_a
    data = _details(
        given_name=person.given_name,
        family_name=person.family_name,
        nhs_number=person.nhs_number,
        sexual_orientation="Z",
        disability="N",
        religion_or_belief="C",
    )
    client = as_staff(world.es_a)
    assert client.post(reverse("person_edit", args=[person.pk]), data).status_code == 302
    person.refresh_from_db()
    assert (person.sexual_orientation, person.disability, person.religion_or_belief) == (
        "Z",
        "N",
        "C",
    )
    change = PersonChange.objects.get(person=person, field="disability")
    assert (change.old_value, change.new_value) == ("9", "N")
    page = client.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "Not stated (person asked but declined to say)" in page
    assert "Christian (all denominations)" in page


def test_the_edit_page_refuses_a_bad_code_and_changes_nothing(world, as_staff):
    person = world.person_a
    data = _details(
        given_name="Changed",
        family_name=person.family_name,
        nhs_number=person.nhs_number,
        religion_or_belief="unknown",
    )
    response = as_staff(world.es_a).post(reverse("person_edit", args=[person.pk]), data)
    assert response.status_code == 200
    assert "nhsuk-error-summary" in response.content.decode()
    person.refresh_from_db()
    assert person.given_name != "Changed"
    assert person.religion_or_belief == "N"


def test_the_subject_access_data_holds_the_answers(world):
    from ipsworks.people.privacy import subject_access_data

    person = f.PersonFactory(
        service=world.service, sexual_orientation="2", disability="Y", religion_or_belief="hindu"
    )
    row = subject_access_data(person)["person"][0]
    assert (row["sexual_orientation"], row["disability"], row["religion_or_belief"]) == (
        "2",
        "Y",
        "hindu",
    )


def test_anonymisation_resets_the_answers_to_not_known(world):
    person = f.PersonFactory(
        service=world.service,
        gender_identity="2",
        ethnic_category="M",
        sexual_orientation="3",
        disability="Y",
        religion_or_belief="F",
    )
    anonymise(person, today=dt.date.today())
    person.refresh_from_db()
    assert (person.sexual_orientation, person.disability, person.religion_or_belief) == (
        "9",
        "9",
        "N",
    )
    assert (person.gender_identity, person.ethnic_category) == ("2", "M")  # kept, as before
