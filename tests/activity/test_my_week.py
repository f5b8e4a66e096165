import datetime as dt

import pytest
from django.urls import reverse

from ipsworks.employers.models import EmployerContact
from ipsworks.jobs.week import employer_contact_target
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("fte", "target"), [("1.00", 6), ("0.50", 3), ("0.60", 4), ("0.10", 1)])
def test_employer_contact_target_is_pro_rata(fte, target):
    from decimal import Decimal

    assert employer_contact_target(Decimal(fte)) == target


def _seeker(world, days_since_access, family_name):
    person = f.PersonFactory(service=world.service, family_name=family_name)
    today = dt.date.today()
    referral = f.ReferralFactory(
        person=person,
        team=world.team_a,
        allocated_to=world.es_a,
        status="first_contact",
        received_on=today - dt.timedelta(days=days_since_access + 3),
    )
    f.EpisodeFactory(referral=referral, access_date=today - dt.timedelta(days=days_since_access))
    return person


def test_my_week_lists_job_seekers_without_employer_contact_overdue_first(world, as_staff, today):
    recent = _seeker(world, 5, "Recentperson")
    overdue = _seeker(world, 45, "Overdueperson")
    due_soon = _seeker(world, 27, "Duesoonperson")
    contacted = _seeker(world, 40, "Contactedperson")
    employer = f.EmployerFactory(service=world.service)
    EmployerContact.objects.create(
        service=world.service,
        employer=employer,
        staff=world.es_a,
        person=contacted,
        contact_date=today - dt.timedelta(days=3),
        mode="face_to_face",
        purpose="present_person",
    )
    EmployerContact.objects.create(
        service=world.service,
        employer=employer,
        staff=world.es_a,
        contact_date=today,
        mode="face_to_face",
        purpose="learn_needs",
    )
    page = as_staff(world.es_a).get(reverse("my_week")).content.decode()
    assert page.index("Overdueperson") < page.index("Duesoonperson") < page.index("Recentperson")
    assert "Contactedperson" not in page
    assert "Overdue" in page
    start = today - dt.timedelta(days=today.weekday())
    expected = 2 if start <= today - dt.timedelta(days=3) else 1
    assert f"{expected} of 6" in page
    assert recent
    assert overdue
    assert due_soon


def test_my_week_counts_only_my_face_to_face_contacts(world, as_staff, today):
    employer = f.EmployerFactory(service=world.service)
    EmployerContact.objects.create(
        service=world.service,
        employer=employer,
        staff=world.colleague_a,
        contact_date=today,
        mode="face_to_face",
        purpose="learn_needs",
    )
    EmployerContact.objects.create(
        service=world.service,
        employer=employer,
        staff=world.es_a,
        contact_date=today,
        mode="phone",
        purpose="learn_needs",
    )
    page = as_staff(world.es_a).get(reverse("my_week")).content.decode()
    assert "0 of 6" in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [("es_a", 200), ("manager", 403), ("clinician", 403), ("commissioner", 403)],
)
def test_my_week_is_for_specialists(world, as_staff, persona, status):
    assert as_staff(getattr(world, persona)).get(reverse("my_week")).status_code == status
