"""A person's timeline: everything recorded about them, newest first, in words."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from ipsworks.activity.models import Contact
from ipsworks.core.formatting import minutes
from ipsworks.people.models import (
    ClosureReason,
    DisclosurePlan,
    Person,
    ReferralStatus,
    ReferralStatusChange,
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


def _contact_title(contact: Contact) -> str:
    if contact.outcome == Contact.Outcome.ATTEMPTED:
        return f"Tried to contact them ({contact.get_mode_display().lower()})"
    if contact.outcome == Contact.Outcome.DID_NOT_ATTEND:
        return "Did not attend"
    who = (
        ""
        if contact.with_whom == Contact.With.PERSON
        else f" with {contact.get_with_whom_display().lower()}"
    )
    return f"{contact.get_mode_display()} contact{who}"


def for_person(person: Person, limit: int = TIMELINE_LIMIT) -> list[Event]:
    """Contacts, status changes, profile and disclosure versions in one list (4 queries)."""
    events: list[Event] = []
    contacts = (
        Contact.objects.filter(person=person)
        .select_related("staff__user")
        .order_by("-contact_date", "-pk")[:limit]
    )
    for c in contacts:
        parts = [
            p
            for p in (
                c.get_place_display() if c.place else "",
                minutes(c.duration_minutes) if c.duration_minutes else "",
            )
            if p
        ]
        detail = " · ".join(parts)
        events.append(
            Event(
                on=c.contact_date,
                sort_key=(c.contact_date, 1, c.pk),
                title=_contact_title(c),
                detail=(detail + ("\n" if detail and c.note else "") + c.note),
                by=c.staff.display_name,
                kind="contact",
            )
        )
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
                by=plan.recorded_by.display_name,
                kind="disclosure",
            )
        )
    events.sort(key=lambda e: e.sort_key, reverse=True)
    return events[:limit]


_PROFILE_LABELS = {
    "kinds_of_work": "Kinds of work",
    "skills_and_strengths": "Skills and strengths",
    "work_history": "Work history",
    "education_and_training": "Education and training",
    "jobs_not_to_repeat": "Jobs not to repeat",
    "hours_min": "Fewest hours",
    "hours_max": "Most hours",
    "unsuitable_times": "Times that do not suit",
    "unsuitable_times_reason": "Why those times do not suit",
    "travel_max_miles": "Furthest travel",
    "places": "Places",
    "goals": "Goals",
}


def profile_changes(versions: list[VocationalProfile]) -> list[str]:
    """Names of the parts of the profile that changed in the latest version."""
    if len(versions) < 2:
        return []
    latest, previous = versions[0], versions[1]
    return [
        label
        for name, label in _PROFILE_LABELS.items()
        if getattr(latest, name) != getattr(previous, name)
    ]
