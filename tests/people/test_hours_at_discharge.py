"""WEEKLY HOURS WORKED at discharge: the band boundaries, and the closing form filled in from
the person's jobs for the specialist to confirm."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from ipsworks.jobs.services import JobDetails, record_job, record_pay_change
from ipsworks.people.codes import WeeklyHoursWorked
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("hours", "band"),
    [
        ("0.5", "04"),
        ("4", "04"),
        ("4.5", "04"),
        ("5", "03"),
        ("15", "03"),
        ("15.5", "03"),
        ("16", "02"),
        ("29", "02"),
        ("29.75", "02"),
        ("30", "01"),
        ("48", "01"),
    ],
)
def test_each_band_starts_at_its_whole_hour(hours, band):
    assert WeeklyHoursWorked.for_hours(Decimal(hours)) == band


def _job(world, hours, start):
    return record_job(
        referral=world.referral_a,
        details=JobDetails(
            employer=f.EmployerFactory(service=world.service),
            job_title="Gardener",
            soc_major_group="5",
            contract_type="permanent",
            start_date=start,
            hours_per_week=Decimal(hours),
            hourly_pay_pence=1300,
        ),
        by=world.es_a,
    )


def _selected(page: str, name: str) -> str | None:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S)
    assert select, name
    chosen = re.search(r'<option value="([^"]*)" selected', select.group(0))
    return chosen.group(1) if chosen else None


def _closing_page(world, as_staff) -> str:
    url = reverse("referral_close", args=[world.referral_a.pk])
    return as_staff(world.es_a).get(url).content.decode()


def test_two_jobs_add_up_and_a_later_change_of_hours_counts(world, as_staff, today):
    f.EpisodeFactory(referral=world.referral_a, access_date=world.referral_a.received_on)
    start = world.referral_a.received_on
    first = _job(world, "11", start)
    _job(world, "5", start)
    assert _selected(_closing_page(world, as_staff), "weekly_hours_at_discharge") == "02"  # 16
    record_pay_change(
        job=first,
        effective_on=today,
        hourly_pay_pence=None,
        hours_per_week=Decimal("6"),
        by=world.es_a,
    )
    page = _closing_page(world, as_staff)
    assert _selected(page, "employment_status_at_discharge") == "01"
    assert _selected(page, "weekly_hours_at_discharge") == "03"  # 6 + 5 = 11


def test_a_job_that_ended_before_today_fills_in_nothing(world, as_staff, today):
    f.EpisodeFactory(referral=world.referral_a, access_date=world.referral_a.received_on)
    job = _job(world, "30", world.referral_a.received_on)
    job.end_date = today - timedelta(days=1)
    job.end_reason = "resigned"
    job.save()
    page = _closing_page(world, as_staff)
    assert _selected(page, "employment_status_at_discharge") is None
