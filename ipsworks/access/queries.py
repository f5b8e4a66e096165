"""Reading the access log, always within the reader's own service."""

from collections.abc import Callable
from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from ipsworks.access.models import AccessLogEntry
from ipsworks.organisations.models import StaffMember


def no_entries() -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.none()


# (staff, text, allow_nhs_number) -> the ids of the people the text names: a referral
# reference or an NHS number. People set it (PeopleConfig.ready): access imports no case model.
PersonLookup = Callable[[StaffMember, str, bool], list[int]]
_person_lookup: list[PersonLookup] = []


def set_person_lookup(lookup: PersonLookup) -> None:
    """How the access-log search turns a reference or NHS number into people."""
    _person_lookup[:] = [lookup]


def _person_ids(staff: StaffMember, text: str, allow_nhs_number: bool) -> list[int]:
    if not _person_lookup:
        raise RuntimeError("No person lookup is set: is ipsworks.people installed?")
    return _person_lookup[0](staff, text, allow_nhs_number)


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
