import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from ipsworks.activity.models import Contact
from ipsworks.activity.services import ContactDetails, record_contact
from ipsworks.employers.models import EmployerContact
from ipsworks.employers.services import EmployerContactDetails, record_employer_contact
from ipsworks.jobs import services
from ipsworks.jobs.models import Job, ReminderSent, SupportCheckIn
from ipsworks.jobs.tasks import send_support_reminders
from tests import factories as f

pytestmark = pytest.mark.django_db


def _details(start, **overrides):
    values = {
        "employer": None,
        "job_title": "Warehouse operative",
        "soc_major_group": "9",
        "contract_type": Job.ContractType.PERMANENT,
        "start_date": start,
        "hours_per_week": Decimal("20"),
        "hourly_pay_pence": 1300,
    }
    values.update(overrides)
    return services.JobDetails(**values)


@pytest.fixture
def employer(world):
    return f.EmployerFactory(service=world.service)


def _meet(world, on):
    record_contact(
        referral=world.referral_a,
        details=ContactDetails(
            contact_date=on,
            with_whom="person",
            mode="phone",
            outcome="completed",
            place="remote",
            duration_minutes=20,
        ),
        by=world.es_a,
    )


def test_a_job_start_is_competitive_and_schedules_support(world, employer, today):
    job = services.record_job(
        referral=world.referral_a,
        details=_details(today, employer=employer, four_hours_worked=True),
        by=world.es_a,
    )
    assert job.competitive
    assert job.counts_as_job_start
    kinds = list(SupportCheckIn.objects.filter(job=job).values_list("kind", flat=True))
    assert kinds == ["first", "weekly", "weekly", "weekly", "weekly", "monthly"]


def test_low_pay_is_recorded_but_not_competitive(world, employer, today):
    job = services.record_job(
        referral=world.referral_a,
        details=_details(today, employer=employer, hourly_pay_pence=900),
        by=world.es_a,
    )
    assert job.competitive is False
    assert job.minimum_wage_pence >= 1221


def test_a_later_pay_rise_does_not_change_whether_the_job_was_competitive(world, employer, today):
    job = services.record_job(
        referral=world.referral_a,
        details=_details(today, employer=employer, hourly_pay_pence=900),
        by=world.es_a,
    )
    services.record_pay_change(
        job=job,
        effective_on=today,
        hourly_pay_pence=2000,
        hours_per_week=Decimal("30"),
        by=world.es_a,
    )
    job.refresh_from_db()
    assert job.competitive is False


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        (
            {
                "start_date": dt.date.today() + dt.timedelta(days=200),
                "contract_type": "self_employed",
            },
            "start_date",
        ),
        ({"contract_type": "permanent", "employer": None}, "employer"),
        ({"held_at_referral": True, "contract_type": "self_employed"}, "start_date"),
        (
            {
                "four_hours_worked": True,
                "contract_type": "self_employed",
                "start_date": dt.date.today() + dt.timedelta(days=3),
            },
            "four_hours_worked",
        ),
    ],
)
def test_bad_jobs_are_refused(world, overrides, field, today):
    with pytest.raises(ValidationError) as error:
        services.record_job(
            referral=world.referral_a, details=_details(today, **overrides), by=world.es_a
        )
    assert field in error.value.message_dict
    assert not Job.objects.exists()


def test_an_employer_from_another_service_is_refused(world, today):
    other = f.EmployerFactory(service=world.other_service)
    with pytest.raises(ValidationError):
        services.record_job(
            referral=world.referral_a, details=_details(today, employer=other), by=world.es_a
        )
    assert not Job.objects.exists()


def test_a_contact_meets_the_open_check_ins_and_late_ones_stay_visible(world, employer, today):
    start = today - dt.timedelta(days=20)
    world.referral_a.received_on = start - dt.timedelta(days=30)
    world.referral_a.save()
    job = services.record_job(
        referral=world.referral_a, details=_details(start, employer=employer), by=world.es_a
    )
    _meet(world, today)
    met = SupportCheckIn.objects.filter(job=job, met_on=today)
    assert set(met.values_list("kind", flat=True)) == {"first", "weekly"}
    first = SupportCheckIn.objects.get(job=job, kind="first")
    assert first.met_on > first.due_on  # met late, and the record shows it
    assert SupportCheckIn.objects.filter(job=job, met_on__isnull=True).count() == 2


def test_meeting_the_last_monthly_check_in_schedules_the_next_one(world, employer, today):
    start = today - dt.timedelta(days=70)
    world.referral_a.received_on = start - dt.timedelta(days=10)
    world.referral_a.save()
    job = services.record_job(
        referral=world.referral_a, details=_details(start, employer=employer), by=world.es_a
    )
    _meet(world, today)
    upcoming = SupportCheckIn.objects.get(job=job, met_on__isnull=True)
    assert (upcoming.kind, upcoming.due_on) == ("monthly", today + dt.timedelta(days=30))


def test_a_contact_recorded_before_the_job_counts_towards_the_first_check_in(
    world, employer, today
):
    _meet(world, today - dt.timedelta(days=2))
    job = services.record_job(
        referral=world.referral_a, details=_details(today, employer=employer), by=world.es_a
    )
    assert SupportCheckIn.objects.get(job=job, kind="first").met_on == today - dt.timedelta(days=2)


def test_an_in_work_support_visit_to_the_employer_meets_the_check_in(world, employer, today):
    job = services.record_job(
        referral=world.referral_a, details=_details(today, employer=employer), by=world.es_a
    )
    record_employer_contact(
        employer=employer,
        details=EmployerContactDetails(
            contact_date=today, mode="face_to_face", purpose="in_work_support"
        ),
        person=world.person_a,
        by=world.es_a,
    )
    assert SupportCheckIn.objects.get(job=job, kind="first").met_on == today


