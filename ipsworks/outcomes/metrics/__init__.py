"""The one registry of outcome metrics. Nothing else in IPS Works computes an outcome.

Each metric is declared once with its plain-English definition, numerator and denominator,
period rule, direction and the source it follows, as settled in
``shared/domain/metric-definitions.md``. The functions compute them with set-based SQL over
the services a caller is allowed to aggregate (``access.scoping.services_for_aggregates``),
grouped by service, by clinical team (the team on the date of the event) or by employment
specialist (the one the referral is allocated to), so their cost does not grow with a loop
over people.

Every function takes ``service_ids``, a :class:`Period` (or a date for snapshots) and
``by`` in {"service", "team", "specialist"}; it returns a dict from the group's id to the
figure (``None`` is the key for records with no team or no specialist).
"""

import itertools
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from django.db.models import (
    BigIntegerField,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from ipsworks.access import scoping
from ipsworks.access.roles import Role
from ipsworks.activity.models import Contact
from ipsworks.core.dates import local_today
from ipsworks.employers.models import EmployerContact
from ipsworks.jobs import rules as job_rules
from ipsworks.jobs.models import Job
from ipsworks.organisations.models import StaffMember
from ipsworks.outcomes.models import ReferralFacts
from ipsworks.outcomes.periods import Period
from ipsworks.people.codes import EmploymentStatus
from ipsworks.people.models import Episode, Referral, ReferralTeamMove

CHECKED_ON = date(2026, 11, 22)

MHS116 = "NHS England MHSDS IPS measures (MHS116), analysis code in nhsengland/MHSDS"
NHSE_IPS_DASHBOARD = (
    "NHS England IPS dashboard (nhsengland/MHSDS, IPS Dashboard/IPS Dashboard) and Core Data "
    "Pack measure CDP_I01 (MH Core Data Pack/UDAL/.../STAGING_CDP_I_IPS.sql)"
)
IPS_GROW_V8 = "IPS Grow key performance and outcome framework v8 and its 2024 employment-rate note"
FIDELITY = "IPS-25 fidelity scale (Bond et al. 2012; UK version, Centre for Mental Health)"

BY_SERVICE, BY_TEAM, BY_SPECIALIST = "service", "team", "specialist"
GROUPINGS = (BY_SERVICE, BY_TEAM, BY_SPECIALIST)


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
    unit: str = "count"  # count, rate, days, per_week, share
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
            id="accessed_in_financial_year",
            name="People accessing IPS",
            definition=(
                "NHS England's headline measure (AccessedInFinancialYear, CDP_I01): referrals "
                "counted once in each financial year in which they have a direct contact "
                "(attended, face to face, by telephone, talk type or video), on the date of the "
                "first direct contact of that year. People carried over from an earlier year "
                "count again."
            ),
            numerator="referrals whose first direct contact of the financial year is in the period",
            denominator=None,
            period_rule=(
                "the first direct contact of the financial year falls in the period; the year "
                "to date adds every month since 1 April"
            ),
            higher_is_better=True,
            source=NHSE_IPS_DASHBOARD,
        ),
        Metric(
            id="accessed_in_financial_year_to_date",
            name="People accessing IPS, financial year to date",
            definition=(
                "CDP_I01 as NHS England reports it: people accessing IPS (accessed in the "
                "financial year) from 1 April to the last day of the period."
            ),
            numerator="referrals with a direct contact from 1 April to the period's last day",
            denominator=None,
            period_rule="from the 1 April before the period's last day to that day",
            higher_is_better=True,
            source=NHSE_IPS_DASHBOARD,
        ),
        Metric(
            id="accesses",
            name="Accessed for the first time",
            definition=(
                "NHS England's AccessedFirstTimeEver: referrals whose first-ever direct contact "
                "(attended, face to face, by telephone, talk type or video) falls in the period. "
                "Each referral has at most one; waits are timed to it."
            ),
            numerator="referrals with their first direct contact in the period",
            denominator=None,
            period_rule="the access date (first direct contact) falls in the period",
            higher_is_better=True,
            source=NHSE_IPS_DASHBOARD,
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
        Metric(
            id="job_starts",
            name="Job starts",
            definition=(
                "Competitive jobs whose first day of paid work is in the period, for a referral "
                "that had access, starting on or after the access date, once 4 hours of paid "
                "work are done. A job held at referral (job retention) is not a job start. "
                "Second and further jobs count."
            ),
            numerator="job starts in the period",
            denominator=None,
            period_rule="the job's start date falls in the period",
            higher_is_better=True,
            source=IPS_GROW_V8,
        ),
        Metric(
            id="people_into_work",
            name="People into work",
            definition=(
                "Distinct people whose first job start of the referral is in the period. Someone "
                "re-referred after closure can come into work again through the new referral."
            ),
            numerator="people whose first job start of a referral is in the period",
            denominator=None,
            period_rule="the referral's first job start falls in the period",
            higher_is_better=True,
            source=IPS_GROW_V8,
        ),
        Metric(
            id="employment_rate",
            name="Employment rate",
            definition=(
                "People into work in the period who were out of work at referral, divided by "
                "people out of work at referral who had an open, accessed referral at any time "
                "in the period. Out of work is MHSDS employment status 02 to 08; people in work "
                "at referral, with no status stated, or on the job retention pathway are in "
                "neither. IPS Grow's benchmark is 40%."
            ),
            numerator="out-of-work people into work in the period",
            denominator="out-of-work people with an open, accessed referral in the period",
            period_rule="first job start in the period; referral open and accessed in it",
            higher_is_better=True,
            source=IPS_GROW_V8,
            unit="rate",
        ),
        *[
            Metric(
                id=f"sustained_{weeks}",
                name=f"Jobs sustained {weeks} weeks",
                definition=(
                    f"Job starts whose job is still held {weeks * 7} days after it started (no "
                    f"end date, or an end date later than that day; a job is not held on its "
                    f"end date), counted in the period that contains that day."
                ),
                numerator=f"job starts held {weeks * 7} days after starting",
                denominator=None,
                period_rule=f"the start date plus {weeks * 7} days falls in the period",
                higher_is_better=True,
                source=IPS_GROW_V8,
            )
            for weeks in (13, 26, 52)
        ],
        Metric(
            id="job_retention_share",
            name="Job retention share of caseload",
            definition=(
                "Open job-retention referrals divided by the open caseload, on the period's last "
                "day. IPS Grow expects no more than about 15%."
            ),
            numerator="open job-retention referrals with a direct contact",
            denominator="open caseload",
            period_rule="a snapshot on the last day of the period",
            higher_is_better=None,
            source=IPS_GROW_V8,
            unit="rate",
        ),
        Metric(
            id="days_to_employer_contact",
            name="Days from access to first employer contact",
            definition=(
                "For each access in the period, days from the access date to the first "
                "face-to-face employer contact for that person on or after it: the mean, the "
                "median and how many have none yet. The IPS target is 30 days or fewer."
            ),
            numerator="days to first face-to-face employer contact, per access",
            denominator="accesses in the period with an employer contact",
            period_rule="the access date falls in the period",
            higher_is_better=False,
            source=FIDELITY + ", item 15 (rapid job search)",
            unit="days",
        ),
        Metric(
            id="employer_contacts_per_fte_week",
            name="Face-to-face employer contacts per specialist a week",
            definition=(
                "Face-to-face employer contacts in the period divided by the sum, over "
                "employment specialists, of full-time equivalent times days employed in the "
                "period (first and last day both counted), divided by 7. The IPS target is 6."
            ),
            numerator="face-to-face employer contacts in the period",
            denominator="specialist full-time-equivalent weeks in the period",
            period_rule="the contact date falls in the period",
            higher_is_better=True,
            source=FIDELITY + ", item 17 (frequent employer contact)",
            unit="per_week",
        ),
        Metric(
            id="community_share",
            name="Share of contact time in the community",
            definition=(
                "Minutes of completed face-to-face, video or phone contacts with the person, "
                "their family or an employer that took place in the community, the person's "
                "home or a workplace, divided by minutes of all such contacts in the period. "
                "Clinical-team contacts, attempts and did-not-attend are left out. The IPS "
                "target is 65% or more."
            ),
            numerator="minutes of such contacts in the community, at home or at a workplace",
            denominator="minutes of all such contacts",
            period_rule="the contact date falls in the period",
            higher_is_better=True,
            source=FIDELITY + ", item 24 (community-based services)",
            unit="share",
        ),
    ]
}

