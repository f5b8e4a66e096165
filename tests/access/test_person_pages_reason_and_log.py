"""Every page about one person: the manager's reason first, and an access-log entry per view.

The pages come from the URL configuration (any view wrapped by
``ipsworks.people.pages.person_page``), so a new person page is covered the moment it
is added; and every ``people/<pk>/...`` URL must be wrapped, so one cannot be added without.
"""

import datetime as dt
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ipsworks.access.models import AccessLogEntry
from tests import factories as f

pytestmark = pytest.mark.django_db

# person_detail makes its own checks (its log action depends on the role); the reason page
# is where the checks send people.
_OWN_CHECKS = {"person_detail", "person_reason"}
REASON = {"reason": "cover", "detail": "Priya is on leave"}
REASON_TEXT = "Covering for a colleague: Priya is on leave"


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def _person_page_kind(view) -> str | None:
    while view is not None:
        if hasattr(view, "person_page"):
            return view.person_page
        view = getattr(view, "__wrapped__", None)
    return None


def _person_pages() -> dict[str, tuple[str, str]]:
    """name -> (route, "person" or "object") for every view wrapped by person_page."""
    pages = {}
    for route, pattern in _walk(get_resolver().url_patterns):
        kind = _person_page_kind(pattern.callback)
        if kind:
            pages[pattern.name] = (route, kind)
    return pages


PAGES = _person_pages()


def test_every_page_under_a_person_checks_scope_reason_and_logs():
    unwrapped = [
        pattern.name
        for route, pattern in _walk(get_resolver().url_patterns)
        if route.startswith("people/<int:pk>/")
        and pattern.name not in _OWN_CHECKS
        and pattern.name not in PAGES
    ]
    assert unwrapped == []
    # Pages reached through an object that belongs to one person are wrapped too.
    assert {"job_detail", "job_end", "application_detail", "referral_accept"} <= set(PAGES)


@pytest.fixture
def setting(world):
    """person_a, outside the manager's teams, with a held job on a job-retention referral."""
    from ipsworks.jobs.models import Job
    from tests.matching.factories import (
        ApplicationFactory,
        JobSearchTargetFactory,
        VacancyFactory,
    )

    world.manager.teams.set([world.team_b])
    referral = world.referral_a
    referral.pathway = "job_retention"
    referral.employment_status_at_referral = "01"
    referral.save()
    employer = f.EmployerFactory(service=world.service)
    job = Job.objects.create(
        service=world.service,
        person=world.person_a,
        referral=referral,
        employer=employer,
        job_title="Porter",
        soc_major_group="9",
        contract_type="permanent",
        start_date=referral.received_on - dt.timedelta(days=400),
        hours_per_week=Decimal(20),
        hourly_pay_pence=1300,
        competitive=True,
        four_hours_worked=True,
        held_at_referral=True,
        recorded_by=world.es_a,
    )
    vacancy = VacancyFactory(employer=employer, created_by=world.es_a)
    application = ApplicationFactory(vacancy=vacancy, person=world.person_a, created_by=world.es_a)
    target = JobSearchTargetFactory(person=world.person_a, employer=employer, added_by=world.es_a)
    world.objects = {
        "people/": world.person_a.pk,
        "jobs/": job.pk,
        "education/": f.EducationFactory(referral=world.referral_a, recorded_by=world.es_a).pk,
        "applications/": application.pk,
        "referrals/": referral.pk,
        "target_pk": target.pk,
    }
    return world


def _url(name: str, world) -> str:
    route, _kind = PAGES[name]
    kwargs = {"pk": next(v for k, v in world.objects.items() if route.startswith(k))}
    if "<int:target_pk>" in route:
        kwargs["target_pk"] = world.objects["target_pk"]
    return reverse(name, kwargs=kwargs)


def _reason_url(world) -> str:
    return reverse("person_reason", args=[world.person_a.pk])


