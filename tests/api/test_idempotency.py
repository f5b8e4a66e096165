"""The optional Idempotency-Key header: a retried POST gets the first answer, not a duplicate."""

import io
import json
import threading
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from ipsworks.activity.models import Contact
from ipsworks.apitokens.models import IdempotencyKey
from ipsworks.employers.models import EmployerContact
from ipsworks.jobs.models import Job
from ipsworks.people.models import Person, Referral
from tests import factories as f
from tests.api.test_endpoints import (
    contact_body,
    employer_contact_body,
    job_body,
    referral_body,
)

pytestmark = pytest.mark.django_db

HEADER = "Idempotency-Key"


def post(client, path, body, key):
    """POST as the ApiClient does, with an Idempotency-Key header (None: no header)."""
    extra = dict(client.headers)
    if key is not None:
        extra["HTTP_IDEMPOTENCY_KEY"] = key
    return client.client.post(
        "/api/v1" + path, json.dumps(body, default=str), "application/json", **extra
    )


def without_nhs_number(**overrides):
    """The duplicate that hurts: no NHS number, so nothing else would catch the retry."""
    body = referral_body(**overrides)
    body["person"] = {**body["person"], "nhs_number": None}
    return body


def test_a_retried_referral_gets_the_first_answer_and_makes_one_referral(world, api):
    client = api(world.clinician)
    first = post(client, "/referrals", without_nhs_number(), "retry-1")
    assert first.status_code == 201, first.content
    assert "Idempotent-Replayed" not in first
    again = post(client, "/referrals", without_nhs_number(), "retry-1")
    assert again.status_code == 201
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert again["Content-Type"] == first["Content-Type"]
    assert Referral.objects.filter(person__family_name="Fieldfare").count() == 1
    assert Person.objects.filter(family_name="Fieldfare").count() == 1
    stored = IdempotencyKey.objects.get()
    assert (stored.staff, stored.key, stored.response_status) == (world.clinician, "retry-1", 201)
    assert len(stored.request_hash) == 64


@pytest.mark.parametrize("operation", ["contact", "employer_contact", "job", "job_end"])
def test_every_creating_operation_replays(world, api, operation):
    employer = f.EmployerFactory(service=world.service)
    client = api(world.es_a)
    path, body, model = {
        "contact": ("/contacts", contact_body(world.referral_a), Contact),
        "employer_contact": (
            "/employer-contacts",
            employer_contact_body(employer),
            EmployerContact,
        ),
        "job": ("/jobs", job_body(world.referral_a, employer), Job),
        "job_end": (None, {"end_date": str(timezone.localdate()), "end_reason": "resigned"}, Job),
    }[operation]
    if path is None:
        job_id = post(client, "/jobs", job_body(world.referral_a, employer), None).json()["id"]
        path = f"/jobs/{job_id}/end"
    first = post(client, path, body, "abc")
    assert first.status_code in (200, 201), first.content
    again = post(client, path, body, "abc")
    assert (again.status_code, again.content) == (first.status_code, first.content)
    assert again["Idempotent-Replayed"] == "true"
    assert model.objects.count() == 1


def test_the_same_key_with_a_different_body_is_a_conflict_and_makes_nothing(world, api):
    client = api(world.manager)
    assert post(client, "/referrals", without_nhs_number(), "k").status_code == 201
    other = without_nhs_number()
    other["person"]["family_name"] = "Wagtail"
    response = post(client, "/referrals", other, "k")
    assert response.status_code == 409
    body = response.json()
    assert "different request" in body["detail"]
    assert [e["field"] for e in body["errors"]] == [HEADER]
    assert not Person.objects.filter(family_name="Wagtail").exists()
    # The same key on another operation is a different request too.
    contact = post(client, "/contacts", contact_body(world.referral_a), "k")
    assert contact.status_code == 409
    assert not Contact.objects.exists()


def test_another_staff_members_same_key_is_independent(world, api):
    first = post(api(world.clinician), "/referrals", without_nhs_number(), "shared")
    second = post(api(world.manager), "/referrals", without_nhs_number(), "shared")
    assert (first.status_code, second.status_code) == (201, 201)
    assert "Idempotent-Replayed" not in second
    assert first.json()["id"] != second.json()["id"]
    assert IdempotencyKey.objects.filter(key="shared").count() == 2


def test_an_error_is_not_stored_so_a_corrected_retry_works(world, api):
    client = api(world.manager)
    bad = post(client, "/referrals", without_nhs_number(source="diagnosis"), "fix-me")
    assert bad.status_code == 422
    assert not IdempotencyKey.objects.exists()
    fixed = post(client, "/referrals", without_nhs_number(), "fix-me")
    assert fixed.status_code == 201, fixed.content
    assert "Idempotent-Replayed" not in fixed
    assert IdempotencyKey.objects.get().response_status == 201


def test_a_forbidden_or_unfound_request_is_not_stored(world, api):
    refused = post(api(world.es_a), "/contacts", contact_body(world.referral_a2), "x")
    assert refused.status_code == 403
    unfound = post(api(world.es_a), "/contacts", contact_body(world.referral_other), "y")
    assert unfound.status_code == 404
    assert not IdempotencyKey.objects.exists()