WAIT_BANDS = (("7 days or less", 0, 7), ("8 to 30 days", 8, 30), ("Over 30 days", 31, None))
_BAND_ALIASES = {label: f"band_{i}" for i, (label, *_) in enumerate(WAIT_BANDS)}


def _wait(received_path: str) -> ExpressionWrapper:
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


# --- grouping -----------------------------------------------------------------------------


def _team_on(referral_path: str, date_path: str):
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


def _group(queryset: QuerySet, by: str, *, referral_path: str, date_path: str) -> QuerySet:
    """Annotate ``group`` on each row: service, team on the event date, or specialist."""
    prefix = f"{referral_path}__" if referral_path else ""
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
    return queryset.annotate(group=key)


def _counts(queryset: QuerySet, *, distinct: str = "pk") -> dict:
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


# --- referrals, access, waits and caseload ---------------------------------------------------


def referrals_received(service_ids, period: Period, by: str = BY_SERVICE) -> dict:
    rows = scoping.referrals_in_services(service_ids).filter(_within("received_on", period))
    return _counts(_group(rows, by, referral_path="", date_path="received_on"))


def _episodes(service_ids, period: Period, by: str) -> QuerySet:
    rows = scoping.episodes_in_services(service_ids).filter(_within("access_date", period))
    return _group(rows, by, referral_path="referral", date_path="access_date")


def accesses(service_ids, period: Period, by: str = BY_SERVICE) -> dict:
    return _counts(_episodes(service_ids, period, by))


def wait_to_access(service_ids, period: Period, by: str = BY_SERVICE) -> dict:
    result: dict = defaultdict(lambda: {label: 0 for label, *_ in WAIT_BANDS})
    for group, (_, bands) in accesses_and_waits(service_ids, period, by).items():
        result[group] = bands
    return result


def accesses_and_waits(service_ids, period: Period, by: str = BY_SERVICE) -> dict:
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


def _open_on(service_ids, on: date) -> QuerySet[Referral]:
    contacted = Contact.objects.filter(
        referral_id=OuterRef("pk"), is_direct=True, contact_date__lte=on
    )
    return (
        scoping.referrals_in_services(service_ids)
        .filter(received_on__lte=on)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on))
        .filter(Exists(contacted))
    )


def open_caseload(service_ids, on: date, by: str = BY_SERVICE) -> dict:
    rows = _open_on(service_ids, on).annotate(snapshot=_as_date(on))
    return _counts(_group(rows, by, referral_path="", date_path="snapshot"))


def job_retention_share(service_ids, on: date, by: str = BY_SERVICE) -> dict:
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


def _as_date(day: date) -> Value:
    return Value(day, output_field=DateField())


# --- jobs ------------------------------------------------------------------------------------


def qualifying_job_starts(service_ids) -> QuerySet[Job]:
    """Jobs that are job starts (metric-definitions.md), whatever their date.

    "For a referral with an access, starting on or after it" is asked of the episode by the
    job's referral id (a semi-join), without joining the referrals in between.
    """
    return Job.objects.filter(
        job_rules.accessed_by_start(Episode.objects.all()),
        job_rules.job_start_q(),
        service_id__in=service_ids,
    )


def job_starts(service_ids, period: Period, by: str = BY_SERVICE) -> dict:
    rows = qualifying_job_starts(service_ids).filter(_within("start_date", period))
    return _counts(_group(rows, by, referral_path="referral", date_path="start_date"))


def _first_start() -> Subquery:
    return Subquery(
        qualifying_job_starts_for_referral().order_by("start_date").values("start_date")[:1]
    )


def qualifying_job_starts_for_referral() -> QuerySet[Job]:
    """Job starts of the outer referral (``OuterRef("pk")``): :func:`qualifying_job_starts`
    asked of one referral, with the access date from the referral's episode."""
    return Job.objects.filter(
        job_rules.job_start_q(),
        job_rules.started_on_or_after_access(OuterRef("episode__access_date")),
        referral_id=OuterRef("pk"),
    )


def _started_between(service_ids, start: date, end: date) -> QuerySet:
    """Referrals with a job start between ``start`` and ``end``: those whose first one may be.

    Found from the jobs by their dates (an index on service and start date), so only these
    referrals have their first job start looked up; looking it up for every referral with an
    access was most of the time of the people-into-work figures at national scale.
    """
    return (
        qualifying_job_starts(service_ids)
        .filter(start_date__gte=start, start_date__lte=end)
        .values("referral_id")
    )


def _into_work(service_ids, period: Period) -> QuerySet[Referral]:
    """Referrals whose first job start is in the period, with ``first_start`` annotated.

    The first start is the earliest of the job starts of the referrals with one in the
    period, in one grouped pass over their jobs; filtering on a per-referral lookup of it
    cost 0.3 s of the national report at a million people.
    """
    firsts = (
        qualifying_job_starts(service_ids)
        .filter(referral_id__in=_started_between(service_ids, period.start, period.end))
        .values("referral_id")
        .annotate(first=Min("start_date"))
        .filter(first__gte=period.start)
        .values("referral_id")
    )
    return (
        scoping.referrals_in_services(service_ids)
        .filter(pk__in=firsts)
        .annotate(first_start=_first_start())
    )


def people_into_work(service_ids, period: Period, by: str = BY_SERVICE) -> dict:
    rows = _group(_into_work(service_ids, period), by, referral_path="", date_path="first_start")
    return _counts(rows, distinct="person_id")


def _out_of_work(prefix: str = "") -> Q:
    """Out of work at referral (MHSDS 02 to 08) and looking for work, not job retention."""
    return Q(
        **{
            f"{prefix}employment_status_at_referral__in": EmploymentStatus.out_of_work(),
            f"{prefix}pathway": Referral.Pathway.JOB_SEEKING,
        }
    )


def _accessed_by(service_ids, day: date) -> Q:
    """Referrals with an access on or before ``day``.

    An episode belongs to its referral's service (``Episode.service`` is copied from the
    referral, for scoping), so saying so again changes no answer; it lets PostgreSQL find
    the episodes by service and date instead of reading every episode in the installation
    to join them (72 ms of a 5,000-person service's 8-quarter trends at a million people).
    """
    return Q(episode__access_date__lte=day, episode__service_id__in=service_ids)


