"""People starting and completing education or training: counted on hand-made records, at
the period's edges, by group, on the dashboard, and never as job starts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from ipsworks.access.roles import Role
from ipsworks.jobs import services
from ipsworks.jobs.models import EducationOrTraining
from ipsworks.outcomes import facts, metrics, presenters
from ipsworks.outcomes.models import ReferralFacts
from ipsworks.outcomes.periods import Period
from tests import factories as f

pytestmark = pytest.mark.django_db

D = dt.date
JUNE = Period(D(2026, 6, 1), D(2026, 6, 30), "June 2026")


def _referral(world, team=None, es=None, service=None):
    service = service or world.service
    return f.ReferralFactory(
        person=f.PersonFactory(service=service),
        team=team or world.team_a,
        allocated_to=es or world.es_a,
        received_on=D(2026, 5, 1),
        status="accepted",
    )


def _course(referral, world, started_on, **kwargs):
    return f.EducationFactory(
        referral=referral, recorded_by=world.es_a, started_on=started_on, **kwargs
    )


def _ended(referral, world, ended_on, outcome="completed"):
    return _course(referral, world, D(2026, 5, 2), ended_on=ended_on, outcome=outcome)


def test_a_start_on_the_last_day_counts_and_the_day_after_does_not(world):
    ids = [world.service.pk]
    _course(_referral(world), world, JUNE.end)
    _course(_referral(world), world, JUNE.start)
    _course(_referral(world), world, JUNE.end + dt.timedelta(days=1))
    _course(_referral(world), world, JUNE.start - dt.timedelta(days=1))
    assert metrics.education_starts(ids, JUNE) == {world.service.pk: 2}


def test_people_are_counted_once_however_many_courses_they_start(world):
    referral = _referral(world)
    _course(referral, world, D(2026, 6, 3))
    _course(referral, world, D(2026, 6, 20), kind="short")
    assert metrics.education_starts([world.service.pk], JUNE) == {world.service.pk: 1}


def test_only_completions_ending_in_the_period_count(world):
    ids = [world.service.pk]
    _ended(_referral(world), world, JUNE.end)  # counts: the last day
    _ended(_referral(world), world, JUNE.start)  # counts: the first day
    _ended(_referral(world), world, JUNE.end + dt.timedelta(days=1))
    _ended(_referral(world), world, JUNE.start - dt.timedelta(days=1))
    _ended(_referral(world), world, D(2026, 6, 15), outcome="left_early")
    _course(_referral(world), world, D(2026, 6, 15))  # still ongoing
    assert metrics.education_completions(ids, JUNE) == {world.service.pk: 2}


def test_a_completion_is_not_a_start_in_its_own_period(world):
    _ended(_referral(world), world, D(2026, 6, 10))  # started in May
    assert metrics.education_starts([world.service.pk], JUNE) == {}
    assert metrics.education_completions([world.service.pk], JUNE) == {world.service.pk: 1}


def test_counts_are_grouped_by_team_and_specialist(world):
    _course(_referral(world, world.team_a, world.es_a), world, D(2026, 6, 5))
    _course(_referral(world, world.team_a, world.es_a), world, D(2026, 6, 6))
    _course(_referral(world, world.team_b, world.es_b), world, D(2026, 6, 7))
    ids = [world.service.pk]
    assert metrics.education_starts(ids, JUNE, metrics.BY_TEAM) == {
        world.team_a.pk: 2,
        world.team_b.pk: 1,
    }
    assert metrics.education_starts(ids, JUNE, metrics.BY_SPECIALIST) == {
        world.es_a.pk: 2,
        world.es_b.pk: 1,
    }


def test_another_services_courses_are_not_counted(world):
    _course(
        _referral(world, world.team_x, world.outsider, world.other_service), world, D(2026, 6, 5)
    )
    _ended(_referral(world, world.team_x, world.outsider, world.other_service), world, JUNE.end)
    assert metrics.education_starts([world.service.pk], JUNE) == {}
    assert metrics.education_completions([world.service.pk], JUNE) == {}


# --- never a job start ------------------------------------------------------------------


def test_an_education_start_never_counts_as_a_job_start(world, today):
    referral = world.referral_a
    f.EpisodeFactory(referral=referral, access_date=referral.received_on)
    employer = f.EmployerFactory(service=world.service)
    services.record_job(
        referral=referral,
        details=services.JobDetails(
            employer=employer,
            job_title="Porter",
            soc_major_group="9",
            contract_type="permanent",
            start_date=referral.received_on + dt.timedelta(days=1),
            hours_per_week=Decimal(20),
            hourly_pay_pence=1300,
            four_hours_worked=True,
        ),
        by=world.es_a,
    )
    ids = [world.service.pk]
    period = Period(referral.received_on, today, "since the referral")

    def work_figures():
        return (
            metrics.job_starts(ids, period),
            metrics.people_into_work(ids, period),
            [job.pk for job in metrics.jobs_obtained(ids, period)],
            metrics.referral_figures(ids, period, metrics.BY_SERVICE),
            model_to_dict(ReferralFacts.objects.get(referral_id=referral.pk)),
        )

    before = work_figures()
    assert before[0] == {world.service.pk: 1}
    for kind in EducationOrTraining.Kind.values:
        course = services.record_education_start(
            referral=referral,
            details=services.EducationDetails(
                kind=kind,
                provider_name="Northgate College",
                course_title=f"Course {kind}",
                started_on=referral.received_on + dt.timedelta(days=2),
            ),
            by=world.es_a,
        )
        services.record_education_end(
            course=course, ended_on=today, outcome="completed", by=world.es_a
        )

    assert work_figures() == before
    assert facts.differences(ids) == []
    assert metrics.education_starts(ids, period) == {world.service.pk: 1}
    assert metrics.education_completions(ids, period) == {world.service.pk: 1}


# --- the dashboard ----------------------------------------------------------------------


def test_the_dashboard_shows_education_as_its_own_figures(world):
    _course(_referral(world), world, JUNE.end)
    _ended(_referral(world), world, JUNE.end)
    page = presenters.service_dashboard(world.manager, JUNE, D(2026, 7, 1))
    assert (page.education_starts, page.education_completions) == (1, 1)
    assert page.f.job_starts == 0
    ids = [m.id for m in page.definitions]
    assert "education_starts" in ids
    assert "education_completions" in ids


def test_the_dashboard_page_names_the_education_figures(world, as_staff, today):
    _course(_referral(world), world, today)
    page = as_staff(world.manager).get(reverse("service_dashboard")).content.decode()
    assert "People starting education or training (not counted as job starts)" in page
    assert "People completing education or training" in page


def test_another_services_manager_sees_none_of_these_courses(world):
    _course(_referral(world), world, JUNE.end)
    other_manager = f.StaffFactory(role=Role.MANAGER, service=world.other_service, teams=[])
    page = presenters.service_dashboard(other_manager, JUNE, D(2026, 7, 1))
    assert (page.education_starts, page.education_completions) == (0, 0)


@pytest.mark.parametrize("persona", ["clinician", "commissioner", "outsider"])
def test_the_dashboard_is_not_shown_to_other_personas(world, as_staff, today, persona):
    _course(_referral(world), world, today)
    response = as_staff(getattr(world, persona)).get(reverse("service_dashboard"))
    assert response.status_code in (403, 404)


def test_the_demo_generator_writes_no_education_and_its_figures_stand(db):
    from django.utils import timezone

    from ipsworks.demo import synthetic
    from ipsworks.organisations.models import Service

    today = timezone.localdate()
    synthetic.generate(
        synthetic.Options(services=1, people=60, seed=21, years=1, today=today, now=timezone.now())
    )
    ids = list(Service.objects.values_list("pk", flat=True))
    year = Period(today - dt.timedelta(days=365), today, "the last year")
    assert not EducationOrTraining.objects.exists()
    assert metrics.education_starts(ids, year) == {}
    assert metrics.education_completions(ids, year) == {}
    assert facts.differences(ids) == []
