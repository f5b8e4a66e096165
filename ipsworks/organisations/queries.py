"""Reads of services, teams and staff, limited to the staff member's own service."""

from django.db.models import QuerySet

from ipsworks.organisations.models import StaffMember, Team


def teams_for(staff: StaffMember) -> QuerySet[Team]:
    if staff.service_id is None:
        return Team.objects.none()
    return Team.objects.filter(service_id=staff.service_id, is_active=True).order_by("name")
