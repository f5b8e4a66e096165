"""Request middleware for staff: who they are, and the second sign-in factor."""

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django_otp.middleware import OTPMiddleware

from ipsworks.access import identity
from ipsworks.access.rules import write_scope
from ipsworks.core import page_cache
from ipsworks.organisations.models import StaffMember

SESSION_GENERATION_KEY = "ips_session_generation"


class StaffMemberMiddleware:
    """Attach the signed-in user's StaffMember (or None) to the request, read once.

    A session from before the staff member's last "sign out everywhere" is ended here.
    Anonymous requests (the sign-in page, the health check) cost no query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.staff = None
        if request.user.is_authenticated:
            staff = _current_staff(request.user)
            generation = request.session.get(SESSION_GENERATION_KEY, 0)
            if staff is not None and generation != staff.session_generation:
                logout(request)
                return redirect(settings.LOGIN_URL)
            request.staff = staff
        # Writes made while answering change the pages of this staff member's service only.
        scope = page_cache.write_scope.set(write_scope(request.staff))
        try:
            return self.get_response(request)
        finally:
            page_cache.write_scope.reset(scope)


def _current_staff(user) -> StaffMember | None:
    """The user's staff membership, unless they have left. The sign-in backend
    (``StaffModelBackend``) has usually read it with the user; if not, it is read now."""
    try:
        staff = user.staff
    except StaffMember.DoesNotExist:
        return None
    return staff if staff.left_on is None else None


def two_factor_required(user) -> bool:
    """Every signed-in staff user needs a second factor, except the demo accounts in the demo."""
    if not settings.IPS_REQUIRE_TWO_FACTOR:
        return False
    demo = settings.IPS_DEMO_ACCOUNTS_ENABLED and user.get_username() in settings.IPS_DEMO_USERNAMES
    return not demo


class TwoFactorMiddleware:
    """Send a signed-in user who has not passed the second factor to verify (or set it up).

    Views open to the public (``login_not_required``) and the second-factor pages themselves
    (marked ``two_factor_exempt``) are let through.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or not getattr(view_func, "login_required", True):
            return None
        if getattr(view_func, "two_factor_exempt", False):
            return None
        if user.is_verified() or not two_factor_required(user):
            return None
        from django_otp import user_has_device

        target = "two_factor_verify" if user_has_device(user) else "two_factor_setup"
        return redirect(target)


class KeptDeviceOTPMiddleware(OTPMiddleware):
    """django-otp's middleware, with the second-factor device the session passed kept in the
    process like the user (``ipsworks.access.identity``). django-otp still checks that the
    device is the user's own and confirmed, on every request."""

    def _device_from_persistent_id(self, persistent_id: str):
        load = super()._device_from_persistent_id
        return identity.remembered("device", persistent_id, lambda: load(persistent_id))
