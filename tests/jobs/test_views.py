import datetime as dt

import pytest
from django.urls import reverse

from ipsworks.jobs.models import Job, ReturnToWorkPlan, SupportCheckIn
from ipsworks.jobs.services import JobDetails, record_job, save_return_to_work_plan
from tests import factories as f

pytestmark = pytest.mark.django_db


def _date(prefix, day):
    return {
        f"{prefix}[day]": str(day.day),
        f"{prefix}[month]": str(day.month),
        f"{prefix}[year]": str(day.year),
    }


@pytest.fixture
def employer(world):
    return f.EmployerFactory(service=world.service, name="Riverside Distribution")


def _job_post(chosen_employer, start, **overrides):
    data = {
        "held_at_referral": "new",
        "contract_type": "permanent",
        "employer": str(chosen_employer.pk),
        "job_title": "Warehouse operative",
        "soc_major_group": "9",
        **_date("start_date", start),
        "hours_per_week": "20",
        "hourly_pay": "12.71",
        "open_labour_market": "on",
    }
    data.update(overrides)
    return data


def test_specialist_records_a_job_start_and_sees_support_scheduled(
    world, as_staff, employer, today
):
    client = as_staff(world.es_a)
    response = client.post(reverse("job_new", args=[world.person_a.pk]), _job_post(employer, today))
    job = Job.objects.get()
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    assert job.competitive
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Competitive job" in page
    assert "Weekly check-in (first month)" in page
    assert SupportCheckIn.objects.filter(job=job).count() == 6


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"hours_per_week": "0"}, "Hours a week must be more than 0"),
        ({"hours_per_week": "101"}, "Hours a week must be 100 or fewer"),
        ({"hourly_pay": "-3"}, "hourly pay cannot be negative"),
        ({"hourly_pay": "twelve"}, "Enter the hourly pay in pounds"),
        ({"hourly_pay": "12.715"}, "nearest penny"),
        ({"employer": ""}, "Select the employer, or choose"),
        ({"job_title": ""}, "Enter the job title"),
        ({"start_date[month]": "13"}, "must be a real date"),
    ],
)
def test_bad_job_details_are_refused_and_nothing_is_saved(
    world, as_staff, employer, today, overrides, message
):
    response = as_staff(world.es_a).post(
        reverse("job_new", args=[world.person_a.pk]), _job_post(employer, today, **overrides)
    )
    assert message in response.content.decode()
    assert not Job.objects.exists()
    assert not SupportCheckIn.objects.exists()


