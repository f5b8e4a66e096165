"""Writing the diary: booking and changing appointments, recording what happened, the
calendar feed's secret address, and tasks (added, ticked off, reopened, and planned from a
contact's "What happens next?")."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ipsworks.access.audit import record_event
from ipsworks.access.models import AccessLogEntry
from ipsworks.access.roles import Permission
from ipsworks.access.rules import has_role_permission
from ipsworks.activity import services as activity
from ipsworks.activity.models import Contact, TeamMeeting
from ipsworks.core.dates import local_today
from ipsworks.diary.models import Appointment, DiaryFeed, Task
from ipsworks.employers import services as employers
from ipsworks.employers.models import Employer, EmployerContact
from ipsworks.organisations.models import StaffMember, Team
from ipsworks.people.models import Person, Referral, ReferralStatus

_CREATE = AccessLogEntry.Action.CREATE
_CHANGE = AccessLogEntry.Action.CHANGE

# Longer than a working day is never one appointment: a typing slip (leave is booked by day).
MAX_MINUTES = 12 * 60


@dataclass(frozen=True)
class AppointmentDetails:
    kind: str
    starts_at: datetime
    ends_at: datetime
    place: str
    person: Person | None = None
    employer: Employer | None = None
    employer_purpose: str = ""
    team: Team | None = None
    title: str = ""
    with_whom: str = ""
    notes: str = ""


def _check(details: AppointmentDetails, by: StaffMember) -> None:
    errors: dict[str, str] = {}
    if details.ends_at <= details.starts_at:
        errors["ends_at"] = "The end time must be after the start time"
    elif (details.ends_at - details.starts_at).total_seconds() > MAX_MINUTES * 60:
        errors["ends_at"] = "An appointment must be 12 hours or shorter"
    kind = details.kind
    if kind == Appointment.Kind.PERSON:
        if details.person is None:
            errors["person"] = "Select who the appointment is with"
        elif details.person.service_id != by.service_id:
            errors["person"] = "Select someone from your service"
    if kind == Appointment.Kind.EMPLOYER:
        if details.employer is None:
            errors["employer"] = "Select the employer"
        elif details.employer.service_id != by.service_id:
            errors["employer"] = "Select an employer your service works with"
        if not details.employer_purpose:
            errors["employer_purpose"] = "Select what the meeting with the employer is for"
    if kind == Appointment.Kind.TEAM_MEETING:
        if details.team is None:
            errors["team"] = "Select the clinical team"
        elif details.team.service_id != by.service_id:
            errors["team"] = "Select one of your service's teams"
    if kind == Appointment.Kind.OWN_TIME and not details.title:
        errors["title"] = "Say what the time is for, like 'Training' or 'Annual leave'"
    if errors:
        raise ValidationError(errors)


def _fields(details: AppointmentDetails) -> dict:
    """Only what the kind uses: a person's appointment keeps no employer, and so on."""
    kind = details.kind
    return {
        "kind": kind,
        "starts_at": details.starts_at,
        "ends_at": details.ends_at,
        "place": details.place,
        "person": details.person
        if kind in (Appointment.Kind.PERSON, Appointment.Kind.EMPLOYER)
        else None,
        "employer": details.employer if kind == Appointment.Kind.EMPLOYER else None,
        "employer_purpose": details.employer_purpose if kind == Appointment.Kind.EMPLOYER else "",
        "team": details.team if kind == Appointment.Kind.TEAM_MEETING else None,
        "title": details.title,
        "with_whom": details.with_whom,
        "notes": details.notes,
    }


@transaction.atomic
def book_appointment(
    *, details: AppointmentDetails, by: StaffMember, owner: StaffMember | None = None
) -> Appointment:
    """Put an appointment in ``owner``'s diary (their own, unless a manager books for a
    specialist of the service)."""
    owner = owner or by
    if owner.service_id != by.service_id:
        raise ValidationError("Book appointments only in your own service's diaries")
    _check(details, by)
    appointment = Appointment(
        service_id=by.service_id, staff=owner, created_by=by, **_fields(details)
    )
    appointment.full_clean()
    appointment.save()
    record_event(by=by, action=_CREATE, obj=appointment, person_id=appointment.person_id)
    return appointment


@transaction.atomic
def change_appointment(
    *, appointment: Appointment, details: AppointmentDetails, by: StaffMember
) -> Appointment:
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if not appointment.is_booked:
        raise ValidationError(
            "This appointment has its outcome recorded, so it can no longer be changed"
        )
    _check(details, by)
    for name, value in _fields(details).items():
        setattr(appointment, name, value)
    appointment.full_clean()
    appointment.save()
    record_event(by=by, action=_CHANGE, obj=appointment, person_id=appointment.person_id)
    return appointment


