"""Turn referrals and people into what pages show: stages, flags and words."""

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings

from ipsworks.access.roles import Permission
from ipsworks.access.rules import may
from ipsworks.core.dates import add_working_days, age_on, local_today
from ipsworks.organisations.models import StaffMember
from ipsworks.people import caseload_limit, queries, record, rules, timeline
from ipsworks.people.codes import EmploymentStatus, WeeklyHoursWorked
from ipsworks.people.models import (
    ActionPlan,
    ActionStep,
    DisclosurePlan,
    Person,
    PersonChange,
    Referral,
    ReferralStatus,
    VocationalProfile,
)
from ipsworks.people.timeline import FieldChange, changes_between

# IPS Grow and NHS England report waits to first contact in bands; 7 days is the first.
FIRST_CONTACT_WAIT_DAYS = 7
NO_CONTACT_ALERT_DAYS = 28


@dataclass(frozen=True)
class Tag:
    text: str
    colour: str  # an NHS.UK tag colour: blue, grey, green, orange, red, yellow, aqua-green...


@dataclass
class CaseloadRow:
    referral: Referral
    stage: Tag
    days_since_contact: int | None
    flags: list[Tag] = field(default_factory=list)

    @property
    def person(self):
        return self.referral.person

    @property
    def is_overdue(self) -> bool:
        return any(flag.colour == "red" for flag in self.flags)


def stage_of(referral: Referral) -> Tag:
    """Where the person is in the IPS journey, from what has been recorded."""
    if referral.status == ReferralStatus.CLOSED:
        return Tag("Closed", "grey")
    access = getattr(referral, "access_date", None)
    if access is None:
        if referral.status == ReferralStatus.RECEIVED:
            return Tag("New referral", "blue")
        return Tag("Waiting for first contact", "yellow")
    if referral.is_job_retention:
        return Tag("Job retention", "purple")
    if getattr(referral, "in_work", False):
        return Tag("In work", "green")
    if getattr(referral, "has_profile", False):
        return Tag("Job searching", "aqua-green")
    return Tag("Engaged", "blue")


def flags_for(referral: Referral, today: date) -> list[Tag]:
    flags: list[Tag] = []
    last = getattr(referral, "last_contact_on", None)
    access = getattr(referral, "access_date", None)
    if access is None:
        waited = (today - referral.received_on).days
        if waited > FIRST_CONTACT_WAIT_DAYS:
            flags.append(Tag(f"Waiting {waited} days for first contact", "red"))
    elif last is not None and (today - last).days > NO_CONTACT_ALERT_DAYS:
        flags.append(Tag(f"No contact for {(today - last).days} days", "red"))
    if getattr(referral, "support_overdue", False):
        flags.append(Tag("In-work support overdue", "red"))
    elif getattr(referral, "support_due_soon", False):
        flags.append(Tag("In-work support due", "yellow"))
    # Tasks replaced the referral's single next action (diary.models.Task), whoever owns them.
    if getattr(referral, "open_tasks_overdue", False):
        flags.append(Tag("Task overdue", "red"))
    if referral.allocated_to_id is None:
        flags.append(Tag("Not allocated", "orange"))
    return flags


def caseload_rows(referrals, today: date) -> list[CaseloadRow]:
    rows = []
    for referral in referrals:
        last = getattr(referral, "last_contact_on", None)
        rows.append(
            CaseloadRow(
                referral=referral,
                stage=stage_of(referral),
                days_since_contact=(today - last).days if last else None,
                flags=flags_for(referral, today),
            )
        )
    # Overdue people first, then the longest without contact.
    rows.sort(key=lambda row: (not row.is_overdue, -(row.days_since_contact or 10_000)))
    return rows


@dataclass(frozen=True)
class CaseloadSize:
    open: int
    active: int
    fte: Decimal

    @property
    def target(self) -> int:
        """Fidelity item 1's full-fidelity caseload (active people per full-time specialist,
        from the current scale: ``people.caseload_limit``) for this FTE."""
        return int((caseload_limit.per_fte() * self.fte).to_integral_value())

    @property
    def per_fte(self) -> Decimal:
        return (Decimal(self.active) / self.fte).quantize(Decimal("0.1"))

    @property
    def over_target(self) -> bool:
        return self.active > self.target


