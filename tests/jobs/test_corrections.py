"""Correcting a job recorded wrongly (issue 18): the reason kept as history and audited, the
competitive-job decision made again, and every figure built on it following."""

import datetime as dt

import pytest
from django.urls import reverse

from ipsworks.access.models import AccessLogEntry
from ipsworks.jobs.models import JobCorrection, SupportCheckIn
from ipsworks.jobs.services import JobDetails, correct_job, end_job, record_job
from ipsworks.outcomes import funding
from ipsworks.outcomes.models import PaymentEvent, ReferralFacts
from ipsworks.people import timeline
from tests import factories as f
from tests.outcomes.test_exports_and_funding import hold_evidence

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


@pytest.fixture
def start(world):
    """The day the job started: a week after the person's access to IPS."""
    referral = world.referral_a
    f.EpisodeFactory(referral=referral, access_date=referral.received_on)
    return referral.received_on + dt.timedelta(days=7)


def _details(employer, start, **changes):
    fields = {
        "employer": employer,
        "job_title": "Warehouse operative",
        "soc_major_group": "9",
        "contract_type": "permanent",
        "start_date": start,
        "hours_per_week": 20,
        "hourly_pay_pence": 1271,
        "four_hours_worked": True,
    }
    return JobDetails(**{**fields, **changes})


def _contract(world, start):
    """A contract paying for job starts, over the job's dates."""
    return funding.create_contract(
        service=world.service,
        name="Social outcomes contract",
        funder="Test ICB",
        starts_on=start - dt.timedelta(days=60),
        ends_on=start + dt.timedelta(days=700),
        rates={PaymentEvent.JOB_START: 100000},
        by=world.manager,
    )


def _claim_job_start(world, contract):
    """The manager marks the job start's evidence held and claims it."""
    keys = hold_evidence(world.manager, contract, [funding.claimable_events(contract)[0].key])
    return funding.build_claim(contract=contract, keys=keys, by=world.manager)


def _mistyped_job(world, employer, start):
    """The issue's job: £9.50 typed for £12.71, so under the minimum wage."""
    return record_job(
        referral=world.referral_a,
        details=_details(employer, start, hourly_pay_pence=950),
        by=world.es_a,
    )


def _post(chosen, start, **overrides):
    data = {
        "held_at_referral": "new",
        "contract_type": "permanent",
        "employer": str(chosen.pk),
        "job_title": "Warehouse operative",
        "soc_major_group": "9",
        **_date("start_date", start),
        "hours_per_week": "20",
        "hourly_pay": "12.71",
        "open_labour_market": "on",
        "four_hours_worked": "on",
        "reason": "The pay was mistyped: the payslip says £12.71 an hour",
    }
    data.update(overrides)
    return data


def test_a_mistyped_pay_is_corrected_and_the_job_becomes_a_job_start(
    world, as_staff, employer, start
):
    job = _mistyped_job(world, employer, start)
    client = as_staff(world.es_a)
    before = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Does not count as a job start" in before
    assert ReferralFacts.objects.get(referral=world.referral_a).first_job_start is None

    form = client.get(reverse("job_correct", args=[job.pk])).content.decode()
    assert 'value="9.50"' in form  # the form opens with the job as recorded

    response = client.post(reverse("job_correct", args=[job.pk]), _post(employer, start))
    assert response.status_code == 302
    told = client.get(response["Location"]).content.decode()
    assert "It is now a competitive job: counts as a job start." in told
    job.refresh_from_db()
    assert job.competitive
    assert job.counts_as_job_start
    assert job.hourly_pay_pence == 1271
    correction = JobCorrection.objects.get(job=job)
    assert correction.changes == [
        {
            "field": "hourly_pay_pence",
            "label": "Hourly pay at the start",
            "before": "£9.50",
            "after": "£12.71",
        }
    ]
    assert (correction.competitive_before, correction.competitive_after) == (False, True)
    # The figures built on the job follow: the referral's first job start is now this job.
    assert ReferralFacts.objects.get(referral=world.referral_a).first_job_start == start
    audit = AccessLogEntry.objects.filter(
        object_type="Job", object_id=job.pk, action=AccessLogEntry.Action.CHANGE
    ).get()
    assert audit.reason.startswith("Job details corrected: The pay was mistyped")

    page = client.get(reverse("job_detail", args=[job.pk]), follow=True).content.decode()
    assert "Counts as a job start." in page
    assert "Was £9.50, now £12.71" in page
    assert "The pay was mistyped: the payslip says £12.71 an hour" in page