def clashes(appointment: Appointment) -> list[Appointment]:
    """Other booked or held appointments in the same diary that overlap this one."""
    return list(
        Appointment.objects.in_diary(
            [appointment.staff_id], appointment.starts_at, appointment.ends_at
        )
        .exclude(pk=appointment.pk)
        .exclude(status__in=Appointment.CANCELLED)
    )


# --- what happened ----------------------------------------------------------------------------

# How a planned place becomes a recorded contact's mode and place.
_CONTACT_MODE = {
    Appointment.Place.PHONE: (Contact.Mode.PHONE, Contact.Place.REMOTE),
    Appointment.Place.VIDEO: (Contact.Mode.VIDEO, Contact.Place.REMOTE),
}
_EMPLOYER_MODE = {
    Appointment.Place.PHONE: EmployerContact.Mode.PHONE,
    Appointment.Place.VIDEO: EmployerContact.Mode.VIDEO,
}


def _open_referral(person: Person) -> Referral:
    referral = (
        Referral.objects.filter(person=person)
        .exclude(status=ReferralStatus.CLOSED)
        .order_by("-received_on", "-pk")
        .first()
    )
    if referral is None:
        raise ValidationError(
            "This person has no open referral, so a contact cannot be recorded. Re-refer "
            "them first, or record the appointment as cancelled"
        )
    return referral


def _contact_details(appointment: Appointment, outcome: str, note: str) -> activity.ContactDetails:
    mode, place = _CONTACT_MODE.get(
        appointment.place, (Contact.Mode.FACE_TO_FACE, appointment.place)
    )
    attended = outcome == Contact.Outcome.COMPLETED
    return activity.ContactDetails(
        contact_date=timezone.localtime(appointment.starts_at).date(),
        with_whom=Contact.With.PERSON,
        mode=mode,
        outcome=outcome,
        place=place if attended else "",
        duration_minutes=min(appointment.minutes, 600) if attended else None,
        note=note,
    )


@transaction.atomic
def record_outcome(
    *, appointment: Appointment, status: str, note: str, by: StaffMember
) -> Appointment:
    """Record whether the appointment took place, in one step, writing what it stands for:
    a contact (or a did-not-attend) for a person, an employer contact for an employer, the
    team meeting for a team meeting. A cancellation writes nothing else (MHSDS counts
    cancelled appointments as neither attended nor missed)."""
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if not appointment.is_booked:
        raise ValidationError("The outcome of this appointment is already recorded")
    if status not in Appointment.Status.values or status == Appointment.Status.BOOKED:
        raise ValidationError({"status": "Select what happened"})
    happened = status in (Appointment.Status.TOOK_PLACE, Appointment.Status.DID_NOT_ATTEND)
    day = timezone.localtime(appointment.starts_at).date()
    if happened and day > local_today():
        raise ValidationError(
            {"status": "This appointment is in the future: record what happened on the day"}
        )
    if status == Appointment.Status.DID_NOT_ATTEND and appointment.kind != Appointment.Kind.PERSON:
        raise ValidationError({"status": "Only a person can not attend: choose cancelled"})
    if happened:
        _write_what_happened(appointment, status, note, by)
    appointment.status = status
    appointment.save()
    record_event(by=by, action=_CHANGE, obj=appointment, person_id=appointment.person_id)
    return appointment


def _write_what_happened(appointment: Appointment, status: str, note: str, by) -> None:
    kind = appointment.kind
    day = timezone.localtime(appointment.starts_at).date()
    if kind == Appointment.Kind.PERSON:
        outcome = (
            Contact.Outcome.COMPLETED
            if status == Appointment.Status.TOOK_PLACE
            else Contact.Outcome.DID_NOT_ATTEND
        )
        appointment.contact = activity.record_contact(
            referral=_open_referral(appointment.person),
            details=_contact_details(appointment, outcome, note),
            by=by,
        )
    elif kind == Appointment.Kind.EMPLOYER:
        appointment.employer_contact = employers.record_employer_contact(
            employer=appointment.employer,
            person=appointment.person,
            details=employers.EmployerContactDetails(
                contact_date=day,
                mode=_EMPLOYER_MODE.get(appointment.place, EmployerContact.Mode.FACE_TO_FACE),
                purpose=appointment.employer_purpose,
                outcome=note,
                duration_minutes=min(appointment.minutes, 600),
            ),
            by=by,
        )
    elif kind == Appointment.Kind.TEAM_MEETING:
        appointment.team_meeting = activity.record_team_meeting(
            team=appointment.team,
            meeting_date=day,
            kind=TeamMeeting.Kind.MDT,
            note=note[:300],
            by=by,
        )