def age_text(date_of_birth: date | None, today: date) -> str:
    if date_of_birth is None:
        return "Not recorded"
    return f"{age_on(date_of_birth, today)}"


def wait_days(referral: Referral, today: date) -> int:
    return (today - referral.received_on).days


def search_log_reason(text: str, results) -> str:
    """What the access log says about a person search: its kind and size, never the text.

    The access log is read by service administrators, who may not see case data, and a
    searched name or NHS number is case data.
    """
    kind = "NHS number" if text.replace(" ", "").isdigit() else "name"
    found = len(results) if results is not None else 0
    return f"people: search by {kind} ({len(text)} characters, {found} found)"


@dataclass(frozen=True)
class VersionEntry:
    """One saved version of a profile or disclosure plan, as its history page shows it.

    ``changes`` holds each answer that differs from the version before, old and new; the
    first version has none, and ``answers`` lists what it started with instead.
    """

    version: int
    recorded_at: datetime
    recorded_by: str
    change_reason: str
    changes: list[FieldChange]
    answers: list[tuple[str, str]]
    unchanged: int


def version_history(versions: list, fields: dict) -> list[VersionEntry]:
    """Every version, newest first as given, each compared with the one saved before it.

    ``fields`` is :data:`ipsworks.people.timeline.PROFILE_FIELDS` or ``DISCLOSURE_FIELDS``.
    """
    entries = []
    for i, newer in enumerate(versions):
        older = versions[i + 1] if i + 1 < len(versions) else None
        changes = changes_between(newer, older, fields) if older is not None else []
        answers = (
            [(label, show(getattr(newer, name))) for name, (label, show) in fields.items()]
            if older is None
            else []
        )
        entries.append(
            VersionEntry(
                version=newer.version,
                recorded_at=newer.recorded_at,
                recorded_by=newer.recorded_by.display_name,
                change_reason=getattr(newer, "change_reason", ""),
                changes=changes,
                answers=answers,
                unchanged=len(fields) - len(changes) if older is not None else 0,
            )
        )
    return entries


@dataclass(frozen=True)
class NextSteps:
    allocated_by: date
    seen_by: date
    allocate_days: int
    seen_days: int


def next_steps(referral: Referral) -> NextSteps:
    """When a referrer can expect the referral allocated, and the person first seen: the
    service's own standards (``IPS_ALLOCATE_WITHIN_WORKING_DAYS``, working days, bank holidays
    skipped; ``IPS_FIRST_SEEN_WITHIN_DAYS``, NHS England's "seen within 7 days")."""
    allocate = settings.IPS_ALLOCATE_WITHIN_WORKING_DAYS
    seen = settings.IPS_FIRST_SEEN_WITHIN_DAYS
    start = max(referral.received_on, local_today())
    return NextSteps(
        allocated_by=add_working_days(start, allocate),
        seen_by=referral.received_on + timedelta(days=seen),
        allocate_days=allocate,
        seen_days=seen,
    )


@dataclass(frozen=True)
class PersonRecord:
    """What the person's page shows, read once when the page is drawn.

    On the clinician's summary (``full_record`` False) the parts of the full record are
    empty and nothing of them is read. ``sections`` are the parts the apps above people add
    through ``people.record`` (jobs: "In work now" and the Work tab), and ``section_values``
    what they gave for this page.
    """

    person: Person
    referral: Referral | None
    stage: Tag | None
    age: str
    today: date
    full_record: bool
    can_edit: bool
    can_decide: bool
    can_export: bool
    can_refer_again: bool
    profile: VocationalProfile | None
    profile_changes: list[str]
    disclosure: DisclosurePlan | None
    action_plan: ActionPlan | None
    plan_next_steps: list[ActionStep]
    events: list[timeline.Event]
    referrals: list[Referral]
    changes: list[PersonChange]
    sections: tuple[record.Section, ...]
    section_values: Mapping[str, object]

    def context(self) -> dict[str, object]:
        """The template's names: this record's own, then each section's."""
        own = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "section_values"}
        return own | dict(self.section_values)


