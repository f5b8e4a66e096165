"""Scoped, annotated reads for the people pages. Each starts from the staff member's scope.

Every function here returns what one page needs in a fixed number of queries, whatever
the size of the caseload or the database (measured in benchmarks/, asserted in tests).
"""

import re
from datetime import date, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from ipsworks.access import scoping
from ipsworks.access.roles import Role
from ipsworks.core.dates import local_today
from ipsworks.organisations.models import StaffMember
from ipsworks.people import progress
from ipsworks.people.models import (
    ActionPlan,
    DisclosurePlan,
    Person,
    Referral,
    ReferralStatus,
    VocationalProfile,
)

# IPS Grow counts a client as active while they have had contact in the last four weeks.
ACTIVE_WITHIN_DAYS = 28
# What each caseload row needs from the apps that record contacts, work and tasks: the names
# activity, jobs and diary register with ``people.progress`` and ``presenters.flags_for``
# and the caseload's "Next task" read.
CASELOAD_COLUMNS = (
    "last_contact_on",
    "in_work",
    "support_overdue",
    "support_due_soon",
    "open_tasks_overdue",
    "next_task",
    "next_task_on",
)


def _with_progress(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """Annotate what a caseload row shows: access and profile, and what the apps above add
    through ``people.progress`` (last contact, in work, support due)."""
    return referrals.select_related("person", "team", "allocated_to__user").annotate(
        access_date=F("episode__access_date"),
        has_profile=Exists(VocationalProfile.objects.filter(person_id=OuterRef("person_id"))),
        **progress.annotations(local_today(), *CASELOAD_COLUMNS),
    )


def open_referrals(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    return referrals.exclude(status=ReferralStatus.CLOSED)


def caseload_for(staff: StaffMember, owner: StaffMember | None = None) -> QuerySet[Referral]:
    """The open referrals allocated to ``owner`` (default: the staff member themself)."""
    owner = owner or staff
    referrals = open_referrals(Referral.objects.visible_to(staff)).filter(allocated_to=owner)
    return _with_progress(referrals).order_by(
        F("last_contact_on").asc(nulls_first=True), "person__family_name"
    )


def team_people_for(staff: StaffMember) -> QuerySet[Referral]:
    """Open referrals from the staff member's clinical teams (the clinician's team view)."""
    referrals = open_referrals(Referral.objects.visible_to(staff)).filter(
        team_id__in=staff.team_ids()
    )
    return _with_progress(referrals).order_by("person__family_name", "person__given_name")


def referral_queue_for(staff: StaffMember) -> QuerySet[Referral]:
    """Open referrals not yet allocated, or still awaiting first contact, oldest first."""
    referrals = open_referrals(Referral.objects.visible_to(staff)).filter(
        Q(allocated_to__isnull=True)
        | Q(status__in=[ReferralStatus.RECEIVED, ReferralStatus.ACCEPTED])
    )
    return referrals.select_related("person", "team", "allocated_to__user").order_by(
        "received_on", "pk"
    )


def person_for(staff: StaffMember, pk: int) -> Person:
    """The person if in scope; otherwise 404, whether or not they exist."""
    return get_object_or_404(Person.objects.visible_to(staff), pk=pk)


def referral_only_for(staff: StaffMember, pk: int) -> tuple[Person, list[Referral]]:
    """A person referred to this staff member's teams whose record is not open to them, and
    the referrals of theirs this staff member may see (404 for anyone else)."""
    person = get_object_or_404(Person.objects.referred_to(staff), pk=pk)
    referrals = (
        Referral.objects.visible_to(staff)
        .filter(person=person)
        .select_related("team", "allocated_to__user", "referred_by__user")
    )
    return person, list(referrals.order_by("-received_on", "-pk"))


def person_page_opens(staff: StaffMember, pk: int) -> bool:
    """Whether ``person_detail`` shows them anything: the record, or only a referral of theirs."""
    return Person.objects.referred_to(staff).filter(pk=pk).exists()


def person_in_scope(staff: StaffMember, pk: int) -> bool:
    """Whether ``person_for`` would find them: the same scope as the person page."""
    return Person.objects.visible_to(staff).filter(pk=pk).exists()


def referral_for(staff: StaffMember, pk: int) -> Referral:
    return get_object_or_404(
        Referral.objects.visible_to(staff).select_related("person", "team", "allocated_to__user"),
        pk=pk,
    )


def referral_sent_by(staff: StaffMember, pk: int) -> Referral:
    """A referral this member of staff made, to tell them what happens next (404 otherwise)."""
    return get_object_or_404(
        Referral.objects.select_related("person", "service"), pk=pk, referred_by=staff
    )


def current_referral(person: Person) -> Referral | None:
    """The person's open referral, else their latest one, with its episode."""
    return (
        Referral.objects.filter(person=person)
        .select_related("team", "allocated_to__user", "episode")
        .annotate(
            access_date=F("episode__access_date"),
            has_profile=Exists(VocationalProfile.objects.filter(person_id=OuterRef("person_id"))),
            **progress.annotations(local_today(), "last_contact_on", "in_work"),
        )
        .order_by(F("closed_on").desc(nulls_first=True), "-received_on", "-pk")
        .first()
    )


def referral_history(person: Person) -> list[Referral]:
    return list(
        Referral.objects.filter(person=person)
        .select_related("team", "allocated_to__user")
        .order_by("-received_on", "-pk")
    )


def profile_versions(person: Person, limit: int | None = 2) -> list[VocationalProfile]:
    """The latest profile versions, newest first (two, so a page can show what changed).

    ``limit=None``: every version, for the history page (one query however many).
    """
    return list(
        VocationalProfile.objects.filter(person=person)
        .select_related("recorded_by__user")
        .order_by("-version")[:limit]
    )


def disclosure_versions(person: Person) -> list[DisclosurePlan]:
    """Every version of the disclosure plan, newest first, in one query."""
    return list(
        DisclosurePlan.objects.filter(person=person)
        .select_related("recorded_by__user")
        .order_by("-version")
    )


def latest_disclosure_plan(person: Person) -> DisclosurePlan | None:
    return (
        DisclosurePlan.objects.filter(person=person)
        .select_related("recorded_by__user")
        .order_by("-version")
        .first()
    )


def action_plan_versions(person: Person, limit: int | None = None) -> list[ActionPlan]:
    """The action plan's versions, newest first, each with its steps: two queries however
    many versions or steps. ``limit=1``: the current plan only."""
    return list(
        ActionPlan.objects.filter(person=person)
        .select_related("recorded_by__user")
        .prefetch_related("steps")
        .order_by("-version")[:limit]
    )


def current_action_plan(person: Person) -> ActionPlan | None:
    versions = action_plan_versions(person, limit=1)
    return versions[0] if versions else None


def caseload_counts(staff: StaffMember, today: date) -> dict[int, dict[str, int]]:
    """Open and active caseload per employment specialist in scope, in one query.

    "Active" follows IPS fidelity item 1 as IPS Grow applies it: a direct contact in the
    last four weeks.
    """
    active_since = today - timedelta(days=ACTIVE_WITHIN_DAYS)
    rows = (
        open_referrals(Referral.objects.visible_to(staff))
        .filter(allocated_to__isnull=False)
        .values("allocated_to")
        .annotate(
            open=Count("pk", distinct=True),
            active=Count(
                "pk",
                filter=Q(contacts__is_direct=True, contacts__contact_date__gte=active_since),
                distinct=True,
            ),
        )
    )
    return {row["allocated_to"]: row for row in rows}


def specialists_in_service(staff: StaffMember) -> QuerySet[StaffMember]:
    return (
        scoping.staff_for(staff)
        .filter(role=Role.EMPLOYMENT_SPECIALIST, left_on__isnull=True)
        .select_related("user")
        .prefetch_related("teams")
    )


def people_i_work_with(staff: StaffMember) -> QuerySet[Person]:
    """People with an open referral whose record this staff member may change.

    A specialist: their own open caseload. A manager: everyone open in the service.
    Used for "who was this for?" choices on employer and job forms.
    """
    referrals = open_referrals(Referral.objects.visible_to(staff))
    if staff.role != Role.MANAGER:
        referrals = referrals.filter(allocated_to=staff)
    return (
        Person.objects.visible_to(staff)
        .filter(pk__in=referrals.values("person_id"))
        .order_by("family_name", "given_name")
    )


def detail_changes(person: Person, limit: int = 20) -> list:
    from ipsworks.people.models import PersonChange

    return list(
        PersonChange.objects.filter(person=person)
        .select_related("changed_by__user")
        .order_by("-changed_at", "-pk")[:limit]
    )


def referral_checks_for(staff: StaffMember) -> QuerySet:
    """Refused referrals waiting for the duty team of the staff member's service, oldest first."""
    from ipsworks.access.models import ReferralCheck

    if staff.service_id is None or staff.role != Role.MANAGER:
        return ReferralCheck.objects.none()
    return (
        ReferralCheck.objects.filter(service_id=staff.service_id, sorted_at__isnull=True)
        .select_related("made_by__user", "team")
        .order_by("made_at", "pk")
    )


_REFERENCE = re.compile(r"^IPS-(\d+)-(\d+)$", re.IGNORECASE)


def person_ids_named_by(staff: StaffMember, text: str, allow_nhs_number: bool) -> list[int]:
    """People of this service a reference (IPS-<service>-<referral>) or an NHS number names.

    For the access-log search (``access.queries.set_person_lookup``): it finds whose record
    was opened, so it looks across the service, not only at the people in scope.
    """
    match = _REFERENCE.match(text.replace(" ", ""))
    if match:
        service_id, referral_id = int(match.group(1)), int(match.group(2))
        if service_id != staff.service_id:
            return []
        referrals = Referral.objects.filter(service_id=staff.service_id, pk=referral_id)
        return list(referrals.values_list("person_id", flat=True))
    digits = text.replace(" ", "")
    if allow_nhs_number and digits.isdigit() and len(digits) == 10:
        people = Person.objects.filter(service_id=staff.service_id, nhs_number=digits)
        return list(people.values_list("pk", flat=True))
    return []