def test_ending_a_job_stops_future_check_ins_and_asks_for_contact_within_3_days(
    world, employer, today
):
    start = today - dt.timedelta(days=10)
    world.referral_a.received_on = start - dt.timedelta(days=10)
    world.referral_a.save()
    job = services.record_job(
        referral=world.referral_a, details=_details(start, employer=employer), by=world.es_a
    )
    services.end_job(job=job, end_date=today, end_reason="resigned", by=world.es_a)
    after = SupportCheckIn.objects.get(job=job, kind="after_end")
    assert after.due_on == today + dt.timedelta(days=3)
    assert (
        SupportCheckIn.objects.filter(job=job, cancelled=True).count() == 3
    )  # weeks 3, 4, month 2
    with pytest.raises(ValidationError):
        services.end_job(job=job, end_date=today, end_reason="resigned", by=world.es_a)


def test_a_job_cannot_end_before_it_starts(world, employer, today):
    job = services.record_job(
        referral=world.referral_a, details=_details(today, employer=employer), by=world.es_a
    )
    with pytest.raises(ValidationError):
        services.end_job(
            job=job, end_date=today - dt.timedelta(days=1), end_reason="other", by=world.es_a
        )


def test_a_job_held_at_referral_is_not_a_job_start_and_schedules_nothing(world, employer):
    job = services.record_job(
        referral=world.referral_a,
        details=_details(
            world.referral_a.received_on - dt.timedelta(days=400),
            employer=employer,
            held_at_referral=True,
            four_hours_worked=True,
        ),
        by=world.es_a,
    )
    assert not job.counts_as_job_start
    assert not job.check_ins.exists()


def test_daily_reminders_are_sent_once_a_day_and_name_nobody(world, employer, today):
    world.es_a.user.email = "es.a@example.com"
    world.es_a.user.save()
    start = today - dt.timedelta(days=10)
    world.referral_a.received_on = start - dt.timedelta(days=5)
    world.referral_a.save()
    services.record_job(
        referral=world.referral_a, details=_details(start, employer=employer), by=world.es_a
    )
    assert send_support_reminders.call() == 1
    assert send_support_reminders.call() == 0
    assert len(mail.outbox) == 1
    assert "2 in-work support check-ins are overdue" in mail.outbox[0].body
    assert world.person_a.family_name not in mail.outbox[0].body
    assert ReminderSent.objects.get().items == 2


def test_no_reminder_when_nothing_is_overdue(world, employer, today):
    world.es_a.user.email = "es.a@example.com"
    world.es_a.user.save()
    services.record_job(
        referral=world.referral_a, details=_details(today, employer=employer), by=world.es_a
    )
    assert send_support_reminders.call() == 0
    assert not mail.outbox
    assert Contact.objects.count() == 0
    assert EmployerContact.objects.count() == 0


# --- Jobs from an accepted job offer (job search application) --------------------------------


def _offer(world, employer, person=None, status="accepted"):
    from tests.matching.factories import ApplicationFactory, VacancyFactory

    vacancy = VacancyFactory(employer=employer, created_by=world.es_a)
    return ApplicationFactory(
        person=person or world.person_a, vacancy=vacancy, created_by=world.es_a, status=status
    )


def test_a_job_from_an_accepted_offer_is_linked_and_fills_the_vacancy(world, employer, today):
    offer = _offer(world, employer)
    job = services.record_job(
        referral=world.referral_a,
        details=_details(today, employer=employer),
        application=offer,
        by=world.es_a,
    )
    assert job.application == offer
    offer.vacancy.refresh_from_db()
    assert offer.vacancy.status == "filled"


def test_a_second_job_from_the_same_offer_is_refused(world, employer, today):
    offer = _offer(world, employer)
    details = _details(today, employer=employer)
    services.record_job(
        referral=world.referral_a, details=details, application=offer, by=world.es_a
    )
    with pytest.raises(ValidationError) as caught:
        services.record_job(
            referral=world.referral_a, details=details, application=offer, by=world.es_a
        )
    assert caught.value.messages == [services.APPLICATION_ALREADY_RECORDED]
    assert Job.objects.count() == 1


@pytest.mark.parametrize(
    ("whose", "status", "message"),
    [
        ("person_a2", "accepted", services.APPLICATION_NOT_THEIRS),
        ("person_a", "offer", services.APPLICATION_NOT_ACCEPTED),
        ("person_a", "withdrawn", services.APPLICATION_NOT_ACCEPTED),
    ],
)
def test_a_job_from_someone_elses_or_an_unaccepted_offer_is_refused(
    world, employer, today, whose, status, message
):
    offer = _offer(world, employer, person=getattr(world, whose), status=status)
    with pytest.raises(ValidationError) as caught:
        services.record_job(
            referral=world.referral_a,
            details=_details(today, employer=employer),
            application=offer,
            by=world.es_a,
        )
    assert caught.value.messages == [message]
    assert not Job.objects.exists()
    offer.vacancy.refresh_from_db()
    assert offer.vacancy.status == "open"


def test_an_offer_that_became_a_job_cannot_be_withdrawn_afterwards(world, employer, today):
    from ipsworks.matching import services as matching

    offer = _offer(world, employer)
    services.record_job(
        referral=world.referral_a,
        details=_details(today, employer=employer),
        application=offer,
        by=world.es_a,
    )
    with pytest.raises(ValidationError, match="end the job instead"):
        matching.move_application(
            application=offer, status="withdrawn", effective_on=today, note="", by=world.es_a
        )
    offer.refresh_from_db()
    assert offer.status == "accepted"
    assert offer.status_changes.count() == 1
