"""Sessions are Django's, read with one fixed statement (ipsworks/core/sessions.py): a
session that has expired, been deleted or been tampered with signs nobody in."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from ipsworks.core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _signed_in(as_staff, staff):
    client = as_staff(staff)
    assert client.get(reverse("caseload")).status_code == 200
    return client, client.cookies[settings.SESSION_COOKIE_NAME].value


def test_the_session_engine_is_ours():
    assert settings.SESSION_ENGINE == "ipsworks.core.sessions"


def test_a_stored_session_reads_back_as_written():
    session = SessionStore()
    session["answer"] = {"nested": [1, 2, 3]}
    session.create()
    again = SessionStore(session.session_key)
    assert again["answer"] == {"nested": [1, 2, 3]}
    assert again.session_key == session.session_key


def test_an_expired_session_signs_nobody_in(world, as_staff):
    client, key = _signed_in(as_staff, world.es_a)
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(reverse("caseload"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_deleted_session_signs_nobody_in_at_the_next_request(world, as_staff):
    client, key = _signed_in(as_staff, world.es_a)
    Session.objects.filter(pk=key).delete()
    assert client.get(reverse("caseload"))["Location"].startswith(reverse("login"))


def test_a_tampered_session_signs_nobody_in(world, as_staff):
    client, key = _signed_in(as_staff, world.es_a)
    Session.objects.filter(pk=key).update(session_data="not-a-signed-value")
    assert client.get(reverse("caseload"))["Location"].startswith(reverse("login"))


def test_an_unknown_key_is_an_empty_session_and_gets_no_key():
    session = SessionStore("k" * 32)
    assert dict(session.items()) == {}
    assert session.session_key is None
