"""Every URL in the project, for every persona: nobody sees case data they should not.

The list of URLs comes from the URL configuration itself, so a new view is covered the
moment it is added. A new kind of URL parameter must be taught to ``_FILLERS`` (the test
fails, naming the route, until it is).
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests import factories as f

pytestmark = pytest.mark.django_db

PUBLIC_PREFIXES = ("healthz", "sign-in/", "privacy/", "accessibility/", "static/", "ips/")
# The API's description of itself holds no data and is public (API clients fetch it).
PUBLIC_PREFIXES += ("api/v1/openapi.json", "api/v1/docs")
# A diary's calendar feed answers to its secret address alone (a calendar cannot sign in);
# the persona walks below still read it and find no names in it.
PUBLIC_PREFIXES += ("diary/feed/<str:token>.ics",)


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def _routes():
    return sorted({route for route, _ in _walk(get_resolver().url_patterns)})


@pytest.fixture
def objects(world):
    """One object of each kind that URLs point at, all in service 1."""
    from decimal import Decimal

    from ipsworks.employers.models import AccessToWorkApplication
    from ipsworks.jobs.models import Job
    from ipsworks.outcomes.models import Claim, Contract, ExportFile

    employer = f.EmployerFactory(service=world.service)
    job = Job.objects.create(
        service=world.service,
        person=world.person_a,
        referral=world.referral_a,
        employer=employer,
        job_title="Porter",
        soc_major_group="9",
        contract_type="permanent",
        start_date=world.referral_a.received_on,
        hours_per_week=Decimal(20),
        hourly_pay_pence=1300,
        competitive=True,
        four_hours_worked=True,
        recorded_by=world.es_a,
    )
    application = AccessToWorkApplication.objects.create(
        service=world.service,
        employer=employer,
        person=world.person_a,
        staff=world.es_a,
        support_type="mhss",
    )
    export = ExportFile.objects.create(
        service=world.service,
        requested_by=world.manager,
        kind="ips_grow_csv",
        period_start=world.referral_a.received_on,
        period_end=world.referral_a.received_on,
        period_label="x",
    )
    contract = Contract.objects.create(
        service=world.service,
        name="C",
        funder="F",
        starts_on=world.referral_a.received_on,
        ends_on=world.referral_a.received_on,
    )
    claim = Claim.objects.create(contract=contract, created_by=world.manager, total_pence=0)
    contact_person = f.EmployerContactPersonFactory(employer=employer)
    extra = _other_apps(world, employer) | _api_objects(world)
    return {
        **extra,
        "person": world.person_a.pk,
        "referral": world.referral_a.pk,
        "job": job.pk,
        "employer": employer.pk,
        "application": application.pk,
        "contact_person": contact_person.pk,
        "staff": world.es_a.pk,
        "export": export.pk,
        "contract": contract.pk,
        "claim": claim.pk,
        "short_name": world.service.short_name,
    }


def _api_objects(world) -> dict:
    """An episode and an API token in service 1 (the API and token pages name them)."""
    from ipsworks.apitokens.services import create_token
    from ipsworks.imports.models import ImportRun

    episode = f.EpisodeFactory(referral=world.referral_a)
    token = create_token(staff=world.es_a, name="Feed", valid_days=None).token
    run = ImportRun.objects.create(
        service=world.service, uploaded_by=world.manager, filename="x.csv", kind="csv", sha256=""
    )
    course = f.EducationFactory(
        referral=world.referral_a, recorded_by=world.es_a, course_title="Access to Nursing"
    )
    return {
        "education": course.pk,
        "episode": episode.pk,
        "api_token": token.pk,
        "import_run": run.pk,
        "appointment": _appointment(world),
        "task": _task(world),
        "team": world.team_a.pk,
        "feed_token": _feed_token(world),
    }


def _task(world) -> int:
    """A task of es_a's about person_a, whose title names them."""
    from ipsworks.diary import services as diary

    return diary.add_task(
        person=world.person_a,
        title=f"Ring {world.person_a.family_name}",
        due_on=None,
        owner=world.es_a,
        by=world.es_a,
    ).pk


def _appointment(world) -> int:
    """An appointment in es_a's diary with person_a, whose notes name them."""
    import datetime as dt

    from django.utils import timezone

    from ipsworks.diary import services as diary

    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)
    details = diary.AppointmentDetails(
        kind="person",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        place="community",
        person=world.person_a,
        notes=f"Meet {world.person_a.family_name}",
    )
    return diary.book_appointment(details=details, by=world.es_a).pk


def _feed_token(world) -> str:
    from ipsworks.diary import services as diary

    return diary.new_feed(staff=world.es_a)


