"""Every API operation: happy path, no token (401), revoked or expired token (401), wrong role
(403), out of scope (404) and bad input (422 naming the field, nothing saved)."""

import datetime as dt
from datetime import timedelta

import pytest
from django.utils import timezone

from ipsworks.access.models import AccessLogEntry, ReferralCheck
from ipsworks.activity.models import Contact
from ipsworks.apitokens.models import ApiToken
from ipsworks.apitokens.services import revoke_token
from ipsworks.employers.models import EmployerContact
from ipsworks.jobs.models import Job
from ipsworks.outcomes.periods import month
from ipsworks.people import rules
from ipsworks.people.models import Person, Referral, ReferralStatusChange
from tests import factories as f
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def _fields(response) -> list[str]:
    body = response.json()
    assert set(body) == {"detail", "errors"}
    return [e["field"] for e in body["errors"]]


def referral_body(**overrides):
    body = {
        "person": {
            "nhs_number": "943 476 5919",
            "given_name": "Robin",
            "family_name": "Fieldfare",
            "date_of_birth": "1990-04-01",
            "postcode": "LS1 4AP",
        },
        "team_id": None,
        "source": "P1",
        "received_on": str(TODAY - timedelta(days=3)),
        "employment_status_at_referral": "02",
        "weekly_hours_at_referral": "98",
    }
    body.update(overrides)
    return body


# --- authentication ------------------------------------------------------------------------

OPERATIONS = [
    ("get", "/people", None),
    ("get", "/people/1", None),
    ("get", "/episodes", None),
    ("get", "/episodes/1", None),
    ("get", "/metrics", None),
    ("post", "/referrals", {}),
    ("post", "/contacts", {}),
    ("post", "/employer-contacts", {}),
    ("post", "/jobs", {}),
    ("post", "/jobs/1/end", {}),
]


def _call(client, method, path, body):
    return client.get(path) if method == "get" else client.post(path, body)


@pytest.mark.parametrize(("method", "path", "body"), OPERATIONS)
def test_every_operation_needs_a_token(world, method, path, body):
    response = _call(ApiClient(None), method, path, body)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert _fields(response) == []


@pytest.mark.parametrize(("method", "path", "body"), OPERATIONS)
def test_a_revoked_or_expired_token_is_refused(world, token_for, method, path, body):
    revoked = token_for(world.manager)
    revoke_token(token=ApiToken.objects.get(staff=world.manager), by=world.manager)
    assert _call(ApiClient(revoked), method, path, body).status_code == 401
    expired = token_for(world.manager, days=1)
    ApiToken.objects.filter(revoked_at__isnull=True).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert _call(ApiClient(expired), method, path, body).status_code == 401


def test_a_signed_in_browser_session_is_not_a_token(world, as_staff):
    response = as_staff(world.manager).get("/api/v1/people")
    assert response.status_code == 401