def rate_denominator(service_ids, period: Period, by: str = BY_SERVICE) -> dict:
    """{group: people}: the employment rate's denominator (see :func:`employment_rate`).

    Open and accessed at some time in the period: accessed by its end, and not closed on or
    before the later of the period's start and the access date.
    """
    open_accessed = (
        scoping.referrals_in_services(service_ids)
        .filter(_out_of_work(), _accessed_by(service_ids, period.end))
        .filter(
            Q(closed_on__isnull=True)
            | (Q(closed_on__gt=period.start) & Q(closed_on__gt=F("episode__access_date")))
        )
        .annotate(snapshot=_as_date(period.end))
    )
    return _counts(
        _group(open_accessed, by, referral_path="", date_path="snapshot"), distinct="person_id"
    )


def employment_rate(service_ids, period: Period, by: str = BY_SERVICE) -> dict:
    """{group: (numerator, denominator)}: the IPS Grow employment rate's two counts.

    Grouped by team, people count for the team on the period's last day.
    """
    numerator = _counts(
        _group(
            _into_work(service_ids, period)
            .filter(_out_of_work())
            .annotate(snapshot=_as_date(period.end)),
            by,
            referral_path="",
            date_path="snapshot",
        ),
        distinct="person_id",
    )
    denominator = rate_denominator(service_ids, period, by)
    return {key: (numerator.get(key, 0), denominator[key]) for key in denominator} | {
        key: (value, 0) for key, value in numerator.items() if key not in denominator
    }


def _not_by_team(by: str) -> None:
    """Combined counts are for service and specialist groupings only: by team, each of the
    metrics they combine counts a referral in its team on a different date."""
    if by == BY_TEAM:
        raise ValueError("Count these one by one when grouping by team")
    if by not in GROUPINGS:
        raise ValueError(f"Unknown grouping {by!r}; use one of {GROUPINGS}")


def into_work_counts(service_ids, period: Period, by: str = BY_SERVICE) -> dict:
    """{group: (people into work, of whom out of work at referral)}: :func:`people_into_work`
    and :func:`employment_rate`'s numerator in one query. By service or specialist only."""
    _not_by_team(by)
    rows = (
        _group(_into_work(service_ids, period), by, referral_path="", date_path="first_start")
        .values("group")
        .annotate(
            people=Count("person_id", distinct=True),
            out_of_work=Count("person_id", distinct=True, filter=_out_of_work()),
        )
        .order_by()
    )
    return {row["group"]: (row["people"], row["out_of_work"]) for row in rows}


# --- the same counts from the referral facts (docs/adr/0008) ---------------------------------
#
# ``ReferralFacts`` keeps, per referral, its own dates and flags with its access date, first
# direct contact and first qualifying job start, maintained in the same transaction as the
# records (``outcomes.facts``). The functions below count exactly what the functions above
# count, but read one narrow row per referral instead of joining referrals to episodes,
# contacts and jobs: the national figures become one pass over a million rows.
# tests/outcomes/test_referral_facts.py checks them against the functions above.


def _facts(service_ids) -> QuerySet:
    return ReferralFacts.objects.filter(service_id__in=service_ids)


def _facts_open_on(day: date) -> Q:
    """Open caseload on ``day`` (:func:`open_caseload`): received by then, not closed on or
    before it, with a direct contact on or before it."""
    return Q(received_on__lte=day, first_direct_contact__lte=day) & (
        Q(closed_on__isnull=True) | Q(closed_on__gt=day)
    )


def _facts_looking(period: Period) -> Q:
    """The employment rate's denominator for ``period`` (:func:`rate_denominator`)."""
    return Q(out_of_work=True, access_date__lte=period.end) & (
        Q(closed_on__isnull=True)
        | (Q(closed_on__gt=period.start) & Q(closed_on__gt=F("access_date")))
    )


def _facts_into_work(period: Period) -> Q:
    """First job start in ``period`` (:func:`people_into_work`)."""
    return _within("first_job_start", period)


def referral_figures(service_ids, period: Period, by: str = BY_SERVICE) -> dict:
    """{group: {name: count}}: referrals received, accesses with their wait bands, the open
    caseload on the period's last day and its job-retention part, people into work, and the
    employment rate's numerator and denominator. Two queries over the referral facts.

    The same numbers as :func:`referrals_received`, :func:`accesses_and_waits`,
    :func:`open_caseload`, :func:`job_retention_share`, :func:`into_work_counts` and
    :func:`rate_denominator`, grouped as they group: by service, by the referral's current
    specialist, or by team on the date of each event (four queries). Groups whose counts
    are all zero are left out, as those functions leave them out.
    """
    if by == BY_TEAM:
        return _referral_figures_by_team(service_ids, period)
    _not_by_team(by)
    group = F("service_id" if by == BY_SERVICE else "allocated_to_id")
    accessed = _within("access_date", period)
    open_at_end = _facts_open_on(period.end)
    records = {
        "referrals": Count("pk", filter=_within("received_on", period)),
        "accesses": Count("pk", filter=accessed),
        "open_caseload": Count("pk", filter=open_at_end),
        "retention_open": Count("pk", filter=open_at_end & Q(job_retention=True)),
        **_wait_band_counts(among=accessed),
    }
    # Only referrals that can count: received by the end and not closed before the start
    # (which takes in everything received in the period, since a referral cannot close
    # before it is received, and everything open at the end), or accessed in the period.
    # Counting conditions on the rest of a million rows was half the time.
    counted = (
        _facts(service_ids)
        .filter(
            Q(received_on__lte=period.end)
            & (Q(closed_on__isnull=True) | Q(closed_on__gte=period.start))
            | accessed
        )
        .annotate(group=group, wait=_wait("received_on"))
        .values("group")
        .annotate(**records)
        .order_by()
    )
    # People are counted once per group, so these need DISTINCT: asked only of the rows
    # that can count, which keeps the sorts small.
    into_work, looking = _facts_into_work(period), _facts_looking(period)
    people = {
        "into_work": Count("person_id", distinct=True, filter=into_work),
        "rate_numerator": Count("person_id", distinct=True, filter=into_work & Q(out_of_work=True)),
        "rate_denominator": Count("person_id", distinct=True, filter=looking),
    }
    distinct = (
        _facts(service_ids)
        .filter(into_work | looking)
        .annotate(group=group)
        .values("group")
        .annotate(**people)
        .order_by()
    )
    return _headline(itertools.chain(counted, distinct), [*records, *people])


def _headline(rows, names: list[str]) -> dict:
    """Merge grouped rows into {group: counts with "waits"}, leaving out all-zero groups."""
    result: dict = defaultdict(lambda: dict.fromkeys(names, 0))
    for row in rows:
        result[row.pop("group")].update(row)
    figures = {}
    for key, counts in result.items():
        headline = {name: n for name, n in counts.items() if not name.startswith("band_")}
        if any(headline.values()):
            headline["waits"] = {label: counts[_BAND_ALIASES[label]] for label, *_ in WAIT_BANDS}
            figures[key] = headline
    return figures


