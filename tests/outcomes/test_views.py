import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_commissioner_sees_suppressed_aggregates_and_never_a_name(world, as_staff, today):
    small = f.ServiceFactory(name="Small IPS")
    world.commissioner.commissioned_services.add(small)
    for _ in range(3):
        f.ReferralFactory(person=f.PersonFactory(service=small), received_on=today)
    page = as_staff(world.commissioner).get(reverse("outcomes_overview")).content.decode()
    assert world.service.name in page
    assert small.name in page
    assert "&lt;5" in page
    assert world.other_service.name not in page
    for person in (world.person_a, world.person_a2, world.person_b):
        assert person.family_name not in page
        assert person.nhs_number not in page


def test_commissioner_with_no_services_sees_an_explanation(world, as_staff):
    world.commissioner.commissioned_services.clear()
    page = as_staff(world.commissioner).get(reverse("outcomes_overview")).content.decode()
    assert "do not have any services" in page