def test_the_openapi_document_is_public_and_lists_every_operation(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for _, path, _ in OPERATIONS:
        template = path.replace("/1", "/{person_id}") if path.startswith("/people/") else path
        assert any(p.startswith("/api/v1" + template.split("/1")[0]) for p in paths)
    assert "/api/v1/better-off" in paths
    assert response.json()["components"]["securitySchemes"]["StaffToken"]["scheme"] == "bearer"


# --- roles (403) -----------------------------------------------------------------------------

# Bodies of the right shape, so the 403 below is the role's and not the shape's (the role is
# checked first, with the token: test_operation_guard.py sends a misshapen body too).
SHAPED = {
    "contact": {"referral_id": 1, "contact_date": "2026-01-01", "mode": "phone"},
    "employer_contact": {
        "employer_id": 1,
        "contact_date": "2026-01-01",
        "mode": "phone",
        "purpose": "other",
    },
    "job": {
        "referral_id": 1,
        "job_title": "Porter",
        "soc_major_group": "9",
        "contract_type": "permanent",
        "start_date": "2026-01-01",
        "hours_per_week": "10",
        "hourly_pay": "13",
    },
    "job_end": {"end_date": "2026-01-01", "end_reason": "resigned"},
}


@pytest.mark.parametrize(
    ("persona", "method", "path", "body"),
    [
        ("commissioner", "get", "/people", None),
        ("admin", "get", "/people", None),
        ("commissioner", "get", "/episodes", None),
        ("es_a", "get", "/metrics", None),
        ("clinician", "get", "/metrics", None),
        ("admin", "post", "/referrals", referral_body()),
        ("commissioner", "post", "/referrals", referral_body()),
        ("clinician", "post", "/contacts", SHAPED["contact"]),
        ("clinician", "post", "/employer-contacts", SHAPED["employer_contact"]),
        ("clinician", "post", "/jobs", SHAPED["job"]),
        ("commissioner", "post", "/jobs/1/end", SHAPED["job_end"]),
    ],
)
def test_the_wrong_role_is_refused_before_anything_is_read(world, api, persona, method, path, body):
    response = _call(api(getattr(world, persona)), method, path, body)
    assert response.status_code == 403, response.content
    assert _fields(response) == []


# --- people and episodes ---------------------------------------------------------------------


def test_people_are_listed_within_scope_only_and_paginated(world, api):
    client = api(world.es_a)
    body = client.get("/people", {"page_size": 1}).json()
    assert body["count"] == 2  # person_a (caseload) and person_a2 (team A, read-only)
    assert len(body["results"]) == 1
    second = client.get("/people", {"page_size": 1, "page": 2}).json()["results"]
    ids = {body["results"][0]["id"], second[0]["id"]}
    assert ids == {world.person_a.pk, world.person_a2.pk}
    assert client.get("/people", {"page": 3, "page_size": 1}).json()["results"] == []
    found = client.get("/people", {"nhs_number": world.person_a.nhs_number}).json()
    assert [p["id"] for p in found["results"]] == [world.person_a.pk]
    outsider = client.get("/people", {"nhs_number": world.person_other.nhs_number}).json()
    assert outsider["count"] == 0
    # Each person a list returned is logged by id, not one "search" for the page.
    listed = AccessLogEntry.objects.filter(
        user=world.es_a.user, action=AccessLogEntry.Action.VIEW_PERSON_SUMMARY
    )
    assert sorted(listed.values_list("person_id", flat=True)) == sorted(
        [world.person_a.pk, world.person_a2.pk, world.person_a.pk]
    )


def test_reading_a_person_is_logged_as_a_view(world, api):
    response = api(world.es_a).get(f"/people/{world.person_a.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["full_record"] is True
    assert body["current_referral"]["id"] == world.referral_a.pk
    entry = AccessLogEntry.objects.get(person_id=world.person_a.pk, user=world.es_a.user)
    assert entry.action == AccessLogEntry.Action.VIEW_PERSON
    assert entry.path == f"/api/v1/people/{world.person_a.pk}"


def test_a_clinician_gets_a_summary_without_contact_details(world, api):
    body = api(world.clinician).get(f"/people/{world.person_a.pk}").json()
    assert body["full_record"] is False
    assert body["phone"] is None
    assert body["email"] is None
    assert AccessLogEntry.objects.filter(
        person_id=world.person_a.pk, action=AccessLogEntry.Action.VIEW_PERSON_SUMMARY
    ).exists()


@pytest.mark.parametrize("persona", ["es_a", "clinician", "es_b", "outsider"])
def test_a_person_out_of_scope_is_not_found(world, api, persona):
    target = world.person_other if persona != "outsider" else world.person_a
    if persona == "es_b":
        target = world.person_a
    response = api(getattr(world, persona)).get(f"/people/{target.pk}")
    assert response.status_code == 404
    assert target.family_name not in response.content.decode()
    assert not AccessLogEntry.objects.filter(person_id=target.pk).exists()


def test_a_manager_outside_their_teams_must_give_a_reason(world, api):
    world.manager.teams.set([world.team_b])
    client = api(world.manager)
    refused = client.get(f"/people/{world.person_a.pk}")
    assert refused.status_code == 403
    assert "reason" in refused.json()["detail"]
    allowed = client.get(f"/people/{world.person_a.pk}", {"reason": "Covering for Sam"})
    assert allowed.status_code == 200
    entry = AccessLogEntry.objects.get(person_id=world.person_a.pk)
    assert entry.reason == "Covering for Sam"


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/people", {"page": 0}, "page"),
        ("/people", {"page_size": 500}, "page_size"),
        ("/people", {"pagesize": 5}, "pagesize"),
        ("/episodes", {"person_id": "x"}, "person_id"),
        ("/people/1", {"reason": "x" * 301}, "reason"),
    ],
)
def test_bad_query_parameters_are_named(world, api, path, params, field):
    response = api(world.manager).get(path, params)
    assert response.status_code == 422
    assert field in _fields(response)


