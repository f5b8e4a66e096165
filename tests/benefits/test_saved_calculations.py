"""Saved better-off calculations can be found again: listed on the record's timeline and the
better-off page, opened with their own answers, printed as saved (issue 18)."""

import re

import pytest
from django.urls import reverse

from ipsworks.benefits.forms import BetterOffForm
from ipsworks.benefits.models import BetterOffCalculation
from ipsworks.people import timeline

pytestmark = pytest.mark.django_db

SAVED = {
    "tax_year": "2026-27",
    "country": "england",
    "couple": "couple",
    "age": "35",
    "partner_age": "41",
    "partner_lcwra": "lcwra_new",
    "partner_pip_weekly": "80",
    "partner_carer": "on",
    "children_ages": "4, 9",
    "rent_monthly": "650",
    "lcwra": "lcwra",
    "pip_weekly": "72.65",
    "childcare_monthly": "120",
    "savings": "1500",
    "hours": "25",
    "hourly_pay": "12.71",
    "current_benefits": ["carers_allowance"],
}


def _url(person):
    return reverse("person_better_off", args=[person.pk])


def _value(page: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', page
    )
    return found.group(1) if found else ""


def _save(client, person):
    response = client.post(_url(person), {**SAVED, "action": "save"})
    assert response.status_code == 302
    return response, BetterOffCalculation.objects.latest("pk")


def test_saving_opens_the_saved_calculation_not_the_defaults(world, as_staff):
    client = as_staff(world.es_a)
    response, saved = _save(client, world.person_a)
    assert response["Location"] == f"{_url(world.person_a)}?calculation={saved.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "This is the calculation saved on" in page
    assert _value(page, "hours") == "25"
    assert _value(page, "hourly_pay") == "12.71"
    assert _value(page, "pip_weekly") == "72.65"
    # The answer shown (and printed) is the saved one, not the 16 hours of a fresh page.
    weekly = saved.results["better_off_weekly"]
    assert f"£{abs(weekly):,.2f}" in page


def test_a_saved_calculations_answers_round_trip_exactly(world, as_staff):
    _, saved = _save(as_staff(world.es_a), world.person_a)
    form = BetterOffForm(BetterOffForm.initial_from(saved.inputs))
    household = form.household()
    assert household is not None, form.errors
    assert household.model_dump(mode="json") == saved.inputs


def test_saved_calculations_are_on_the_timeline_with_a_link_that_opens_them(world, as_staff):
    client = as_staff(world.es_a)
    _, saved = _save(client, world.person_a)
    events = [e for e in timeline.for_person(world.person_a) if e.kind == "benefits"]
    assert len(events) == 1
    assert events[0].url == f"{_url(world.person_a)}?calculation={saved.pk}"
    assert "better off in work" in events[0].title
    page = client.get(reverse("person_detail", args=[world.person_a.pk])).content.decode()
    assert events[0].url in page
    listed = client.get(_url(world.person_a)).content.decode()
    assert f"?calculation={saved.pk}" in listed


def test_another_persons_calculation_does_not_open_on_this_page(world, as_staff):
    _, saved = _save(as_staff(world.es_a), world.person_a)
    response = as_staff(world.es_a).get(f"{_url(world.person_a2)}?calculation={saved.pk}")
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["es_b", "clinician", "commissioner", "admin"])
def test_nobody_out_of_scope_can_open_a_saved_calculation(world, as_staff, persona):
    _, saved = _save(as_staff(world.es_a), world.person_a)
    response = as_staff(getattr(world, persona)).get(
        f"{_url(world.person_a)}?calculation={saved.pk}"
    )
    assert response.status_code in (403, 404)
    assert "This is the calculation saved on" not in response.content.decode()
