"""Sign-in controls: the second factor, lockout, session expiry and signing out everywhere."""

import time

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ipsworks.access.models import AccessLogEntry

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def _sign_in(client, staff, password=PASSWORD):
    return client.post(reverse("login"), {"username": staff.user.username, "password": password})


def _code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@override_settings(IPS_REQUIRE_TWO_FACTOR=True)
def test_a_new_user_must_set_up_the_second_factor_before_seeing_anything(world, client):
    _sign_in(client, world.es_a)
    response = client.get(reverse("caseload"))
    assert response["Location"] == reverse("two_factor_setup")
    page = client.get(reverse("two_factor_setup")).content.decode()
    assert "<svg" in page
    device = TOTPDevice.objects.get(user=world.es_a.user, confirmed=False)
    wrong = client.post(reverse("two_factor_setup"), {"code": "000000"})
    assert "That code is not right" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows repeated guesses; a person waits a moment
    done = client.post(reverse("two_factor_setup"), {"code": _code(device)})
    assert "Keep these recovery codes safe" in done.content.decode()
    assert StaticToken.objects.filter(device__user=world.es_a.user).count() == 10
    assert client.get(reverse("caseload")).status_code == 200


@override_settings(IPS_REQUIRE_TWO_FACTOR=True)
def test_a_returning_user_types_a_code_or_a_single_use_recovery_code(world, client):
    device = TOTPDevice.objects.create(user=world.es_a.user, confirmed=True)
    from ipsworks.access.two_factor import new_recovery_codes

    codes = new_recovery_codes(world.es_a.user)
    _sign_in(client, world.es_a)
    assert client.get(reverse("caseload"))["Location"] == reverse("two_factor_verify")
    assert (
        "not right"
        in client.post(reverse("two_factor_verify"), {"code": "123456"}).content.decode()
    )
    assert client.post(reverse("two_factor_verify"), {"code": codes[0]}).status_code == 302
    assert client.get(reverse("caseload")).status_code == 200
    client.post(reverse("logout"))
    _sign_in(client, world.es_a)
    reused = client.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert "used already" in reused.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    assert client.post(reverse("two_factor_verify"), {"code": _code(device)}).status_code == 302


@override_settings(IPS_REQUIRE_TWO_FACTOR=True, IPS_DEMO_ACCOUNTS_ENABLED=True)
def test_only_the_named_demo_accounts_skip_the_second_factor_and_only_in_the_demo(world, client):
    world.es_a.user.username = "es.demo"
    world.es_a.user.save()
    _sign_in(client, world.es_a)
    assert client.get(reverse("caseload")).status_code == 200
    other = client.__class__()
    _sign_in(other, world.es_b)
    assert other.get(reverse("caseload")).status_code == 302
    with override_settings(IPS_DEMO_ACCOUNTS_ENABLED=False):
        fresh = client.__class__()
        _sign_in(fresh, world.es_a)
        assert fresh.get(reverse("caseload"))["Location"] == reverse("two_factor_setup")


def test_the_production_settings_require_the_second_factor():
    import importlib
    import os

    os.environ.setdefault("IPS_SECRET_KEY", "x" * 60)
    settings_module = importlib.import_module("ipsworks.config.settings")
    assert settings_module.IPS_REQUIRE_TWO_FACTOR is True
    assert settings_module.IPS_DEMO_ACCOUNTS_ENABLED is False
    assert settings_module.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_five_wrong_passwords_lock_the_account_with_a_clear_message(world, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert (
            "Enter a correct username and password"
            in _sign_in(client, world.es_a, "wrong").content.decode()
        )
    locked = _sign_in(client, world.es_a, "wrong")
    assert locked.status_code == 429
    assert "Your account is locked" in locked.content.decode()
    assert _sign_in(client, world.es_a).status_code == 429  # even the right password


def test_the_administrator_unlocks_a_locked_account(world, client, as_staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, world.es_a, "wrong")
    admin = as_staff(world.admin)
    assert (
        "Unlock the account"
        in admin.get(reverse("staff_edit", args=[world.es_a.pk])).content.decode()
    )
    admin.post(reverse("staff_unlock", args=[world.es_a.pk]))
    assert _sign_in(client.__class__(), world.es_a).status_code == 302
    assert AccessLogEntry.objects.filter(action="unlock").exists()


def test_a_locked_account_shows_as_locked_in_the_staff_list(world, client, as_staff, settings):
    admin = as_staff(world.admin)
    row = _staff_row(admin.get(reverse("staff_list")).content.decode(), world.es_a)
    assert "Active" in row
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, world.es_a, "wrong")
    row = _staff_row(admin.get(reverse("staff_list")).content.decode(), world.es_a)
    assert "Locked" in row
    assert "Active" not in row


def _staff_row(page: str, member) -> str:
    return page.split(member.display_name, 1)[1].split("</tr>", 1)[0]


def test_only_administrators_unlock_or_reset(world, as_staff):
    for persona in ("manager", "es_b"):
        client = as_staff(getattr(world, persona))
        assert client.post(reverse("staff_unlock", args=[world.es_a.pk])).status_code == 403
        assert (
            client.post(reverse("staff_reset_two_factor", args=[world.es_a.pk])).status_code == 403
        )
    other_admin = as_staff(
        __import__("tests.factories", fromlist=["x"]).StaffFactory(
            role="admin", service=world.other_service
        )
    )
    assert other_admin.post(reverse("staff_unlock", args=[world.es_a.pk])).status_code == 404


def test_resetting_the_second_factor_removes_devices_and_ends_sessions(world, as_staff):
    TOTPDevice.objects.create(user=world.es_a.user, confirmed=True)
    es_client = as_staff(world.es_a)
    assert es_client.get(reverse("caseload")).status_code == 200
    as_staff(world.admin).post(reverse("staff_reset_two_factor", args=[world.es_a.pk]))
    assert not TOTPDevice.objects.filter(user=world.es_a.user).exists()
    assert es_client.get(reverse("caseload")).status_code == 302


def test_sign_out_everywhere_ends_every_session(world, as_staff):
    laptop, phone = as_staff(world.es_a), as_staff(world.es_a)
    assert phone.get(reverse("caseload")).status_code == 200
    laptop.post(reverse("sign_out_everywhere"))
    assert phone.get(reverse("caseload")).status_code == 302
    assert laptop.get(reverse("caseload")).status_code == 302


def test_sessions_have_a_twelve_hour_ceiling_and_a_thirty_minute_idle_limit(
    settings, world, as_staff
):
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    client = as_staff(world.es_a)
    client.get(reverse("caseload"))
    session = client.session
    session["ips_last_seen"] = int(time.time()) - 29 * 60
    session.save()
    assert client.get(reverse("caseload")).status_code == 200


def test_cookies_are_http_only_and_passwords_are_argon2(settings):
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.CSRF_COOKIE_HTTPONLY
    from django.conf import settings as live

    assert live.AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"]["min_length"] == 12
