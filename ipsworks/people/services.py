"""Writes that touch several models: referrals, their status history, profiles and plans.

Every function takes keyword arguments and the acting staff member (``by``), runs in one
transaction, and writes its audit entry in that same transaction. Views call these; they
never write these models themselves.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ipsworks.access.audit import record_event, record_events_for_people
from ipsworks.access.models import AccessLogEntry, ReferralCheck
from ipsworks.core.dates import local_today
from ipsworks.core.formatting import uk_date
from ipsworks.organisations.models import Service, StaffMember, Team
from ipsworks.people import privacy, progress, rules
from ipsworks.people.codes import EmploymentStatus
from ipsworks.people.models import (
    ActionPlan,
    ActionStep,
    DisclosurePlan,
    Episode,
    Person,
    PersonChange,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    ReferralTeamMove,
    SelfReferralRepeat,
    VocationalProfile,
)
from ipsworks.people.signals import referral_needs_check, referrals_created_in_bulk

_CHANGE = AccessLogEntry.Action.CHANGE
_CREATE = AccessLogEntry.Action.CREATE

BULK_BATCH = 1000  # rows an INSERT of the bulk writer sends at once


@dataclass(frozen=True)
class NewReferral:
    team: Team | None
    source: str
    received_on: date
    referrer_name: str = ""
    pathway: str = Referral.Pathway.JOB_SEEKING
    employment_status_at_referral: str = ""  # not recorded; "ZZ" is "declined to say"
    weekly_hours_at_referral: str = "99"
    work_interests: str = ""


def _move(
    referral: Referral,
    new_status: str,
    *,
    on: date,
    by: StaffMember | None,
    reason: str = "",
    note: str = "",
) -> ReferralStatusChange:
    rules.check_transition(referral.status, new_status)
    change = ReferralStatusChange.objects.create(
        referral=referral,
        status=new_status,
        effective_on=on,
        recorded_by=by,
        reason=reason,
        note=note,
    )
    referral.status = new_status
    return change


# Also here, where the bulk import's tests have always found it.
NHS_NUMBER_BELONGS_TO_SOMEONE_ELSE = rules.NHS_NUMBER_BELONGS_TO_SOMEONE_ELSE


class ReferralNeedsCheck(ValidationError):
    """A referral refused with the one neutral message; the duty team has a ReferralCheck."""

    def __init__(self) -> None:
        super().__init__({"__all__": [rules.REFERRAL_NEEDS_CHECK]}, code="needs_check")


def _is_known_person(known: Person, details: dict[str, Any]) -> bool:
    """Whether typed details are those held for the NHS number: family name and date of birth
    both given and the same (:func:`ipsworks.people.rules.matches_known_person`)."""
    return rules.matches_known_person(
        known_family_name=known.family_name,
        known_date_of_birth=known.date_of_birth,
        family_name=details.get("family_name"),
        date_of_birth=details.get("date_of_birth"),
    )


def create_referral(
    *,
    service: Service,
    person: Person | None = None,
    person_details: dict[str, Any] | None = None,
    referral: NewReferral,
    by: StaffMember | None,
) -> Referral:
    """Record a referral, for a person already known to the service or a new one.

    A person already known (same NHS number) is re-referred only when the family name and
    date of birth typed are theirs too, and only when they have no open referral (the
    service is already working with them). Otherwise the referral is refused with one
    neutral message whatever the reason (:class:`ReferralNeedsCheck`), and the service's
    duty team gets a :class:`~ipsworks.access.models.ReferralCheck` to sort it out: a
    message naming the reason would tell anyone who may refer whom the service holds.
    The check is kept even though the referral is not (its own transaction, committed
    before the refusal is raised).
    """
    with transaction.atomic():
        made = _create_referral(
            service=service,
            person=person,
            person_details=person_details,
            referral=referral,
            by=by,
        )
    if isinstance(made, ReferralCheck):
        raise ReferralNeedsCheck
    return made


def _needs_check(
    *, service: Service, person: Person, reason: str, referral: NewReferral, by
) -> ReferralCheck:
    check = ReferralCheck.objects.create(
        service=service,
        made_by=by,
        team=referral.team,
        nhs_number=person.nhs_number or "",
        reason=reason,
        person_id=person.pk,
    )
    record_event(by=by, action=_CREATE, obj=check, person_id=person.pk)
    referral_needs_check.send(sender=ReferralCheck, check=check)
    return check


def _create_referral(
    *,
    service: Service,
    person: Person | None,
    person_details: dict[str, Any] | None,
    referral: NewReferral,
    by: StaffMember | None,
) -> Referral | ReferralCheck:
    if referral.team is not None and referral.team.service_id != service.pk:
        raise ValidationError({"team": "Choose a team from this service"})
    if person is None:
        details = dict(person_details or {})
        nhs = details.get("nhs_number") or None
        existing = (
            Person.objects.select_for_update().filter(service=service, nhs_number=nhs).first()
            if nhs
            else None
        )
        if existing is None:
            person = Person(service=service, **details)
            person.full_clean()
            person.save()
        elif not _is_known_person(existing, details):
            return _needs_check(
                service=service,
                person=existing,
                reason=ReferralCheck.Reason.DETAILS_DIFFER,
                referral=referral,
                by=by,
            )
        else:
            person = existing
    elif person.service_id != service.pk:
        raise ValidationError("This person belongs to another service")

    if person.referrals.exclude(status=ReferralStatus.CLOSED).exists():
        return _needs_check(
            service=service,
            person=person,
            reason=ReferralCheck.Reason.ALREADY_OPEN,
            referral=referral,
            by=by,
        )

    created = Referral(
        service=service,
        person=person,
        team=referral.team,
        source=referral.source,
        referrer_name=referral.referrer_name,
        referred_by=by,
        received_on=referral.received_on,
        pathway=referral.pathway,
        employment_status_at_referral=referral.employment_status_at_referral,
        weekly_hours_at_referral=referral.weekly_hours_at_referral,
        work_interests=referral.work_interests,
        status=ReferralStatus.RECEIVED,
    )
    created.full_clean()
    created.save()
    ReferralStatusChange.objects.create(
        referral=created,
        status=ReferralStatus.RECEIVED,
        effective_on=referral.received_on,
        recorded_by=by,
    )
    record_event(by=by, action=_CREATE, obj=created, person_id=person.pk)
    return created


# --- many referrals at once (the clinical-system import) --------------------------------------


@dataclass(frozen=True, slots=True)
class NewPerson:
    """The details of someone the service does not hold yet, already checked."""

    nhs_number: str
    given_name: str
    family_name: str
    date_of_birth: date | None
    postcode: str = ""
    phone: str = ""
    email: str = ""
    gender_identity: str = ""
    ethnic_category: str = ""
    sexual_orientation: str = ""
    disability: str = ""
    religion_or_belief: str = ""


@dataclass(frozen=True, slots=True)
class CheckedReferral:
    """One referral for :func:`create_referrals_in_bulk`, already checked by the caller.

    Exactly one of ``person_id`` (someone the service holds, with no open referral) and
    ``new_person`` (someone it does not, whose NHS number no other row of the batch has).
    """

    received_on: date
    source: str
    team_id: int | None
    person_id: int | None = None
    new_person: NewPerson | None = None
    referrer_name: str = ""
    pathway: str = Referral.Pathway.JOB_SEEKING
    employment_status_at_referral: str = ""
    weekly_hours_at_referral: str = "99"
    work_interests: str = ""

    def __post_init__(self) -> None:
        if (self.person_id is None) == (self.new_person is None):
            raise ValueError("Give either person_id or new_person")


@dataclass(frozen=True)
class BulkReferrals:
    """What :func:`create_referrals_in_bulk` wrote: the referrals in the order of the rows."""

    referrals: list[Referral]
    people_created: int


def _batches(items: Sequence, size: int = BULK_BATCH) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def create_referrals_in_bulk(
    *,
    service_id: int,
    rows: Sequence[CheckedReferral],
    by: StaffMember,
    status_note: str = "",
    log_path: str = "",
    log_reason: str = "",
) -> BulkReferrals:
    """Write many checked referrals: the new people, the referrals, their "received" status
    rows and a "create" entry each in the access log, in batched INSERTs.

    The one bulk writer of people and referrals (the single one is :func:`create_referral`).
    It checks nothing the caller has checked (a known person whose details differ, an open
    referral, two rows for one person: ``imports.services`` refuses those, as
    :func:`create_referral` does); a faster way to insert (COPY, issue 21) belongs here, so
    that callers need not change. ``bulk_create`` sends no ``post_save``, so it sends
    :data:`~ipsworks.people.signals.referrals_created_in_bulk` once the rows are written
    (the outcome facts listen). Runs in the caller's transaction, or its own.
    """
    with transaction.atomic():
        people: dict[str, int] = {}
        new_people = [
            Person(service_id=service_id, **_person_fields(row.new_person))
            for row in rows
            if row.new_person is not None
        ]
        for batch in _batches(new_people):
            for person in Person.objects.bulk_create(batch):
                people[person.nhs_number] = person.pk

        created: list[Referral] = []
        for batch in _batches(rows):
            created.extend(
                Referral.objects.bulk_create(
                    [
                        Referral(
                            service_id=service_id,
                            person_id=(
                                row.person_id
                                if row.new_person is None
                                else people[row.new_person.nhs_number]
                            ),
                            team_id=row.team_id,
                            source=row.source,
                            referrer_name=row.referrer_name,
                            referred_by=by,
                            received_on=row.received_on,
                            pathway=row.pathway,
                            employment_status_at_referral=row.employment_status_at_referral,
                            weekly_hours_at_referral=row.weekly_hours_at_referral,
                            work_interests=row.work_interests,
                            status=ReferralStatus.RECEIVED,
                        )
                        for row in batch
                    ]
                )
            )
        for batch in _batches(created):
            ReferralStatusChange.objects.bulk_create(
                [
                    ReferralStatusChange(
                        referral_id=r.pk,
                        status=ReferralStatus.RECEIVED,
                        effective_on=r.received_on,
                        recorded_by=by,
                        note=status_note,
                    )
                    for r in batch
                ]
            )
            record_events_for_people(
                by=by, action=_CREATE, objs=batch, path=log_path, reason=log_reason
            )
        referrals_created_in_bulk.send(
            sender=Referral, service_id=service_id, referral_ids=[r.pk for r in created]
        )
    return BulkReferrals(referrals=created, people_created=len(new_people))


def _person_fields(person: NewPerson) -> dict[str, Any]:
    return {name: getattr(person, name) for name in NewPerson.__slots__}


@transaction.atomic
def sort_referral_check(*, check: ReferralCheck, note: str, by: StaffMember) -> ReferralCheck:
    """The duty team records what it did about a refused referral (it leaves the list)."""
    check = ReferralCheck.objects.select_for_update().get(pk=check.pk)
    if check.sorted_at is not None:
        raise ValidationError("This check was already sorted")
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Enter what was done, for example who was contacted"})
    check.sorted_at = timezone.now()
    check.sorted_by = by
    check.sorted_note = note[:300]
    check.save(update_fields=["sorted_at", "sorted_by", "sorted_note"])
    record_event(by=by, action=_CHANGE, obj=check, person_id=check.person_id)
    return check


def _locked(referral: Referral) -> Referral:
    """Re-read the referral under a row lock so two people cannot move it at once."""
    return Referral.objects.select_for_update().get(pk=referral.pk)


@transaction.atomic
def accept_referral(
    *, referral: Referral, allocate_to: StaffMember | None, on: date, by: StaffMember
) -> Referral:
    referral = _locked(referral)
    if on < referral.received_on:
        raise ValidationError({"on": "The date accepted cannot be before the referral arrived"})
    if allocate_to is not None:
        _check_allocatable(referral, allocate_to)
        referral.allocated_to = allocate_to
    _move(referral, ReferralStatus.ACCEPTED, on=on, by=by)
    referral.is_new = False
    referral.save(update_fields=["status", "allocated_to", "is_new"])
    record_event(by=by, action=_CHANGE, obj=referral, person_id=referral.person_id)
    return referral


@transaction.atomic
def allocate_referral(*, referral: Referral, to: StaffMember, by: StaffMember) -> Referral:
    referral = _locked(referral)
    if not referral.is_open:
        raise ValidationError("A closed referral cannot be allocated")
    _check_allocatable(referral, to)
    referral.allocated_to = to
    referral.is_new = False
    referral.save(update_fields=["allocated_to", "is_new"])
    record_event(by=by, action=_CHANGE, obj=referral, person_id=referral.person_id)
    return referral


def _check_allocatable(referral: Referral, staff: StaffMember) -> None:
    from ipsworks.access.roles import Role

    if staff.service_id != referral.service_id or staff.role != Role.EMPLOYMENT_SPECIALIST:
        raise ValidationError({"allocate_to": "Choose an employment specialist from this service"})


@transaction.atomic
def close_referral(
    *,
    referral: Referral,
    reason: str,
    on: date,
    by: StaffMember,
    note: str = "",
    employment_status_at_discharge: str = "",
    weekly_hours_at_discharge: str = "",
) -> Referral:
    """Close a referral (a discharge, once the person has had access) for an allowed reason."""
    referral = _locked(referral)
    if not referral.is_open:
        raise ValidationError("This referral is already closed")
    if on < referral.received_on:
        raise ValidationError({"on": "The closing date cannot be before the referral arrived"})
    # Contacts are activity's records, above people: activity counts them (people.progress).
    attempts = progress.contact_attempts(referral)
    has_episode = Episode.objects.filter(referral=referral).exists()
    try:
        rules.check_closure_reason(
            reason,
            contact_attempts=attempts,
            minimum_attempts=settings.IPS_MIN_CONTACT_ATTEMPTS_BEFORE_CLOSURE,
            employed_at_discharge=(
                employment_status_at_discharge == EmploymentStatus.EMPLOYED if has_episode else None
            ),
        )
    except ValidationError as error:
        raise ValidationError({"reason": error.messages}) from None

    episode = Episode.objects.filter(referral=referral).first()
    if episode is not None:
        if on < episode.access_date:
            raise ValidationError({"on": "The closing date cannot be before the first contact"})
        if not employment_status_at_discharge:
            raise ValidationError(
                {"employment_status_at_discharge": "Select their employment status now"}
            )
        episode.employment_status_at_discharge = employment_status_at_discharge
        episode.weekly_hours_at_discharge = weekly_hours_at_discharge or "99"
        episode.save(update_fields=["employment_status_at_discharge", "weekly_hours_at_discharge"])

    _move(referral, ReferralStatus.CLOSED, on=on, by=by, reason=reason, note=note)
    referral.closed_on = on
    referral.closure_reason = reason
    referral.next_action = ""
    referral.next_action_on = None
    referral.save(
        update_fields=["status", "closed_on", "closure_reason", "next_action", "next_action_on"]
    )
    record_event(by=by, action=_CHANGE, obj=referral, person_id=referral.person_id)
    return referral


@transaction.atomic
def move_referral_to_team(*, referral: Referral, team: Team, on: date, by: StaffMember) -> Referral:
    """The person has moved clinical team; later events count for the new team."""
    referral = _locked(referral)
    if not referral.is_open:
        raise ValidationError("A closed referral cannot move team")
    if team.service_id != referral.service_id:
        raise ValidationError({"team": "Choose a team from this service"})
    if team.pk == referral.team_id:
        raise ValidationError({"team": "The referral is already with this team"})
    if on < referral.received_on:
        raise ValidationError({"on": "The move cannot be before the referral was received"})
    last = referral.team_moves.order_by("-effective_on").first()
    if last is not None and on < last.effective_on:
        raise ValidationError({"on": "The move cannot be before the last team move"})
    ReferralTeamMove.objects.create(
        referral=referral,
        from_team_id=referral.team_id,
        to_team=team,
        effective_on=on,
        recorded_by=by,
    )
    referral.team = team
    referral.save(update_fields=["team"])
    record_event(by=by, action=_CHANGE, obj=referral, person_id=referral.person_id)
    return referral


def note_direct_contact(*, referral: Referral, contact_date: date, by: StaffMember) -> None:
    """Derive access from a direct contact: the episode starts at the first one.

    Called by ``activity.services.record_contact`` inside its transaction. A direct contact
    dated earlier than the current access date (entered late) moves access earlier.
    """
    episode = Episode.objects.select_for_update().filter(referral=referral).first()
    if episode is None:
        Episode.objects.create(
            referral=referral,
            service_id=referral.service_id,
            person_id=referral.person_id,
            access_date=contact_date,
        )
    elif contact_date < episode.access_date:
        episode.access_date = contact_date
        episode.save(update_fields=["access_date"])
    if referral.status in (ReferralStatus.RECEIVED, ReferralStatus.ACCEPTED):
        _move(referral, ReferralStatus.FIRST_CONTACT, on=contact_date, by=by)
        referral.is_new = False
        referral.save(update_fields=["status", "is_new"])


def set_next_action(*, referral: Referral, next_action: str, next_action_on: date | None) -> None:
    """Record what happens next on a referral's own fields.

    No page calls this any more: what happens next after a contact is a task
    (``diary.models.Task``, planned through ``activity.next_steps``), and migration
    ``diary.0003`` carried the open referrals' next actions over. The fields stay, and are
    read, for the records written before tasks and by the demo generator.
    """
    referral.next_action = next_action
    referral.next_action_on = next_action_on
    referral.save(update_fields=["next_action", "next_action_on"])


def note_self_referral_again(*, referral: Referral, work_interests: str) -> SelfReferralRepeat:
    """Someone sent the public self-referral form again while this referral is open: it is
    flagged new again (back at the top of the list) and what they wrote is kept.

    Called by ``public.services.submit_self_referral`` inside its transaction; no signed-in
    actor (``by=None`` in the audit log). Nothing else on the referral or person changes: an
    unauthenticated form never edits a record. A queryset update, so no ``post_save``: the
    flag is not an outcome fact.
    """
    Referral.objects.filter(pk=referral.pk).update(is_new=True)
    repeat = SelfReferralRepeat.objects.create(referral=referral, work_interests=work_interests)
    record_event(
        by=None,
        action=_CHANGE,
        obj=referral,
        person_id=referral.person_id,
        reason="Self-referral sent again while this referral was open",
    )
    return repeat


def _next_version(model, person: Person) -> int:
    # The person row lock serialises two saves of the same person's plan; the unique
    # constraint on (person, version) is the backstop.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    latest = model.objects.filter(person=person).aggregate(v=Max("version"))["v"]
    return (latest or 0) + 1


@transaction.atomic
def save_vocational_profile(
    *, person: Person, fields: dict[str, Any], by: StaffMember, change_reason: str = ""
) -> VocationalProfile:
    """Save a new version of the profile; earlier versions stay as they were."""
    referral = person.referrals.exclude(status=ReferralStatus.CLOSED).first()
    profile = VocationalProfile(
        person=person,
        referral=referral,
        version=_next_version(VocationalProfile, person),
        recorded_by=by,
        change_reason=change_reason,
        **fields,
    )
    profile.full_clean()
    profile.save()
    record_event(by=by, action=_CHANGE, obj=profile, person_id=person.pk)
    return profile


@transaction.atomic
def save_disclosure_plan(
    *, person: Person, fields: dict[str, Any], by: StaffMember, change_reason: str = ""
) -> DisclosurePlan:
    """Save a new version of the plan; earlier versions stay as they were."""
    plan = DisclosurePlan(
        person=person,
        version=_next_version(DisclosurePlan, person),
        recorded_by=by,
        change_reason=change_reason,
        **fields,
    )
    plan.full_clean()
    plan.save()
    record_event(by=by, action=_CHANGE, obj=plan, person_id=person.pk)
    return plan


@dataclass(frozen=True)
class PlanStep:
    """One step as typed on the action plan form (see :class:`ActionStep`)."""

    text: str
    owner: str
    due_on: date | None = None
    done: bool = False


@transaction.atomic
def save_action_plan(
    *,
    person: Person,
    goals: str,
    steps: Sequence[PlanStep],
    by: StaffMember,
    review_on: date | None = None,
    change_reason: str = "",
    today: date | None = None,
) -> ActionPlan:
    """Save a new version of the employment action plan with its own copy of the steps.

    Earlier versions and their steps stay as they were: ticking a step off or changing a date
    is a new version, so the history shows what was agreed when. The form checks each answer
    first; the checks here stop a caller without it (the API, a script) writing a plan the
    form would refuse.
    """
    last_day = rules.latest_action_plan_date(today or local_today())
    if review_on is not None and review_on > last_day:
        raise ValidationError(
            {"review_on": f"The review date must be on or before {uk_date(last_day)}"}
        )
    if any(step.due_on is not None and step.due_on > last_day for step in steps):
        raise ValidationError(f"Each step's date must be on or before {uk_date(last_day)}")
    plan = ActionPlan(
        person=person,
        version=_next_version(ActionPlan, person),
        recorded_by=by,
        change_reason=change_reason,
        goals=goals.strip(),
        review_on=review_on,
    )
    plan.full_clean()
    plan.save()
    rows = [
        ActionStep(
            plan=plan,
            position=position,
            text=step.text.strip(),
            owner=step.owner,
            due_on=step.due_on,
            done=step.done,
        )
        for position, step in enumerate(steps, start=1)
    ]
    for row in rows:
        row.full_clean(exclude=["plan"])
    ActionStep.objects.bulk_create(rows)
    record_event(by=by, action=_CHANGE, obj=plan, person_id=person.pk)
    return plan


@transaction.atomic
def update_person_details(*, person: Person, fields: dict[str, Any], by: StaffMember) -> Person:
    nhs = fields.get("nhs_number")
    if (
        nhs
        and Person.objects.filter(service_id=person.service_id, nhs_number=nhs)
        .exclude(pk=person.pk)
        .exists()
    ):
        raise ValidationError(
            {"nhs_number": "Another person in this service has this NHS number. Check it"}
        )
    before = {name: getattr(person, name) for name in fields}
    for name, value in fields.items():
        setattr(person, name, value)
    person.full_clean(validate_unique=False)
    person.save(update_fields=list(fields))
    PersonChange.objects.bulk_create(
        [
            PersonChange(
                person=person,
                field=name,
                old_value=_as_text(before[name]),
                new_value=_as_text(value),
                changed_by=by,
            )
            for name, value in fields.items()
            if before[name] != value
        ]
    )
    record_event(by=by, action=_CHANGE, obj=person, person_id=person.pk)
    return person


def _as_text(value) -> str:
    if value is None:
        return ""
    return (value.isoformat() if hasattr(value, "isoformat") else str(value))[:300]


@transaction.atomic
def anonymise(person: Person, *, today: date, by=None, reason: str = "") -> None:
    """Remove what identifies the person; keep dates, codes and outcomes for the figures.

    What is blanked is the policy in ``people.privacy`` (the person's fields, the free text
    of other models, and the anonymisers other apps register); this is where it is written,
    with the rest of the person's aggregate.

    History rows are append-only to the application; this is the one sanctioned path that
    blanks their free text, through the base manager.
    """
    Person.objects.filter(pk=person.pk).update(
        given_name=privacy.ANONYMISED_NAME,
        family_name=f"person {person.pk}",
        preferred_name="",
        nhs_number=None,
        date_of_birth=None,
        postcode="",
        phone="",
        email="",
        contact_preferences="",
        **privacy.ANONYMISED_EQUALITY,
        anonymised_on=today,
    )
    for record in privacy.personal_records():
        if record.anonymised:
            model = apps.get_model(record.label)
            model._base_manager.filter(**{record.path: person.pk}).update(**record.anonymised)
    for clear in privacy.ANONYMISERS:
        clear(person)
    record_event(
        by=by,
        action=AccessLogEntry.Action.ANONYMISE,
        obj=person,
        person_id=person.pk,
        reason=reason,
    )
