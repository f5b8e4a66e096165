"""Reasons managers give for opening records outside their teams: asked once a session."""

from ipsworks.access.audit import log_access
from ipsworks.access.models import AccessLogEntry

_SESSION_KEY = "ips_reasons_given"


def given(request, person) -> bool:
    return person.pk in request.session.get(_SESSION_KEY, [])


def record(request, person, reason: str) -> None:
    log_access(
        request, AccessLogEntry.Action.REASON, obj=person, person_id=person.pk, reason=reason
    )
    request.session[_SESSION_KEY] = [*request.session.get(_SESSION_KEY, []), person.pk]
