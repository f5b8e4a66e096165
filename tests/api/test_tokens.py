"""API tokens: hashed at rest, shown once, revocable, expiring, acting as their staff member."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from ipsworks.access.models import AccessLogEntry
from ipsworks.apitokens.models import ApiToken
from ipsworks.apitokens.services import create_token, revoke_token, staff_for_token

pytestmark = pytest.mark.django_db


def test_the_raw_token_is_never_stored_only_its_sha256(world):
    new = create_token(staff=world.es_a, name="Feed", valid_days=30)
    row = ApiToken.objects.get(pk=new.token.pk)
    stored = [str(getattr(row, f.attname)) for f in ApiToken._meta.fields]
    assert not any(new.raw in value for value in stored)
    secret = new.raw.split("_", 2)[2]
    assert not any(secret in value for value in stored)
    assert row.secret_hash == hashlib.sha256(new.raw.encode()).hexdigest()
    assert new.raw.startswith(f"ipsw_{row.prefix}_")
    assert len(secret) >= 43  # 32 random bytes


def test_a_token_acts_as_its_staff_member(world):
    new = create_token(staff=world.es_a, name="Feed", valid_days=None)
    assert staff_for_token(new.raw) == world.es_a


@pytest.mark.parametrize(
    "mangle",
    [
        lambda raw: raw[:-1] + ("A" if raw[-1] != "A" else "B"),
        lambda raw: raw.replace("ipsw_", "xxxx_"),
        lambda raw: "ipsw_nothing_here",
        lambda raw: "",
        lambda raw: raw + "x" * 300,
    ],
)
def test_a_wrong_token_acts_as_nobody(world, mangle):
    new = create_token(staff=world.es_a, name="Feed", valid_days=None)
    assert staff_for_token(mangle(new.raw)) is None


def test_a_revoked_or_expired_token_acts_as_nobody(world):
    revoked = create_token(staff=world.es_a, name="Old", valid_days=None)
    revoke_token(token=revoked.token, by=world.es_a)
    assert staff_for_token(revoked.raw) is None
    expired = create_token(staff=world.es_a, name="Short", valid_days=1)
    ApiToken.objects.filter(pk=expired.token.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert staff_for_token(expired.raw) is None


def test_a_token_stops_working_when_its_staff_member_leaves_or_is_switched_off(world, today):
    new = create_token(staff=world.es_a, name="Feed", valid_days=None)
    world.es_a.user.is_active = False
    world.es_a.user.save()
    assert staff_for_token(new.raw) is None
    world.es_a.user.is_active = True
    world.es_a.user.save()
    world.es_a.left_on = today
    world.es_a.save()
    assert staff_for_token(new.raw) is None


def test_last_used_is_recorded(world):
    new = create_token(staff=world.es_a, name="Feed", valid_days=None)
    staff_for_token(new.raw)
    assert ApiToken.objects.get(pk=new.token.pk).last_used_at is not None


def test_making_and_revoking_tokens_is_audited(world):
    new = create_token(staff=world.es_a, name="Feed", valid_days=None)
    revoke_token(token=new.token, by=world.admin)
    actions = list(
        AccessLogEntry.objects.filter(object_type="ApiToken").values_list("action", "user_id")
    )
    assert (AccessLogEntry.Action.CREATE, world.es_a.user_id) in actions
    assert (AccessLogEntry.Action.CHANGE, world.admin.user_id) in actions


# --- the token page ------------------------------------------------------------------------


def test_the_token_is_shown_once_on_the_page(world, as_staff):
    client = as_staff(world.es_a)
    response = client.post("/account/api-tokens/", {"name": "Clinical feed", "validity": "90"})
    assert response.status_code == 200
    body = response.content.decode()
    token = ApiToken.objects.get(staff=world.es_a)
    assert f"ipsw_{token.prefix}_" in body
    assert response["Cache-Control"].startswith("max-age=0")
    again = client.get("/account/api-tokens/").content.decode()
    assert f"ipsw_{token.prefix}" in again  # the prefix is listed...
    raw_tail = body.split(f"ipsw_{token.prefix}_", 1)[1][:20]
    assert raw_tail not in again  # ...the secret never again


def test_the_token_form_names_a_missing_field(world, as_staff):
    response = as_staff(world.es_a).post("/account/api-tokens/", {"name": "", "validity": ""})
    body = response.content.decode()
    assert "Enter what the token is for" in body
    assert "Select how long the token should work" in body
    assert not ApiToken.objects.exists()


def test_staff_revoke_their_own_tokens_and_admins_any_in_their_service(world, as_staff):
    mine = create_token(staff=world.es_a, name="Mine", valid_days=None).token
    theirs = create_token(staff=world.es_b, name="Theirs", valid_days=None).token
    other_service = create_token(staff=world.outsider, name="Far", valid_days=None).token
    # A specialist cannot revoke a colleague's token (it is not even found).
    assert as_staff(world.es_a).post(f"/account/api-tokens/{theirs.pk}/revoke/").status_code == 404
    assert as_staff(world.es_a).post(f"/account/api-tokens/{mine.pk}/revoke/").status_code == 302
    admin = as_staff(world.admin)
    assert "Theirs" in admin.get("/account/api-tokens/").content.decode()
    assert admin.post(f"/account/api-tokens/{theirs.pk}/revoke/").status_code == 302
    assert admin.post(f"/account/api-tokens/{other_service.pk}/revoke/").status_code == 404
    mine.refresh_from_db()
    theirs.refresh_from_db()
    other_service.refresh_from_db()
    assert mine.revoked_at
    assert theirs.revoked_at
    assert other_service.revoked_at is None
    assert theirs.revoked_by == world.admin


def test_token_pages_refuse_get_to_revoke_and_anonymous_visitors(world, client):
    token = create_token(staff=world.es_a, name="Mine", valid_days=None).token
    assert client.get("/account/api-tokens/").status_code == 302
    assert client.post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 302
