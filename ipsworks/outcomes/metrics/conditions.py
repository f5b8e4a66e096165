"""Conditions and grouping shared by the metric modules.

Every metric function takes ``service_ids``, a :class:`Period` (or a date for snapshots) and
``by`` in {"service", "team", "specialist"}, and returns a dict from the group's id to the
figure (``None`` is the key for records with no team or no specialist). The grouping, the
period filter and the population conditions they share are here, once: a row counts for a
team if that was the referral's team on the date of the event.
"""

from collections.abc import Collection, Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import (
    BigIntegerField,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.base import Model
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce

from ipsworks.employers.queries import first_face_to_face_contact_from
from ipsworks.outcomes.periods import Period
from ipsworks.people.codes import EmploymentStatus
from ipsworks.people.models import Referral, ReferralTeamMove

BY_SERVICE, BY_TEAM, BY_SPECIALIST = "service", "team", "specialist"
GROUPINGS = (BY_SERVICE, BY_TEAM, BY_SPECIALIST)
WAIT_BANDS = (("7 days or less", 0, 7), ("8 to 30 days", 8, 30), ("Over 30 days", 31, None))
_BAND_ALIASES = {label: f"band_{i}" for i, (label, *_) in enumerate(WAIT_BANDS)}

# The ids of the services a caller may aggregate (``access.scoping.services_for_aggregates``).
ServiceIds = Collection[int]
# The teams to keep (``None``: every team), as the fidelity evidence passes them.
TeamIds = Iterable[int] | None
# A group's id: a service, a team or a specialist; ``None`` for no team or no specialist.
GroupId = int | None
Counts = dict[GroupId, int]
_M = TypeVar("_M", bound=Model)


# Quoted: ExpressionWrapper takes a type argument at run time only once django-stubs-ext
# has patched it, and these annotations must not depend on that.
def _wait(received_path: str) -> "ExpressionWrapper[CombinedExpression]":
    """Days from referral to access, on a row that has ``access_date``."""
    return ExpressionWrapper(F("access_date") - F(received_path), output_field=DurationField())


def _wait_band_counts(among: Q | None = None) -> dict[str, Count]:
    """One count per MHS116 wait band (by alias), of rows annotated with ``wait``."""
    counts = {}
    for label, low, high in WAIT_BANDS:
        condition = Q(wait__gte=timedelta(days=low))
        if high is not None:
            condition &= Q(wait__lte=timedelta(days=high))
        counts[_BAND_ALIASES[label]] = Count(
            "pk", filter=condition if among is None else among & condition
        )
    return counts


def _team_on(referral_path: str, date_path: str) -> Coalesce:
    """The referral's team on a date: before its first later move, else its team now."""
    prefix = f"{referral_path}__" if referral_path else ""
    moved_from = ReferralTeamMove.objects.filter(
        referral_id=OuterRef(f"{prefix}pk" if referral_path else "pk"),
        effective_on__gt=OuterRef(date_path),
    ).order_by("effective_on", "pk")
    return Coalesce(
        Subquery(moved_from.values("from_team_id")[:1]),
        F(f"{prefix}team_id"),
        output_field=BigIntegerField(),
    )


def _group(
    queryset: QuerySet[Any, Any], by: str, *, referral_path: str, date_path: str
) -> QuerySet[Any, Any]:
    """Annotate ``group`` on each row: service, team on the event date, or specialist.

    Typed over any model: the stubs' plugin checks a later ``.values("group")`` against the
    model's own fields, so a queryset of the model would fail there for the annotation.
    """
    prefix = f"{referral_path}__" if referral_path else ""
    key: F | Coalesce
    if by == BY_SERVICE:
        # Every record counted here (referral, episode, job, check-in) carries its referral's
        # service, copied when it is created, so it is grouped on its own column: no join to
        # the referrals only to read the service (150,000 joins nationally for job starts).
        key = F("service_id")
    elif by == BY_TEAM:
        key = _team_on(referral_path, date_path)
    elif by == BY_SPECIALIST:
        key = F(f"{prefix}allocated_to_id")
    else:
        raise ValueError(f"Unknown grouping {by!r}; use one of {GROUPINGS}")
    # The plugin types annotate() on a queryset of Any as Any; the rows are still a queryset.
    annotated: QuerySet[Any, Any] = queryset.annotate(group=key)
    return annotated


def _counts(queryset: QuerySet[Any, Any], *, distinct: str = "pk") -> Counts:
    """{group: rows}, or distinct values of ``distinct`` (such as people) per group.

    Counting rows needs no DISTINCT: every queryset counted here joins only to-one relations
    (a referral's episode, a job's referral), so each row is one record. Without it the
    national report's counts aggregate by hashing instead of sorting (open caseload: 0.45 s
    to about 0.2 s at a million people).
    """
    count = Count("pk") if distinct == "pk" else Count(distinct, distinct=True)
    rows = queryset.values("group").annotate(n=count).order_by()
    return {row["group"]: row["n"] for row in rows}


def _within(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def _as_date(day: date) -> Value:
    return Value(day, output_field=DateField())


def _not_by_team(by: str) -> None:
    """Combined counts are for service and specialist groupings only: by team, each of the
    metrics they combine counts a referral in its team on a different date."""
    if by == BY_TEAM:
        raise ValueError("Count these one by one when grouping by team")
    if by not in GROUPINGS:
        raise ValueError(f"Unknown grouping {by!r}; use one of {GROUPINGS}")


def _out_of_work(prefix: str = "") -> Q:
    """Out of work at referral (MHSDS 02 to 08) and looking for work, not job retention."""
    return Q(
        **{
            f"{prefix}employment_status_at_referral__in": EmploymentStatus.out_of_work(),
            f"{prefix}pathway": Referral.Pathway.JOB_SEEKING,
        }
    )


def _accessed_by(service_ids: ServiceIds, day: date) -> Q:
    """Referrals with an access on or before ``day``.

    An episode belongs to its referral's service (``Episode.service`` is copied from the
    referral, for scoping), so saying so again changes no answer; it lets PostgreSQL find
    the episodes by service and date instead of reading every episode in the installation
    to join them (72 ms of a 5,000-person service's 8-quarter trends at a million people).
    """
    return Q(episode__access_date__lte=day, episode__service_id__in=service_ids)


def _in_teams(
    queryset: QuerySet[_M, Any], teams: TeamIds, *, referral_path: str, date_path: str
) -> QuerySet[_M, Any]:
    """Keep rows whose referral was in one of ``teams`` on the event date (all when None)."""
    if teams is None:
        return queryset
    grouped = _group(queryset, BY_TEAM, referral_path=referral_path, date_path=date_path)
    return grouped.filter(group__in=list(teams))


def rate(numerator: int, denominator: int | Decimal) -> Decimal | None:
    """A percentage to one decimal place, or None when there is nothing to divide by."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"))


def first_employer_contact_after_access() -> "Subquery":
    """The first face-to-face employer contact on or after the annotated episode's access
    date (fidelity item 15): ``employers.queries.first_face_to_face_contact_from``."""
    return first_face_to_face_contact_from("access_date")
