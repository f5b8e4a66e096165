"""Equality monitoring through the API: optional codes on a referral's person (left out is
"not known", so existing clients keep working), unknown codes refused, and the answers read
back only with the full record."""

import pytest

from ipsworks.people.models import Person, Referral
from tests.api.test_endpoints import _fields, referral_body

pytestmark = pytest.mark.django_db


def _person(**extra) -> dict:
    return {"nhs_number": "943 476 5919", "given_name": "Robin", "family_name": "Fieldfare"} | extra


def test_a_referral_carries_the_equality_answers(world, api):
    body = referral_body(
        person=_person(sexual_orientation="4", disability="N", religion_or_belief="B")
    )
    response = api(world.clinician).post("/referrals", body)
    assert response.status_code == 201, response.content
    person = Person.objects.get(nhs_number="9434765919")
    assert (person.sexual_orientation, person.disability, person.religion_or_belief) == (
        "4",
        "N",
        "B",
    )


def test_a_referral_without_them_records_not_known(world, api):
    response = api(world.clinician).post("/referrals", referral_body(person=_person()))
    assert response.status_code == 201, response.content
    person = Person.objects.get(nhs_number="9434765919")
    assert (person.sexual_orientation, person.disability, person.religion_or_belief) == (
        "9",
        "9",
        "N",
    )


@pytest.mark.parametrize(
    ("name", "code"),
    [("sexual_orientation", "X"), ("disability", "yes"), ("religion_or_belief", "christian")],
)
def test_an_unknown_code_is_refused_and_nothing_saved(world, api, name, code):
    response = api(world.manager).post("/referrals", referral_body(person=_person(**{name: code})))
    assert response.status_code == 422, response.content
    assert f"person.{name}" in _fields(response)
    assert not Referral.objects.filter(person__nhs_number="9434765919").exists()


def test_the_answers_come_back_with_the_full_record_only(world, api):
    person = world.person_a
    Person.objects.filter(pk=person.pk).update(sexual_orientation="1", disability="Y")
    full = api(world.es_a).get(f"/people/{person.pk}").json()
    assert (full["sexual_orientation"], full["disability"], full["religion_or_belief"]) == (
        "1",
        "Y",
        "N",
    )
    summary = api(world.clinician).get(f"/people/{person.pk}").json()
    assert summary["sexual_orientation"] is None
    assert summary["disability"] is None
    assert summary["gender_identity"] is None