def _views(world, url):
    return AccessLogEntry.objects.filter(
        action=AccessLogEntry.Action.VIEW_PERSON, person_id=world.person_a.pk, path=url
    )


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_manager_outside_their_teams_is_asked_why_before_anything_is_shown_or_done(
    setting, as_staff, name
):
    world = setting
    client = as_staff(world.manager)
    url = _url(name, world)
    shows_a_page = client.get(url).status_code != 405
    refused_get = client.get(url)
    refused_post = client.post(url, {})
    assert AccessLogEntry.objects.count() == 0  # nothing shown, nothing written

    if shows_a_page:
        assert refused_get.status_code == 302
        location = urlsplit(refused_get["Location"])
        assert location.path == _reason_url(world)
        assert parse_qs(location.query)["next"] == [url]
    for refused in [refused_post] if refused_post.status_code != 405 else []:
        assert refused.status_code == 302
        assert refused["Location"] == _reason_url(world)

    if not shows_a_page:
        return
    given = client.post(refused_get["Location"], REASON)
    assert given.status_code == 302
    assert given["Location"] == url  # back to the page they asked for
    assert client.get(url).status_code == 200
    reason = AccessLogEntry.objects.get(action=AccessLogEntry.Action.REASON)
    assert (reason.person_id, reason.reason) == (world.person_a.pk, REASON_TEXT)
    assert _views(world, url).count() == 1


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}], ids=["page", "htmx"])
@pytest.mark.parametrize("name", sorted([*PAGES, "person_detail"]))
def test_a_specialist_with_the_person_on_their_caseload_is_logged_on_every_view(
    setting, as_staff, name, headers
):
    """Whatever the headers: ``HX-Request`` once skipped the log on 9 of 10 person pages."""
    world = setting
    client = as_staff(world.es_a)
    url = (
        reverse("person_detail", args=[world.person_a.pk])
        if name == "person_detail"
        else _url(name, world)
    )
    first = client.get(url, headers=headers)
    if first.status_code == 405:
        pytest.skip(f"{name} answers POST only (its service logs the write)")
    assert first.status_code == 200
    assert client.get(url, headers=headers).status_code == 200
    assert _views(world, url).count() == 2
    assert not AccessLogEntry.objects.filter(action=AccessLogEntry.Action.REASON).exists()


def test_the_subject_access_export_needs_the_reason_first(setting, as_staff):
    world = setting
    client = as_staff(world.manager)
    url = reverse("subject_access", args=[world.person_a.pk])
    refused = client.post(url)
    assert refused.status_code == 302
    assert refused["Location"] == _reason_url(world)
    assert refused.get("Content-Type", "").startswith("text/html")
    assert not AccessLogEntry.objects.exists()

    client.post(_reason_url(world), REASON)
    response = client.post(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    exported = AccessLogEntry.objects.get(action=AccessLogEntry.Action.SUBJECT_ACCESS)
    assert exported.person_id == world.person_a.pk


@pytest.mark.parametrize(
    "target", ["https://evil.example/people/", "//evil.example/", "javascript:alert(1)"]
)
def test_the_reason_page_returns_only_to_pages_on_this_site(setting, as_staff, target):
    world = setting
    client = as_staff(world.manager)
    response = client.post(_reason_url(world) + "?next=" + target, REASON)
    assert response["Location"] == reverse("person_detail", args=[world.person_a.pk])


def test_a_person_in_the_managers_own_teams_needs_no_reason(setting, as_staff):
    world = setting
    url = reverse("profile_edit", args=[world.person_b.pk])
    assert as_staff(world.manager).get(url).status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.person_id) == (AccessLogEntry.Action.VIEW_PERSON, world.person_b.pk)


def test_out_of_scope_is_a_404_before_any_reason_is_asked(setting, as_staff):
    world = setting
    url = reverse("profile_edit", args=[world.person_other.pk])
    assert as_staff(world.manager).get(url).status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_every_htmx_update_of_the_better_off_page_is_logged_too(setting, as_staff):
    """An ``HX-Request`` header is the caller's to set: it never skips the access log."""
    world = setting
    client = as_staff(world.es_a)
    url = reverse("person_better_off", args=[world.person_a.pk])
    assert client.get(url).status_code == 200
    fields = {"tax_year": "2025-26", "country": "england", "couple": "single", "age": "30"}
    for hours in ("10", "16", "20"):
        update = client.post(url, {**fields, "hours": hours}, headers={"HX-Request": "true"})
        assert update.status_code == 200
    assert _views(world, url).count() == 4


def test_an_htmx_update_without_the_reason_sends_the_whole_page_to_the_reason_page(
    setting, as_staff
):
    world = setting
    url = reverse("person_better_off", args=[world.person_a.pk])
    response = as_staff(world.manager).post(url, {"hours": "16"}, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == _reason_url(world)
    assert not AccessLogEntry.objects.exists()
