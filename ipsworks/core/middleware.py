"""Request plumbing: idle session timeout and the Permissions-Policy header."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout

_LAST_SEEN = "ips_last_seen"
# Writing the session on every request would turn each page view into a database write;
# a minute's resolution is plenty for a 30-minute idle limit.
_TOUCH_EVERY_SECONDS = 60


class IdleSessionTimeoutMiddleware:
    """Sign a user out after ``SESSION_IDLE_TIMEOUT`` seconds without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(_LAST_SEEN, now)
            if now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.info(request, "You were signed out because you were inactive.")
            elif now - last_seen >= _TOUCH_EVERY_SECONDS or _LAST_SEEN not in request.session:
                request.session[_LAST_SEEN] = now
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
