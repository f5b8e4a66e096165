"""Every matching page: happy path, anonymous, out of scope (404), wrong role (403), wrong
method (405); bad input refused with nothing saved."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from ipsworks.access.models import AccessLogEntry
from ipsworks.jobs.models import Job
from ipsworks.matching.models import Application, JobSearchTarget, Vacancy
from tests import factories as f
from tests.matching.factories import ApplicationFactory, JobSearchTargetFactory, VacancyFactory

pytestmark = pytest.mark.django_db


def _date(prefix, day):
    return {
        f"{prefix}[day]": str(day.day),
        f"{prefix}[month]": str(day.month),
        f"{prefix}[year]": str(day.year),
    }


@pytest.fixture
def setting(world):
    """Sam (person_a) wants warehouse work in the afternoons; a distribution centre is hiring."""
    s = type("Setting", (), {})()
    f.VocationalProfileFactory(
        person=world.person_a,
        recorded_by=world.es_a,
        kinds_of_work="Warehouse or delivery work",
        hours_min=16,
        hours_max=20,
        unsuitable_times=["early_morning"],
        jobs_not_to_repeat="Call centres",
        travel_max_miles=5,
    )
    f.DisclosurePlanFactory(
        person=world.person_a, recorded_by=world.es_a, employer_contact_allowed=True
    )
    f.VocationalProfileFactory(
        person=world.person_a2, recorded_by=world.colleague_a, kinds_of_work="Care work"
    )
    s.employer = f.EmployerFactory(service=world.service, name="Riverside Distribution")
    s.vacancy = VacancyFactory(
        employer=s.employer, title="Warehouse operative", created_by=world.es_a
    )
    s.call_centre = VacancyFactory(
        employer=s.employer,
        title="Call centre adviser",
        soc_major_group="7",
        times_of_day=["early_morning", "morning"],
        created_by=world.es_a,
    )
    s.other_vacancy = VacancyFactory(
        employer=f.EmployerFactory(service=world.other_service), created_by=world.outsider
    )
    s.application = ApplicationFactory(
        person=world.person_a, vacancy=s.call_centre, created_by=world.es_a
    )
    s.target = JobSearchTargetFactory(
        person=world.person_a, employer=s.employer, added_by=world.es_a
    )
    return s


def _urls(world, s):
    return {
        "vacancy_list": reverse("vacancy_list"),
        "vacancy_new": reverse("vacancy_new"),
        "vacancy_import": reverse("vacancy_import"),
        "vacancy_detail": reverse("vacancy_detail", args=[s.vacancy.pk]),
        "application_new": reverse("application_new", args=[s.vacancy.pk]),
        "application_detail": reverse("application_detail", args=[s.application.pk]),
        "job_search": reverse("job_search", args=[world.person_a.pk]),
    }


ALL = ["vacancy_list", "vacancy_new", "vacancy_import", "vacancy_detail", "application_new"]
PERSON_PAGES = ["application_detail", "job_search"]
EXPECTED = {
    "es_a": dict.fromkeys(ALL + PERSON_PAGES, 200),
    "manager": dict.fromkeys(ALL + PERSON_PAGES, 200),
    # Same team as Sam: may read his job search, not change it.
    "colleague_a": dict.fromkeys(ALL + PERSON_PAGES, 200),
    # Another team: vacancies are the service's, Sam is out of scope.
    "es_b": {**dict.fromkeys(ALL, 200), **dict.fromkeys(PERSON_PAGES, 404)},
    "clinician": dict.fromkeys(ALL + PERSON_PAGES, 403),
    "commissioner": dict.fromkeys(ALL + PERSON_PAGES, 403),
    "admin": dict.fromkeys(ALL + PERSON_PAGES, 403),
    # Another service: same-service pages load, this service's vacancy and Sam do not exist.
    "outsider": {
        **dict.fromkeys(["vacancy_list", "vacancy_new", "vacancy_import"], 200),
        **dict.fromkeys(["vacancy_detail", "application_new", *PERSON_PAGES], 404),
    },
}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_who_may_open_each_page(world, setting, as_staff, persona):
    client = as_staff(getattr(world, persona))
    urls = _urls(world, setting)
    got = {name: client.get(urls[name]).status_code for name in EXPECTED[persona]}
    assert got == EXPECTED[persona]


def test_anonymous_visitors_are_sent_to_sign_in(world, setting):
    client = Client()
    urls = _urls(world, setting)
    urls["vacancy_status"] = reverse("vacancy_status", args=[setting.vacancy.pk])
    urls["target_add"] = reverse("job_search_target_add", args=[world.person_a.pk])
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name


def test_wrong_methods_are_refused(world, setting, as_staff):
    client = as_staff(world.es_a)
    urls = _urls(world, setting)
    for name in ("vacancy_list", "vacancy_detail", "job_search"):
        assert client.post(urls[name]).status_code == 405, name
    for name in ("vacancy_new", "vacancy_import", "application_new", "application_detail"):
        assert client.put(urls[name]).status_code == 405, name
    for url in (
        reverse("vacancy_status", args=[setting.vacancy.pk]),
        reverse("job_search_target_add", args=[world.person_a.pk]),
        reverse("job_search_target_remove", args=[world.person_a.pk, setting.target.pk]),
    ):
        assert client.get(url).status_code == 405, url


def test_post_only_pages_refuse_wrong_roles_and_scope(world, setting, as_staff):
    status_url = reverse("vacancy_status", args=[setting.vacancy.pk])
    add_url = reverse("job_search_target_add", args=[world.person_a.pk])
    remove_url = reverse("job_search_target_remove", args=[world.person_a.pk, setting.target.pk])
    for persona in ("clinician", "commissioner", "admin"):
        client = as_staff(getattr(world, persona))
        for url in (status_url, add_url, remove_url):
            assert client.post(url, {"status": "filled"}).status_code == 403, (persona, url)
    outsider = as_staff(world.outsider)
    for url in (status_url, add_url, remove_url):
        assert outsider.post(url, {"status": "filled"}).status_code == 404, url
    colleague = as_staff(world.colleague_a)
    assert colleague.post(add_url, {"employer": setting.employer.pk}).status_code == 403
    assert colleague.post(remove_url).status_code == 403
    setting.vacancy.refresh_from_db()
    assert setting.vacancy.status == "open"


# --- Vacancies -----------------------------------------------------------------------------


def _vacancy_form(employer, **changes):
    data = {
        "employer": str(employer.pk),
        "title": "Picker packer",
        "soc_major_group": "9",
        "hours_min": "16",
        "hours_max": "20",
        "times_of_day": ["afternoon"],
        "hourly_pay": "12.71",
        "postcode": "ls1 4ap",
        "source": "employer_contact",
        **_date("closing_date", dt.date.today() + dt.timedelta(days=20)),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_specialist_adds_a_vacancy_and_sees_who_it_suits(world, setting, as_staff):
    client = as_staff(world.es_a)
    response = client.post(reverse("vacancy_new"), _vacancy_form(setting.employer))
    vacancy = Vacancy.objects.get(title="Picker packer")
    assert response["Location"] == reverse("vacancy_detail", args=[vacancy.pk])
    assert (vacancy.postcode, vacancy.hourly_pay_pence, vacancy.created_by) == (
        "LS1 4AP",
        1271,
        world.es_a,
    )
    page = client.get(response["Location"]).content.decode()
    assert world.person_a.full_name in page
    assert "Fits: kind of work" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (_date("closing_date", dt.date.today() - dt.timedelta(days=1)), "today or in the future"),
        (_date("closing_date", dt.date(9999, 12, 31)), "within 2 years of today"),
        ({"hours_min": "101"}, "between 0 and 100"),
        ({"hours_min": "-2"}, "between 0 and 100"),
        ({"hours_max": "8"}, "cannot be fewer than the fewest"),
        ({"hourly_pay": "-3.00"}, "Hourly pay cannot be negative"),
        ({"postcode": "NOPE"}, "real UK postcode"),
        ({"title": ""}, "Enter the job title"),
        ({"source": None}, "Select where the vacancy came from"),
        ({"annual_pay": "24000"}, "Enter the hourly pay or the yearly salary, not both"),
        ({"hourly_pay": "", "annual_pay": "-24000"}, "The yearly salary cannot be negative"),
        ({"hourly_pay": "", "annual_pay": "600000"}, "over £500,000 looks wrong"),
        ({"hourly_pay": "", "annual_pay": "0.01"}, "works out at £0.00 an hour"),
    ],
)
def test_bad_vacancy_details_are_refused(world, setting, as_staff, changes, message):
    response = as_staff(world.es_a).post(
        reverse("vacancy_new"), _vacancy_form(setting.employer, **changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Vacancy.objects.filter(title="Picker packer").exists()


def test_a_yearly_salary_is_kept_as_advertised_with_the_hourly_pay_worked_out(
    world, setting, as_staff
):
    client = as_staff(world.es_a)
    data = _vacancy_form(setting.employer, hours_min="35", hours_max="37.5", hourly_pay="")
    response = client.post(reverse("vacancy_new"), {**data, "annual_pay": "£24,000"})
    vacancy = Vacancy.objects.get(title="Picker packer")
    # £24,000 over 52 weeks of the most hours (37.5): £12.3077 an hour, to the penny.
    assert (vacancy.annual_pay_pence, vacancy.hourly_pay_pence) == (2_400_000, 1231)
    page = client.get(response["Location"]).content.decode()
    assert "£24,000 a year (about £12.31 an hour)" in page
    edit = client.get(reverse("vacancy_edit", args=[vacancy.pk])).content.decode()
    assert 'name="annual_pay" type="text" value="24000.00"' in edit
    hourly_input = edit[edit.index('name="hourly_pay"') :].split(">", 1)[0]
    assert "value=" not in hourly_input or 'value=""' in hourly_input
    # Corrected to an hourly rate: the salary goes, the hourly rate is what was typed.
    client.post(
        reverse("vacancy_edit", args=[vacancy.pk]),
        {**data, "hourly_pay": "13.00", "annual_pay": ""},
    )
    vacancy.refresh_from_db()
    assert (vacancy.annual_pay_pence, vacancy.hourly_pay_pence) == (None, 1300)


def test_an_employer_from_another_service_cannot_be_chosen(world, setting, as_staff):
    elsewhere = f.EmployerFactory(service=world.other_service)
    response = as_staff(world.es_a).post(reverse("vacancy_new"), _vacancy_form(elsewhere))
    assert "Select a valid choice" in response.content.decode()
    assert not Vacancy.objects.filter(title="Picker packer").exists()


def test_the_list_filters_by_status_and_search(world, setting, as_staff):
    VacancyFactory(
        employer=setting.employer, title="Forklift driver", status="filled", created_by=world.es_a
    )
    client = as_staff(world.es_a)
    page = client.get(reverse("vacancy_list")).content.decode()
    assert "Warehouse operative" in page
    assert "Forklift driver" not in page
    assert setting.other_vacancy.title not in page
    page = client.get(reverse("vacancy_list"), {"status": "filled"}).content.decode()
    assert "Forklift driver" in page
    assert "Warehouse operative" not in page
    page = client.get(reverse("vacancy_list"), {"status": "all", "q": "call"}).content.decode()
    assert "Call centre adviser" in page
    assert "Warehouse operative" not in page


def test_a_vacancy_is_marked_filled(world, setting, as_staff):
    response = as_staff(world.manager).post(
        reverse("vacancy_status", args=[setting.vacancy.pk]), {"status": "filled"}
    )
    assert response.status_code == 302
    setting.vacancy.refresh_from_db()
    assert setting.vacancy.status == "filled"


# --- Matching pages ------------------------------------------------------------------------


def test_the_vacancy_page_ranks_people_in_scope_and_marks_disclosure(world, setting, as_staff):
    page = as_staff(world.es_a).get(reverse("vacancy_detail", args=[setting.vacancy.pk]))
    text = page.content.decode()
    sam, colleague_person = world.person_a.full_name, world.person_a2.full_name
    assert text.index(sam) < text.index(colleague_person)
    assert "Your caseload" in text
    assert f"On {world.colleague_a.display_name}" in text
    assert "No disclosure plan yet" in text
    assert world.person_b.full_name not in text
    assert world.person_other.full_name not in text
    assert f"?person={world.person_a.pk}" in text
    assert f"?person={world.person_a2.pk}" not in text  # not theirs to change


def test_someone_who_has_not_agreed_to_employer_contact_is_marked_not_hidden(
    world, setting, as_staff
):
    f.DisclosurePlanFactory(
        person=world.person_a, recorded_by=world.es_a, version=2, employer_contact_allowed=False
    )
    text = as_staff(world.es_a).get(reverse("vacancy_detail", args=[setting.vacancy.pk]))
    assert world.person_a.full_name in text.content.decode()
    assert "Not agreed to employer contact" in text.content.decode()


def test_the_vacancy_page_costs_the_same_queries_for_more_people(
    world, setting, as_staff, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_staff(world.manager)
    url = reverse("vacancy_detail", args=[setting.vacancy.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(6):
        referral = f.ReferralFactory(
            person=f.PersonFactory(service=world.service),
            team=world.team_a,
            allocated_to=world.es_a,
            status="accepted",
        )
        f.VocationalProfileFactory(person=referral.person, recorded_by=world.es_a)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_job_search_page_ranks_vacancies_with_reasons(world, setting, as_staff):
    response = as_staff(world.es_a).get(reverse("job_search", args=[world.person_a.pk]))
    text = response.content.decode()
    ranked = text[text.index("Open vacancies that fit") :]
    assert ranked.index("Warehouse operative") < ranked.index("Call centre adviser")
    assert "Fits: kind of work (like ‘warehouse’)" in text
    assert "which they do not want to repeat" in text
    assert "early morning (before 8am)" in text
    assert "postcode directory has not been loaded" in text
    assert setting.other_vacancy.title not in text
    assert AccessLogEntry.objects.filter(
        action=AccessLogEntry.Action.VIEW_PERSON, person_id=world.person_a.pk
    ).exists()


def test_a_colleague_sees_the_job_search_without_ways_to_change_it(world, setting, as_staff):
    text = as_staff(world.colleague_a).get(reverse("job_search", args=[world.person_a.pk]))
    assert "Record an application" not in text.content.decode()
    assert "Add employer" not in text.content.decode()


# --- Applications --------------------------------------------------------------------------


def test_recording_an_application_from_the_vacancy_page(world, setting, as_staff, today):
    client = as_staff(world.es_a)
    url = reverse("application_new", args=[setting.vacancy.pk])
    form = client.get(url, {"person": world.person_a.pk}).content.decode()
    assert f'value="{world.person_a.pk}" selected' in form
    response = client.post(
        url, {"person": str(world.person_a.pk), **_date("applied_on", today), "note": "CV sent"}
    )
    application = Application.objects.get(vacancy=setting.vacancy)
    assert response["Location"] == reverse("application_detail", args=[application.pk])
    assert (application.person, application.status) == (world.person_a, "applied")


def test_a_manager_outside_their_teams_says_why_before_recording_an_application(
    world, setting, as_staff, today
):
    from urllib.parse import urlencode

    world.manager.teams.set([world.team_b])  # person_a is in team A
    client = as_staff(world.manager)
    url = reverse("application_new", args=[setting.vacancy.pk])
    data = {"person": str(world.person_a.pk), **_date("applied_on", today), "note": "CV sent"}
    response = client.post(url, data)
    back = url + "?" + urlencode({"person": world.person_a.pk})
    assert response["Location"] == (
        reverse("person_reason", args=[world.person_a.pk]) + "?" + urlencode({"next": back})
    )
    mine = Application.objects.filter(vacancy=setting.vacancy, person=world.person_a)
    assert not mine.exists()  # nothing written without a reason
    given = client.post(
        reverse("person_reason", args=[world.person_a.pk]),
        {"reason": "cover", "detail": "Covering the caseload", "next": back},
    )
    assert given["Location"] == back
    assert client.post(url, data).status_code == 302
    assert mine.count() == 1
    assert AccessLogEntry.objects.filter(
        action="reason", person_id=world.person_a.pk, reason__contains="Covering the caseload"
    ).exists()


def test_a_manager_in_the_persons_team_is_not_asked_why(world, setting, as_staff, today):
    world.manager.teams.set([world.team_a])
    response = as_staff(world.manager).post(
        reverse("application_new", args=[setting.vacancy.pk]),
        {"person": str(world.person_a.pk), **_date("applied_on", today)},
    )
    application = Application.objects.get(vacancy=setting.vacancy, person=world.person_a)
    assert response["Location"] == reverse("application_detail", args=[application.pk])


@pytest.mark.parametrize(
    ("days", "message"), [(1, "must be today or in the past"), (None, "Enter the date")]
)
def test_bad_application_dates_are_refused(world, setting, as_staff, today, days, message):
    data = {"person": str(world.person_a.pk)}
    if days is not None:
        data.update(_date("applied_on", today + dt.timedelta(days=days)))
    response = as_staff(world.es_a).post(
        reverse("application_new", args=[setting.vacancy.pk]), data
    )
    assert message in response.content.decode()
    assert not Application.objects.filter(vacancy=setting.vacancy).exists()


def test_someone_off_my_caseload_cannot_be_chosen(world, setting, as_staff, today):
    response = as_staff(world.es_a).post(
        reverse("application_new", args=[setting.vacancy.pk]),
        {"person": str(world.person_a2.pk), **_date("applied_on", today)},
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Application.objects.filter(vacancy=setting.vacancy).exists()


def test_an_accepted_offer_leads_straight_to_recording_the_job_start(
    world, setting, as_staff, today
):
    client = as_staff(world.es_a)
    url = reverse("application_detail", args=[setting.application.pk])
    for status in ("interview", "offer"):
        assert (
            client.post(url, {"status": status, **_date("effective_on", today)}).status_code == 302
        )
    response = client.post(url, {"status": "accepted", **_date("effective_on", today)})
    location = urlsplit(response["Location"])
    assert location.path == reverse("job_new", args=[world.person_a.pk])
    assert parse_qs(location.query) == {
        "application": [str(setting.application.pk)],
        "employer": [str(setting.employer.pk)],
        "title": ["Call centre adviser"],
        "soc": ["7"],
        "hours": ["20"],
        "pay": ["12.71"],
    }
    job_form = client.get(response["Location"]).content.decode()
    assert 'value="Call centre adviser"' in job_form
    assert 'value="12.71"' in job_form
    page = client.get(url).content.decode()
    assert "Record the job start" in page


# --- From an accepted offer to the job start -----------------------------------------------


def _job_post(setting, today, offer, **overrides):
    return {
        "held_at_referral": "new",
        "contract_type": "permanent",
        "employer": str(setting.employer.pk),
        "job_title": "Call centre adviser",
        "soc_major_group": "7",
        **_date("start_date", today),
        "hours_per_week": "20",
        "hourly_pay": "12.71",
        "open_labour_market": "on",
        "application": str(offer.pk),
        **overrides,
    }


def _accepted(person, vacancy, by):
    return ApplicationFactory(person=person, vacancy=vacancy, created_by=by, status="accepted")


def test_recording_the_job_from_an_accepted_offer_links_it_and_fills_the_vacancy(
    world, setting, as_staff, today
):
    client = as_staff(world.es_a)
    url = reverse("application_detail", args=[setting.application.pk])
    for status in ("interview", "offer", "accepted"):
        response = client.post(url, {"status": status, **_date("effective_on", today)})
    job_form = client.get(response["Location"]).content.decode()
    assert f'name="application" value="{setting.application.pk}"' in job_form
    assert "From the accepted job offer" in job_form

    saved = client.post(response["Location"], _job_post(setting, today, setting.application))

    job = Job.objects.get()
    assert saved["Location"] == reverse("job_detail", args=[job.pk])
    assert job.application == setting.application
    setting.call_centre.refresh_from_db()
    assert setting.call_centre.status == Vacancy.Status.FILLED
    page = client.get(url).content.decode()
    assert "Record the job start" not in page
    assert reverse("job_detail", args=[job.pk]) in page
    # A stale link to the job start form goes to the job already recorded.
    again = client.get(response["Location"])
    assert again["Location"] == reverse("job_detail", args=[job.pk])


def test_a_job_cannot_be_recorded_twice_from_the_same_offer(world, setting, as_staff, today):
    offer = _accepted(world.person_a, setting.vacancy, world.es_a)
    client = as_staff(world.es_a)
    url = reverse("job_new", args=[world.person_a.pk])
    assert client.post(url, _job_post(setting, today, offer)).status_code == 302

    response = client.post(url, _job_post(setting, today, offer, job_title="Again"))

    assert response.status_code == 200
    assert "A job has already been recorded from this job offer" in response.content.decode()
    assert Job.objects.count() == 1


@pytest.mark.parametrize("whose", ["person_a2", "person_other"])
def test_someone_elses_offer_is_refused_and_nothing_is_saved(
    world, setting, as_staff, today, whose
):
    """person_a2 is in es_a's scope (team A, read-only) but is not the person whose job this
    is; person_other is in another service."""
    person = getattr(world, whose)
    vacancy = setting.vacancy if whose == "person_a2" else setting.other_vacancy
    offer = _accepted(person, vacancy, world.es_a)

    response = as_staff(world.es_a).post(
        reverse("job_new", args=[world.person_a.pk]), _job_post(setting, today, offer)
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "not one of this person&#39;s applications" in page
    assert not Job.objects.exists()
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.OPEN


@pytest.mark.parametrize(
    ("status", "overrides", "message"),
    [
        ("offer", {}, "has not been accepted"),
        ("accepted", {"held_at_referral": "held"}, "is a new job, not the job they had"),
        ("accepted", {"application": "abc"}, "not one of this person&#39;s applications"),
    ],
)
def test_an_offer_not_accepted_or_a_retention_job_is_refused(
    world, setting, as_staff, today, status, overrides, message
):
    offer = ApplicationFactory(
        person=world.person_a, vacancy=setting.vacancy, created_by=world.es_a, status=status
    )
    response = as_staff(world.es_a).post(
        reverse("job_new", args=[world.person_a.pk]),
        _job_post(setting, today, offer, **overrides),
    )
    assert message in response.content.decode()
    assert not Job.objects.exists()
    setting.vacancy.refresh_from_db()
    assert setting.vacancy.status == Vacancy.Status.OPEN


@pytest.mark.parametrize(("persona", "status"), [("es_b", 404), ("outsider", 404)])
def test_recording_a_job_from_an_offer_out_of_scope_is_not_found(
    world, setting, as_staff, today, persona, status
):
    offer = _accepted(world.person_a, setting.vacancy, world.es_a)
    client = as_staff(getattr(world, persona))
    url = reverse("job_new", args=[world.person_a.pk])
    assert client.get(url, {"application": offer.pk}).status_code == status
    assert client.post(url, _job_post(setting, today, offer)).status_code == status
    assert not Job.objects.exists()


def test_an_illegal_move_is_refused_on_the_page(world, setting, as_staff, today):
    response = as_staff(world.es_a).post(
        reverse("application_detail", args=[setting.application.pk]),
        {"status": "accepted", **_date("effective_on", today)},
    )
    assert "Select a valid choice" in response.content.decode()
    setting.application.refresh_from_db()
    assert setting.application.status == "applied"


def test_a_colleague_cannot_move_an_application(world, setting, as_staff, today):
    response = as_staff(world.colleague_a).post(
        reverse("application_detail", args=[setting.application.pk]),
        {"status": "interview", **_date("effective_on", today)},
    )
    assert response.status_code == 403


# --- Targets -------------------------------------------------------------------------------


def test_employers_and_jobs_are_added_to_and_taken_off_the_job_search(world, setting, as_staff):
    client = as_staff(world.es_a)
    other = f.EmployerFactory(service=world.service, name="Greenway Garden Centre")
    add = reverse("job_search_target_add", args=[world.person_a.pk])
    assert client.post(add, {"employer": other.pk, "note": "Loves plants"}).status_code == 302
    assert client.post(add, {"vacancy": setting.vacancy.pk}).status_code == 302
    assert client.post(add, {"vacancy": setting.other_vacancy.pk}).status_code == 404
    assert client.post(add, {"vacancy": "x"}).status_code == 404
    active = JobSearchTarget.objects.filter(person=world.person_a, removed_at__isnull=True)
    assert active.count() == 3
    remove = reverse("job_search_target_remove", args=[world.person_a.pk, setting.target.pk])
    assert client.post(remove).status_code == 302
    assert active.count() == 2
    page = client.get(reverse("job_search", args=[world.person_a.pk])).content.decode()
    assert "Greenway Garden Centre" in page
    assert "Loves plants" in page
