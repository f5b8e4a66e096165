"""Recording an employer contact for someone: from My week to the employer, through a
searchable list, told before the form when they have not agreed to employer contact."""

import pytest
from django.urls import reverse

from ipsworks.employers.models import EmployerContact
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer(world):
    return f.EmployerFactory(service=world.service, name="Testfield Garden Centre")


def _agreed(world, person, allowed=True):
    f.DisclosurePlanFactory(person=person, recorded_by=world.es_a, employer_contact_allowed=allowed)


def test_choosing_the_employer_leads_to_the_contact_form_with_them_chosen(
    world, as_staff, employer
):
    _agreed(world, world.person_a)
    client = as_staff(world.es_a)
    url = reverse("employer_contact_for", args=[world.person_a.pk])
    page = client.get(url).content.decode()
    assert 'data-autocomplete="true"' in page  # a searchable list, not a bare dropdown
    assert "Testfield Garden Centre" in page
    response = client.get(url, {"employer": employer.pk})
    target = reverse("employer_contact_new", args=[employer.pk])
    assert response["Location"] == f"{target}?person={world.person_a.pk}"
    form = client.get(response["Location"]).content.decode()
    assert "They have not agreed to employer contact" not in form
    assert f'value="{world.person_a.pk}" selected' in form


def test_someone_who_has_not_agreed_is_told_before_any_form(world, as_staff, employer):
    _agreed(world, world.person_a, allowed=False)
    client = as_staff(world.es_a)
    page = client.get(reverse("employer_contact_for", args=[world.person_a.pk]))
    text = page.content.decode()
    assert "They have not agreed to employer contact" in text
    assert reverse("disclosure_edit", args=[world.person_a.pk]) in text
    assert 'name="employer"' not in text
    # Choosing an employer anyway leads nowhere.
    again = client.get(
        reverse("employer_contact_for", args=[world.person_a.pk]), {"employer": employer.pk}
    )
    assert again.status_code == 200
    # And the contact form says so at the top when they are chosen in advance.
    form = client.get(
        reverse("employer_contact_new", args=[employer.pk]), {"person": world.person_a.pk}
    ).content.decode()
    assert "They have not agreed to employer contact" in form
    assert not EmployerContact.objects.exists()


def test_an_employer_not_on_the_list_is_refused(world, as_staff):
    _agreed(world, world.person_a)
    other = f.EmployerFactory(service=world.other_service)
    response = as_staff(world.es_a).get(
        reverse("employer_contact_for", args=[world.person_a.pk]), {"employer": other.pk}
    )
    assert response.status_code == 200
    assert "Select an employer from the list" in response.content.decode()


@pytest.mark.parametrize("persona", ["colleague_a", "clinician", "commissioner", "admin"])
def test_nobody_else_can_start_a_contact_for_someone_off_their_caseload(world, as_staff, persona):
    _agreed(world, world.person_a)
    response = as_staff(getattr(world, persona)).get(
        reverse("employer_contact_for", args=[world.person_a.pk])
    )
    assert response.status_code in (403, 404)
    assert world.person_a.full_name not in response.content.decode()


def test_my_week_links_each_job_seeker_to_an_employer_contact_for_them(world, as_staff):
    f.EpisodeFactory(referral=world.referral_a, access_date=world.referral_a.received_on)
    page = as_staff(world.es_a).get(reverse("my_week")).content.decode()
    assert reverse("employer_contact_for", args=[world.person_a.pk]) in page
