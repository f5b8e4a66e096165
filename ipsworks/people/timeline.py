"""A person's timeline: everything recorded about them, newest first, in words."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone

from ipsworks.core.formatting import uk_date
from ipsworks.people.models import (
    ActionPlan,
    ClosureReason,
    DisclosurePlan,
    Person,
    ReferralStatus,
    ReferralStatusChange,
    SelfReferralRepeat,
    TimeOfDay,
    VocationalProfile,
)

# Each kind of record contributes at most this many entries; the page says when it is cut.
TIMELINE_LIMIT = 100


@dataclass(frozen=True)
class Event:
    on: date
    sort_key: tuple
    title: str
    detail: str = ""
    by: str = ""
    kind: str = "note"
    url: str = ""  # where the entry is shown in full (a version on its history page)


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _status_title(change: ReferralStatusChange) -> str:
    if change.status == ReferralStatus.RECEIVED:
        return "Referral received"
    if change.status == ReferralStatus.ACCEPTED:
        return "Referral accepted"
    if change.status == ReferralStatus.FIRST_CONTACT:
        return "First contact: IPS support started"
    reason = ClosureReason(change.reason).label if change.reason in ClosureReason.values else ""
    return f"Referral closed: {reason}" if reason else "Referral closed"


#: Entries other apps add, each a function (person, limit) -> events, registered from the
#: app's ``AppConfig.ready`` (contacts, jobs, better-off calculations), so this module needs
#: no import of the apps above it.
_SOURCES: list[Callable[[Person, int], list["Event"]]] = []


def add_source(source: Callable[[Person, int], list["Event"]]) -> None:
    """Let another app put its records on the timeline (once, however often it is called)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def for_person(person: Person, limit: int = TIMELINE_LIMIT) -> list[Event]:
    """Status changes, self-referrals sent again, profile, disclosure and action plan versions
    in one list (5 queries), and what other apps add (contacts, jobs, calculations: a query or a
    few each)."""
    events: list[Event] = []
    for source in _SOURCES:
        events.extend(source(person, limit))
    changes = (
        ReferralStatusChange.objects.filter(referral__person=person)
        .select_related("recorded_by__user")
        .order_by("-recorded_at")[:limit]
    )
    for change in changes:
        events.append(
            Event(
                on=change.effective_on,
                sort_key=(change.effective_on, 0, change.pk),
                title=_status_title(change),
                detail=change.note,
                by=change.recorded_by.display_name if change.recorded_by else "",
                kind="status",
            )
        )
    for repeat in SelfReferralRepeat.objects.filter(referral__person=person).order_by(
        "-received_at"
    )[:limit]:
        day = _local_date(repeat.received_at)
        events.append(
            Event(
                on=day,
                sort_key=(day, 0, repeat.pk),
                title="Self-referral form sent again while the referral was open",
                detail=repeat.work_interests,
                by="The person, through the public page",
                kind="status",
            )
        )
    for profile in (
        VocationalProfile.objects.filter(person=person)
        .select_related("recorded_by__user")
        .order_by("-version")[:limit]
    ):
        events.append(
            Event(
                on=_local_date(profile.recorded_at),
                sort_key=(_local_date(profile.recorded_at), 2, profile.pk),
                title="Vocational profile started"
                if profile.version == 1
                else f"Vocational profile updated (version {profile.version})",
                detail=profile.change_reason,
                by=profile.recorded_by.display_name,
                kind="profile",
                url=version_url("profile_history", person, profile.version),
            )
        )
    for plan in (
        DisclosurePlan.objects.filter(person=person)
        .select_related("recorded_by__user")
        .order_by("-version")[:limit]
    ):
        events.append(
            Event(
                on=_local_date(plan.recorded_at),
                sort_key=(_local_date(plan.recorded_at), 3, plan.pk),
                title=f"Disclosure plan: {plan.get_decision_display().lower()}",
                detail=plan.change_reason,
                by=plan.recorded_by.display_name,
                kind="disclosure",
                url=version_url("disclosure_history", person, plan.version),
            )
        )
    for action_plan in (
        ActionPlan.objects.filter(person=person)
        .select_related("recorded_by__user")
        .order_by("-version")[:limit]
    ):
        day = _local_date(action_plan.recorded_at)
        events.append(
            Event(
                on=day,
                sort_key=(day, 4, action_plan.pk),
                title="Employment action plan agreed"
                if action_plan.version == 1
                else f"Employment action plan reviewed (version {action_plan.version})",
                detail=action_plan.change_reason,
                by=action_plan.recorded_by.display_name,
                kind="action-plan",
                url=version_url("action_plan_history", person, action_plan.version),
            )
        )
    events.sort(key=lambda e: e.sort_key, reverse=True)
    return events[:limit]


