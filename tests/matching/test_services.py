"""Writing vacancies, applications and targets: bad input is refused and nothing is saved."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ipsworks.access.models import AccessLogEntry
from ipsworks.matching import services
from ipsworks.matching.models import (
    Application,
    ApplicationStatus,
    ApplicationStatusChange,
    JobSearchTarget,
    Vacancy,
)
from tests import factories as f
from tests.matching.factories import ApplicationFactory, VacancyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer(world):
    return f.EmployerFactory(
        service=world.service, name="Riverside Distribution", postcode="LS1 4AP"
    )


def details(employer, **changes):
    values = {
        "employer": employer,
        "title": "Warehouse operative",
        "soc_major_group": "9",
        "hours_min": Decimal("16"),
        "hours_max": Decimal("20"),
        "source": Vacancy.Source.EMPLOYER_CONTACT,
        "times_of_day": ("afternoon",),
        "hourly_pay_pence": 1271,
        "closing_date": dt.date.today() + dt.timedelta(days=14),
    }
    return services.VacancyDetails(**{**values, **changes})


def test_a_vacancy_is_created_with_the_employers_postcode_and_audited(world, employer):
    vacancy = services.create_vacancy(details=details(employer), by=world.es_a)
    assert (vacancy.service, vacancy.postcode, vacancy.status) == (world.service, "LS1 4AP", "open")
    assert vacancy.hours_max == Decimal("20")
    assert AccessLogEntry.objects.filter(object_type="Vacancy", object_id=vacancy.pk).exists()


def test_fixed_hours_are_stored_as_a_range_of_one(world, employer):
    vacancy = services.create_vacancy(details=details(employer, hours_max=None), by=world.es_a)
    assert vacancy.hours_min == vacancy.hours_max == Decimal("16")
    assert vacancy.hours_are_fixed


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"closing_date": dt.date.today() - dt.timedelta(days=1)}, "closing_date", "today or"),
        ({"hours_min": Decimal("101")}, "hours_min", "between 0 and 100"),
        ({"hours_min": Decimal("-1")}, "hours_min", "between 0 and 100"),
        ({"hours_max": Decimal("120")}, "hours_max", "between 0 and 100"),
        ({"hours_max": Decimal("10")}, "hours_max", "cannot be fewer"),
        ({"hours_min": Decimal("0"), "hours_max": None}, "hours_min", "more than 0"),
        ({"hourly_pay_pence": -5}, "hourly_pay", "cannot be negative"),
        ({"hourly_pay_pence": 0}, "hourly_pay", "more than £0"),
        ({"postcode": "NOT A POSTCODE"}, "postcode", "real UK postcode"),
        ({"times_of_day": ("teatime",)}, "times_of_day", "from the list"),
    ],
)
def test_bad_vacancies_are_refused_and_nothing_is_saved(world, employer, changes, field, message):
    with pytest.raises(ValidationError) as refused:
        services.create_vacancy(details=details(employer, **changes), by=world.es_a)
    assert message in " ".join(refused.value.message_dict[field])
    assert not Vacancy.objects.exists()


def test_an_employer_from_another_service_is_refused(world):
    elsewhere = f.EmployerFactory(service=world.other_service)
    with pytest.raises(ValidationError, match="from your service"):
        services.create_vacancy(details=details(elsewhere), by=world.es_a)
    assert not Vacancy.objects.exists()


def test_the_same_vacancy_cannot_be_added_twice(world, employer):
    services.create_vacancy(details=details(employer), by=world.es_a)
    with pytest.raises(ValidationError, match="already recorded"):
        services.create_vacancy(
            details=details(employer, title=" warehouse  OPERATIVE"), by=world.es_b
        )
    assert Vacancy.objects.count() == 1


def test_an_application_is_recorded_with_its_first_history_row(world, today):
    vacancy = VacancyFactory(employer__service=world.service, created_by=world.es_a)
    application = services.record_application(
        person=world.person_a, vacancy=vacancy, applied_on=today, note="Sent CV", by=world.es_a
    )
    assert application.status == ApplicationStatus.APPLIED
    assert [c.status for c in application.status_changes.all()] == ["applied"]


@pytest.mark.parametrize(
    ("applied_days", "closing_days", "message"),
    [(1, 30, "today or in the past"), (-5, -10, "after the vacancy closed")],
)
def test_bad_application_dates_are_refused(world, today, applied_days, closing_days, message):
    vacancy = VacancyFactory(
        employer__service=world.service,
        closing_date=today + dt.timedelta(days=closing_days),
        created_by=world.es_a,
    )
    with pytest.raises(ValidationError, match=message):
        services.record_application(
            person=world.person_a,
            vacancy=vacancy,
            applied_on=today + dt.timedelta(days=applied_days),
            note="",
            by=world.es_a,
        )
    assert not Application.objects.exists()


def test_a_person_or_vacancy_from_another_service_is_refused(world, today):
    ours = VacancyFactory(employer__service=world.service, created_by=world.es_a)
    theirs = VacancyFactory(employer__service=world.other_service, created_by=world.outsider)
    for person, vacancy in ((world.person_other, ours), (world.person_a, theirs)):
        with pytest.raises(ValidationError, match="from your service"):
            services.record_application(
                person=person, vacancy=vacancy, applied_on=today, note="", by=world.es_a
            )
    assert not Application.objects.exists()


def test_a_second_application_for_the_same_job_is_refused(world, today):
    application = ApplicationFactory(
        person=world.person_a, vacancy__employer__service=world.service, created_by=world.es_a
    )
    with pytest.raises(ValidationError, match="already recorded"):
        services.record_application(
            person=world.person_a,
            vacancy=application.vacancy,
            applied_on=today,
            note="",
            by=world.es_a,
        )


def test_an_application_moves_through_interview_and_offer_to_accepted(world, today):
    application = ApplicationFactory(
        person=world.person_a,
        vacancy__employer__service=world.service,
        applied_on=today - dt.timedelta(days=10),
        created_by=world.es_a,
    )
    for status, days_ago in (("interview", 6), ("offer", 2), ("accepted", 1)):
        services.move_application(
            application=application,
            status=status,
            effective_on=today - dt.timedelta(days=days_ago),
            note="",
            by=world.es_a,
        )
    application.refresh_from_db()
    assert (application.status, application.status_on) == ("accepted", today - dt.timedelta(1))
    assert list(
        ApplicationStatusChange.objects.filter(application=application).values_list(
            "status", flat=True
        )
    ) == ["applied", "interview", "offer", "accepted"]


@pytest.mark.parametrize(
    ("status", "days_ago", "message"),
    [
        ("accepted", 0, "cannot move to that status"),
        ("interview", -1, "today or in the past"),
        ("interview", 20, "before they applied"),
    ],
)
def test_illegal_moves_are_refused_and_history_is_unchanged(
    world, today, status, days_ago, message
):
    application = ApplicationFactory(
        person=world.person_a,
        vacancy__employer__service=world.service,
        applied_on=today - dt.timedelta(days=10),
        created_by=world.es_a,
    )
    with pytest.raises(ValidationError, match=message):
        services.move_application(
            application=application,
            status=status,
            effective_on=today - dt.timedelta(days=days_ago),
            note="",
            by=world.es_a,
        )
    assert application.status_changes.count() == 1


def test_a_rejected_application_cannot_move_again(world, today):
    application = ApplicationFactory(
        person=world.person_a, vacancy__employer__service=world.service, created_by=world.es_a
    )
    services.move_application(
        application=application, status="rejected", effective_on=today, note="", by=world.es_a
    )
    with pytest.raises(ValidationError, match="cannot move"):
        services.move_application(
            application=application, status="interview", effective_on=today, note="", by=world.es_a
        )


def test_targets_are_added_once_and_removed_without_deleting(world, employer):
    target = services.add_target(
        person=world.person_a, employer=employer, vacancy=None, note="Near home", by=world.es_a
    )
    with pytest.raises(ValidationError, match="Already"):
        services.add_target(
            person=world.person_a, employer=employer, vacancy=None, note="", by=world.es_a
        )
    services.remove_target(target=target, by=world.es_a)
    target.refresh_from_db()
    assert target.removed_at is not None
    services.add_target(
        person=world.person_a, employer=employer, vacancy=None, note="", by=world.es_a
    )
    assert JobSearchTarget.objects.filter(person=world.person_a).count() == 2


def test_a_target_vacancy_brings_its_employer(world, employer):
    vacancy = VacancyFactory(employer=employer, created_by=world.es_a)
    target = services.add_target(
        person=world.person_a,
        employer=f.EmployerFactory(service=world.service),
        vacancy=vacancy,
        note="",
        by=world.es_a,
    )
    assert target.employer == employer


@pytest.mark.parametrize(
    ("annual_pence", "hours", "hourly"),
    [
        (2_400_000, "37.5", 1231),  # £12.3077
        (2_600_000, "40", 1250),  # exactly £12.50
        (1_000_000, "16", 1202),  # £12.0192
        (1_274, "1", 25),  # 24.5p: half a penny rounds up
    ],
)
def test_a_yearly_salary_as_hourly_pay_over_52_weeks(annual_pence, hours, hourly):
    from decimal import Decimal

    from ipsworks.matching import rules

    assert rules.hourly_from_annual(annual_pence, Decimal(hours)) == hourly


def test_a_yearly_salary_needs_hours_to_divide_by():
    from decimal import Decimal

    from ipsworks.matching import rules

    with pytest.raises(ValueError, match="more than 0"):
        rules.hourly_from_annual(2_400_000, Decimal(0))