def test_episodes_are_scoped(world, api):
    episode = f.EpisodeFactory(referral=world.referral_a)
    other = f.EpisodeFactory(referral=world.referral_other)
    mine = api(world.es_a).get("/episodes").json()
    assert [e["id"] for e in mine["results"]] == [episode.pk]
    assert api(world.es_a).get(f"/episodes/{episode.pk}").status_code == 200
    assert api(world.es_a).get(f"/episodes/{other.pk}").status_code == 404
    assert (
        api(world.outsider).get("/episodes", {"person_id": world.person_a.pk}).json()["count"] == 0
    )


# --- referrals -------------------------------------------------------------------------------


def test_a_clinical_system_makes_a_referral(world, api):
    response = api(world.clinician).post("/referrals", referral_body(team_id=world.team_a.pk))
    assert response.status_code == 201, response.content
    referral = Referral.objects.get(pk=response.json()["id"])
    assert referral.person.nhs_number == "9434765919"
    assert referral.referred_by == world.clinician
    assert referral.team == world.team_a
    assert referral.status == "received"
    assert ReferralStatusChange.objects.filter(referral=referral, status="received").exists()
    assert AccessLogEntry.objects.filter(
        user=world.clinician.user, action="create", object_type="Referral"
    ).exists()


@pytest.mark.parametrize(
    ("sent", "stored"),
    [("B2", "B2"), ("clinical_team", "P1"), ("self", "B1"), ("gp", "A1"), ("other", "M6")],
)
def test_the_source_is_an_mhsds_code_and_the_old_words_still_work(world, api, sent, stored):
    response = api(world.manager).post("/referrals", referral_body(source=sent))
    assert response.status_code == 201, response.content
    assert response.json()["source"] == stored
    assert Referral.objects.get(pk=response.json()["id"]).source == stored


def test_a_second_open_referral_for_the_same_person_is_refused(world, api):
    client = api(world.manager)
    assert client.post("/referrals", referral_body()).status_code == 201
    again = client.post("/referrals", referral_body())
    assert again.status_code == 422
    # The same neutral answer as for details that differ: the API is no existence oracle.
    assert again.json()["errors"] == [{"field": "input", "message": rules.REFERRAL_NEEDS_CHECK}]
    other_name = client.post(
        "/referrals",
        referral_body(person={**referral_body()["person"], "family_name": "Someoneelse"}),
    )
    assert other_name.json()["errors"] == again.json()["errors"]
    assert ReferralCheck.objects.count() == 2
    assert Referral.objects.filter(person__nhs_number="9434765919").count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            {"person": {"given_name": "A", "family_name": "B", "nhs_number": "9434765918"}},
            "person.nhs_number",
        ),
        (
            {"person": {"given_name": "A", "family_name": "B", "postcode": "NOT A CODE"}},
            "person.postcode",
        ),
        ({"person": {"given_name": "", "family_name": "B"}}, "person.given_name"),
        (
            {"person": {"given_name": "A", "family_name": "B", "date_of_birth": "2024-01-01"}},
            "person.date_of_birth",
        ),
        ({"received_on": str(TODAY + timedelta(days=2))}, "received_on"),
        ({"received_on": "2015-12-31"}, "received_on"),
        ({"received_on": "31/12/2025"}, "received_on"),
        ({"source": "diagnosis"}, "source"),
        ({"team_id": 999999}, "team_id"),
        (
            {"pathway": "job_retention", "employment_status_at_referral": "02"},
            "employment_status_at_referral",
        ),
        ({"person": {"given_name": "A\x00", "family_name": "B"}}, "person.given_name"),
    ],
)
def test_a_bad_referral_names_the_field_and_saves_nothing(world, api, change, field):
    response = api(world.manager).post("/referrals", referral_body(**change))
    assert response.status_code == 422, response.content
    assert field in _fields(response)
    assert Person.objects.count() == 4
    assert Referral.objects.count() == 4