def _other_apps(world, employer) -> dict:
    """Objects of the matching, fidelity and public apps, in service 1."""
    import datetime as dt

    from ipsworks.fidelity import services as fidelity
    from ipsworks.public.models import EmployerEnquiry
    from tests.matching.factories import (
        ApplicationFactory,
        JobSearchTargetFactory,
        VacancyFactory,
    )

    vacancy = VacancyFactory(employer=employer, created_by=world.es_a)
    application = ApplicationFactory(vacancy=vacancy, person=world.person_a, created_by=world.es_a)
    target = JobSearchTargetFactory(person=world.person_a, employer=employer, added_by=world.es_a)
    review = fidelity.start_review(
        service=world.service,
        period_start=dt.date(2025, 4, 1),
        period_end=dt.date(2026, 3, 31),
        kind="self_assessment",
        teams=[world.team_a],
        reviewers=[],
        by=world.manager,
    )
    action = fidelity.add_action(
        review=review,
        item=1,
        action="Reduce caseloads",
        owner="Team leader",
        due_on=dt.date(2026, 6, 1),
        by=world.manager,
    )
    enquiry = EmployerEnquiry.objects.create(
        service=world.service,
        employer=employer,
        contact_name="Morgan Testowner",
        email="morgan@example.com",
        interests=["recruiting"],
    )
    return {
        "vacancy": vacancy.pk,
        "vacancy_application": application.pk,
        "target": target.pk,
        "review": review.pk,
        "item": 1,
        "action": action.pk,
        "enquiry": enquiry.pk,
    }


# (route prefix, parameter name) -> the kind of object it names.
_FILLERS = [
    (r"^diary/appointments/", "pk", "appointment"),
    (r"^diary/tasks/", "pk", "task"),
    (r"^diary/team/", "team_pk", "team"),
    (r"^diary/staff/", "staff_pk", "staff"),
    (r"^diary/feed/", "token", "feed_token"),
    (r"^vacancies/", "pk", "vacancy"),
    (r"^applications/", "pk", "vacancy_application"),
    (r"job-search/targets/", "target_pk", "target"),
    (r"^fidelity/", "pk", "review"),
    (r"^fidelity/", "item", "item"),
    (r"^fidelity/", "action_pk", "action"),
    (r"^enquiries/", "pk", "enquiry"),
    (r"^people/", "pk", "person"),
    (r"^people/", "person_pk", "person"),
    (r"^referrals/", "pk", "referral"),
    (r"^jobs/", "pk", "job"),
    (r"^education/", "pk", "education"),
    (r"^employers/.*access-to-work/", "application_pk", "application"),
    (r"^employers/.*people/", "contact_pk", "contact_person"),
    (r"^employers/", "pk", "employer"),
    (r"^staff/", "pk", "staff"),
    (r"^caseload/", "staff_pk", "staff"),
    (r"^outcomes/exports/", "pk", "export"),
    (r"^funding/claims/", "pk", "claim"),
    (r"^funding/", "pk", "contract"),
    (r"^api/v1/people/", "person_id", "person"),
    (r"^api/v1/episodes/", "episode_id", "episode"),
    (r"^api/v1/jobs/", "job_id", "job"),
    (r"^account/api-tokens/", "pk", "api_token"),
    (r"^imports/", "pk", "import_run"),
    (r".", "short_name", "short_name"),
]
_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def _url(route: str, objects: dict) -> str | None:
    if _PARAM.search(route) is None:
        return "/" + route.lstrip("^").rstrip("$")
    if route.startswith("sign-in/set-password/"):
        return None  # public; needs a real token (tests/organisations/test_staff_admin.py)

    def fill(match):
        name = match.group("name")
        for prefix, param, kind in _FILLERS:
            if param == name and re.search(prefix, route) and kind in objects:
                return str(objects[kind])
        raise AssertionError(f"tests/access/test_every_url.py does not know how to fill {route!r}")

    return "/" + _PARAM.sub(fill, route)


def _sensitive(world) -> list[str]:
    people = [world.person_a, world.person_a2, world.person_b, world.person_other]
    return [p.family_name for p in people] + [p.nhs_number for p in people]


def _get(client, url):
    # The API answers only to a bearer token: send the persona's own, where it has one.
    token = getattr(client, "api_token", None)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token and url.startswith("/api/") else {}
    response = client.get(url, **headers)
    assert response.status_code < 500, (url, response.status_code)
    return response


def _with_api_token(client, staff):
    from ipsworks.apitokens.services import create_token

    client.api_token = create_token(staff=staff, name="URL walk", valid_days=None).raw
    return client


def _is_public(route: str) -> bool:
    return route.startswith(PUBLIC_PREFIXES) or route in ("",)


def test_the_url_list_is_not_empty():
    assert len(_routes()) > 40


