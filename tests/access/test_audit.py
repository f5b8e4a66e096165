"""The access log: written for reads, searches and exports; searchable; never changed."""

import pytest
from django.urls import reverse

from ipsworks.access.models import AccessLogEntry
from ipsworks.core.models import AppendOnlyError

pytestmark = pytest.mark.django_db


def test_managers_find_who_looked_at_a_person(world, as_staff):
    as_staff(world.es_a).get(reverse("person_detail", args=[world.person_a.pk]))
    reference = f"IPS-{world.service.pk}-{world.referral_a.pk}"
    page = (
        as_staff(world.manager).get(reverse("access_log"), {"person": reference}).content.decode()
    )
    assert world.es_a.user.username in page
    assert "Viewed a person&#39;s record" in page or "Viewed a person's record" in page
    by_nhs = as_staff(world.manager).get(
        reverse("access_log"), {"person": world.person_a.nhs_number}
    )
    assert world.es_a.user.username in by_nhs.content.decode()


def test_administrators_search_by_reference_but_not_by_nhs_number(world, as_staff):
    as_staff(world.es_a).get(reverse("person_detail", args=[world.person_a.pk]))
    admin = as_staff(world.admin)
    reference = f"IPS-{world.service.pk}-{world.referral_a.pk}"
    assert (
        world.es_a.user.username
        in admin.get(reverse("access_log"), {"person": reference}).content.decode()
    )
    by_nhs = admin.get(
        reverse("access_log"), {"person": world.person_a.nhs_number}
    ).content.decode()
    assert "No entries match" in by_nhs


def test_the_access_log_never_crosses_services(world, as_staff):
    as_staff(world.outsider).get(reverse("person_detail", args=[world.person_other.pk]))
    page = (
        as_staff(world.manager)
        .get(reverse("access_log"), {"username": world.outsider.user.username})
        .content.decode()
    )
    assert "No entries match" in page


@pytest.mark.parametrize(
    ("persona", "status"), [("es_a", 403), ("clinician", 403), ("commissioner", 403)]
)
def test_only_managers_and_administrators_search_the_log(world, as_staff, persona, status):
    assert as_staff(getattr(world, persona)).get(reverse("access_log")).status_code == status


def test_no_role_can_change_or_delete_the_log_through_the_application(world, as_staff):
    as_staff(world.es_a).get(reverse("person_detail", args=[world.person_a.pk]))
    entry = AccessLogEntry.objects.get()
    entry.reason = "tampered"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(reason="x")


def test_a_manager_outside_their_teams_must_give_a_reason_which_is_logged(world, as_staff):
    world.manager.teams.set([world.team_b])
    client = as_staff(world.manager)
    url = reverse("person_detail", args=[world.person_a.pk])
    assert client.get(url)["Location"] == reverse("person_reason", args=[world.person_a.pk])
    bad = client.post(reverse("person_reason", args=[world.person_a.pk]), {"reason": "other"})
    assert "Say why you are opening this record" in bad.content.decode()
    client.post(
        reverse("person_reason", args=[world.person_a.pk]),
        {"reason": "cover", "detail": "Priya is on leave"},
    )
    entry = AccessLogEntry.objects.get(action="reason")
    assert entry.reason == "Covering for a colleague: Priya is on leave"
    assert entry.person_id == world.person_a.pk
    assert client.get(url).status_code == 200
    assert client.get(reverse("person_detail", args=[world.person_b.pk])).status_code == 200


def test_a_manager_with_no_teams_manages_the_whole_service_without_reasons(world, as_staff):
    assert (
        as_staff(world.manager).get(reverse("person_detail", args=[world.person_a.pk])).status_code
        == 200
    )
