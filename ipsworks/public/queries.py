"""Reads for the public pages and for the staff who look after them.

Public reads reach only what a service chose to publish (its page settings and the names
of its active teams). Enquiries are read only within the staff member's own service.
"""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from ipsworks.access.roles import Permission
from ipsworks.access.rules import has_role_permission
from ipsworks.organisations.models import Service, StaffMember, Team
from ipsworks.public.models import EmployerEnquiry, PublicPage

# Who answers employer enquiries: the people who run the service.
ANSWERS_ENQUIRIES = Permission.VIEW_SERVICE_OVERVIEW


def published_page(short_name: str) -> PublicPage:
    """The public page of a service that has switched it on; 404 for any other address."""
    page = (
        PublicPage.objects.select_related("service")
        .filter(service__short_name=short_name, is_enabled=True)
        .first()
    )
    if page is None:
        raise Http404("No public page at this address")
    return page


def public_teams(service: Service) -> QuerySet[Team]:
    """The service's active teams, by name, for "which team supports you?"."""
    return Team.objects.filter(service=service, is_active=True).order_by("name")


def page_settings_for(staff: StaffMember, short_name: str) -> PublicPage:
    """The page settings of the staff member's own service (unsaved defaults if none yet).

    Another service's address is a 404, whether or not that service exists.
    """
    if staff.service_id is None or staff.service.short_name != short_name:
        raise Http404("Not your service")
    page = PublicPage.objects.filter(service_id=staff.service_id).first()
    return page or PublicPage(service=staff.service)


def _enquiries_for(staff: StaffMember) -> QuerySet[EmployerEnquiry]:
    if staff.service_id is None or not has_role_permission(staff, ANSWERS_ENQUIRIES):
        return EmployerEnquiry.objects.none()
    return EmployerEnquiry.objects.filter(service_id=staff.service_id)


def unanswered_enquiries_for(staff: StaffMember) -> QuerySet[EmployerEnquiry]:
    """Employer enquiries nobody has answered yet, oldest first."""
    return (
        _enquiries_for(staff)
        .filter(answered_at__isnull=True)
        .select_related("employer")
        .order_by("received_at", "pk")
    )


def recently_answered_enquiries_for(staff: StaffMember, limit: int = 20):
    return (
        _enquiries_for(staff)
        .filter(answered_at__isnull=False)
        .select_related("employer", "answered_by__user")
        .order_by("-answered_at", "-pk")[:limit]
    )


def unanswered_enquiry_count(staff: StaffMember) -> int:
    """How many employer enquiries the staff member's service has not answered (1 query).

    0 for anyone who does not answer enquiries (everyone but managers) or has no service.
    """
    return unanswered_enquiries_for(staff).count()


def enquiry_for(staff: StaffMember, pk: int) -> EmployerEnquiry:
    return get_object_or_404(
        _enquiries_for(staff).select_related("employer", "contact_person", "answered_by__user"),
        pk=pk,
    )
