"""The error page for an unexpected exception: 503 when the database cannot be reached.

Django calls this (``handler500``) for any exception a view or middleware did not handle,
inside the ``except`` block, so the exception is at hand. While the database is down or
restarting (the connection is refused, or dropped mid-request) the answer is a 503 with a
short page (or JSON for the API) and a Retry-After; nothing on it needs the database. The
next request after it comes back gets a fresh connection (CONN_HEALTH_CHECKS), so the
application recovers without a restart.
"""

import json
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

from ipsworks.core import views as core_views

_DB_DOWN = (OperationalError, InterfaceError)


def database_unavailable(exc: BaseException | None) -> bool:
    while exc is not None:
        if isinstance(exc, _DB_DOWN):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def server_error(request):
    if not database_unavailable(sys.exc_info()[1]):
        return core_views.server_error(request)
    if request.path.startswith("/api/"):
        body = json.dumps(
            {"detail": "The service is unavailable for a moment. Try again shortly", "errors": []}
        )
        response = HttpResponse(body, status=503, content_type="application/json")
    else:
        # Rendered without the request: the context processors would read the session.
        response = HttpResponse(render_to_string("operations/unavailable.jinja"), status=503)
    response["Retry-After"] = "10"
    return response


server_error.required_permission = None