# --- the calendar feed ------------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def new_feed(*, staff: StaffMember) -> str:
    """A new secret address for the staff member's feed, replacing any old one (which stops
    working at once). Returns the token; only its hash is kept, so it is shown once."""
    token = secrets.token_urlsafe(32)
    DiaryFeed.objects.filter(staff=staff).delete()
    feed = DiaryFeed.objects.create(staff=staff, token_hash=_hash(token))
    record_event(by=staff, action=_CREATE, obj=feed)
    return token


@transaction.atomic
def revoke_feed(*, staff: StaffMember) -> bool:
    deleted, _ = DiaryFeed.objects.filter(staff=staff).delete()
    if deleted:
        record_event(by=staff, action=_CHANGE, reason="Revoked the diary's calendar feed")
    return bool(deleted)


def feed_owner(token: str) -> StaffMember | None:
    """Whose feed the secret address opens, if it is current and they may still sign in."""
    feed = (
        DiaryFeed.objects.select_related("staff__user")
        .filter(token_hash=_hash(token), staff__user__is_active=True)
        .first()
    )
    if feed is None:
        return None
    DiaryFeed.objects.filter(pk=feed.pk).update(last_read_at=timezone.now())
    return feed.staff


# --- tasks ------------------------------------------------------------------------------------

# A due date further off than this either way is a typing slip (a year typed wrong).
TASK_DUE_WITHIN_DAYS = 366
TITLE_MAX = Task._meta.get_field("title").max_length


def _check_task(*, person: Person, title: str, due_on: date | None, owner, by) -> None:
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = "Enter what needs doing"
    elif len(title) > TITLE_MAX:
        errors["title"] = f"What needs doing must be {TITLE_MAX} characters or fewer"
    if due_on is not None:
        today = local_today()
        if abs((due_on - today).days) > TASK_DUE_WITHIN_DAYS:
            errors["due_on"] = "The due date must be within a year of today"
    if owner is None:
        errors["owner"] = "Select who will do it"
    elif (
        owner.service_id != person.service_id
        or owner.left_on is not None
        or not has_role_permission(owner, Permission.VIEW_CASELOAD)
    ):
        errors["owner"] = "Select a specialist in this person's service"
    if by.service_id != person.service_id:
        errors["__all__"] = "Add tasks only for people in your own service"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_task(
    *,
    person: Person,
    title: str,
    due_on: date | None,
    owner: StaffMember,
    by: StaffMember,
    referral: Referral | None = None,
) -> Task:
    """Give ``owner`` something to do for ``person``, by ``due_on`` or whenever they can."""
    title = (title or "").strip()
    _check_task(person=person, title=title, due_on=due_on, owner=owner, by=by)
    if referral is not None and referral.person_id != person.pk:
        raise ValidationError("The referral is not this person's")
    task = Task.objects.create(
        service_id=person.service_id,
        person=person,
        referral=referral,
        owner=owner,
        title=title,
        due_on=due_on,
        created_by=by,
    )
    record_event(by=by, action=_CREATE, obj=task, person_id=person.pk)
    return task


@transaction.atomic
def complete_task(*, task: Task, by: StaffMember) -> Task:
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.is_done:
        raise ValidationError("This task is already done")
    task.done_at = timezone.now()
    task.done_by = by
    task.save(update_fields=["done_at", "done_by"])
    record_event(by=by, action=_CHANGE, obj=task, person_id=task.person_id)
    return task


@transaction.atomic
def reopen_task(*, task: Task, by: StaffMember) -> Task:
    """Undo a task ticked off by mistake: it is open again, as it was."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if not task.is_done:
        raise ValidationError("This task is not done, so it cannot be reopened")
    task.done_at = None
    task.done_by = None
    task.save(update_fields=["done_at", "done_by"])
    record_event(by=by, action=_CHANGE, obj=task, person_id=task.person_id)
    return task


# How the contact form's fields are named, for errors about the task it asked for.
_CONTACT_FIELDS = {"title": "next_action", "due_on": "next_action_on", "owner": "next_action"}


def plan_next_step(*, referral: Referral, title: str, due_on: date | None, by: StaffMember):
    """The contact form's "What happens next?" as a task (``activity.next_steps``, run in
    the contact's transaction). It is the recorder's own task when they hold a caseload,
    else (a manager recording) the specialist the referral is allocated to."""
    owner = by if has_role_permission(by, Permission.VIEW_CASELOAD) else referral.allocated_to
    if owner is None:
        raise ValidationError(
            {"next_action": "Allocate the referral to a specialist first, who will do it"}
        )
    try:
        return add_task(
            person=referral.person,
            referral=referral,
            title=title,
            due_on=due_on,
            owner=owner,
            by=by,
        )
    except ValidationError as error:
        raise ValidationError(
            {
                _CONTACT_FIELDS.get(name, name): messages
                for name, messages in error.message_dict.items()
            }
        ) from error