def version_url(history: str, person: Person, version: int) -> str:
    """Where one version is on its history page (``profile_history``, ``disclosure_history``
    or ``action_plan_history``)."""
    return reverse(history, args=[person.pk]) + f"#version-{version}"


@dataclass(frozen=True)
class FieldChange:
    """One answer that differs between two versions, before and after, in words."""

    label: str
    before: str
    after: str


def _text(empty: str) -> Callable[[object], str]:
    return lambda value: str(value) if value not in (None, "") else empty


def _unit(unit: str) -> Callable[[object], str]:
    return lambda value: f"{value} {unit}" if value is not None else "Not recorded"


def _time_labels(value: list) -> str:
    return ", ".join(TimeOfDay(v).label for v in value if v in TimeOfDay) or "None"


def _yes(no: str) -> Callable[[object], str]:
    return lambda value: "Yes" if value else no


# Each versioned answer: its label and how its value reads. Compared as stored, shown in words.
PROFILE_FIELDS: dict[str, tuple[str, Callable[[object], str]]] = {
    "kinds_of_work": ("Kinds of work", _text("Not recorded")),
    "skills_and_strengths": ("Skills and strengths", _text("Not recorded")),
    "work_history": ("Work history", _text("Not recorded")),
    "education_and_training": ("Education and training", _text("Not recorded")),
    "jobs_not_to_repeat": ("Jobs not to repeat", _text("None")),
    "hours_min": ("Fewest hours", _unit("hours a week")),
    "hours_max": ("Most hours", _unit("hours a week")),
    "unsuitable_times": ("Times that do not suit", _time_labels),
    "unsuitable_times_reason": ("Why those times do not suit", _text("Not recorded")),
    "travel_max_miles": ("Furthest travel", _unit("miles")),
    "places": ("Places", _text("Not recorded")),
    "goals": ("Goals", _text("Not recorded")),
}

DISCLOSURE_FIELDS: dict[str, tuple[str, Callable[[object], str]]] = {
    "decision": (
        "What employers are told",
        lambda value: (
            DisclosurePlan.Decision(value).label if value in DisclosurePlan.Decision else str(value)
        ),
    ),
    "who_to_tell": ("Who to tell", _text("Not recorded")),
    "what_to_say": ("Their words", _text("Not recorded")),
    "pros_and_cons_discussed": ("Pros and cons talked through", _yes("Not yet")),
    "employer_contact_allowed": ("May the specialist speak to employers?", _yes("No")),
    "review_on": ("Review by", lambda value: uk_date(value, "No date set")),
}


# A plan's steps are compared as a whole (one line a step): a version often rewords,
# reorders and ticks off several at once, and the plan is read as a list.
ACTION_PLAN_FIELDS: dict[str, tuple[str, Callable[[object], str]]] = {
    "goals": ("Goals, in their words", _text("Not recorded")),
    "steps_in_words": ("Steps", _text("No steps")),
    "review_on": ("Review by", lambda value: uk_date(value, "No date set")),
}


def changes_between(newer, older, fields=PROFILE_FIELDS) -> list[FieldChange]:
    """The answers that differ from ``older`` to ``newer`` (two versions of one record)."""
    return [
        FieldChange(
            label=label, before=show(getattr(older, name)), after=show(getattr(newer, name))
        )
        for name, (label, show) in fields.items()
        if getattr(newer, name) != getattr(older, name)
    ]


def profile_changes(versions: list[VocationalProfile]) -> list[str]:
    """Names of the parts of the profile that changed in the latest version."""
    if len(versions) < 2:
        return []
    return [change.label for change in changes_between(versions[0], versions[1])]