def test_anonymous_visitors_reach_only_public_pages(world, objects):
    client = Client()
    for route in _routes():
        url = _url(route, objects)
        if url is None or _is_public(route):
            continue
        response = _get(client, url)
        body = response.content.decode(errors="ignore")
        for secret in _sensitive(world):
            assert secret not in body, (url, "anonymous")
        assert response.status_code in (302, 401, 403, 404, 405, 429), (url, response.status_code)


@pytest.mark.parametrize("persona", ["outsider", "commissioner", "admin", "clinician", "es_b"])
def test_no_persona_sees_case_data_out_of_their_scope(world, objects, as_staff, persona):
    """Out of scope: another service's specialist, another team's specialist, non-case roles."""
    client = _with_api_token(as_staff(getattr(world, persona)), getattr(world, persona))
    staff = getattr(world, persona)
    # What each persona may legitimately see by name.
    allowed = {
        "clinician": {
            world.person_a.family_name,
            world.person_a2.family_name,
            world.person_a.nhs_number,
            world.person_a2.nhs_number,
        },
        "es_b": {world.person_b.family_name, world.person_b.nhs_number},
        "outsider": {world.person_other.family_name, world.person_other.nhs_number},
    }.get(persona, set())
    for route in _routes():
        url = _url(route, objects)
        if url is None:
            continue
        body = _get(client, url).content.decode(errors="ignore")
        for secret in _sensitive(world):
            if secret not in allowed:
                assert secret not in body, (url, persona, staff.role)


@pytest.mark.parametrize("persona", ["es_a", "manager"])
def test_in_scope_staff_get_no_server_errors_anywhere(world, objects, as_staff, persona):
    client = _with_api_token(as_staff(getattr(world, persona)), getattr(world, persona))
    for route in _routes():
        url = _url(route, objects)
        if url is not None:
            _get(client, url)


_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
_INLINE_STYLE = re.compile(r"<style[\s>]|\sstyle=", re.IGNORECASE)
_EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+=", re.IGNORECASE)


def _assert_csp_clean(url, response):
    """No inline script, style or event handler: the CSP would block them (issue 8)."""
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return
    body = response.content.decode(errors="ignore")
    for name, pattern in (
        ("inline script", _INLINE_SCRIPT),
        ("inline style", _INLINE_STYLE),
        ("event handler attribute", _EVENT_HANDLER),
    ):
        found = pattern.search(body)
        assert found is None, (url, name, body[max(found.start() - 80, 0) : found.end() + 80])


@pytest.mark.parametrize("persona", ["es_a", "manager", "admin", "commissioner", "clinician"])
def test_no_page_has_inline_script_or_style(world, objects, as_staff, persona):
    client = as_staff(getattr(world, persona))
    for route in _routes():
        url = _url(route, objects)
        if url is not None and not url.startswith("/api/"):
            _assert_csp_clean(url, _get(client, url))


def test_no_public_page_has_inline_script_or_style(world, objects):
    client = Client()
    for route in _routes():
        url = _url(route, objects)
        if url is not None and _is_public(route) and not url.startswith("/api/"):
            _assert_csp_clean(url, _get(client, url))


# Configuration an administrator keeps for their own service (not case data): an empty
# form there may legitimately save the defaults.
_ADMIN_SETTINGS = ("imports.ImportMapping", "organisations.", "public.")


def _case_rows(persona: str) -> dict[str, int]:
    """Row counts of every IPS Works table except the append-only access log."""
    from django.apps import apps

    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model.__module__.startswith("ipsworks.")
        and model._meta.label != "access.AccessLogEntry"
        and not model._meta.proxy
        and not (persona == "admin" and model._meta.label.startswith(_ADMIN_SETTINGS))
    }


@pytest.mark.parametrize("persona", ["outsider", "commissioner", "admin", "clinician", "es_b"])
def test_posts_out_of_scope_write_nothing_and_show_nothing(world, objects, as_staff, persona):
    """Every URL posted to (empty form) by someone out of scope: no data shown, no row written."""
    staff = getattr(world, persona)
    client = as_staff(staff)
    allowed = {
        "clinician": {world.person_a.family_name, world.person_a2.family_name},
        "es_b": {world.person_b.family_name},
        "outsider": {world.person_other.family_name},
    }.get(persona, set())
    before = _case_rows(persona)
    for route in _routes():
        url = _url(route, objects)
        if url is None or _is_public(route) or url.startswith("/api/") or "sign-out" in url:
            continue
        response = client.post(url, {})
        assert response.status_code < 500, (url, persona, response.status_code)
        body = response.content.decode(errors="ignore")
        for secret in _sensitive(world):
            if secret not in allowed and not secret.isdigit():
                assert secret not in body, (url, persona)
    assert _case_rows(persona) == before, persona
