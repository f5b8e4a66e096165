"""View decorators that refuse a request before any case data is read."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from ipsworks.access.roles import Permission
from ipsworks.access.rules import has_role_permission


def staff_required(permission: Permission):
    """Only signed-in staff whose role carries ``permission`` get past; others get 403.

    Sign-in itself is enforced earlier by LoginRequiredMiddleware, so an anonymous visitor
    is sent to the sign-in page, never here.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            staff = request.staff
            if not has_role_permission(staff, permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.required_permission = permission
        return wrapper

    return decorator
