"""es.demo's diary around the day the demo is loaded: appointments with people on their caseload, an
employer visit, a team meeting and some admin time, with what happened recorded for the
ones already past, and one overlap, so the week and day pages show every state."""

from contextlib import suppress
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ipsworks.activity.models import Contact
from ipsworks.core.dates import is_working_day
from ipsworks.diary import services
from ipsworks.diary.models import Appointment, Task
from ipsworks.employers.models import Employer
from ipsworks.organisations.models import StaffMember
from ipsworks.people.models import Referral, ReferralStatus
from ipsworks.people.queries import people_i_work_with

# (working days from the load day, start, end, kind, place); people are taken in turn.
_WEEK = [
    (-2, time(9, 30), time(10, 30), "person", "community"),
    (-2, time(13, 0), time(14, 0), "team_meeting", "office"),
    (-1, time(10, 0), time(11, 0), "employer", "workplace"),
    (-1, time(14, 0), time(14, 45), "person", "phone"),
    (0, time(9, 0), time(10, 0), "person", "home"),
    (0, time(9, 30), time(10, 30), "own_time", "office"),  # overlaps the one before
    (1, time(11, 0), time(12, 0), "person", "video"),
    (2, time(10, 0), time(11, 0), "person", "community"),
    (2, time(15, 0), time(16, 0), "own_time", "office"),
]


def _working_day(today: date, offset: int) -> date:
    """The working day ``offset`` working days from ``today`` (today itself if it is one)."""
    day, step = today, (1 if offset >= 0 else -1)
    while not is_working_day(day):
        day += timedelta(days=step)
    for _ in range(abs(offset)):
        day += timedelta(days=step)
        while not is_working_day(day):
            day += timedelta(days=step)
    return day


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=timezone.get_current_timezone())


@transaction.atomic
def add_demo_diary(*, today: date) -> bool:
    """Book the week once; returns whether anything was written."""
    specialist = StaffMember.objects.filter(user__username="es.demo").first()
    if specialist is None or Appointment.objects.filter(staff=specialist).exists():
        return False
    # People already met: the demo keeps some new referrals nobody has contacted yet, for the
    # caseload's "contact within 7 days" list, and a diary contact would take them off it.
    met = Contact.objects.filter(is_direct=True).values("person_id")
    people = list(people_i_work_with(specialist).filter(pk__in=met)[:5])
    employer = Employer.objects.filter(service_id=specialist.service_id).order_by("pk").first()
    team = specialist.teams.order_by("pk").first()
    booked = []
    for offset, start, end, kind, place in _WEEK:
        day = _working_day(today, offset)
        extra: dict = {}
        if kind == "person":
            if not people:
                continue
            extra["person"] = people[len(booked) % len(people)]
        elif kind == "employer":
            if employer is None:
                continue
            extra = {"employer": employer, "employer_purpose": "learn_needs"}
        elif kind == "team_meeting":
            if team is None:
                continue
            extra["team"] = team
        else:
            extra["title"] = "Admin and case notes" if offset == 0 else "Job search resources"
        details = services.AppointmentDetails(
            kind=kind, starts_at=_at(day, start), ends_at=_at(day, end), place=place, **extra
        )
        booked.append((day, services.book_appointment(details=details, by=specialist)))
    for day, appointment in booked:
        if day < today and appointment.kind != "own_time":
            # The first past appointment with a person was missed; the rest took place.
            missed = appointment.kind == "person" and appointment is booked[0][1]
            # Someone referred after the day cannot have a contact on it: left as booked.
            with suppress(ValidationError):
                services.record_outcome(
                    appointment=appointment,
                    status="dna" if missed else "took_place",
                    note="",
                    by=specialist,
                )
    return bool(booked)


@transaction.atomic
def add_demo_tasks() -> bool:
    """The synthetic referrals' next actions as open tasks, as migration ``diary.0003`` did
    for real ones: the generator writes ``Referral.next_action`` straight to the table, so
    without this the demo's "My tasks" and the caseload's "Next task" would be empty.
    Each is carried over once; returns whether anything was written."""
    referrals = (
        Referral.objects.exclude(next_action="")
        .exclude(status=ReferralStatus.CLOSED)
        .filter(allocated_to__isnull=False)
        .exclude(pk__in=Task.objects.filter(referral__isnull=False).values("referral_id"))
        .order_by("pk")
    )
    made = [
        Task(
            service_id=r.service_id,
            person_id=r.person_id,
            referral_id=r.pk,
            owner_id=r.allocated_to_id,
            title=r.next_action[:200],
            due_on=r.next_action_on,
            created_by_id=r.allocated_to_id,
        )
        for r in referrals.iterator()
    ]
    Task.objects.bulk_create(made, batch_size=1000)
    return bool(made)
