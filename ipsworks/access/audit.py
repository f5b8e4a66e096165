"""Writing the access log. The application's behaviour never depends on what it holds."""

from collections.abc import Sequence
from typing import Any

from ipsworks.access.models import AccessLogEntry
from ipsworks.access.roles import Role
from ipsworks.core.http import client_ip
from ipsworks.organisations.models import StaffMember


def _entry(
    *,
    by: StaffMember | None,
    service_id: int | None,
    action: str,
    obj,
    person_id: int | None,
    path: str,
    ip_address: str | None,
    reason: str,
) -> AccessLogEntry:
    """The shape of every access-log row, whether written one at a time or in bulk."""
    return AccessLogEntry(
        user_id=getattr(by, "user_id", None),
        service_id=service_id,
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=getattr(obj, "pk", None),
        person_id=person_id,
        path=path[:300],
        ip_address=ip_address,
        reason=reason[:300],
    )


def record_event(
    *,
    by: StaffMember | None,
    action: str,
    obj=None,
    person_id: int | None = None,
    path: str = "",
    ip_address: str | None = None,
    reason: str = "",
) -> AccessLogEntry:
    """Append one entry (one for each service it concerns). Services call this inside their
    own transaction."""
    entries = [
        _entry(
            by=by,
            service_id=service_id,
            action=action,
            obj=obj,
            person_id=person_id,
            path=path,
            ip_address=ip_address,
            reason=reason,
        )
        for service_id in services_concerned(by, obj)
    ]
    if len(entries) == 1:
        entries[0].save()
    else:
        AccessLogEntry.objects.bulk_create(entries)
    return entries[0]


def record_events_for_people(
    *,
    by: StaffMember | None,
    action: str,
    objs: Sequence[Any],
    path: str = "",
    reason: str = "",
) -> None:
    """One entry for each of many rows that belong to a service and a person (``service_id``
    and ``person_id`` on the row, as referrals have), in one INSERT: the bulk writers' log."""
    AccessLogEntry.objects.bulk_create(
        [
            _entry(
                by=by,
                service_id=obj.service_id,
                action=action,
                obj=obj,
                person_id=obj.person_id,
                path=path,
                ip_address=None,
                reason=reason,
            )
            for obj in objs
        ]
    )


def services_concerned(by: StaffMember | None, obj=None) -> list[int | None]:
    """The services whose access log must show an entry: the service of the record read or
    written; else the actor's own; else, for a commissioner (who works in no service), every
    service they commission. A reviewer's or commissioner's reads used to carry no service,
    so no service's log showed them (issue 16, item 6)."""
    own = getattr(obj, "service_id", None) if obj is not None else None
    if own is not None:
        return [own]
    if getattr(by, "service_id", None) is not None:
        return [by.service_id]
    if by is not None and by.role == Role.COMMISSIONER:
        commissioned = list(by.commissioned_services.values_list("pk", flat=True))
        if commissioned:
            return commissioned
    return [None]


def log_access(request, action: str, *, obj=None, person_id: int | None = None, reason=""):
    """Record a read made through a view, with the address it came from."""
    return record_event(
        by=request.staff,
        action=action,
        obj=obj,
        person_id=person_id,
        path=request.path,
        # Behind a proxy, set IPS_TRUSTED_PROXY_COUNT (docs/deployment.md).
        ip_address=client_ip(request),
        reason=reason,
    )


def log_people_listed(request, action: str, person_ids, *, reason="") -> None:
    """Record one entry per person a list showed (an API page), in one insert.

    A single "search" entry would not say whose data left the service; one entry per person
    listed lets the service answer "who has seen my record?" for list reads too.
    """
    staff = request.staff
    ip_address = client_ip(request)
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            user_id=getattr(staff, "user_id", None),
            service_id=getattr(staff, "service_id", None),
            action=action,
            object_type="Person",
            object_id=person_id,
            person_id=person_id,
            path=request.path[:300],
            ip_address=ip_address,
            reason=reason[:300],
        )
        for person_id in dict.fromkeys(person_ids)
    )
