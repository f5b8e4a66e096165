"""Every money field a person can type into, fed everything a fuzzer can think of: the page
answers with an error (200) or saves and moves on (302), never a server error (issue 16,
item 5). Before the one parser, ``NaN``, ``sNaN``, ``Infinity`` and ``1e308`` were 500s."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings

from ipsworks.jobs.services import JobDetails, record_job
from tests import factories as f
from tests.core.test_money import AMOUNTS

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _date(prefix, day):
    return {f"{prefix}[day]": day.day, f"{prefix}[month]": day.month, f"{prefix}[year]": day.year}


def _answers_without_failing(response):
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        assert "nhsuk-error-summary" in response.content.decode()


@pytest.fixture
def employer(world):
    return f.EmployerFactory(
        service=world.service, name="Riverside Distribution", postcode="LS1 4AP"
    )


@pytest.fixture
def job(world, employer):
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


@FUZZ
@given(typed=AMOUNTS)
def test_the_job_start_pay(world, as_staff, employer, today, typed):
    response = as_staff(world.es_a).post(
        reverse("job_new", args=[world.person_a.pk]),
        {
            "held_at_referral": "new",
            "contract_type": "permanent",
            "employer": employer.pk,
            "job_title": "Warehouse operative",
            "soc_major_group": "9",
            **_date("start_date", today),
            "hours_per_week": "20",
            "hourly_pay": typed,
            "open_labour_market": "on",
        },
    )
    _answers_without_failing(response)


@FUZZ
@given(typed=AMOUNTS)
def test_a_pay_change(world, as_staff, job, today, typed):
    response = as_staff(world.es_a).post(
        reverse("job_pay_change", args=[job.pk]),
        {**_date("effective_on", today), "hourly_pay": typed, "hours_per_week": "16"},
    )
    _answers_without_failing(response)


@FUZZ
@given(typed=AMOUNTS, salary=AMOUNTS)
def test_a_vacancy_hourly_pay_or_salary(world, as_staff, employer, today, typed, salary):
    response = as_staff(world.es_a).post(
        reverse("vacancy_new"),
        {
            "employer": employer.pk,
            "title": "Picker packer",
            "soc_major_group": "9",
            "hours_min": "16",
            "hourly_pay": typed,
            "annual_pay": salary,
            "source": "employer_contact",
            **_date("closing_date", today + dt.timedelta(days=20)),
        },
    )
    _answers_without_failing(response)


@FUZZ
@given(typed=AMOUNTS)
def test_an_access_to_work_award(world, as_staff, employer, today, typed):
    response = as_staff(world.es_a).post(
        reverse("access_to_work_new", args=[employer.pk]),
        {
            "person": world.person_a.pk,
            "support_type": "mhss",
            "status": "approved",
            **_date("submitted_on", today - dt.timedelta(days=20)),
            **_date("decided_on", today),
            "amount": typed,
        },
    )
    _answers_without_failing(response)


@FUZZ
@given(typed=AMOUNTS)
def test_a_contract_rate(world, as_staff, today, typed):
    response = as_staff(world.manager).post(
        reverse("contracts"),
        {
            "name": "Outcomes contract",
            "funder": "The commissioners",
            **_date("starts_on", today),
            **_date("ends_on", today + dt.timedelta(days=365)),
            "rate_job_start": typed,
        },
    )
    _answers_without_failing(response)


@FUZZ
@given(typed=AMOUNTS, salary=AMOUNTS)
def test_the_pay_columns_of_a_vacancy_file(world, as_staff, employer, today, typed, salary):
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["employer", "title", "soc_group", "hours_min", "hourly_pay", "annual_pay"])
    writer.writerow([employer.name, "Picker packer", "9", "16", typed, salary])
    upload = io.BytesIO(text.getvalue().encode())
    upload.name = "vacancies.csv"
    response = as_staff(world.es_a).post(reverse("vacancy_import"), {"file": upload})
    _answers_without_failing(response)
