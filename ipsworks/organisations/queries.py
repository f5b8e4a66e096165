"""Reads of services, teams and staff, limited to the staff member's own service."""

from django.db.models import QuerySet

from ipsworks.organisations.models import StaffMember, Team
from ipsworks.organisations.roles import Role


def teams_for(staff: StaffMember) -> QuerySet[Team]:
    if staff.service_id is None:
        return Team.objects.none()
    return Team.objects.filter(service_id=staff.service_id, is_active=True).order_by("name")


def referral_teams_for(staff: StaffMember) -> QuerySet[Team]:
    """The clinical teams offered on this staff member's referral form.

    A clinician refers from their own clinical team(s), and ARCHITECTURE.md lets them see
    only those teams' people: offering another team would file a referral they can never
    follow up. So a clinician is offered only their own teams (all of the service's, if
    they are in none yet, rather than no choice at all). IPS staff refer on behalf of any
    team and keep the full list.
    """
    teams = teams_for(staff)
    if staff.role == Role.CLINICIAN and staff.team_ids():
        return teams.filter(pk__in=staff.team_ids())
    return teams
