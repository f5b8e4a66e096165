"""Referrals, access, waits and the caseload (NHS England MHSDS IPS measures, MHS116;
the IPS-25 fidelity scale items 1 and 4 for the active caseload and its team mix).

Access is the first direct contact (``Episode.access_date``); the open caseload on a day is
the referrals received by then, not closed on or before it, with a direct contact by then.
"""

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from ipsworks.activity.models import Contact
from ipsworks.outcomes.metrics.conditions import (
    _BAND_ALIASES,
    BY_SERVICE,
    BY_TEAM,
    WAIT_BANDS,
    Counts,
    GroupId,
    ServiceIds,
    _as_date,
    _counts,
    _group,
    _wait,
    _wait_band_counts,
    _within,
)
from ipsworks.outcomes.periods import Period
from ipsworks.people.models import Episode, Referral


def referrals_received(service_ids: ServiceIds, period: Period, by: str = BY_SERVICE) -> Counts:
    rows = Referral.objects.in_services(service_ids).filter(_within("received_on", period))
    return _counts(_group(rows, by, referral_path="", date_path="received_on"))


def _episodes(service_ids: ServiceIds, period: Period, by: str) -> QuerySet[Any, Any]:
    rows = Episode.objects.in_services(service_ids).filter(_within("access_date", period))
    return _group(rows, by, referral_path="referral", date_path="access_date")


def accesses(service_ids: ServiceIds, period: Period, by: str = BY_SERVICE) -> Counts:
    return _counts(_episodes(service_ids, period, by))


def wait_to_access(
    service_ids: ServiceIds, period: Period, by: str = BY_SERVICE
) -> dict[GroupId, dict[str, int]]:
    result: defaultdict[GroupId, dict[str, int]] = defaultdict(
        lambda: {label: 0 for label, *_ in WAIT_BANDS}
    )
    for group, (_, bands) in accesses_and_waits(service_ids, period, by).items():
        result[group] = bands
    return result


def accesses_and_waits(
    service_ids: ServiceIds, period: Period, by: str = BY_SERVICE
) -> dict[GroupId, tuple[int, dict[str, int]]]:
    """{group: (accesses, {wait band: accesses})}: :func:`accesses` and
    :func:`wait_to_access` in one query, for pages that show both."""
    aggregates = {"accesses": Count("pk"), **_wait_band_counts()}
    rows = (
        _episodes(service_ids, period, by)
        .annotate(wait=_wait("referral__received_on"))
        .values("group")
        .annotate(**aggregates)
        .order_by()
    )
    return {
        row["group"]: (
            row["accesses"],
            {label: row[_BAND_ALIASES[label]] for label, *_ in WAIT_BANDS},
        )
        for row in rows
    }


def _open_on(service_ids: ServiceIds, on: date) -> QuerySet[Referral]:
    contacted = Contact.objects.filter(
        referral_id=OuterRef("pk"), is_direct=True, contact_date__lte=on
    )
    return (
        Referral.objects.in_services(service_ids)
        .filter(received_on__lte=on)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on))
        .filter(Exists(contacted))
    )


def open_caseload(service_ids: ServiceIds, on: date, by: str = BY_SERVICE) -> Counts:
    rows = _open_on(service_ids, on).annotate(snapshot=_as_date(on))
    return _counts(_group(rows, by, referral_path="", date_path="snapshot"))


def job_retention_share(
    service_ids: ServiceIds, on: date, by: str = BY_SERVICE
) -> dict[GroupId, tuple[int, int]]:
    """{group: (job retention referrals open, open caseload)} on the date."""
    rows = _group(
        _open_on(service_ids, on).annotate(snapshot=_as_date(on)),
        by,
        referral_path="",
        date_path="snapshot",
    )
    counted = (
        rows.values("group")
        .annotate(
            total=Count("pk"),
            retention=Count("pk", filter=Q(pathway=Referral.Pathway.JOB_RETENTION)),
        )
        .order_by()
    )
    return {row["group"]: (row["retention"], row["total"]) for row in counted}


def active_referrals(service_ids: ServiceIds, on: date) -> QuerySet[Referral]:
    """Referrals in the active caseload on the date, with ``last_contact_on`` annotated."""
    from ipsworks.people.queries import ACTIVE_WITHIN_DAYS

    since = on - timedelta(days=ACTIVE_WITHIN_DAYS)
    recent = Contact.objects.filter(
        referral_id=OuterRef("pk"), is_direct=True, contact_date__gte=since, contact_date__lte=on
    )
    last = (
        Contact.objects.filter(referral_id=OuterRef("pk"), is_direct=True, contact_date__lte=on)
        .order_by("-contact_date")
        .values("contact_date")[:1]
    )
    return (
        _open_on(service_ids, on)
        .filter(Exists(recent))
        .annotate(last_contact_on=Subquery(last, output_field=DateField()))
    )


def active_caseload(service_ids: ServiceIds, on: date, by: str = BY_SERVICE) -> Counts:
    rows = active_referrals(service_ids, on).annotate(snapshot=_as_date(on))
    return _counts(_group(rows, by, referral_path="", date_path="snapshot"))


def caseload_team_mix(service_ids: ServiceIds, on: date) -> dict[tuple[int | None, GroupId], int]:
    """{(specialist id, team id on the date): open referrals}; None for no team or no one."""
    rows = _group(
        _open_on(service_ids, on).annotate(snapshot=_as_date(on)),
        BY_TEAM,
        referral_path="",
        date_path="snapshot",
    )
    counted = rows.values("allocated_to_id", "group").annotate(n=Count("pk")).order_by()
    return {(row["allocated_to_id"], row["group"]): row["n"] for row in counted}


def caseload_on_with_team(service_ids: ServiceIds, on: date) -> QuerySet[Referral]:
    """The open caseload on the date, each row annotated ``team_then`` (its team that day)."""
    rows = _open_on(service_ids, on).annotate(snapshot=_as_date(on))
    with_team: QuerySet[Referral] = _group(
        rows, BY_TEAM, referral_path="", date_path="snapshot"
    ).annotate(team_then=F("group"))
    return with_team