def person_record(
    staff: StaffMember, person: Person, *, full_record: bool, today: date
) -> PersonRecord:
    """The person's page for this staff member: the record, or only its summary."""
    referral = queries.current_referral(person)
    can_edit = may(staff, Permission.EDIT_PERSON_RECORD, person)
    profiles = queries.profile_versions(person)
    plan = queries.current_action_plan(person) if full_record else None
    view = record.RecordView(
        person=person, staff=staff, today=today, full_record=full_record, can_edit=can_edit
    )
    return PersonRecord(
        person=person,
        referral=referral,
        stage=stage_of(referral) if referral else None,
        age=age_text(person.date_of_birth, today),
        today=today,
        full_record=full_record,
        can_edit=can_edit,
        can_decide=referral is not None and may(staff, Permission.DECIDE_REFERRAL, referral),
        can_export=may(staff, Permission.SUBJECT_ACCESS_EXPORT, person),
        can_refer_again=(referral is None or not referral.is_open)
        and may(staff, Permission.CREATE_REFERRAL, person),
        profile=profiles[0] if profiles else None,
        profile_changes=timeline.profile_changes(profiles) if full_record else [],
        disclosure=queries.latest_disclosure_plan(person) if full_record else None,
        action_plan=plan,
        plan_next_steps=open_plan_steps(plan) if plan else [],
        events=timeline.for_person(person) if full_record else [],
        referrals=queries.referral_history(person) if full_record else [],
        changes=queries.detail_changes(person) if full_record else [],
        sections=record.sections(),
        section_values=record.values_for(view, taken=_RECORD_NAMES),
    )


_RECORD_NAMES = frozenset(f.name for f in fields(PersonRecord))


#: How many of the plan's open steps the person's page lists; the plan page has them all.
NEXT_STEPS_SHOWN = 3


def open_plan_steps(plan: ActionPlan, shown: int = NEXT_STEPS_SHOWN) -> list[ActionStep]:
    """The plan's steps not yet done, soonest date first and undated ones after, in the
    plan's own order otherwise (reads the steps prefetched with the plan)."""
    open_steps = [step for step in plan.steps.all() if not step.done]
    open_steps.sort(key=lambda step: (step.due_on is None, step.due_on or date.min, step.position))
    return open_steps[:shown]


@dataclass(frozen=True)
class ActionPlanPage:
    """The plan as the person is given it: what they want, what happens next and who does
    it. What changed and why stay on the history page, which is for the team."""

    person: Person
    plan: ActionPlan | None
    steps: list[ActionStep]
    to_do: int
    agreed_with: str
    can_edit: bool


def action_plan_page(person: Person, plan: ActionPlan | None, *, can_edit: bool) -> ActionPlanPage:
    steps = list(plan.steps.all()) if plan else []
    return ActionPlanPage(
        person=person,
        plan=plan,
        steps=steps,
        to_do=sum(1 for step in steps if not step.done),
        agreed_with=plan.recorded_by.display_name if plan else "",
        can_edit=can_edit,
    )


@dataclass(frozen=True)
class CloseReferralPage:
    """The closing form's starting point and the reasons IPS never closes for (zero
    exclusion), which the page explains beside the choices."""

    referral: Referral
    has_episode: bool
    initial: dict[str, str]
    excluded: dict[str, str]


def close_referral_page(referral: Referral, *, hours_now: Decimal | None) -> CloseReferralPage:
    """``hours_now``: hours a week in the person's jobs today, or None when they have none.

    Someone who was seen is discharged with their employment status (MHSDS MHS004); when
    their jobs say they are working, that is offered for the specialist to confirm.
    """
    has_episode = hasattr(referral, "episode")
    initial = {}
    if has_episode and hours_now is not None:
        initial = {
            "employment_status_at_discharge": EmploymentStatus.EMPLOYED,
            "weekly_hours_at_discharge": WeeklyHoursWorked.for_hours(hours_now),
        }
    return CloseReferralPage(
        referral=referral, has_episode=has_episode, initial=initial, excluded=rules.EXCLUDED_REASONS
    )