def test_a_correction_is_on_the_persons_timeline_with_the_job(world, employer, start):
    job = _mistyped_job(world, employer, start)
    correct_job(job=job, details=_details(employer, start), reason="Pay mistyped", by=world.es_a)
    titles = [e.title for e in timeline.for_person(world.person_a)]
    assert "Started work: Warehouse operative at Riverside Distribution" in titles
    assert "Job details corrected: Warehouse operative at Riverside Distribution" in titles
    entry = next(e for e in timeline.for_person(world.person_a) if e.title.startswith("Job det"))
    assert entry.detail == "Hourly pay at the start: £9.50 to £12.71\nWhy: Pay mistyped"


def test_a_claim_not_yet_made_follows_the_correction(world, employer, start):
    job = _mistyped_job(world, employer, start)
    contract = _contract(world, start)
    assert funding.claimable_events(contract) == []
    correct_job(job=job, details=_details(employer, start), reason="Pay", by=world.es_a)
    assert [(e.event, e.job_id) for e in funding.claimable_events(contract)] == [
        (PaymentEvent.JOB_START, job.pk)
    ]


def test_a_claim_already_made_that_a_correction_takes_away_is_shown_to_both(
    world, as_staff, employer, start
):
    job = record_job(referral=world.referral_a, details=_details(employer, start), by=world.es_a)
    contract = _contract(world, start)
    claim = _claim_job_start(world, contract)
    contract_page = reverse("contract_detail", args=[contract.pk])
    assert "no longer bear out" not in as_staff(world.manager).get(contract_page).content.decode()

    correct_job(
        job=job,
        details=_details(employer, start, hourly_pay_pence=950),
        reason="The pay was £9.50: the employer's letter was misread",
        by=world.es_a,
    )
    page = as_staff(world.manager).get(contract_page).content.decode()
    assert "Claimed outcomes the records no longer bear out" in page
    assert f"Claim {claim.pk}, job start on" in page
    assert "the job no longer counts as a job start" in page
    job_page = as_staff(world.es_a).get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Job start was claimed on Social outcomes contract" in job_page
    assert "but the job no longer counts as a job start. Tell the funder" in job_page


def test_a_corrected_start_date_moves_a_claimed_job_start(world, employer, start):
    job = record_job(referral=world.referral_a, details=_details(employer, start), by=world.es_a)
    contract = _contract(world, start)
    claim = _claim_job_start(world, contract)
    later = start + dt.timedelta(days=2)
    correct_job(job=job, details=_details(employer, later), reason="Date", by=world.es_a)
    [mismatch] = funding.claim_mismatches(claim.items.all())
    assert mismatch.problem == f"the job now starts on {later:%-d %B %Y}"


def test_a_corrected_start_date_works_the_support_schedule_out_again(world, employer, start):
    wrong = start - dt.timedelta(days=5)  # typed five days early
    job = record_job(referral=world.referral_a, details=_details(employer, wrong), by=world.es_a)
    # Seen at work on the true start's second day: that meets the first contact.
    f.ContactFactory(
        referral=world.referral_a,
        staff=world.es_a,
        contact_date=start + dt.timedelta(days=1),
        is_direct=True,
    )
    correct_job(job=job, details=_details(employer, start), reason="Start", by=world.es_a)
    plan = list(SupportCheckIn.objects.filter(job=job).order_by("due_on", "pk"))
    assert [c.kind for c in plan] == ["first", "weekly", "weekly", "weekly", "weekly", "monthly"]
    assert plan[0].due_on == start + dt.timedelta(days=3)
    assert plan[0].met_on == start + dt.timedelta(days=1)
    assert plan[1].due_on == start + dt.timedelta(days=7)


