"""Security round two (issue 16): holes an adversarial walk through the demo found.

Each test here failed before its fix: a re-referral opened a whole record out of scope, the
referral form told referrers whom the service holds, and ``HX-Request`` skipped the log.
"""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from ipsworks.access.models import ReferralCheck
from ipsworks.people import rules, services
from ipsworks.people.models import Referral

pytestmark = pytest.mark.django_db


def _close(world, referral, today):
    services.close_referral(referral=referral, reason="moved_away", on=today, by=world.manager)


def _refer_again_from_team_b(world, today):
    """es_b refers person_a (team A, referral closed) into team B, with all three details."""
    return services.create_referral(
        service=world.service,
        person_details={
            "given_name": world.person_a.given_name,
            "family_name": world.person_a.family_name.upper(),
            "nhs_number": world.person_a.nhs_number,
            "date_of_birth": world.person_a.date_of_birth,
        },
        referral=services.NewReferral(
            team=world.team_b, source=Referral.Source.INTERNAL, received_on=today
        ),
        by=world.es_b,
    )


def test_a_re_referral_opens_only_itself_until_it_is_allocated(world, as_staff, today):
    old = world.referral_a
    old.next_action = "Earlier episode detail only team A may read"
    old.save()
    _close(world, old, today)
    new = _refer_again_from_team_b(world, today)
    client = as_staff(world.es_b)

    page = client.get(reverse("person_detail", args=[world.person_a.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "You can see this referral only" in text
    assert "Earlier episode detail" not in text
    assert "Team A CMHT" not in text  # not even which team had them before
    for name in ("profile_edit", "contact_new", "person_better_off", "job_search"):
        assert client.get(reverse(name, args=[world.person_a.pk])).status_code == 404

    new.allocated_to = world.es_b
    new.save()
    opened = client.get(reverse("person_detail", args=[world.person_a.pk])).content.decode()
    assert "You can see this referral only" not in opened
    assert client.get(reverse("profile_edit", args=[world.person_a.pk])).status_code == 200


def test_a_re_referral_through_the_api_gives_no_record_either(world, api, today):
    _close(world, world.referral_a, today)
    client = api(world.es_b)
    made = client.post(
        "/referrals",
        {
            "person": {
                "nhs_number": world.person_a.nhs_number,
                "given_name": world.person_a.given_name,
                "family_name": world.person_a.family_name,
                "date_of_birth": str(world.person_a.date_of_birth),
            },
            "team_id": world.team_b.pk,
            "source": "P1",
            "received_on": str(today),
            "employment_status_at_referral": "02",
            "weekly_hours_at_referral": "98",
        },
    )
    assert made.status_code == 201, made.content
    assert client.get(f"/people/{world.person_a.pk}").status_code == 404
    listed = client.get("/people", {"nhs_number": world.person_a.nhs_number}).json()
    assert listed["results"] == []


def test_a_refused_referral_alerts_the_duty_inbox_and_lists_it_for_managers(
    world, as_staff, django_capture_on_commit_callbacks, settings, today
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from ipsworks.public.models import PublicPage

    PublicPage.objects.create(service=world.service, duty_inbox_email="duty@example.invalid")
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.ReferralNeedsCheck),
    ):
        services.create_referral(
            service=world.service,
            person_details={
                "given_name": "Robin",
                "family_name": "Someoneelse",
                "nhs_number": world.person_a.nhs_number,
            },
            referral=services.NewReferral(
                team=world.team_b, source=Referral.Source.INTERNAL, received_on=today
            ),
            by=world.es_b,
        )
    assert [m.subject for m in mail.outbox] == [
        "IPS Works: referral needs a check for North County IPS"
    ]
    assert world.person_a.family_name not in mail.outbox[0].body

    url = reverse("referral_checks")
    assert as_staff(world.es_b).get(url).status_code == 403
    assert as_staff(world.clinician).get(url).status_code == 403
    assert as_staff(world.outsider).get(url).status_code == 403
    manager = as_staff(world.manager)
    page = manager.get(url).content.decode()
    assert "The name or date of birth differ" in page
    check = ReferralCheck.objects.get()
    refused = manager.post(url, {"check": check.pk, "note": "  "})
    assert refused.status_code == 400
    assert "Enter what was done" in refused.content.decode()
    assert manager.post(url, {"check": check.pk, "note": "Spoke to referrer"}).status_code == 302
    check.refresh_from_db()
    assert (check.sorted_by, check.sorted_note) == (world.manager, "Spoke to referrer")
    assert "No referrals are waiting" in manager.get(url).content.decode()


def test_another_services_manager_sees_none_of_the_checks(world, as_staff, today):
    from ipsworks.access.roles import Role
    from tests import factories as f

    ReferralCheck.objects.create(
        service=world.service, nhs_number="9434765919", reason="already_open", person_id=1
    )
    other = f.StaffFactory(role=Role.MANAGER, service=world.other_service)
    page = as_staff(other).get(reverse("referral_checks")).content.decode()
    assert "No referrals are waiting" in page


def test_an_idempotency_key_does_not_undo_the_duty_teams_check(world, api):
    response = api(world.es_a).client.post(
        "/api/v1/referrals",
        {
            "person": {
                "nhs_number": world.person_a.nhs_number,
                "given_name": "Robin",
                "family_name": "Someoneelse",
            },
            "team_id": world.team_a.pk,
            "source": "P1",
            "received_on": str(dt.date.today()),
            "employment_status_at_referral": "02",
            "weekly_hours_at_referral": "98",
        },
        "application/json",
        HTTP_IDEMPOTENCY_KEY="a-key-for-this-one-referral",
        **api(world.es_a).headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == rules.REFERRAL_NEEDS_CHECK
    assert ReferralCheck.objects.count() == 1
