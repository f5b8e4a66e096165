"""Request plumbing: idle and absolute session limits, the Permissions-Policy header, and
responses to signed-in users kept by no browser or proxy."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.cache import add_never_cache_headers

_LAST_SEEN = "ips_last_seen"
_SIGNED_IN_AT = "ips_signed_in_at"
# Writing the session on every request would turn each page view into a database write;
# a minute's resolution is plenty for a 30-minute idle limit.
_TOUCH_EVERY_SECONDS = 60


def note_sign_in(sender, request, user, **kwargs):
    """On sign-in (the ``user_logged_in`` signal): start the session's 12-hour clock."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[_SIGNED_IN_AT] = now
        request.session[_LAST_SEEN] = now


class IdleSessionTimeoutMiddleware:
    """Sign a user out after ``SESSION_IDLE_TIMEOUT`` seconds without a request, and
    ``SESSION_COOKIE_AGE`` seconds (``IPS_SESSION_MAX_HOURS``) after signing in.

    The second limit cannot be left to the session's own expiry: every save of the session
    (each minute of activity, below) pushes that expiry on, so a busy session would never
    end. The sign-in time is set at sign-in (``note_sign_in``), or the first time an
    authenticated session is seen without one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            session = request.session
            now = int(time.time())
            signed_in_at = session.get(_SIGNED_IN_AT, now)
            last_seen = session.get(_LAST_SEEN, now)
            if now - signed_in_at >= settings.SESSION_COOKIE_AGE:
                logout(request)
                hours = settings.SESSION_COOKIE_AGE // 3600
                messages.info(
                    request,
                    f"You were signed out because you have been signed in for {hours} hours. "
                    "Sign in again.",
                )
            elif now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.info(request, "You were signed out because you were inactive.")
            else:
                if _SIGNED_IN_AT not in session:
                    session[_SIGNED_IN_AT] = now
                if now - last_seen >= _TOUCH_EVERY_SECONDS or _LAST_SEEN not in session:
                    session[_LAST_SEEN] = now
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class PrivateResponsesMiddleware:
    """What a signed-in user is sent holds personal data: no browser or proxy may keep it
    (``Cache-Control: no-store, private``), so the back button after signing out, or a
    shared computer's history, shows nothing. A view that says otherwise is left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            add_never_cache_headers(response)
        return response