def test_an_ended_jobs_schedule_keeps_its_end(world, employer, start, today):
    job = record_job(referral=world.referral_a, details=_details(employer, start), by=world.es_a)
    end_job(job=job, end_date=start + dt.timedelta(days=10), end_reason="resigned", by=world.es_a)
    correct_job(
        job=job,
        details=_details(employer, start - dt.timedelta(days=1)),
        reason="Start",
        by=world.es_a,
    )
    job.refresh_from_db()
    kinds = {c.kind: c for c in SupportCheckIn.objects.filter(job=job) if not c.cancelled}
    assert kinds["after_end"].due_on == start + dt.timedelta(days=13)
    assert not SupportCheckIn.objects.filter(
        job=job, cancelled=False, met_on__isnull=True, opens_on__gt=job.end_date
    ).exclude(kind="after_end")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"reason": " "}, "Enter why the details were wrong"),
        ({"hourly_pay": "9.50"}, "Nothing has been changed"),
        ({"hourly_pay": "twelve"}, "Enter the hourly pay in pounds"),
        ({"hours_per_week": "0"}, "Hours a week must be more than 0"),
        ({"job_title": ""}, "Enter the job title"),
        ({"employer": ""}, "Select the employer, or choose"),
    ],
)
def test_a_bad_correction_is_refused_and_nothing_changes(
    world, as_staff, employer, start, overrides, message
):
    job = _mistyped_job(world, employer, start)
    response = as_staff(world.es_a).post(
        reverse("job_correct", args=[job.pk]), _post(employer, start, **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    job.refresh_from_db()
    assert job.hourly_pay_pence == 950
    assert not job.competitive
    assert not JobCorrection.objects.exists()


def test_a_start_after_the_end_or_after_a_pay_change_is_refused(world, employer, start, today):
    from django.core.exceptions import ValidationError

    from ipsworks.jobs.services import record_pay_change

    job = record_job(referral=world.referral_a, details=_details(employer, start), by=world.es_a)
    record_pay_change(
        job=job,
        effective_on=start + dt.timedelta(days=3),
        hourly_pay_pence=1300,
        hours_per_week=None,
        by=world.es_a,
    )
    with pytest.raises(ValidationError) as refused:
        correct_job(
            job=job,
            details=_details(employer, start + dt.timedelta(days=5)),
            reason="Start",
            by=world.es_a,
        )
    assert (
        "A change of pay or hours is recorded from" in refused.value.message_dict["start_date"][0]
    )
    end_job(job=job, end_date=start + dt.timedelta(days=4), end_reason="resigned", by=world.es_a)
    with pytest.raises(ValidationError) as refused:
        correct_job(
            job=job,
            details=_details(employer, start + dt.timedelta(days=6)),
            reason="Start",
            by=world.es_a,
        )
    assert "The job ended on" in refused.value.message_dict["start_date"][0]
    job.refresh_from_db()
    assert job.start_date == start
    assert not JobCorrection.objects.exists()


def test_an_employer_of_another_service_cannot_be_chosen(world, as_staff, employer, start):
    job = _mistyped_job(world, employer, start)
    theirs = f.EmployerFactory(service=world.other_service, name="Elsewhere Ltd")
    response = as_staff(world.es_a).post(
        reverse("job_correct", args=[job.pk]), _post(theirs, start)
    )
    assert "Select a valid choice" in response.content.decode()
    job.refresh_from_db()
    assert job.employer == employer


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
def test_only_the_caseload_holder_corrects_a_job(world, as_staff, employer, start, persona, status):
    job = _mistyped_job(world, employer, start)
    client = as_staff(getattr(world, persona))
    url = reverse("job_correct", args=[job.pk])
    got = client.get(url)
    assert got.status_code == status
    assert "9.50" not in got.content.decode()
    assert client.post(url, _post(employer, start)).status_code == status
    job.refresh_from_db()
    assert job.hourly_pay_pence == 950
    assert not JobCorrection.objects.exists()


def test_the_job_page_offers_the_correction_only_to_who_may_make_it(
    world, as_staff, employer, start
):
    job = _mistyped_job(world, employer, start)
    link = reverse("job_correct", args=[job.pk])
    assert link in as_staff(world.es_a).get(reverse("job_detail", args=[job.pk])).content.decode()
    colleague = as_staff(world.colleague_a).get(reverse("job_detail", args=[job.pk]))
    assert link not in colleague.content.decode()
