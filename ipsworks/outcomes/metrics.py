"""The one registry of outcome metrics. Nothing else in IPS Works computes an outcome.

Each metric is declared once with its plain-English definition, what it counts, its period
rule, its direction and the source it follows, as settled in
``shared/domain/metric-definitions.md``. The functions below compute them with set-based
SQL over scoped querysets, grouped by service, so their cost does not grow with a loop.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q

from ipsworks.access import scoping
from ipsworks.activity.models import Contact
from ipsworks.outcomes.periods import Period

CHECKED_ON = date(2026, 11, 22)

MHS116 = "NHS England MHSDS IPS measures (MHS116), analysis code in nhsengland/MHSDS"
IPS_GROW_V8 = "IPS Grow key performance and outcome framework v8"


@dataclass(frozen=True)
class Metric:
    id: str
    name: str
    definition: str
    numerator: str
    denominator: str | None
    period_rule: str
    higher_is_better: bool | None
    source: str
    checked_on: date = CHECKED_ON


REGISTRY: dict[str, Metric] = {
    m.id: m
    for m in [
        Metric(
            id="referrals_received",
            name="Referrals received",
            definition="Referrals whose received date is in the period. Re-referrals count again.",
            numerator="referrals received in the period",
            denominator=None,
            period_rule="the referral's received date falls in the period",
            higher_is_better=True,
            source=MHS116,
        ),
        Metric(
            id="accesses",
            name="People accessing IPS",
            definition=(
                "Referrals whose first direct contact (face to face, video or phone, completed, "
                "with the person) falls in the period. Each referral has at most one access ever."
            ),
            numerator="referrals with their first direct contact in the period",
            denominator=None,
            period_rule="the access date (first direct contact) falls in the period",
            higher_is_better=True,
            source=MHS116,
        ),
        Metric(
            id="wait_to_access",
            name="Wait from referral to first contact",
            definition=(
                "For accesses in the period, days from the referral being received to the first "
                "direct contact, in the bands 7 days or less, 8 to 30 days and over 30 days."
            ),
            numerator="accesses in each band",
            denominator="accesses in the period",
            period_rule="the access date falls in the period",
            higher_is_better=None,
            source=MHS116,
        ),
        Metric(
            id="open_caseload",
            name="Open caseload",
            definition=(
                "On the period's last day: referrals received on or before it, not closed on or "
                "before it, with at least one direct contact on or before it."
            ),
            numerator="open referrals with a direct contact",
            denominator=None,
            period_rule="a snapshot on the last day of the period",
            higher_is_better=None,
            source=MHS116,
        ),
    ]
}

# (label, fewest days, most days): the MHS116 bands.
WAIT_BANDS = (("7 days or less", 0, 7), ("8 to 30 days", 8, 30), ("Over 30 days", 31, None))
_BAND_ALIASES = {label: f"band_{i}" for i, (label, *_) in enumerate(WAIT_BANDS)}


def _by_service(rows, key: str = "n") -> dict[int, int]:
    return {row["service_id"]: row[key] for row in rows}


def referrals_received(service_ids, period: Period) -> dict[int, int]:
    rows = (
        scoping.referrals_in_services(service_ids)
        .filter(received_on__range=(period.start, period.end))
        .values("service_id")
        .annotate(n=Count("pk"))
    )
    return _by_service(rows)


def accesses(service_ids, period: Period) -> dict[int, int]:
    rows = (
        scoping.episodes_in_services(service_ids)
        .filter(access_date__range=(period.start, period.end))
        .values("service_id")
        .annotate(n=Count("pk"))
    )
    return _by_service(rows)


def wait_to_access(service_ids, period: Period) -> dict[int, dict[str, int]]:
    wait = ExpressionWrapper(
        F("access_date") - F("referral__received_on"), output_field=DurationField()
    )
    aggregates = {}
    for label, low, high in WAIT_BANDS:
        condition = Q(wait__gte=timedelta(days=low))
        if high is not None:
            condition &= Q(wait__lte=timedelta(days=high))
        aggregates[_BAND_ALIASES[label]] = Count("pk", filter=condition)
    rows = (
        scoping.episodes_in_services(service_ids)
        .filter(access_date__range=(period.start, period.end))
        .annotate(wait=wait)
        .values("service_id")
        .annotate(**aggregates)
    )
    result: dict[int, dict[str, int]] = defaultdict(lambda: {label: 0 for label, *_ in WAIT_BANDS})
    for row in rows:
        result[row["service_id"]] = {label: row[_BAND_ALIASES[label]] for label, *_ in WAIT_BANDS}
    return result


def open_caseload(service_ids, on: date) -> dict[int, int]:
    contacted = Contact.objects.filter(
        referral_id=OuterRef("pk"), is_direct=True, contact_date__lte=on
    )
    rows = (
        scoping.referrals_in_services(service_ids)
        .filter(received_on__lte=on)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on))
        .filter(Exists(contacted))
        .values("service_id")
        .annotate(n=Count("pk"))
    )
    return _by_service(rows)
