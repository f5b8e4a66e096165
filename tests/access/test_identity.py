"""Who is signed in is kept in each process (ipsworks/access/identity.py, ADR 0010), and used
again only while nothing that says who they are has changed: a role, a team, leaving, a
password, an account switched off, a second-factor device."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from ipsworks.access import identity
from ipsworks.access.roles import Role
from ipsworks.core import page_cache
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty():
    cache.clear()
    identity.forget()
    yield
    cache.clear()
    identity.forget()


def _tables(client, url):
    """(status, the tables the request read) for a GET."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response.status_code, " ".join(q["sql"] for q in captured)


def test_a_second_request_does_not_read_the_user_staff_member_or_teams_again(world, as_staff):
    client = as_staff(world.es_a)
    status, first = _tables(client, reverse("person_detail", args=[world.person_a.pk]))
    assert status == 200
    assert '"auth_user"' in first
    assert '"organisations_staffmember_teams"' in first
    status, second = _tables(client, reverse("person_detail", args=[world.person_a.pk]))
    assert status == 200
    assert '"auth_user"' not in second
    assert '"organisations_staffmember_teams"' not in second
    assert '"django_session"' in second  # signing out must still take effect at once


def test_a_user_switched_off_is_signed_out_at_their_next_request(world, as_staff):
    client = as_staff(world.es_a)
    assert client.get(reverse("caseload")).status_code == 200
    # update(): no signal is sent, the statement alone must be enough.
    get_user_model().objects.filter(pk=world.es_a.user.pk).update(is_active=False)
    response = client.get(reverse("caseload"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_new_password_ends_sessions_signed_in_with_the_old_one(world, as_staff):
    client = as_staff(world.es_a)
    assert client.get(reverse("caseload")).status_code == 200
    user = get_user_model().objects.get(pk=world.es_a.user.pk)
    user.set_password("another-long-password-for-the-test")
    user.save()
    assert client.get(reverse("caseload"))["Location"].startswith(reverse("login"))


def test_a_new_role_applies_at_the_next_request(world, as_staff):
    client = as_staff(world.es_a)
    assert client.get(reverse("service_overview")).status_code == 403
    world.es_a.role = Role.MANAGER
    world.es_a.save()
    assert client.get(reverse("service_overview")).status_code == 200


def test_leaving_the_service_ends_access_at_the_next_request(world, as_staff):
    client = as_staff(world.es_a)
    url = reverse("person_detail", args=[world.person_a.pk])
    assert client.get(url).status_code == 200
    type(world.es_a).objects.filter(pk=world.es_a.pk).update(left_on="2020-01-01")
    response = client.get(url)
    assert response.status_code in (302, 403)
    assert world.person_a.family_name.encode() not in response.content


def test_joining_or_leaving_a_team_changes_who_can_be_seen_at_once(world, as_staff):
    client = as_staff(world.es_b)
    url = reverse("person_detail", args=[world.person_a2.pk])
    assert client.get(url).status_code == 404
    world.es_b.teams.add(world.team_a)
    assert client.get(url).status_code == 200
    world.es_b.teams.remove(world.team_a)
    assert client.get(url).status_code == 404


def test_what_a_request_changes_on_its_user_never_reaches_the_next_request(world, as_staff):
    client = as_staff(world.es_a)
    client.get(reverse("caseload"))
    first = identity.remembered("user", world.es_a.user.pk, lambda: None)
    first.first_name = "Changed in memory only"
    first.staff.role = Role.MANAGER
    again = identity.remembered("user", world.es_a.user.pk, lambda: None)
    assert again.first_name != "Changed in memory only"
    assert again.staff.role == Role.EMPLOYMENT_SPECIALIST
    assert client.get(reverse("service_overview")).status_code == 403


def _passed_second_factor(as_staff, staff, device):
    """A client signed in as ``staff`` whose session passed the second factor on ``device``."""
    client = as_staff(staff)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@override_settings(IPS_REQUIRE_TWO_FACTOR=True)
def test_a_device_removed_or_reset_sends_the_user_back_to_the_second_factor(world, as_staff):
    device = TOTPDevice.objects.create(user=world.es_a.user, name="phone", confirmed=True)
    client = _passed_second_factor(as_staff, world.es_a, device)
    assert client.get(reverse("caseload")).status_code == 200
    status, tables = _tables(client, reverse("caseload"))
    assert status == 200
    assert '"otp_totp_totpdevice"' not in tables
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=False)
    # No confirmed device left: they must set one up again.
    assert client.get(reverse("caseload"))["Location"] == reverse("two_factor_setup")


@override_settings(IPS_REQUIRE_TWO_FACTOR=True)
def test_a_device_of_another_user_is_never_accepted(world, as_staff):
    theirs = TOTPDevice.objects.create(user=world.es_b.user, name="phone", confirmed=True)
    # The other user's device is read, and kept, first.
    owner = _passed_second_factor(as_staff, world.es_b, theirs)
    assert owner.get(reverse("caseload")).status_code == 200
    TOTPDevice.objects.create(user=world.es_a.user, name="phone", confirmed=True)
    client = _passed_second_factor(as_staff, world.es_a, theirs)
    assert client.get(reverse("caseload"))["Location"] == reverse("two_factor_verify")


@pytest.mark.django_db(transaction=True)
def test_a_copy_read_before_a_commit_is_not_used_after_it():
    """Another process reads the user after this transaction's UPDATE ran but before it
    committed, so it sees the old row under the new generation; the commit moves the
    generation on again, and that copy is not used. (Real commits: no test transaction.)"""
    staff = f.StaffFactory(role=Role.EMPLOYMENT_SPECIALIST, service=f.ServiceFactory())
    pk = staff.user.pk
    with transaction.atomic():
        type(staff).objects.filter(pk=staff.pk).update(role=Role.MANAGER)
        stale = identity.remembered("user", pk, lambda: "the row as it was before the commit")
        assert stale == "the row as it was before the commit"
    assert identity.remembered("user", pk, lambda: "read again") == "read again"


def test_a_kept_copy_is_read_again_after_a_minute_whatever_the_generation(world, monkeypatch):
    """Bounds the harm had a write been unable to move the generation on."""
    clock = [1000.0]
    monkeypatch.setattr(identity.time, "monotonic", lambda: clock[0])
    pk = world.es_a.user.pk
    assert identity.remembered("user", pk, lambda: "first read") == "first read"
    clock[0] += identity._LONGEST_SECONDS - 1
    assert identity.remembered("user", pk, lambda: "second read") == "first read"
    clock[0] += 1
    assert identity.remembered("user", pk, lambda: "third read") == "third read"


def test_when_the_cache_cannot_be_reached_every_request_reads_the_database(
    world, as_staff, monkeypatch
):
    client = as_staff(world.es_a)
    client.get(reverse("caseload"))

    def unreachable(*args, **kwargs):
        raise ConnectionError("no cache")

    monkeypatch.setattr(page_cache, "_cache", lambda: type("Down", (), {"get": unreachable})())
    status, tables = _tables(client, reverse("caseload"))
    assert status == 200
    assert '"auth_user"' in tables


def test_with_the_page_cache_off_nothing_is_kept(world, as_staff, settings):
    settings.IPS_PAGE_CACHE = False
    client = as_staff(world.es_a)
    client.get(reverse("caseload"))
    status, tables = _tables(client, reverse("caseload"))
    assert status == 200
    assert '"auth_user"' in tables


@pytest.mark.parametrize(
    ("sql", "changes"),
    [
        ('SELECT "auth_user"."id" FROM "auth_user"', False),
        ('UPDATE "auth_user" SET "is_active" = %s WHERE "auth_user"."id" = %s', True),
        ('UPDATE "auth_user" SET "last_login" = %s WHERE "auth_user"."id" = %s', True),
        ('UPDATE "organisations_staffmember" SET "role" = %s', True),
        ('DELETE FROM "organisations_staffmember_teams" WHERE "team_id" = %s', True),
        ('INSERT INTO "organisations_service" ("name") VALUES (%s)', True),
        ('UPDATE "otp_totp_totpdevice" SET "confirmed" = %s', True),
        ('DELETE FROM "otp_static_statictoken" WHERE "id" = %s', True),
        ('INSERT INTO "activity_contact" ("note") VALUES (%s)', False),
        ('UPDATE "django_session" SET "expire_date" = %s', False),
        ('TRUNCATE "auth_user"', True),
        ('ALTER TABLE "organisations_staffmember" ADD COLUMN "x" int', True),
    ],
)
def test_which_statements_change_who_is_signed_in(sql, changes):
    assert page_cache.changes_identity(sql) is changes


def test_forgetting_everything_also_forgets_who_is_signed_in(world, as_staff):
    client = as_staff(world.es_a)
    client.get(reverse("caseload"))
    before = cache.get(page_cache.IDENTITY)
    page_cache.forget_everything()
    assert cache.get(page_cache.IDENTITY) == before + 1
    status, tables = _tables(client, reverse("caseload"))
    assert status == 200
    assert '"auth_user"' in tables
