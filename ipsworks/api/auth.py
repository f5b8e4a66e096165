"""Bearer-token authentication for the API: the token acts as its staff member.

``request.staff`` and ``request.user`` become the token's staff member, so the scoping
functions, :func:`ipsworks.access.rules.may` and the access log behave exactly as they do
for the same person signed in to the pages.

Every operation that needs a token declares the permission its caller's role must carry,
``auth=staff_with(Permission.X)``, as a page declares ``@staff_required(Permission.X)``.
The check runs before the request's parameters or body are read: no token or an unknown
one is a 401, a role without the permission a 403. tests/api/test_operation_guard.py
fails for any operation that declares no permission and is not in
``ipsworks.api.api.PUBLIC_OPERATIONS``.
"""

from django.core.exceptions import PermissionDenied
from ninja.security import HttpBearer

from ipsworks.access.roles import Permission
from ipsworks.access.rules import has_role_permission, write_scope
from ipsworks.apitokens.services import staff_for_token
from ipsworks.core import page_cache


class StaffToken(HttpBearer):
    """A valid token whose staff member's role carries ``permission``."""

    def __init__(self, permission: Permission) -> None:
        super().__init__()
        self.permission = permission

    def authenticate(self, request, token: str):
        staff = staff_for_token(token)
        if staff is None:
            return None
        if not has_role_permission(staff, self.permission):
            raise PermissionDenied
        request.staff = staff
        request.user = staff.user
        # Its writes change its own service's pages only (ADR 0009), as in the browser;
        # StaffMemberMiddleware puts the scope back when the request ends.
        page_cache.write_scope.set(write_scope(staff))
        return staff


def staff_with(permission: Permission) -> StaffToken:
    """The ``auth=`` of an operation open to staff whose role carries ``permission``."""
    return StaffToken(permission)
