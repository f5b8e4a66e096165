"""What the job pages are built from, asked of the presenters directly (no request)."""

import datetime as dt
from decimal import Decimal

import pytest

from ipsworks.employers.models import AccessToWorkApplication
from ipsworks.jobs import presenters
from ipsworks.jobs.services import JobDetails, record_job, save_return_to_work_plan
from tests import factories as f

pytestmark = pytest.mark.django_db


def _held_job(world, employer):
    world.referral_a.pathway = "job_retention"
    world.referral_a.employment_status_at_referral = "01"
    world.referral_a.save()
    return record_job(
        referral=world.referral_a,
        details=JobDetails(
            employer=employer,
            job_title="Warehouse operative",
            soc_major_group="9",
            contract_type="permanent",
            start_date=world.referral_a.received_on - dt.timedelta(days=900),
            hours_per_week=Decimal(30),
            hourly_pay_pence=1271,
            held_at_referral=True,
        ),
        by=world.es_a,
    )


def test_the_new_job_page_offers_the_services_employers_and_what_the_link_filled_in(world):
    ours = f.EmployerFactory(service=world.service, name="Riverside Distribution")
    f.EmployerFactory(service=world.other_service, name="Elsewhere Ltd")

    page = presenters.new_job_page(
        world.es_a, world.person_a, world.referral_a, {"title": "Baker", "pay": "12.71"}
    )

    assert list(page.employers) == [ours]
    assert page.offer is None
    assert page.offer_already_recorded is None
    assert page.initial["job_title"] == "Baker"
    assert page.initial["hourly_pay"] == "12.71"
    assert page.initial["employer"] is None
    assert "held_at_referral" not in page.initial


def test_a_job_retention_referral_starts_the_form_at_the_job_they_had(world):
    world.referral_a.pathway = "job_retention"
    world.referral_a.save()

    page = presenters.new_job_page(world.es_a, world.person_a, world.referral_a, {})

    assert page.initial["held_at_referral"] == "held"


def test_the_return_to_work_plan_is_about_the_job_held_at_referral_and_starts_from_the_last(
    world, today
):
    employer = f.EmployerFactory(service=world.service, name="Riverside Distribution")
    assert presenters.held_job(world.person_a, world.referral_a) is None
    job = _held_job(world, employer)
    assert presenters.held_job(world.person_a, world.referral_a) == job
    assert presenters.return_to_work_initial(None) == {}
    plan = save_return_to_work_plan(
        referral=world.referral_a,
        job=job,
        planned_return_on=today,
        phased_hours=[15.0, 20.5, 30.0],
        adjustments="A quiet desk",
        notes="",
        review_on=None,
        by=world.es_a,
    )

    initial = presenters.return_to_work_initial(plan)

    assert initial["phased_hours"] == "15, 20.5, 30"
    assert initial["adjustments"] == "A quiet desk"
    assert initial["planned_return_on"] == today


def test_the_return_to_work_page_lists_access_to_work_and_links_for_staff_who_work_with_employers(
    world, today
):
    employer = f.EmployerFactory(service=world.service, name="Riverside Distribution")
    job = _held_job(world, employer)
    AccessToWorkApplication.objects.create(
        service=world.service,
        employer=employer,
        person=world.person_a,
        staff=world.es_a,
        support_type="mhss",
        status="approved",
        submitted_on=today,
        decided_on=today,
        amount_pence=125000,
    )

    page = presenters.return_to_work_page(world.es_a, world.person_a, job)
    clinician = presenters.return_to_work_page(world.clinician, world.person_a, job)

    assert page.job == job
    assert [(r.employer, r.amount, r.status["text"]) for r in page.access_to_work] == [
        ("Riverside Distribution", "£1,250.00 a year", "Approved")
    ]
    assert page.can_update_access_to_work
    assert page.access_to_work_employer_id == employer.pk
    assert not clinician.can_update_access_to_work
    assert clinician.access_to_work_employer_id is None