def test_a_team_from_another_service_is_refused(world, api):
    response = api(world.manager).post("/referrals", referral_body(team_id=world.team_x.pk))
    assert response.status_code == 422
    assert _fields(response) == ["team_id"]


# --- contacts --------------------------------------------------------------------------------


def contact_body(referral, **overrides):
    body = {
        "referral_id": referral.pk,
        "contact_date": str(TODAY),
        "mode": "face_to_face",
        "place": "community",
        "duration_minutes": 45,
        "note": "Talked about work in cafés",
    }
    body.update(overrides)
    return body


def test_a_contact_is_recorded_and_starts_the_episode(world, api):
    response = api(world.es_a).post("/contacts", contact_body(world.referral_a))
    assert response.status_code == 201, response.content
    assert response.json()["is_direct"] is True
    world.referral_a.refresh_from_db()
    assert world.referral_a.status == "first_contact"
    assert world.referral_a.episode.access_date == TODAY


def test_a_contact_on_someone_elses_caseload_is_forbidden(world, api):
    # person_a2 is in team A: es_a can see them (read-only) but not record on them.
    response = api(world.es_a).post("/contacts", contact_body(world.referral_a2))
    assert response.status_code == 403
    assert not Contact.objects.exists()


def test_a_contact_out_of_scope_is_not_found(world, api):
    response = api(world.es_a).post("/contacts", contact_body(world.referral_other))
    assert response.status_code == 404
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"contact_date": str(TODAY + timedelta(days=1))}, "contact_date"),
        ({"place": ""}, "place"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"mode": "carrier_pigeon"}, "mode"),
        ({"mode": "text_email"}, "place"),
        ({"contact_date": "2000-01-01"}, "contact_date"),
    ],
)
def test_a_bad_contact_names_the_field_and_saves_nothing(world, api, change, field):
    response = api(world.es_a).post("/contacts", contact_body(world.referral_a, **change))
    assert response.status_code == 422, response.content
    assert field in _fields(response)
    assert not Contact.objects.exists()


# --- employer contacts -----------------------------------------------------------------------


def employer_contact_body(employer, **overrides):
    body = {
        "employer_id": employer.pk,
        "contact_date": str(TODAY),
        "mode": "face_to_face",
        "purpose": "learn_needs",
        "duration_minutes": 30,
    }
    body.update(overrides)
    return body


def test_an_employer_contact_is_recorded(world, api):
    employer = f.EmployerFactory(service=world.service)
    response = api(world.es_a).post("/employer-contacts", employer_contact_body(employer))
    assert response.status_code == 201, response.content
    assert EmployerContact.objects.get().staff == world.es_a


def test_an_employer_of_another_service_is_not_found(world, api):
    employer = f.EmployerFactory(service=world.other_service)
    response = api(world.es_a).post("/employer-contacts", employer_contact_body(employer))
    assert response.status_code == 404
    person_far = employer_contact_body(
        f.EmployerFactory(service=world.service), person_id=world.person_other.pk
    )
    assert api(world.es_a).post("/employer-contacts", person_far).status_code == 404
    assert not EmployerContact.objects.exists()


def test_presenting_someone_without_their_agreement_is_refused(world, api):
    employer = f.EmployerFactory(service=world.service)
    body = employer_contact_body(employer, purpose="present_person", person_id=world.person_a.pk)
    response = api(world.es_a).post("/employer-contacts", body)
    assert response.status_code == 422
    assert _fields(response) == ["person_id"]
    assert not EmployerContact.objects.exists()