def _referral_figures_by_team(service_ids, period: Period) -> dict:
    """:func:`referral_figures` by team: each count in the team the referral was in on the
    date its metric counts it (received, access, first job start, or the period's last day
    for the open caseload and the employment rate), from the team moves (:func:`_team_on`)."""

    def on(date_path: str, rows: QuerySet) -> QuerySet:
        return rows.annotate(group=_team_on("", date_path)).values("group")

    accessed = _within("access_date", period)
    into_work, looking = _facts_into_work(period), _facts_looking(period)
    open_at_end = _facts_open_on(period.end)
    bands = _wait_band_counts()
    facts = _facts(service_ids)
    received = on("received_on", facts.filter(_within("received_on", period))).annotate(
        referrals=Count("pk")
    )
    accesses = on(
        "access_date",
        facts.filter(accessed).annotate(wait=_wait("received_on")),
    ).annotate(accesses=Count("pk"), **bands)
    first_start = on("first_job_start", facts.filter(into_work)).annotate(
        into_work=Count("person_id", distinct=True)
    )
    at_end = on(
        "snapshot",
        facts.filter(open_at_end | looking | (into_work & Q(out_of_work=True))).annotate(
            snapshot=_as_date(period.end)
        ),
    ).annotate(
        open_caseload=Count("pk", filter=open_at_end),
        retention_open=Count("pk", filter=open_at_end & Q(job_retention=True)),
        rate_numerator=Count("person_id", distinct=True, filter=into_work & Q(out_of_work=True)),
        rate_denominator=Count("person_id", distinct=True, filter=looking),
    )
    names = ["referrals", "accesses", "open_caseload", "retention_open", "into_work"]
    names += ["rate_numerator", "rate_denominator", *bands]
    rows = itertools.chain(*(q.order_by() for q in (received, accesses, first_start, at_end)))
    return _headline(rows, names)


def sustained(service_ids, period: Period, weeks: int, by: str = BY_SERVICE) -> dict:
    """Job starts still held ``weeks`` × 7 days on, counted in the period containing that day.

    Milestones after today are not counted yet: nobody knows whether they will be reached.
    """
    days = timedelta(days=7 * weeks)
    last_milestone = min(period.end, local_today())
    if last_milestone < period.start:
        return {}
    rows = (
        qualifying_job_starts(service_ids)
        .filter(start_date__gte=period.start - days, start_date__lte=last_milestone - days)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=F("start_date") + days))
    )
    return _counts(_group(rows, by, referral_path="referral", date_path="start_date"))


SUSTAINED_WEEKS = (13, 26, 52)


def starts_and_sustained(service_ids, period: Period, by: str = BY_SERVICE) -> dict:
    """{group: {"job_starts": n, 13: n, 26: n, 52: n}}: :func:`job_starts` and
    :func:`sustained` for the three milestones, in one query over the job starts."""
    last_milestone = min(period.end, local_today())
    counts = {"job_starts": Count("pk", filter=_within("start_date", period))}
    earliest, latest = period.start, period.end
    if last_milestone >= period.start:
        for weeks in SUSTAINED_WEEKS:
            days = timedelta(days=7 * weeks)
            counts[f"weeks_{weeks}"] = Count(
                "pk",
                filter=Q(start_date__gte=period.start - days, start_date__lte=last_milestone - days)
                & (Q(end_date__isnull=True) | Q(end_date__gt=F("start_date") + days)),
            )
        earliest = period.start - timedelta(days=7 * max(SUSTAINED_WEEKS))
    rows = qualifying_job_starts(service_ids).filter(
        start_date__gte=earliest, start_date__lte=latest
    )
    grouped = (
        _group(rows, by, referral_path="referral", date_path="start_date")
        .values("group")
        .annotate(**counts)
        .order_by()
    )
    result = {}
    for row in grouped:
        counts = {
            "job_starts": row["job_starts"],
            **{weeks: row.get(f"weeks_{weeks}", 0) for weeks in SUSTAINED_WEEKS},
        }
        if any(counts.values()):  # as the separate metrics, which leave out empty groups
            result[row["group"]] = counts
    return result


def trend_counts(service_ids, periods: list[Period]) -> list[dict]:
    """For each period, over all ``service_ids`` together: people accessing IPS (accessed in
    the financial year), first-time accesses, job starts, people into work and the employment
    rate's numerator and denominator, as :func:`accessed_in_financial_year`,
    :func:`accesses`, :func:`job_starts`, :func:`people_into_work` and
    :func:`employment_rate` count them (people are counted once per service). Two queries,
    and one for each financial year the periods touch. The periods must not overlap.
    """
    if not periods:
        return []
    spans = sorted((p.start, p.end) for p in periods)
    if any(later[0] <= earlier[1] for earlier, later in itertools.pairwise(spans)):
        raise ValueError("Trend periods must not overlap")
    first, last = min(p.start for p in periods), max(p.end for p in periods)

    def each(condition) -> dict:
        return {f"p{i}": condition(p) for i, p in enumerate(periods)}

    started = (
        qualifying_job_starts(service_ids)
        .filter(start_date__gte=first, start_date__lte=last)
        .aggregate(**each(lambda p: Count("pk", filter=_within("start_date", p))))
    )
    # The rest from the referral facts: accesses by access date, people into work by their
    # first job start, the rate's denominator by access and closure. People are counted
    # once per service, so the distinct counts are per service and added up.
    per_service = (
        _facts(service_ids)
        .filter(Q(access_date__lte=last) | Q(first_job_start__lte=last))
        .values("service_id")
        .annotate(
            **{
                f"a{i}": Count("pk", filter=_within("access_date", p))
                for i, p in enumerate(periods)
            },
            **{
                f"w{i}": Count("person_id", distinct=True, filter=_facts_into_work(p))
                for i, p in enumerate(periods)
            },
            **{
                f"n{i}": Count(
                    "person_id",
                    distinct=True,
                    filter=_facts_into_work(p) & Q(out_of_work=True),
                )
                for i, p in enumerate(periods)
            },
            **{
                f"d{i}": Count("person_id", distinct=True, filter=_facts_looking(p))
                for i, p in enumerate(periods)
            },
        )
        .order_by()
    )
    totals: dict[str, int] = defaultdict(int)
    for row in per_service:
        for name, value in row.items():
            if name != "service_id":
                totals[name] += value
    accessed_fy = accessed_in_financial_year_each(service_ids, periods)
    counts = []
    for i, period in enumerate(periods):
        key = f"p{i}"
        counts.append(
            {
                "period": period,
                "accessed_fy": accessed_fy[i],
                "accesses": totals[f"a{i}"],
                "job_starts": started[key],
                "into_work": totals[f"w{i}"],
                "rate_numerator": totals[f"n{i}"],
                "rate_denominator": totals[f"d{i}"],
            }
        )
    return counts


# --- job search and ways of working (fidelity evidence) -------------------------------------


@dataclass(frozen=True)
class DaysToContact:
    accesses: int
    with_contact: int
    mean: Decimal | None
    median: Decimal | None

    @property
    def without_contact(self) -> int:
        return self.accesses - self.with_contact


