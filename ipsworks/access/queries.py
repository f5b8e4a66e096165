"""Reading the access log, always within the reader's own service."""

import re
from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from ipsworks.access.models import AccessLogEntry
from ipsworks.organisations.models import StaffMember

_REFERENCE = re.compile(r"^IPS-(\d+)-(\d+)$", re.IGNORECASE)


def no_entries() -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.none()


def _person_ids(staff: StaffMember, text: str, allow_nhs_number: bool) -> list[int]:
    """Turn a reference (IPS-<service>-<referral>) or an NHS number into person ids."""
    from ipsworks.people.models import Person, Referral

    match = _REFERENCE.match(text.replace(" ", ""))
    if match:
        service_id, referral_id = int(match.group(1)), int(match.group(2))
        if service_id != staff.service_id:
            return []
        return list(
            Referral.objects.filter(service_id=staff.service_id, pk=referral_id).values_list(
                "person_id", flat=True
            )
        )
    digits = text.replace(" ", "")
    if allow_nhs_number and digits.isdigit() and len(digits) == 10:
        return list(
            Person.objects.filter(service_id=staff.service_id, nhs_number=digits).values_list(
                "pk", flat=True
            )
        )
    return []


def search_access_log(
    staff: StaffMember,
    *,
    person: str = "",
    username: str = "",
    since: date | None = None,
    until: date | None = None,
    allow_nhs_number: bool = False,
) -> QuerySet[AccessLogEntry]:
    entries = AccessLogEntry.objects.filter(service_id=staff.service_id).select_related("user")
    if person:
        entries = entries.filter(person_id__in=_person_ids(staff, person, allow_nhs_number))
    if username:
        entries = entries.filter(user__username=username)
    tz = timezone.get_current_timezone()
    if since:
        entries = entries.filter(at__gte=datetime.combine(since, time.min, tzinfo=tz))
    if until:
        entries = entries.filter(at__lte=datetime.combine(until, time.max, tzinfo=tz))
    return entries.order_by("-at", "-pk")
