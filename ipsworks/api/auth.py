"""Bearer-token authentication for the API: the token acts as its staff member.

``request.staff`` and ``request.user`` become the token's staff member, so the scoping
functions, :func:`ipsworks.access.rules.may` and the access log behave exactly as they do
for the same person signed in to the pages.
"""

from django.core.exceptions import PermissionDenied
from ninja.security import HttpBearer

from ipsworks.access.roles import Permission
from ipsworks.access.rules import has_role_permission
from ipsworks.apitokens.services import staff_for_token
from ipsworks.core import page_cache


class StaffToken(HttpBearer):
    def authenticate(self, request, token: str):
        staff = staff_for_token(token)
        if staff is None:
            return None
        request.staff = staff
        request.user = staff.user
        # Its writes change its own service's pages only (ADR 0009), as in the browser;
        # StaffMemberMiddleware puts the scope back when the request ends.
        page_cache.write_scope.set(page_cache.scope_for(staff))
        return staff


token_auth = StaffToken()


def require(request, permission: Permission) -> None:
    """403 unless the staff member's role carries the permission (before any case data)."""
    if not has_role_permission(request.staff, permission):
        raise PermissionDenied