def days_to_employer_contact(service_ids, period: Period, by: str = BY_SERVICE) -> dict:
    first_contact = Subquery(
        EmployerContact.objects.filter(
            person_id=OuterRef("person_id"),
            mode=EmployerContact.Mode.FACE_TO_FACE,
            contact_date__gte=OuterRef("access_date"),
        )
        .order_by("contact_date")
        .values("contact_date")[:1]
    )
    rows = (
        _episodes(service_ids, period, by)
        .annotate(first_contact=first_contact)
        .values_list("group", "access_date", "first_contact")
    )
    days: dict = defaultdict(list)
    totals: dict = defaultdict(int)
    for group, access_date, contacted in rows:
        totals[group] += 1
        if contacted is not None:
            days[group].append((contacted - access_date).days)
    result = {}
    for group, total in totals.items():
        values = days[group]
        result[group] = DaysToContact(
            accesses=total,
            with_contact=len(values),
            mean=(Decimal(sum(values)) / len(values)).quantize(Decimal("0.1")) if values else None,
            median=Decimal(str(median(values))) if values else None,
        )
    return result


def _specialists(service_ids) -> QuerySet[StaffMember]:
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


def employer_contacts_per_fte_week(service_ids, period: Period, by: str = BY_SERVICE) -> dict:
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
    weeks: dict = defaultdict(Decimal)
    for staff in _specialists(service_ids).only("pk", "service_id", "fte", "started_on", "left_on"):
        weeks[staff.service_id if by == BY_SERVICE else staff.pk] += specialist_weeks(staff, period)
    keys = set(counted) | {k for k, v in weeks.items() if v}
    return {
        k: (counted.get(k, 0), weeks.get(k, Decimal(0)).quantize(Decimal("0.01"))) for k in keys
    }


def community_share(service_ids, period: Period, by: str = BY_SERVICE) -> dict:
    """{group: (community minutes, all minutes)}. Grouped by service or specialist only."""
    if by == BY_TEAM:
        raise ValueError("Contact time is counted per service or per specialist")
    key = "service_id" if by == BY_SERVICE else "staff_id"
    contacts = (
        Contact.objects.filter(
            service_id__in=service_ids,
            outcome=Contact.Outcome.COMPLETED,
            mode__in=Contact.DIRECT_MODES,
            with_whom__in=[Contact.With.PERSON, Contact.With.FAMILY],
            duration_minutes__isnull=False,
        )
        .filter(_within("contact_date", period))
        .values(key)
        .annotate(
            community=Coalesce(
                Sum("duration_minutes", filter=Q(place__in=Contact.COMMUNITY_PLACES)), 0
            ),
            total=Coalesce(Sum("duration_minutes"), 0),
        )
        .order_by()
    )
    employer = (
        EmployerContact.objects.filter(
            service_id__in=service_ids,
            mode__in=EmployerContact.TIMED_MODES,
            duration_minutes__isnull=False,
        )
        .filter(_within("contact_date", period))
        .values(key)
        .annotate(
            community=Coalesce(
                Sum("duration_minutes", filter=Q(mode__in=EmployerContact.COMMUNITY_MODES)), 0
            ),
            total=Coalesce(Sum("duration_minutes"), 0),
        )
        .order_by()
    )
    result: dict = defaultdict(lambda: (0, 0))
    for row in list(contacts) + list(employer):
        community, total = result[row[key]]
        result[row[key]] = (community + row["community"], total + row["total"])
    return dict(result)


