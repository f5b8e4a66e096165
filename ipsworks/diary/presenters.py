"""What the diary pages show: a week or a day of appointments, with clashes marked and
names only where the viewer may see the person."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from ipsworks.access.roles import Permission
from ipsworks.access.rules import may
from ipsworks.diary.models import Appointment
from ipsworks.organisations.models import StaffMember
from ipsworks.people.models import Person


@dataclass(frozen=True)
class Entry:
    appointment: Appointment
    starts: str  # "09:30"
    ends: str
    what: str  # who or what it is with, as this viewer may see it
    person_id: int | None  # set when the viewer may open the person's record
    owner: str  # whose diary
    clashes: bool
    may_open: bool  # the viewer may open the appointment (their own, or a manager)


@dataclass(frozen=True)
class Day:
    day: date
    is_today: bool
    entries: list[Entry]

    @property
    def clash_count(self) -> int:
        return sum(entry.clashes for entry in self.entries)


@dataclass(frozen=True)
class Week:
    start: date
    end: date  # the Sunday
    days: list[Day]
    previous: date
    next: date

    @property
    def count(self) -> int:
        return sum(len(day.entries) for day in self.days)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def local_bounds(first: date, days: int) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=zone)
    end = datetime.combine(first + timedelta(days=days), time.min, tzinfo=zone)
    return start, end


def _clashing(appointments: list[Appointment]) -> set[int]:
    """Ids of held (not cancelled) appointments that overlap another in the same diary."""
    found: set[int] = set()
    by_owner: dict[int, list[Appointment]] = defaultdict(list)
    for appointment in appointments:
        if not appointment.is_cancelled:
            by_owner[appointment.staff_id].append(appointment)
    for held in by_owner.values():
        held.sort(key=lambda a: a.starts_at)
        latest: Appointment | None = None  # the one reaching furthest so far
        for appointment in held:
            if latest is not None and appointment.starts_at < latest.ends_at:
                found.update({appointment.pk, latest.pk})
            if latest is None or appointment.ends_at > latest.ends_at:
                latest = appointment
    return found


def _what(appointment: Appointment, named: set[int]) -> str:
    kind = appointment.kind
    if kind == Appointment.Kind.PERSON:
        if appointment.person_id in named:
            return appointment.person.full_name
        return "A person on their caseload"
    if kind == Appointment.Kind.EMPLOYER:
        return appointment.employer.name
    if kind == Appointment.Kind.TEAM_MEETING:
        return f"{appointment.team.name} meeting"
    return appointment.title or "Own time"


def entries(viewer: StaffMember, appointments: list[Appointment]) -> list[Entry]:
    """Entries for these appointments (loaded with their person, employer, team and owner),
    in two queries whatever their number: the appointments, and which people are in scope."""
    person_ids = {a.person_id for a in appointments if a.person_id}
    named = set(
        Person.objects.visible_to(viewer).filter(pk__in=person_ids).values_list("pk", flat=True)
        if person_ids
        else ()
    )
    clashing = _clashing(appointments)
    result = []
    for appointment in appointments:
        starts = timezone.localtime(appointment.starts_at)
        ends = timezone.localtime(appointment.ends_at)
        result.append(
            Entry(
                appointment=appointment,
                starts=f"{starts:%H:%M}",
                ends=f"{ends:%H:%M}",
                what=_what(appointment, named),
                person_id=appointment.person_id if appointment.person_id in named else None,
                owner=appointment.staff.display_name,
                clashes=appointment.pk in clashing,
                may_open=may(viewer, Permission.KEEP_DIARY, appointment),
            )
        )
    return result


def week(viewer: StaffMember, appointments: list[Appointment], start: date, today: date) -> Week:
    by_day: dict[date, list[Entry]] = defaultdict(list)
    for entry in entries(viewer, appointments):
        by_day[timezone.localtime(entry.appointment.starts_at).date()].append(entry)
    days = [
        Day(day=d, is_today=d == today, entries=by_day.get(d, []))
        for d in (start + timedelta(days=i) for i in range(7))
    ]
    return Week(
        start=start,
        end=start + timedelta(days=6),
        days=days,
        previous=start - timedelta(days=7),
        next=start + timedelta(days=7),
    )
