"""Reads of API tokens: a staff member's own, and (administrators) their service's."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from ipsworks.access.roles import Permission
from ipsworks.access.rules import has_role_permission
from ipsworks.apitokens.models import ApiToken
from ipsworks.organisations.models import StaffMember


def own_tokens(staff: StaffMember) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(staff=staff).order_by("-created_at", "-pk")


def service_tokens(staff: StaffMember) -> QuerySet[ApiToken]:
    """Active tokens of everyone in the administrator's service; none for other roles."""
    if not has_role_permission(staff, Permission.MANAGE_STAFF) or staff.service_id is None:
        return ApiToken.objects.none()
    return (
        ApiToken.objects.filter(staff__service_id=staff.service_id, revoked_at__isnull=True)
        .exclude(staff=staff)
        .select_related("staff__user")
        .order_by("staff__user__first_name", "-created_at")
    )


def token_for(staff: StaffMember, pk: int) -> ApiToken:
    """A token the staff member may see: their own, or one in their service for an admin."""
    visible = own_tokens(staff) | service_tokens(staff)
    return get_object_or_404(visible, pk=pk)