# --- jobs ------------------------------------------------------------------------------------


def job_body(referral, employer, **overrides):
    body = {
        "referral_id": referral.pk,
        "employer_id": employer.pk,
        "job_title": "Barista",
        "soc_major_group": "9",
        "contract_type": "permanent",
        "start_date": str(TODAY),
        "hours_per_week": "16",
        "hourly_pay": "13.50",
        "four_hours_worked": True,
    }
    body.update(overrides)
    return body


def test_a_job_start_is_recorded_and_competitiveness_computed(world, api):
    employer = f.EmployerFactory(service=world.service)
    response = api(world.es_a).post("/jobs", job_body(world.referral_a, employer))
    assert response.status_code == 201, response.content
    job = Job.objects.get()
    assert job.hourly_pay_pence == 1350
    assert response.json()["competitive"] == job.competitive
    assert job.check_ins.exists()  # time-unlimited in-work support is scheduled


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"hourly_pay": "0"}, "hourly_pay"),
        ({"hours_per_week": "101"}, "hours_per_week"),
        ({"start_date": "2010-01-01"}, "start_date"),
        ({"employer_id": None}, "employer_id"),
        ({"soc_major_group": "0"}, "soc_major_group"),
        ({"job_title": ""}, "job_title"),
    ],
)
def test_a_bad_job_names_the_field_and_saves_nothing(world, api, change, field):
    employer = f.EmployerFactory(service=world.service)
    response = api(world.es_a).post("/jobs", job_body(world.referral_a, employer, **change))
    assert response.status_code == 422, response.content
    assert field in _fields(response)
    assert not Job.objects.exists()


def test_jobs_out_of_scope_or_on_another_caseload(world, api):
    employer = f.EmployerFactory(service=world.service)
    assert (
        api(world.es_a).post("/jobs", job_body(world.referral_other, employer)).status_code == 404
    )
    assert api(world.es_a).post("/jobs", job_body(world.referral_a2, employer)).status_code == 403
    assert not Job.objects.exists()


def test_a_job_is_ended(world, api):
    employer = f.EmployerFactory(service=world.service)
    job_id = api(world.es_a).post("/jobs", job_body(world.referral_a, employer)).json()["id"]
    client = api(world.es_a)
    bad = client.post(f"/jobs/{job_id}/end", {"end_date": str(TODAY), "end_reason": "bored"})
    assert bad.status_code == 422
    assert _fields(bad) == ["end_reason"]
    future = {"end_date": str(TODAY + timedelta(days=3)), "end_reason": "resigned"}
    assert _fields(client.post(f"/jobs/{job_id}/end", future)) == ["end_date"]
    ended = client.post(f"/jobs/{job_id}/end", {"end_date": str(TODAY), "end_reason": "resigned"})
    assert ended.status_code == 200, ended.content
    assert ended.json()["end_reason"] == "resigned"
    assert api(world.es_b).post(f"/jobs/{job_id}/end", future).status_code == 404
    assert api(world.colleague_a).post(f"/jobs/{job_id}/end", future).status_code == 403


# --- metrics ---------------------------------------------------------------------------------


def test_a_manager_gets_their_services_figures_unsuppressed(world, api):
    body = api(world.manager).get("/metrics").json()
    assert body["suppressed"] is False
    assert [s["service_id"] for s in body["services"]] == [world.service.pk]
    referrals = next(m for m in body["services"][0]["metrics"] if m["id"] == "referrals_received")
    assert referrals["value"] == referrals["shown"] == None or referrals["value"] >= 0  # noqa: E711
    assert {d["id"] for d in body["definitions"]} >= {"referrals_received", "employment_rate"}


def _whole_months_to_now():
    """Last month and this one: a period a commissioner may ask for."""
    this = month(TODAY)
    return {"start": str(month(this.start - timedelta(days=1)).start), "end": str(this.end)}