def rate(numerator: int, denominator: int | Decimal) -> Decimal | None:
    """A percentage to one decimal place, or None when there is nothing to divide by."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"))


# --- equality of access and outcomes -----------------------------------------------------

AGE_BANDS = ((16, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, None))
ETHNIC_GROUPS = {
    "White": "ABC",
    "Mixed": "DEFG",
    "Asian or Asian British": "HJKL",
    "Black or Black British": "MNP",
    "Other ethnic group": "RS",
}


def age_band(date_of_birth: date | None, on: date) -> str:
    from ipsworks.core.dates import age_on

    if date_of_birth is None:
        return "Not known"
    age = age_on(date_of_birth, on)
    for low, high in AGE_BANDS:
        if high is None and age >= low:
            return f"{low} and over"
        if high is not None and low <= age <= high:
            return f"{low} to {high}"
    return "Under 16"


def ethnic_group(code: str) -> str:
    for group, letters in ETHNIC_GROUPS.items():
        if code in letters:
            return group
    return "Not stated or not known"


def equality_breakdown(service_ids, period: Period) -> dict[str, dict[str, dict[str, int]]]:
    """Accesses and job starts in the period by age band, gender, ethnic group, disability
    and sexual orientation.

    Ages are taken on the date of the event; the other groups are the person's answers as
    recorded now (people/codes.py). Returns {"age": {band: {"accesses": n, "job_starts": n}},
    "gender": {...}, "ethnicity": {...}, "disability": {...}, "sexual_orientation": {...}}.
    """
    from ipsworks.people.codes import Disability, GenderIdentity, SexualOrientation

    names = ("age", "gender", "ethnicity", "disability", "sexual_orientation")
    result: dict = {name: defaultdict(lambda: {"accesses": 0, "job_starts": 0}) for name in names}
    person_fields = (
        "person__date_of_birth",
        "person__gender_identity",
        "person__ethnic_category",
        "person__disability",
        "person__sexual_orientation",
    )
    accessed = (
        scoping.episodes_in_services(service_ids)
        .filter(_within("access_date", period))
        .values_list("access_date", *person_fields)
    )
    started = (
        qualifying_job_starts(service_ids)
        .filter(_within("start_date", period))
        .values_list("start_date", *person_fields)
    )
    for key, rows in (("accesses", accessed), ("job_starts", started)):
        for day, born, gender, ethnicity, disability, orientation in rows:
            result["age"][age_band(born, day)][key] += 1
            result["gender"][GenderIdentity(gender).label][key] += 1
            result["ethnicity"][ethnic_group(ethnicity)][key] += 1
            result["disability"][Disability(disability).label][key] += 1
            result["sexual_orientation"][SexualOrientation(orientation).label][key] += 1
    return {name: dict(groups) for name, groups in result.items()}


# --- per specialist against the IPS Grow targets ---------------------------------------------

# IPS Grow key performance and outcome framework v8 (ips-reference.md §2, "IPS Grow targets
# per ES (v8)"): "Access: year 1 at least 35 unemployed people (pro-rated; first 3 months
# spent building up); year 2 at least 40." "At least 40% start work (e.g. 16 of 40)." "At
# least 65% of those are still working beyond 13 weeks."
ACCESS_TARGET_FIRST_YEAR = 35
ACCESS_TARGET_LATER_YEARS = 40
INTO_WORK_TARGET = Decimal(40)
SUSTAINED_TARGET = Decimal(65)
THIRTEEN_WEEKS = timedelta(days=91)
_TARGETS_SOURCE = IPS_GROW_V8 + " (targets per employment specialist)"

REGISTRY.update(
    {
        m.id: m
        for m in [
            Metric(
                id="specialist_access_target",
                name="Out-of-work people accessed, against the specialist's target",
                definition=(
                    "Distinct people out of work at referral (MHSDS 02 to 08, job-seeking "
                    "pathway) with an access in the period on a referral allocated to the "
                    "specialist, against the IPS Grow target: 'year 1 at least 35 unemployed "
                    "people (pro-rated; first 3 months spent building up); year 2 at least "
                    "40'. The target is a year's: each day the specialist is in post in the "
                    "period (from their start date to their leaving date) adds 35 ÷ 365 in "
                    "their first 365 days in post and 40 ÷ 365 after, times their full-time "
                    "equivalent, rounded to the nearest whole person (halves up). Where no "
                    "start date is recorded, IPS Works cannot tell the first year from later "
                    "ones and uses 40 for every day of the period up to any leaving date."
                ),
                numerator="out-of-work people accessed in the period",
                denominator="the pro-rated access target",
                period_rule="the access date falls in the period",
                higher_is_better=True,
                source=_TARGETS_SOURCE,
            ),
            Metric(
                id="specialist_into_work",
                name="Share of the people accessed who started work",
                definition=(
                    "IPS Grow: 'At least 40% start work (e.g. 16 of 40)', a share of the "
                    "people accessed. Of the out-of-work people counted as accessed in the "
                    "period for the specialist (the cohort above), those with a job start on "
                    "a referral accessed in the period, on or before the period's last day "
                    "(or today, if earlier). People whose first job start was in the period "
                    "but who were accessed before it are not in this cohort."
                ),
                numerator="people in the cohort with a job start by the period's end",
                denominator="out-of-work people accessed in the period",
                period_rule="the access date falls in the period; the job start by its end",
                higher_is_better=True,
                source=_TARGETS_SOURCE,
                unit="rate",
            ),
            Metric(
                id="specialist_sustained",
                name="Share of those into work still working after 13 weeks",
                definition=(
                    "IPS Grow: 'At least 65% of those are still working beyond 13 weeks'. Of "
                    "the people in the cohort who started work, those whose first job start "
                    "has had the chance to reach 13 weeks (it started at least 91 days before "
                    "the period's last day, or today if earlier) form the denominator; people "
                    "still inside their first 13 weeks are left out of it. The numerator is "
                    "those whose job was still held 91 days after it started (no end date, "
                    "or an end date later than that day), as for jobs sustained 13 weeks."
                ),
                numerator="of those, people whose first job was still held 91 days on",
                denominator="cohort people whose first job start was 91 or more days before "
                "the period's end (or today)",
                period_rule="the access date falls in the period; start + 91 days by its end",
                higher_is_better=True,
                source=_TARGETS_SOURCE,
                unit="rate",
            ),
        ]
    }
)


@dataclass(frozen=True)
class SpecialistTargets:
    staff: StaffMember
    accesses: int
    access_target: int
    into_work: int
    into_work_rate: Decimal | None
    sustained: int
    could_sustain: int
    sustained_rate: Decimal | None
    start_date_known: bool


def access_target(staff: StaffMember, period: Period) -> Decimal:
    """The specialist's access target for the days of ``period`` they are in post, unrounded.

    See the ``specialist_access_target`` metric: 35 a year in the first 365 days in post, 40
    after, times FTE. With no start date every day counts at 40.
    """
    first = max(period.start, staff.started_on or period.start)
    last = min(period.end, staff.left_on or period.end)
    if last < first:
        return Decimal(0)
    days = (last - first).days + 1
    first_year_days = 0
    if staff.started_on is not None:
        year_one_ends = staff.started_on + timedelta(days=364)
        first_year_days = max(0, (min(last, year_one_ends) - first).days + 1)
    later_days = days - first_year_days
    per_year = Decimal(
        ACCESS_TARGET_FIRST_YEAR * first_year_days + ACCESS_TARGET_LATER_YEARS * later_days
    )
    return staff.fte * per_year / 365


def specialist_targets(
    service_ids, year: Period, today: date | None = None
) -> list[SpecialistTargets]:
    """Each specialist's period against the IPS Grow targets (registry entries
    ``specialist_access_target``, ``specialist_into_work`` and ``specialist_sustained``).

    The cohort is the out-of-work people accessed in the period on a referral allocated to
    the specialist; the into-work and 13-week shares are shares of that cohort, so the
    numerator is always part of the denominator (never more than 100%).
    """
    reference = min(year.end, today or local_today())
    accessed = (
        scoping.episodes_in_services(service_ids)
        .filter(_within("access_date", year))
        .filter(_out_of_work("referral__"))
    )
    cohort = list(accessed.values_list("referral__allocated_to_id", "person_id", "referral_id"))
    first_jobs: dict[int, tuple[date, date | None]] = {}
    for referral_id, start, end in (
        qualifying_job_starts(service_ids)
        .filter(referral_id__in=accessed.values("referral_id"), start_date__lte=reference)
        .order_by("start_date", "pk")
        .values_list("referral_id", "start_date", "end_date")
    ):
        first_jobs.setdefault(referral_id, (start, end))
    # Per specialist and person, the earliest first job start over their cohort referrals.
    people: dict = defaultdict(dict)
    for specialist, person, referral_id in cohort:
        job = first_jobs.get(referral_id)
        known = people[specialist].get(person)
        if known is None or (job is not None and (known[0] is None or job[0] < known[0])):
            people[specialist][person] = job or (None, None)
    rows = []
    for staff in (
        _specialists(service_ids)
        .select_related("user")
        .order_by("user__first_name", "user__last_name")
    ):
        mine = people.get(staff.pk, {})
        started = [job for job in mine.values() if job[0] is not None]
        could = [job for job in started if job[0] + THIRTEEN_WEEKS <= reference]
        kept = [job for job in could if job[1] is None or job[1] > job[0] + THIRTEEN_WEEKS]
        rows.append(
            SpecialistTargets(
                staff=staff,
                accesses=len(mine),
                access_target=int(
                    access_target(staff, year).quantize(Decimal(1), rounding=ROUND_HALF_UP)
                ),
                into_work=len(started),
                into_work_rate=rate(len(started), len(mine)),
                sustained=len(kept),
                could_sustain=len(could),
                sustained_rate=rate(len(kept), len(could)),
                start_date_known=staff.started_on is not None,
            )
        )
    return rows


# --- fidelity evidence (IPS-25 items 1, 4, 12, 15, 19 to 21, 23) ----------------------------
# Appended for ipsworks.fidelity. These take ``teams``, a collection of team ids (or None for
# the whole of ``service_ids``): a fidelity review covers a service or some of its teams, and
# diversity or a mean cannot be added up across teams afterwards. A row counts for a team if
# that was the referral's team on the date of the event, as the breakdowns above do.

REGISTRY.update(
    {
        m.id: m
        for m in [
            Metric(
                id="active_caseload",
                name="Active caseload",
                definition=(
                    "On a date: open referrals (as in the open caseload) with a direct contact "
                    "in the 28 days up to and including that date. IPS Grow calls these "
                    "'active'; fidelity item 1 counts them per full-time specialist (20 or "
                    "fewer is full fidelity)."
                ),
                numerator="open referrals with a direct contact in the last 28 days",
                denominator=None,
                period_rule="a snapshot on the last day of the period",
                higher_is_better=None,
                source=FIDELITY + ", item 1 (caseload size); IPS Grow reporting tool",
            ),
            Metric(
                id="caseload_by_team",
                name="Open caseload by specialist and clinical team",
                definition=(
                    "The open caseload on a date, counted for each employment specialist by "
                    "the clinical team each referral was in on that date. Fidelity item 4 "
                    "asks that 90% or more of a specialist's caseload comes from the one or "
                    "two teams they are attached to."
                ),
                numerator="open referrals allocated to the specialist from the team",
                denominator="the specialist's open caseload",
                period_rule="a snapshot on the last day of the period",
                higher_is_better=None,
                source=FIDELITY + ", item 4 (integration via team assignment)",
            ),
            Metric(
                id="jobs_obtained",
                name="Jobs obtained",
                definition=(
                    "Jobs whose first day of paid work is in the period, for a referral that "
                    "had access, starting on or after the access date, once 4 hours of paid "
                    "work are done, whether competitive or not. A job held at referral is not "
                    "counted. These are the jobs fidelity items 19 to 21 look at."
                ),
                numerator="jobs started in the period",
                denominator=None,
                period_rule="the job's start date falls in the period",
                higher_is_better=True,
                source=FIDELITY + ", items 19 to 21",
            ),
            Metric(
                id="job_type_diversity",
                name="Jobs of different types",
                definition=(
                    "Of the jobs obtained in the period, the share that are of a type not "
                    "already counted: the number of different job types divided by the "
                    "number of jobs. A job type is the kind of work (SOC 2020 major group) "
                    "with the job title, ignoring capitals and spaces. 85% or more is full "
                    "fidelity."
                ),
                numerator="different job types among the jobs obtained",
                denominator="jobs obtained in the period",
                period_rule="the job's start date falls in the period",
                higher_is_better=True,
                source=FIDELITY + ", item 19 (diversity of job types)",
                unit="share",
            ),
            Metric(
                id="employer_diversity",
                name="Jobs with different employers",
                definition=(
                    "Of the jobs obtained in the period, the share that are with an employer "
                    "not already counted: the number of different employers divided by the "
                    "number of jobs. Each self-employment counts as its own employer. 85% or "
                    "more (at most 15% of jobs with an employer already counted) is full "
                    "fidelity."
                ),
                numerator="different employers among the jobs obtained",
                denominator="jobs obtained in the period",
                period_rule="the job's start date falls in the period",
                higher_is_better=True,
                source=FIDELITY + ", item 20 (diversity of employers)",
                unit="share",
            ),
            Metric(
                id="permanent_competitive_share",
                name="Permanent competitive jobs",
                definition=(
                    "Of the jobs obtained in the period, the share that are competitive "
                    "(computed at the start: open labour market, at least the legal minimum "
                    "pay, not set aside for disabled people) and permanent or "
                    "self-employment, rather than temporary, fixed-term or apprenticeships. "
                    "95% or more is full fidelity."
                ),
                numerator="permanent competitive jobs obtained",
                denominator="jobs obtained in the period",
                period_rule="the job's start date falls in the period",
                higher_is_better=True,
                source=FIDELITY + ", item 21 (competitive jobs)",
                unit="share",
            ),
            Metric(
                id="benefits_planning_before_job_start",
                name="Job starts with benefits planning first",
                definition=(
                    "Of the job starts in the period, the share where the person had a "
                    "saved better-off calculation dated on or before the job's start date."
                ),
                numerator="job starts with a better-off calculation on or before the start",
                denominator="job starts in the period",
                period_rule="the job's start date falls in the period",
                higher_is_better=True,
                source=FIDELITY + ", item 12 (work incentives planning)",
                unit="share",
            ),
            Metric(
                id="in_work_support_on_time",
                name="In-work support on schedule",
                definition=(
                    "In-work support check-ins due in the period (before today, not "
                    "cancelled): the share met on or before their due date, and the share of "
                    "jobs whose check-ins due in the period were all met on time."
                ),
                numerator="jobs whose due check-ins were all met on time",
                denominator="jobs with a check-in due in the period",
                period_rule="the check-in's due date falls in the period and before today",
                higher_is_better=True,
                source=FIDELITY + ", item 23 (time-unlimited follow-along supports)",
                unit="share",
            ),
        ]
    }
)


def _in_teams(queryset: QuerySet, teams, *, referral_path: str, date_path: str) -> QuerySet:
    """Keep rows whose referral was in one of ``teams`` on the event date (all when None)."""
    if teams is None:
        return queryset
    grouped = _group(queryset, BY_TEAM, referral_path=referral_path, date_path=date_path)
    return grouped.filter(group__in=list(teams))


def active_referrals(service_ids, on: date) -> QuerySet[Referral]:
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


def active_caseload(service_ids, on: date, by: str = BY_SERVICE) -> dict:
    rows = active_referrals(service_ids, on).annotate(snapshot=_as_date(on))
    return _counts(_group(rows, by, referral_path="", date_path="snapshot"))


def caseload_team_mix(service_ids, on: date) -> dict[tuple, int]:
    """{(specialist id, team id on the date): open referrals}; None for no team or no one."""
    rows = _group(
        _open_on(service_ids, on).annotate(snapshot=_as_date(on)),
        BY_TEAM,
        referral_path="",
        date_path="snapshot",
    )
    counted = rows.values("allocated_to_id", "group").annotate(n=Count("pk")).order_by()
    return {(row["allocated_to_id"], row["group"]): row["n"] for row in counted}


def caseload_on_with_team(service_ids, on: date) -> QuerySet[Referral]:
    """The open caseload on the date, each row annotated ``team_then`` (its team that day)."""
    rows = _open_on(service_ids, on).annotate(snapshot=_as_date(on))
    return _group(rows, BY_TEAM, referral_path="", date_path="snapshot").annotate(
        team_then=F("group")
    )


def jobs_obtained(service_ids, period: Period, teams=None) -> QuerySet[Job]:
    """Jobs obtained in the period (the ``jobs_obtained`` metric), competitive or not."""
    rows = Job.objects.filter(
        job_rules.job_obtained_q(),
        job_rules.started_on_or_after_access(F("referral__episode__access_date")),
        service_id__in=service_ids,
        referral__episode__isnull=False,
    ).filter(_within("start_date", period))
    return _in_teams(rows, teams, referral_path="referral", date_path="start_date")


def job_type_key(soc_major_group: str, job_title: str) -> tuple[str, str]:
    """Two jobs are of one type when kind of work and title match, ignoring case and spaces."""
    return soc_major_group, " ".join(job_title.lower().split())


def employer_key(job_id: int, employer_id: int | None) -> tuple[str, int]:
    """Each self-employment (no employer) counts as an employer of its own."""
    return ("employer", employer_id) if employer_id is not None else ("self", job_id)


def job_type_diversity(service_ids, period: Period, teams=None) -> tuple[int, int]:
    """(different job types, jobs obtained) in the period."""
    jobs = jobs_obtained(service_ids, period, teams)
    rows = list(jobs.values_list("soc_major_group", "job_title"))
    return len({job_type_key(*row) for row in rows}), len(rows)


def employer_diversity(service_ids, period: Period, teams=None) -> tuple[int, int]:
    """(different employers, jobs obtained) in the period."""
    rows = list(jobs_obtained(service_ids, period, teams).values_list("pk", "employer_id"))
    return len({employer_key(*row) for row in rows}), len(rows)


PERMANENT_CONTRACTS = frozenset({Job.ContractType.PERMANENT, Job.ContractType.SELF_EMPLOYED})


def permanent_competitive_share(service_ids, period: Period, teams=None) -> tuple[int, int]:
    """(permanent competitive jobs, jobs obtained) in the period."""
    counted = jobs_obtained(service_ids, period, teams).aggregate(
        total=Count("pk"),
        permanent=Count(
            "pk", filter=Q(competitive=True, contract_type__in=list(PERMANENT_CONTRACTS))
        ),
    )
    return counted["permanent"], counted["total"]


def job_starts_in(service_ids, period: Period, teams=None) -> QuerySet[Job]:
    """The job starts (metric ``job_starts``) in the period, for the teams."""
    rows = qualifying_job_starts(service_ids).filter(_within("start_date", period))
    return _in_teams(rows, teams, referral_path="referral", date_path="start_date")


def benefits_planning_before_start(service_ids, period: Period, teams=None) -> tuple[int, int]:
    """(job starts with a better-off calculation on or before the start, job starts)."""
    from ipsworks.benefits.queries import first_calculation_dates

    first = first_calculation_dates(service_ids)
    starts = list(job_starts_in(service_ids, period, teams).values_list("person_id", "start_date"))
    planned = sum(1 for person, day in starts if person in first and first[person] <= day)
    return planned, len(starts)


@dataclass(frozen=True)
class EmployerContactWait:
    """One access in the period and its first face-to-face employer contact (item 15)."""

    referral_id: int
    person_id: int
    service_id: int
    access_date: date
    first_contact: date | None

    @property
    def days(self) -> int | None:
        return None if self.first_contact is None else (self.first_contact - self.access_date).days


def employer_contact_waits(service_ids, period: Period, teams=None) -> list[EmployerContactWait]:
    """The accesses behind ``days_to_employer_contact``, one per referral, oldest first."""
    first_contact = Subquery(
        EmployerContact.objects.filter(
            person_id=OuterRef("person_id"),
            mode=EmployerContact.Mode.FACE_TO_FACE,
            contact_date__gte=OuterRef("access_date"),
        )
        .order_by("contact_date")
        .values("contact_date")[:1]
    )
    rows = scoping.episodes_in_services(service_ids).filter(_within("access_date", period))
    rows = _in_teams(rows, teams, referral_path="referral", date_path="access_date")
    return [
        EmployerContactWait(*row)
        for row in rows.annotate(first_contact=first_contact)
        .order_by("access_date", "referral_id")
        .values_list("referral_id", "person_id", "service_id", "access_date", "first_contact")
    ]


def summarise_waits(waits: list[EmployerContactWait]) -> DaysToContact:
    """Mean and median as ``days_to_employer_contact`` reports them."""
    values = [w.days for w in waits if w.days is not None]
    return DaysToContact(
        accesses=len(waits),
        with_contact=len(values),
        mean=(Decimal(sum(values)) / len(values)).quantize(Decimal("0.1")) if values else None,
        median=Decimal(str(median(values))) if values else None,
    )


def check_ins_due(service_ids, period: Period, teams=None, today: date | None = None):
    """In-work support check-ins due in the period and before today, not cancelled."""
    from ipsworks.jobs.models import SupportCheckIn

    last = min(period.end, (today or local_today()) - timedelta(days=1))
    rows = SupportCheckIn.objects.filter(
        service_id__in=service_ids,
        cancelled=False,
        due_on__gte=period.start,
        due_on__lte=last,
    )
    return _in_teams(rows, teams, referral_path="job__referral", date_path="job__start_date")


@dataclass(frozen=True)
class FollowAlong:
    jobs: int
    jobs_on_time: int
    check_ins: int
    check_ins_on_time: int


def in_work_support_on_time(
    service_ids, period: Period, teams=None, today: date | None = None
) -> FollowAlong:
    """Check-ins due in the period met on time, and jobs whose due check-ins all were."""
    rows = list(
        check_ins_due(service_ids, period, teams, today).values_list("job_id", "due_on", "met_on")
    )
    late_jobs = {job for job, due, met in rows if met is None or met > due}
    jobs = {job for job, _, _ in rows}
    return FollowAlong(
        jobs=len(jobs),
        jobs_on_time=len(jobs - late_jobs),
        check_ins=len(rows),
        check_ins_on_time=sum(1 for _, due, met in rows if met is not None and met <= due),
    )


REGISTRY.update(
    {
        m.id: m
        for m in [
            Metric(
                id="referrals_by_source",
                name="Referrals by source",
                definition=(
                    "Referrals received in the period, by who made them (clinical team, the "
                    "person themself, GP or primary care, other). Zero exclusion asks for "
                    "referrals from many sources, including self-referral."
                ),
                numerator="referrals received in the period from each source",
                denominator="referrals received in the period",
                period_rule="the referral's received date falls in the period",
                higher_is_better=None,
                source=FIDELITY + ", item 9 (zero exclusion)",
            ),
            Metric(
                id="closures_by_reason",
                name="Referrals closed, by reason",
                definition=(
                    "Referrals closed in the period, by the reason recorded. IPS Works only "
                    "allows the reasons zero exclusion permits: the person does not want help "
                    "with work, could not be contacted after documented attempts, is not in "
                    "secondary mental health services, moved away or died."
                ),
                numerator="referrals closed in the period for each reason",
                denominator="referrals closed in the period",
                period_rule="the referral's closing date falls in the period",
                higher_is_better=None,
                source=FIDELITY + ", items 9 (zero exclusion) and 25 (assertive engagement)",
            ),
        ]
    }
)


def referrals_received_in(service_ids, period: Period, teams=None) -> QuerySet[Referral]:
    rows = scoping.referrals_in_services(service_ids).filter(_within("received_on", period))
    return _in_teams(rows, teams, referral_path="", date_path="received_on")


def referral_sources(service_ids, period: Period, teams=None) -> dict[str, int]:
    """{source: referrals received in the period}."""
    rows = referrals_received_in(service_ids, period, teams).values("source")
    return {row["source"]: row["n"] for row in rows.annotate(n=Count("pk")).order_by()}


def closed_referrals(service_ids, period: Period, teams=None) -> QuerySet[Referral]:
    rows = scoping.referrals_in_services(service_ids).filter(
        closed_on__isnull=False, closed_on__gte=period.start, closed_on__lte=period.end
    )
    return _in_teams(rows, teams, referral_path="", date_path="closed_on")


def closures_by_reason(service_ids, period: Period, teams=None) -> dict[str, int]:
    """{closure reason: referrals closed in the period}."""
    rows = closed_referrals(service_ids, period, teams).values("closure_reason")
    return {row["closure_reason"]: row["n"] for row in rows.annotate(n=Count("pk")).order_by()}


def accesses_in(service_ids, period: Period, teams=None) -> QuerySet:
    """The episodes behind ``accesses`` (access date in the period), for the teams."""
    rows = scoping.episodes_in_services(service_ids).filter(_within("access_date", period))
    return _in_teams(rows, teams, referral_path="referral", date_path="access_date")


# NHS England's financial-year access measure lives in its own module, which uses the
# grouping above; imported last so that module can import it from here.
from ipsworks.outcomes.metrics.financial_year import (  # noqa: E402
    accessed_in_financial_year as accessed_in_financial_year,
)
from ipsworks.outcomes.metrics.financial_year import (  # noqa: E402
    accessed_in_financial_year_each as accessed_in_financial_year_each,
)
from ipsworks.outcomes.metrics.financial_year import year_to_date as year_to_date  # noqa: E402
