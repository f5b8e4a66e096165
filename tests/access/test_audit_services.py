"""Reads by people who work in no service (external fidelity reviewers, commissioners) are in
the access log of the service they concern, so the service can see them (issue 16, item 6)."""

import datetime as dt

import pytest
from django.urls import reverse

from ipsworks.access.audit import record_event
from ipsworks.access.models import AccessLogEntry
from ipsworks.access.roles import Role
from ipsworks.fidelity import services as fidelity
from ipsworks.outcomes.periods import financial_year
from tests import factories as f

pytestmark = pytest.mark.django_db


def _logged_for(service, user):
    return AccessLogEntry.objects.filter(service_id=service.pk, user=user)


def test_a_reviewers_reading_of_a_review_is_in_that_services_log(world, as_staff):
    reviewer = f.StaffFactory(role=Role.FIDELITY_REVIEWER, service=None)
    review = fidelity.start_review(
        service=world.service,
        period_start=dt.date(2025, 4, 1),
        period_end=dt.date(2026, 3, 31),
        kind="external",
        teams=[world.team_a],
        reviewers=[reviewer],
        by=world.manager,
    )
    response = as_staff(reviewer).get(reverse("fidelity_export_xlsx", args=[review.pk]))
    assert response.status_code == 200
    entry = _logged_for(world.service, reviewer.user).get(action=AccessLogEntry.Action.EXPORT)
    assert entry.object_id == review.pk
    assert not AccessLogEntry.objects.filter(user=reviewer.user, service_id=None).exists()


def test_a_commissioners_export_is_in_the_log_of_every_service_they_commission(world, as_staff):
    third = f.ServiceFactory()
    world.commissioner.commissioned_services.add(third)
    key = f"fy:{financial_year(dt.date.today()).start.isoformat()}"
    response = as_staff(world.commissioner).post(
        reverse("exports"), {"kind": "commissioner_csv", "period": key}
    )
    assert response.status_code == 302
    for service in (world.service, third):
        assert _logged_for(service, world.commissioner.user).count() == 1
    assert not _logged_for(world.other_service, world.commissioner.user).exists()
    # And the service's manager finds it when they search their log.
    page = as_staff(world.manager).get(
        reverse("access_log"), {"username": world.commissioner.user.username}
    )
    assert "Exported data" in page.content.decode()


def test_an_entry_about_a_record_carries_the_records_service(world):
    entry = record_event(by=None, action=AccessLogEntry.Action.CHANGE, obj=world.person_a)
    assert entry.service_id == world.service.pk