def test_a_commissioner_gets_small_numbers_suppressed(world, api):
    body = api(world.commissioner).get("/metrics", _whole_months_to_now())
    data = body.json()
    assert data["suppressed"] is True
    referrals = next(m for m in data["services"][0]["metrics"] if m["id"] == "referrals_received")
    assert referrals == {
        "id": "referrals_received",
        "value": None,
        "shown": "<5",
        "numerator": None,
        "denominator": None,
        "rate": None,
    }
    assert "Testperson" not in body.content.decode()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-01-02", "end": "2026-01-01"}, "end"),
        ({"start": "2020-01-01", "end": "2026-01-01"}, "end"),
        ({"start": "2026-01-01"}, "end"),
        ({"start": "0001-01-01", "end": "0001-02-01"}, "start"),
        ({"start": "not a date", "end": "2026-01-01"}, "start"),
    ],
)
def test_a_bad_period_is_named(world, api, params, field):
    response = api(world.manager).get("/metrics", params)
    assert response.status_code == 422
    assert field in _fields(response)


@pytest.mark.parametrize(
    ("start", "end", "fields"),
    [
        ("2026-01-01", "2026-11-30", set()),
        ("2026-01-01", "2026-11-29", {"end"}),
        ("2026-01-02", "2026-11-30", {"start"}),
        ("2026-01-15", "2026-02-14", {"start", "end"}),
    ],
)
def test_outside_the_service_custom_periods_are_whole_months(world, api, start, end, fields):
    # 1 Jan-30 Nov minus 1 Jan-29 Nov would give one day's figures, however small.
    response = api(world.commissioner).get("/metrics", {"start": start, "end": end})
    assert response.status_code == (422 if fields else 200)
    if fields:
        assert set(_fields(response)) == fields
    # The providing service's manager sees its own exact figures for any days.
    assert api(world.manager).get("/metrics", {"start": start, "end": end}).status_code == 200


def test_outside_the_service_counts_are_rounded_to_the_nearest_five(world, api):
    for _ in range(7):
        f.ReferralFactory(person=f.PersonFactory(service=world.service), received_on=TODAY)
    period = _whole_months_to_now()
    exact = api(world.manager).get("/metrics", period).json()
    shared = api(world.commissioner).get("/metrics", period).json()

    def referrals(body):
        return next(m for m in body["services"][0]["metrics"] if m["id"] == "referrals_received")

    count = referrals(exact)["value"]
    assert count >= 7
    assert referrals(shared)["value"] == 5 * ((count + 2) // 5)
    assert referrals(shared)["shown"] == str(referrals(shared)["value"])


# --- errors never leak -------------------------------------------------------------------------


def test_an_unexpected_error_is_a_json_500_without_a_traceback(world, api, monkeypatch, settings):
    settings.DEBUG = True  # even in development, no traceback leaves the server

    def explode(*args, **kwargs):
        raise RuntimeError("secret internals at /work/main/ipsworks")

    monkeypatch.setattr("ipsworks.api.people.paginate", explode)
    client = api(world.es_a)
    client.client.raise_request_exception = False
    response = client.get("/people")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json; charset=utf-8"
    text = response.content.decode()
    assert "Traceback" not in text
    assert "secret internals" not in text
    assert "ipsworks" not in text
    assert response.json() == {"detail": "Something went wrong. It has been logged", "errors": []}


def test_a_database_outage_is_a_json_503(world, api, monkeypatch):
    from django.db import OperationalError

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("ipsworks.api.people.paginate", down)
    response = api(world.es_a).get("/people")
    assert response.status_code == 503
    assert "connection refused" not in response.content.decode()


def test_a_body_that_is_not_json_is_a_422_naming_the_body(world, token_for, client):
    response = client.post(
        "/api/v1/referrals",
        "{not json",
        "application/json",
        HTTP_AUTHORIZATION=f"Bearer {token_for(world.manager)}",
    )
    assert response.status_code == 422
    assert _fields(response) == ["body"]


def test_the_better_off_calculator_still_needs_no_token(client):
    response = client.post("/api/v1/better-off", "{}", "application/json")
    assert response.status_code == 422
    assert {"detail", "errors"} == set(response.json())
