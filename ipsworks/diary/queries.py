"""Reading the diary. Every read starts from ``Appointment.objects.visible_to(staff)``."""

from datetime import date

from django.db.models import QuerySet

from ipsworks.access.roles import Permission, Role
from ipsworks.access.rules import has_role_permission
from ipsworks.core.dates import local_today
from ipsworks.diary import presenters
from ipsworks.diary.ical import FEED_AHEAD, FEED_PAST
from ipsworks.diary.models import Appointment, DiaryFeed, Task
from ipsworks.organisations.models import StaffMember, Team
from ipsworks.people.models import Referral

_RELATED = ("person", "employer", "team", "staff__user")


def appointments(viewer: StaffMember, owner_ids, first: date, days: int) -> list[Appointment]:
    start, end = presenters.local_bounds(first, days)
    return list(
        Appointment.objects.visible_to(viewer)
        .in_diary(owner_ids, start, end)
        .select_related(*_RELATED)
    )


def appointment_for(viewer: StaffMember, pk: int) -> Appointment | None:
    return Appointment.objects.visible_to(viewer).select_related(*_RELATED).filter(pk=pk).first()


def team_members(viewer: StaffMember, team: Team) -> QuerySet[StaffMember]:
    return (
        StaffMember.objects.filter(service_id=viewer.service_id, teams=team, left_on__isnull=True)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "pk")
    )


def teams_to_show(viewer: StaffMember) -> QuerySet[Team]:
    """The teams whose diary the viewer may open: their own; a manager's, every team."""
    teams = Team.objects.filter(service_id=viewer.service_id, is_active=True)
    if not has_role_permission(viewer, Permission.VIEW_SERVICE_OVERVIEW):
        teams = teams.filter(pk__in=viewer.team_ids())
    return teams.order_by("name")


def feed_appointments(owner: StaffMember, now) -> tuple[list[Appointment], dict[int, int]]:
    """The owner's appointments for the feed, and each person's latest referral's id (the
    reference the feed shows instead of a name)."""
    found = list(
        Appointment.objects.visible_to(owner).in_diary(
            [owner.pk], now - FEED_PAST, now + FEED_AHEAD
        )
    )
    person_ids = {a.person_id for a in found if a.person_id}
    referral_ids: dict[int, int] = {}
    rows = (
        Referral.objects.visible_to(owner)
        .filter(person_id__in=person_ids)
        .order_by("person_id", "received_on", "pk")
        .values_list("person_id", "pk")
    )
    for person_id, referral_id in rows:
        referral_ids[person_id] = referral_id  # the latest wins
    return found, referral_ids


def feed_for(staff: StaffMember) -> DiaryFeed | None:
    return DiaryFeed.objects.filter(staff=staff).first()


def tasks_for(viewer: StaffMember) -> QuerySet[Task]:
    """Tasks the viewer may tick off or reopen: their own; a manager's, the service's."""
    return Task.objects.visible_to(viewer)


def task_owners(viewer: StaffMember) -> QuerySet[StaffMember]:
    """Who a task may be given to: those in the service who hold a caseload, still here."""
    return (
        StaffMember.objects.filter(
            service_id=viewer.service_id,
            role=Role.EMPLOYMENT_SPECIALIST,
            left_on__isnull=True,
        )
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "pk")
    )


def done_today(viewer: StaffMember) -> list[Task]:
    """The viewer's own tasks ticked off today, so one ticked by mistake can be reopened."""
    start, end = presenters.local_bounds(local_today(), 1)
    return list(
        Task.objects.visible_to(viewer)
        .filter(owner=viewer, done_at__gte=start, done_at__lt=end)
        .order_by("-done_at", "-pk")
    )
