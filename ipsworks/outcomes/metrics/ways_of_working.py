"""Job search and ways of working: days from access to the first employer contact, employer
contacts per specialist a week and the share of contact time in the community (IPS-25
fidelity scale, items 15, 17 and 24).
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from statistics import median
from typing import Any

from django.db.models import (
    Count,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce

from ipsworks.access.roles import Role
from ipsworks.activity.models import Contact
from ipsworks.core.dates import local_today
from ipsworks.employers.models import EmployerContact
from ipsworks.organisations.models import StaffMember
from ipsworks.outcomes.metrics.conditions import (
    BY_SERVICE,
    BY_TEAM,
    GroupId,
    ServiceIds,
    _within,
    first_employer_contact_after_access,
)
from ipsworks.outcomes.metrics.referrals import _episodes
from ipsworks.outcomes.periods import Period


@dataclass(frozen=True)
class DaysToContact:
    accesses: int
    with_contact: int
    mean: Decimal | None
    median: Decimal | None

    @property
    def without_contact(self) -> int:
        return self.accesses - self.with_contact

    @classmethod
    def of(cls, accesses: int, days: list[int]) -> "DaysToContact":
        """From the number of accesses and the waits of those with a contact."""
        return cls(
            accesses=accesses,
            with_contact=len(days),
            mean=(Decimal(sum(days)) / len(days)).quantize(Decimal("0.1")) if days else None,
            median=Decimal(str(median(days))) if days else None,
        )


def days_to_employer_contact(
    service_ids: ServiceIds, period: Period, by: str = BY_SERVICE
) -> dict[GroupId, DaysToContact]:
    first_contact = first_employer_contact_after_access()
    rows = (
        _episodes(service_ids, period, by)
        .annotate(first_contact=first_contact)
        .values_list("group", "access_date", "first_contact")
    )
    days: defaultdict[GroupId, list[int]] = defaultdict(list)
    totals: defaultdict[GroupId, int] = defaultdict(int)
    for group, access_date, contacted in rows:
        totals[group] += 1
        if contacted is not None:
            days[group].append((contacted - access_date).days)
    return {group: DaysToContact.of(total, days[group]) for group, total in totals.items()}


def _specialists(service_ids: ServiceIds) -> QuerySet[StaffMember]:
    return StaffMember.objects.filter(service_id__in=service_ids, role=Role.EMPLOYMENT_SPECIALIST)


def specialist_weeks(staff: StaffMember, period: Period) -> Decimal:
    """FTE × days employed in the period (both ends counted) ÷ 7.

    Days after today have not been worked yet, so a period still running counts to today.
    """
    first = max(period.start, staff.started_on or period.start)
    last = min(period.end, staff.left_on or period.end, local_today())
    if last < first:
        return Decimal(0)
    return staff.fte * Decimal((last - first).days + 1) / 7


def employer_contacts_per_fte_week(
    service_ids: ServiceIds, period: Period, by: str = BY_SERVICE
) -> dict[GroupId, tuple[int, Decimal]]:
    """{group: (contacts, FTE-weeks)}. Grouped by service or specialist only."""
    if by == BY_TEAM:
        raise ValueError("Employer contacts are counted per service or per specialist")
    key = "service_id" if by == BY_SERVICE else "staff_id"
    contacts = (
        EmployerContact.objects.filter(
            service_id__in=service_ids, mode=EmployerContact.Mode.FACE_TO_FACE
        )
        .filter(_within("contact_date", period))
        .values(key)
        .annotate(n=Count("pk"))
        .order_by()
    )
    counted = {row[key]: row["n"] for row in contacts}
    weeks: defaultdict[GroupId, Decimal] = defaultdict(Decimal)
    for staff in _specialists(service_ids).only("pk", "service_id", "fte", "started_on", "left_on"):
        weeks[staff.service_id if by == BY_SERVICE else staff.pk] += specialist_weeks(staff, period)
    keys = set(counted) | {k for k, v in weeks.items() if v}
    return {
        k: (counted.get(k, 0), weeks.get(k, Decimal(0)).quantize(Decimal("0.01"))) for k in keys
    }


def _minutes_by(
    timed: QuerySet[Any], key: str, period: Period, in_community: Q
) -> list[dict[str, Any]]:
    """Minutes of the timed contacts in the period per ``key``: in the community, and all."""
    return list(
        timed.filter(duration_minutes__isnull=False)
        .filter(_within("contact_date", period))
        .values(key)
        .annotate(
            community=Coalesce(Sum("duration_minutes", filter=in_community), 0),
            total=Coalesce(Sum("duration_minutes"), 0),
        )
        .order_by()
    )


def community_share(
    service_ids: ServiceIds, period: Period, by: str = BY_SERVICE
) -> dict[GroupId, tuple[int, int]]:
    """{group: (community minutes, all minutes)}. Grouped by service or specialist only."""
    if by == BY_TEAM:
        raise ValueError("Contact time is counted per service or per specialist")
    key = "service_id" if by == BY_SERVICE else "staff_id"
    contacts = Contact.objects.filter(
        service_id__in=service_ids,
        outcome=Contact.Outcome.COMPLETED,
        mode__in=Contact.DIRECT_MODES,
        with_whom__in=[Contact.With.PERSON, Contact.With.FAMILY],
    )
    employer = EmployerContact.objects.filter(
        service_id__in=service_ids, mode__in=EmployerContact.TIMED_MODES
    )
    rows = [
        *_minutes_by(contacts, key, period, Q(place__in=Contact.COMMUNITY_PLACES)),
        *_minutes_by(employer, key, period, Q(mode__in=EmployerContact.COMMUNITY_MODES)),
    ]
    result: defaultdict[GroupId, tuple[int, int]] = defaultdict(lambda: (0, 0))
    for row in rows:
        community, total = result[row[key]]
        result[row[key]] = (community + row["community"], total + row["total"])
    return dict(result)