@pytest.mark.parametrize("key", ["", "x" * 256, "café", "tab\there", "line\x7f"])
def test_a_key_that_is_not_printable_ascii_is_refused_by_name(world, api, key):
    response = post(api(world.manager), "/referrals", without_nhs_number(), key)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"] == "The input is not valid"
    assert body["errors"] == [
        {
            "field": HEADER,
            "message": f"The {HEADER} header must be 1 to 255 printable ASCII characters",
        }
    ]
    assert not Person.objects.filter(family_name="Fieldfare").exists()
    assert not IdempotencyKey.objects.exists()


def test_the_longest_key_is_accepted(world, api):
    key = "~ " + "k" * 253
    response = post(api(world.manager), "/referrals", without_nhs_number(), key)
    assert response.status_code == 201, response.content
    assert IdempotencyKey.objects.get().key == key


@pytest.mark.parametrize("persona", ["es_b", "outsider", "clinician"])
def test_a_replay_never_gives_another_user_the_stored_answer(world, api, persona):
    body = contact_body(world.referral_a, note="Private: talked about the tribunal")
    first = post(api(world.es_a), "/contacts", body, "same-key")
    assert first.status_code == 201
    stranger = post(api(getattr(world, persona)), "/contacts", body, "same-key")
    assert stranger.status_code in (403, 404)
    assert "Idempotent-Replayed" not in stranger
    assert str(first.json()["id"]) not in stranger.content.decode()
    assert Contact.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1


def test_a_request_still_running_elsewhere_is_a_conflict(world, api):
    client = api(world.manager)
    assert post(client, "/referrals", without_nhs_number(), "busy").status_code == 201
    # As a concurrent first request would look (on PostgreSQL the second insert waits for it).
    IdempotencyKey.objects.update(response_status=None, response_body="")
    response = post(client, "/referrals", without_nhs_number(), "busy")
    assert response.status_code == 409
    assert "still being processed" in response.json()["detail"]
    assert Referral.objects.filter(person__family_name="Fieldfare").count() == 1


def test_a_key_older_than_a_day_is_forgotten(world, api):
    client = api(world.manager)
    assert post(client, "/referrals", without_nhs_number(), "old").status_code == 201
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    again = post(client, "/referrals", without_nhs_number(), "old")
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again
    assert Referral.objects.filter(person__family_name="Fieldfare").count() == 2
    assert IdempotencyKey.objects.get().created_at > timezone.now() - timedelta(hours=1)


def test_purge_deletes_only_expired_keys(world):
    old = IdempotencyKey.objects.create(staff=world.manager, key="old", request_hash="0" * 64)
    IdempotencyKey.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(hours=24, minutes=1)
    )
    IdempotencyKey.objects.create(staff=world.manager, key="new", request_hash="0" * 64)
    out = io.StringIO()
    call_command("purge_idempotency_keys", stdout=out)
    assert out.getvalue() == "1 idempotency keys deleted\n"
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


def test_without_the_header_nothing_is_remembered(world, api):
    client = api(world.manager)
    assert post(client, "/referrals", without_nhs_number(), None).status_code == 201
    assert post(client, "/referrals", without_nhs_number(), None).status_code == 201
    assert not IdempotencyKey.objects.exists()


def test_the_openapi_document_declares_the_header_on_creating_posts_only(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    with_header = {
        (path, method)
        for path, operations in paths.items()
        for method, operation in operations.items()
        if any(p["name"] == HEADER for p in operation.get("parameters", []))
    }
    assert with_header == {
        ("/api/v1/referrals", "post"),
        ("/api/v1/contacts", "post"),
        ("/api/v1/employer-contacts", "post"),
        ("/api/v1/jobs", "post"),
        ("/api/v1/jobs/{job_id}/end", "post"),
    }
    for path, method in with_header:
        operation = paths[path][method]
        header = next(p for p in operation["parameters"] if p["name"] == HEADER)
        assert header["in"] == "header"
        assert header["required"] is False
        assert header["schema"]["maxLength"] == 255
        assert "409" in operation["responses"]


@pytest.mark.django_db(transaction=True)
def test_two_identical_requests_at_once_make_one_referral(world, api, monkeypatch):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time: the unique constraint is enough there")
    from ipsworks.people import services

    real = services.create_referral

    def slow(**kwargs):
        time.sleep(0.5)  # the first request is still inside its transaction when the second comes
        return real(**kwargs)

    monkeypatch.setattr(services, "create_referral", slow)
    client = api(world.manager)
    start = threading.Barrier(2)
    responses = []

    def send():
        try:
            start.wait()
            responses.append(post(client, "/referrals", without_nhs_number(), "twice"))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.status_code for r in responses) == [201, 201]
    assert sorted(r.get("Idempotent-Replayed", "") for r in responses) == ["", "true"]
    assert responses[0].content == responses[1].content
    assert Referral.objects.filter(person__family_name="Fieldfare").count() == 1