def test_an_employer_from_another_service_cannot_be_chosen(world, as_staff, today):
    other = f.EmployerFactory(service=world.other_service)
    response = as_staff(world.es_a).post(
        reverse("job_new", args=[world.person_a.pk]), _job_post(other, today)
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Job.objects.exists()


def test_ending_a_job_on_the_page(world, as_staff, employer, today):
    job = record_job(
        referral=world.referral_a,
        details=JobDetails(
            employer=employer,
            job_title="Driver",
            soc_major_group="8",
            contract_type="temporary",
            start_date=world.referral_a.received_on,
            hours_per_week=16,
            hourly_pay_pence=1400,
        ),
        by=world.es_a,
    )
    client = as_staff(world.es_a)
    bad = client.post(
        reverse("job_end", args=[job.pk]),
        {**_date("end_date", job.start_date - dt.timedelta(days=1)), "end_reason": "resigned"},
    )
    assert "cannot be before the start date" in bad.content.decode()
    good = client.post(
        reverse("job_end", args=[job.pk]),
        {**_date("end_date", today), "end_reason": "contract_ended"},
    )
    assert good.status_code == 302
    job.refresh_from_db()
    assert (job.end_date, job.end_reason) == (today, "contract_ended")


def test_confirming_four_hours_makes_it_count(world, as_staff, employer):
    job = record_job(
        referral=world.referral_a,
        details=JobDetails(
            employer=employer,
            job_title="Driver",
            soc_major_group="8",
            contract_type="permanent",
            start_date=world.referral_a.received_on,
            hours_per_week=16,
            hourly_pay_pence=1400,
        ),
        by=world.es_a,
    )
    as_staff(world.es_a).post(reverse("job_confirm_hours", args=[job.pk]))
    job.refresh_from_db()
    assert job.counts_as_job_start


def test_job_retention_return_to_work_plan(world, as_staff, employer, today):
    world.referral_a.pathway = "job_retention"
    world.referral_a.employment_status_at_referral = "01"
    world.referral_a.save()
    client = as_staff(world.es_a)
    client.post(
        reverse("job_new", args=[world.person_a.pk]),
        _job_post(
            employer,
            world.referral_a.received_on - dt.timedelta(days=900),
            held_at_referral="held",
            hours_per_week="30",
        ),
    )
    job = Job.objects.get()
    assert job.held_at_referral
    assert not job.check_ins.exists()
    url = reverse("return_to_work", args=[world.person_a.pk])
    bad = client.post(url, {**_date("planned_return_on", today), "phased_hours": "12, 16, 120"})
    assert "Week 3: hours must be more than 0 and 100 or fewer" in bad.content.decode()
    response = client.post(
        url,
        {
            **_date("planned_return_on", today),
            "phased_hours": "12, 12, 16, 20, 24, 24, 30, 30",
            "adjustments": "A workplace buddy; time off for appointments",
        },
    )
    assert response.status_code == 302
    plan = ReturnToWorkPlan.objects.get()
    assert plan.phased_hours == [12, 12, 16, 20, 24, 24, 30, 30]
    page = client.get(reverse("person_detail", args=[world.person_a.pk])).content.decode()
    assert "12, 12, 16, 20, 24, 24, 30, 30" in page


@pytest.fixture
def held_job(world, as_staff, employer):
    """A job retention referral for person_a, with the job they held when referred."""
    world.referral_a.pathway = "job_retention"
    world.referral_a.employment_status_at_referral = "01"
    world.referral_a.save()
    as_staff(world.es_a).post(
        reverse("job_new", args=[world.person_a.pk]),
        _job_post(
            employer,
            world.referral_a.received_on - dt.timedelta(days=900),
            held_at_referral="held",
            hours_per_week="30",
        ),
    )
    return Job.objects.get()


def test_a_plan_with_half_hours_shows_them_as_typed_and_saves_again_unchanged(
    world, as_staff, held_job, today
):
    save_return_to_work_plan(
        referral=world.referral_a,
        job=held_job,
        planned_return_on=today,
        phased_hours=[15.0, 20.5, 30.0],  # as the demo data stores them
        adjustments="",
        notes="",
        review_on=None,
        by=world.es_a,
    )
    client = as_staff(world.es_a)
    url = reverse("return_to_work", args=[world.person_a.pk])
    form = client.get(url).content.decode()
    assert "15, 20.5, 30" in form
    assert "15.0" not in form
    response = client.post(
        url, {**_date("planned_return_on", today), "phased_hours": "15, 20.5, 30"}
    )
    assert response.status_code == 302
    assert ReturnToWorkPlan.objects.get(version=2).phased_hours == [15, 20.5, 30]
    page = client.get(reverse("person_detail", args=[world.person_a.pk])).content.decode()
    assert "15, 20.5, 30" in page


def test_a_plan_accepts_seven_and_a_half_hours(world, as_staff, held_job, today):
    response = as_staff(world.es_a).post(
        reverse("return_to_work", args=[world.person_a.pk]),
        {**_date("planned_return_on", today), "phased_hours": "7.5, 12.25, 16"},
    )
    assert response.status_code == 302
    assert ReturnToWorkPlan.objects.get().phased_hours == [7.5, 12.25, 16]


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("12, -1", "Week 2: hours must be more than 0 and 100 or fewer"),
        ("101", "Week 1: hours must be more than 0 and 100 or fewer"),
        ("0", "Week 1: hours must be more than 0 and 100 or fewer"),
        ("12, abc", "Week 2: enter hours as a number, like 16 or 7.5"),
        ("12, nan", "Week 2: enter hours as a number, like 16 or 7.5"),
        ("7.125", "Week 1: use no more than 2 decimal places"),
    ],
)
def test_a_plan_refuses_impossible_hours(world, as_staff, held_job, today, hours, message):
    response = as_staff(world.es_a).post(
        reverse("return_to_work", args=[world.person_a.pk]),
        {**_date("planned_return_on", today), "phased_hours": hours},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReturnToWorkPlan.objects.exists()


@pytest.mark.parametrize(
    ("planned", "review", "field", "message"),
    [
        (dt.date(1901, 1, 1), None, "planned_return_on", "must be on or after 1 January 2000"),
        (dt.date(2099, 12, 1), None, "planned_return_on", "must be within 2 years from today"),
        (
            dt.date.today(),
            dt.date.today() - dt.timedelta(days=1),
            "review_on",
            "The review date must be on or after the planned return",
        ),
        (
            dt.date.today(),
            dt.date.today() + dt.timedelta(days=400),
            "review_on",
            "The review date must be within a year of the planned return",
        ),
    ],
)
def test_a_plan_refuses_impossible_dates(
    world, as_staff, held_job, planned, review, field, message
):
    data = {**_date("planned_return_on", planned), "phased_hours": "12, 16"}
    if review:
        data.update(_date("review_on", review))
    response = as_staff(world.es_a).post(reverse("return_to_work", args=[world.person_a.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert f'href="#{field}' in response.content.decode()
    assert not ReturnToWorkPlan.objects.exists()


def test_a_plan_may_be_recorded_late_and_reviewed_a_month_on(world, as_staff, held_job, today):
    planned = today - dt.timedelta(days=30)
    response = as_staff(world.es_a).post(
        reverse("return_to_work", args=[world.person_a.pk]),
        {
            **_date("planned_return_on", planned),
            "phased_hours": "12, 16",
            **_date("review_on", planned + dt.timedelta(days=28)),
        },
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("colleague_a", 403),
        ("es_b", 404),
        ("outsider", 404),
        ("clinician", 403),
        ("commissioner", 403),
        ("admin", 403),
    ],
)
def test_only_the_caseload_holder_records_jobs(world, as_staff, employer, today, persona, status):
    client = as_staff(getattr(world, persona))
    assert client.get(reverse("job_new", args=[world.person_a.pk])).status_code == status
    assert (
        client.post(
            reverse("job_new", args=[world.person_a.pk]), _job_post(employer, today)
        ).status_code
        == status
    )
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("es_a", 200),
        ("colleague_a", 200),
        ("manager", 200),
        ("es_b", 404),
        ("outsider", 404),
        ("clinician", 403),
        ("commissioner", 403),
    ],
)
def test_job_page_by_persona(world, as_staff, employer, persona, status):
    job = record_job(
        referral=world.referral_a,
        details=JobDetails(
            employer=employer,
            job_title="Driver",
            soc_major_group="8",
            contract_type="permanent",
            start_date=world.referral_a.received_on,
            hours_per_week=16,
            hourly_pay_pence=1400,
        ),
        by=world.es_a,
    )
    assert (
        as_staff(getattr(world, persona)).get(reverse("job_detail", args=[job.pk])).status_code
        == status
    )


def test_colleague_cannot_end_someone_elses_job(world, as_staff, employer, today):
    job = record_job(
        referral=world.referral_a,
        details=JobDetails(
            employer=employer,
            job_title="Driver",
            soc_major_group="8",
            contract_type="permanent",
            start_date=world.referral_a.received_on,
            hours_per_week=16,
            hourly_pay_pence=1400,
        ),
        by=world.es_a,
    )
    response = as_staff(world.colleague_a).post(
        reverse("job_end", args=[job.pk]), {**_date("end_date", today), "end_reason": "resigned"}
    )
    assert response.status_code == 403
    job.refresh_from_db()
    assert job.end_date is None


def test_job_action_urls_refuse_get(world, as_staff, employer):
    job = record_job(
        referral=world.referral_a,
        details=JobDetails(
            employer=employer,
            job_title="Driver",
            soc_major_group="8",
            contract_type="permanent",
            start_date=world.referral_a.received_on,
            hours_per_week=16,
            hourly_pay_pence=1400,
        ),
        by=world.es_a,
    )
    client = as_staff(world.es_a)
    for name in ("job_end", "job_pay_change", "job_confirm_hours"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 405


def test_caseload_shows_in_work_and_overdue_support(world, as_staff, employer, today):
    start = today - dt.timedelta(days=12)
    world.referral_a.received_on = start - dt.timedelta(days=5)
    world.referral_a.save()
    f.EpisodeFactory(referral=world.referral_a, access_date=start - dt.timedelta(days=4))
    record_job(
        referral=world.referral_a,
        details=JobDetails(
            employer=employer,
            job_title="Driver",
            soc_major_group="8",
            contract_type="permanent",
            start_date=start,
            hours_per_week=16,
            hourly_pay_pence=1400,
        ),
        by=world.es_a,
    )
    page = as_staff(world.es_a).get(reverse("caseload")).content.decode()
    assert "In work" in page
    assert "In-work support overdue" in page


# --- Access to Work in the return-to-work plan ---------------------------------------------


def _access_to_work(world, person, employer, **fields):
    from ipsworks.employers.models import AccessToWorkApplication

    return AccessToWorkApplication.objects.create(
        service=world.service, employer=employer, person=person, staff=world.es_a, **fields
    )


def test_the_plan_page_lists_the_persons_access_to_work_and_not_anyone_elses(
    world, as_staff, held_job, today
):
    other_employer = f.EmployerFactory(service=world.service, name="Oakfield Bakery")
    approved = _access_to_work(
        world,
        world.person_a,
        other_employer,
        support_type="mhss",
        status="approved",
        submitted_on=today - dt.timedelta(days=30),
        decided_on=today,
        amount_pence=125000,
    )
    _access_to_work(world, world.person_a2, held_job.employer, support_type="travel")
    page = (
        as_staff(world.es_a)
        .get(reverse("return_to_work", args=[world.person_a.pk]))
        .content.decode()
    )
    assert "Mental Health Support Service" in page
    assert "Oakfield Bakery" in page
    assert "£1,250.00 a year" in page
    assert "Approved" in page
    assert "Travel to work" not in page
    new_link = reverse("access_to_work_new", args=[held_job.employer_id])
    assert f"{new_link}?person={world.person_a.pk}" in page
    assert reverse("access_to_work_edit", args=[other_employer.pk, approved.pk]) in page


def test_the_plan_page_says_when_there_is_no_access_to_work(world, as_staff, held_job):
    page = (
        as_staff(world.es_a)
        .get(reverse("return_to_work", args=[world.person_a.pk]))
        .content.decode()
    )
    assert "No Access to Work applications recorded" in page


def test_access_to_work_costs_no_query_per_application(
    world, as_staff, held_job, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_staff(world.es_a)
    url = reverse("return_to_work", args=[world.person_a.pk])
    _access_to_work(world, world.person_a, held_job.employer, support_type="mhss")
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for kind in ("travel", "equipment", "support_worker"):
        employer = f.EmployerFactory(service=world.service)
        _access_to_work(world, world.person_a, employer, support_type=kind)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert "Specialist equipment or adaptations" in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [("es_b", 404), ("outsider", 404), ("clinician", 403), ("commissioner", 403)],
)
def test_the_plan_page_and_its_access_to_work_are_not_shown_out_of_scope(
    world, as_staff, held_job, persona, status
):
    _access_to_work(world, world.person_a, held_job.employer, support_type="mhss")
    response = as_staff(getattr(world, persona)).get(
        reverse("return_to_work", args=[world.person_a.pk])
    )
    assert response.status_code == status
    assert "Mental Health Support Service" not in response.content.decode()


def test_the_person_page_shows_access_to_work_with_the_plan(world, as_staff, held_job, today):
    save_return_to_work_plan(
        referral=world.referral_a,
        job=held_job,
        planned_return_on=today,
        phased_hours=[12, 16],
        adjustments="Later start",
        notes="",
        review_on=None,
        by=world.es_a,
    )
    _access_to_work(world, world.person_a, held_job.employer, support_type="travel")
    _access_to_work(world, world.person_a2, held_job.employer, support_type="equipment")
    page = as_staff(world.es_a).get(reverse("person_detail", args=[world.person_a.pk]))
    body = page.content.decode()
    assert "Travel to work" in body
    assert "Specialist equipment or adaptations" not in body
    assert (
        f"{reverse('access_to_work_new', args=[held_job.employer_id])}?person={world.person_a.pk}"
        in body
    )
    # A colleague in the team sees the applications read-only: no link to add one.
    colleague = as_staff(world.colleague_a).get(reverse("person_detail", args=[world.person_a.pk]))
    assert "Travel to work" in colleague.content.decode()
    assert reverse("access_to_work_new", args=[held_job.employer_id]) not in (
        colleague.content.decode()
    )


def test_the_access_to_work_form_picks_the_person_from_the_plan_link(world, as_staff, held_job):
    url = reverse("access_to_work_new", args=[held_job.employer_id])
    page = as_staff(world.es_a).get(url, {"person": world.person_a.pk}).content.decode()
    assert f'value="{world.person_a.pk}" selected' in page
    # Someone not on the specialist's list cannot be picked this way.
    other = as_staff(world.es_a).get(url, {"person": world.person_b.pk}).content.decode()
    assert f'value="{world.person_b.pk}"' not in other


def _live_job(world, employer):
    return record_job(
        referral=world.referral_a,
        details=JobDetails(
            employer=employer,
            job_title="Driver",
            soc_major_group="8",
            contract_type="permanent",
            start_date=world.referral_a.received_on,
            hours_per_week=16,
            hourly_pay_pence=1400,
        ),
        by=world.es_a,
    )


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ({"hourly_pay": "14.50"}, (1450, 16)),  # a pay rise, same hours
        ({"hours_per_week": "20"}, (1400, 20)),  # more hours, same pay
        ({"hourly_pay": "15", "hours_per_week": "25"}, (1500, 25)),
    ],
)
def test_a_pay_only_or_hours_only_change_keeps_the_rest(
    world, as_staff, employer, today, typed, kept
):
    job = _live_job(world, employer)
    response = as_staff(world.es_a).post(
        reverse("job_pay_change", args=[job.pk]), {**_date("effective_on", today), **typed}
    )
    assert response.status_code == 302
    change = job.pay_changes.get()
    assert (change.hourly_pay_pence, change.hours_per_week) == kept


def test_a_pay_change_needs_pay_or_hours(world, as_staff, employer, today):
    job = _live_job(world, employer)
    page = (
        as_staff(world.es_a)
        .post(reverse("job_pay_change", args=[job.pk]), _date("effective_on", today))
        .content.decode()
    )
    assert "Enter the new hourly pay, the new hours a week, or both" in page
    assert not job.pay_changes.exists()


def test_ending_a_job_is_an_action_not_a_heading(world, as_staff, employer):
    job = _live_job(world, employer)
    page = as_staff(world.es_a).get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "The job has ended" not in page
    assert '<span class="nhsuk-details__summary-text">End this job</span>' in page
    assert 'id="end-job" open' not in page  # closed until they choose it
