"""Session limits: signed out after 30 minutes idle, and 12 hours after signing in however
busy the session is (ipsworks/core/middleware.py). The clock is moved, not waited for."""

import time
from types import SimpleNamespace

import pytest
from django.urls import reverse

from ipsworks.core import middleware

pytestmark = pytest.mark.django_db

MINUTE = 60
HOUR = 60 * MINUTE


@pytest.fixture
def clock(monkeypatch):
    """The middleware's clock, moved on by hand. The database's session expiry keeps the
    real clock, as it would in a long-lived production session that is saved each minute."""
    now = {"t": time.time()}
    monkeypatch.setattr(middleware, "time", SimpleNamespace(time=lambda: now["t"]))

    def advance(seconds):
        now["t"] += seconds

    return advance


def _signed_out(response):
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_session_idle_for_more_than_thirty_minutes_is_signed_out(world, as_staff, clock):
    client = as_staff(world.es_a)
    assert client.get(reverse("caseload")).status_code == 200
    clock(29 * MINUTE)
    assert client.get(reverse("caseload")).status_code == 200
    clock(31 * MINUTE)
    response = client.get(reverse("caseload"))
    assert _signed_out(response)
    assert "because you were inactive" in client.get(response["Location"]).content.decode()


def test_a_session_in_use_every_twenty_minutes_ends_twelve_hours_after_sign_in(
    world, as_staff, clock
):
    client = as_staff(world.es_a)
    elapsed = 0
    while elapsed < 12 * HOUR:
        assert client.get(reverse("caseload")).status_code == 200, f"after {elapsed // MINUTE} min"
        clock(20 * MINUTE)
        elapsed += 20 * MINUTE
    response = client.get(reverse("caseload"))
    assert _signed_out(response)
    page = client.get(response["Location"]).content.decode()
    assert (
        "You were signed out because you have been signed in for 12 hours. Sign in again." in page
    )
    # Signed out for good: the next page asks for a sign-in too.
    assert _signed_out(client.get(reverse("caseload")))


def test_signing_in_again_starts_a_new_twelve_hours(world, as_staff, clock):
    client = as_staff(world.es_a)
    clock(11 * HOUR + 50 * MINUTE)
    client.force_login(world.es_a.user)  # as a fresh sign-in does
    clock(20 * MINUTE)
    assert client.get(reverse("caseload")).status_code == 200


def test_a_session_without_a_sign_in_time_gets_one_and_still_ends(world, as_staff, clock):
    client = as_staff(world.es_a)
    session = client.session
    del session["ips_signed_in_at"]  # a session from before the limit was enforced
    session.save()
    assert client.get(reverse("caseload")).status_code == 200
    assert "ips_signed_in_at" in client.session
    for _ in range(36):
        clock(20 * MINUTE)
        client.get(reverse("caseload"))
    assert _signed_out(client.get(reverse("caseload")))


def test_the_limit_follows_the_setting(world, as_staff, clock, settings):
    settings.SESSION_COOKIE_AGE = 2 * HOUR
    client = as_staff(world.es_a)
    for _ in range(5):
        clock(20 * MINUTE)
        assert client.get(reverse("caseload")).status_code == 200
    clock(20 * MINUTE)
    response = client.get(reverse("caseload"))
    assert _signed_out(response)
    assert "signed in for 2 hours" in client.get(response["Location"]).content.decode()
