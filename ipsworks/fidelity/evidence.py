"""Evidence for IPS-25 fidelity items, computed from the work already recorded.

For each item the IPS Fidelity Scale (Bond et al. 2012; UK version, Centre for Mental Health;
Supported Employment Fidelity Review Manual, 4th edition) lets IPS Works compute, this module
gives the figure the item is rated on, the numbers behind it and, for the drill-down page,
the records counted. Outcome figures come from the metric registry
(:mod:`ipsworks.outcomes.metrics`); the other evidence (team meetings, disclosure plans,
profiles, employer-contact purposes) is computed here. No rating threshold lives in this
module: :mod:`ipsworks.fidelity.scale` turns figures into proposed ratings.

A review covers one service, optionally some of its clinical teams, and a period. Evidence
about people counts a record for a team when the referral was in that team on the date of
the event (as the outcome breakdowns do). Evidence about specialists' ways of working
(items 1, 4, 5, 16, 17, 18, 22, 24) covers the "reviewed specialists": employment
specialists of the service employed at some time in the period and, when teams are chosen,
attached to at least one of them (StaffMember.teams holds current attachments, not history).

Everything here takes service ids already established as in scope by
``FidelityReview.objects.visible_to(staff)``. Rows carry referral and person ids, never names: the
page adds names only for staff whose own scope includes the person.
"""

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property, lru_cache
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Exists, F, Min, OuterRef, Q, Subquery
from django.utils import timezone

from ipsworks.access.roles import Role
from ipsworks.activity.models import Contact, TeamMeeting
from ipsworks.core.dates import local_today
from ipsworks.employers.models import AccessToWorkApplication, Employer, EmployerContact
from ipsworks.jobs.models import Job, SocMajorGroup, SupportCheckIn
from ipsworks.organisations.models import StaffMember
from ipsworks.outcomes import metrics
from ipsworks.outcomes.periods import Period
from ipsworks.people.models import ClosureReason, DisclosurePlan, Referral, VocationalProfile

_SECTOR_WORDS_FILE = Path(__file__).with_name("sector_words.json")


# --- what an item's evidence is ---------------------------------------------------------------


@dataclass
class Row:
    """One record behind a figure. ``referral_id`` identifies a person's record (shown as a
    pseudonymous reference, and by name only to staff whose scope includes them)."""

    cells: list[str]
    referral_id: int | None = None
    person_id: int | None = None
    counted: bool | None = None


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)

    @property
    def about_people(self) -> bool:
        return any(row.referral_id is not None for row in self.rows)


@dataclass
class Evidence:
    item: int
    value: Decimal | None = None
    headline: str = ""
    figures: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    def snapshot(self) -> dict:
        """What is kept on the rating: figures as computed, without the records."""
        return {
            "value": None if self.value is None else str(self.value),
            "headline": self.headline,
            "figures": [list(pair) for pair in self.figures],
            "notes": list(self.notes),
            "computed_at": timezone.now().isoformat(timespec="seconds"),
        }


@dataclass(frozen=True)
class Scope:
    service_id: int
    team_ids: tuple[int, ...] | None  # None: the whole service
    period: Period
    today: date

    @property
    def service_ids(self) -> list[int]:
        return [self.service_id]

    @property
    def snapshot_day(self) -> date:
        """The day caseload snapshots are taken: the period's last day (today at the latest)."""
        return min(self.period.end, self.today)


def scope_of(review, today: date | None = None) -> Scope:
    team_ids = tuple(sorted(t.pk for t in review.teams.all())) or None
    period = Period(review.period_start, review.period_end, "Review period")
    return Scope(review.service_id, team_ids, period, today or local_today())


# --- formatting ---------------------------------------------------------------------------------


def _pct(value: Decimal | None) -> str:
    return "Not enough data" if value is None else f"{value}%"


def _day(value: date | None) -> str:
    return "None yet" if value is None else f"{value.day} {value:%b %Y}"


def _yes(flag: bool) -> str:
    return "Yes" if flag else "No"


def _ratio(numerator, denominator) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.1"))


# --- shared reads --------------------------------------------------------------------------------


class _Context:
    """Reads several items share, made once per computation."""

    def __init__(self, scope: Scope):
        self.scope = scope

    @cached_property
    def specialists(self) -> list[StaffMember]:
        period = self.scope.period
        rows = (
            StaffMember.objects.filter(
                service_id=self.scope.service_id, role=Role.EMPLOYMENT_SPECIALIST
            )
            .filter(Q(started_on__isnull=True) | Q(started_on__lte=period.end))
            .filter(Q(left_on__isnull=True) | Q(left_on__gte=period.start))
            .select_related("user")
            .prefetch_related("teams")
            .order_by("user__first_name", "user__last_name", "pk")
        )
        if self.scope.team_ids is not None:
            rows = rows.filter(teams__in=self.scope.team_ids).distinct()
        return list(rows)

    @cached_property
    def specialist_ids(self) -> list[int]:
        return [s.pk for s in self.specialists]

    def employed_on(self, day: date) -> list[StaffMember]:
        return [
            s
            for s in self.specialists
            if (s.started_on is None or s.started_on <= day)
            and (s.left_on is None or s.left_on >= day)
        ]

    @cached_property
    def team_names(self) -> dict[int, str]:
        from ipsworks.organisations.models import Team

        return dict(Team.objects.filter(service_id=self.scope.service_id).values_list("pk", "name"))


def _latest_referral_for_person(date_path: str) -> Subquery:
    """The person's latest referral received by the date: the pseudonym's referral number."""
    return Subquery(
        Referral.objects.filter(
            person_id=OuterRef("person_id"), received_on__lte=OuterRef(date_path)
        )
        .order_by("-received_on", "-pk")
        .values("pk")[:1]
    )


# --- computed items ----------------------------------------------------------------------------


def _caseload_size(ctx: _Context) -> Evidence:
    """Item 1: active people per full-time specialist on the period's last day."""
    day = ctx.scope.snapshot_day
    staff = ctx.employed_on(day)
    ids = ctx.scope.service_ids
    active = metrics.active_caseload(ids, day, metrics.BY_SPECIALIST)
    open_ = metrics.open_caseload(ids, day, metrics.BY_SPECIALIST)
    fte = sum((s.fte for s in staff), Decimal(0))
    total = sum(active.get(s.pk, 0) for s in staff)
    value = _ratio(total, fte)
    evidence = Evidence(
        item=1,
        value=value,
        headline=(
            f"{value} active people per full-time specialist on {_day(day)}"
            if value is not None
            else "No employment specialists were in post on the last day of the period"
        ),
        figures=[
            ("Active people (direct contact in the last 4 weeks)", str(total)),
            ("Open caseload", str(sum(open_.get(s.pk, 0) for s in staff))),
            ("Specialists in post", str(len(staff))),
            ("Their full-time equivalent", str(fte)),
        ],
        notes=[
            "Active means an open referral with a direct contact (face to face, video or "
            "phone) in the 28 days up to the last day of the period. Whether the person was "
            "also working on their vocational action plan is not recorded."
        ],
    )
    evidence.tables.append(
        Table(
            "Each specialist on the last day of the period",
            ["Specialist", "Full-time equivalent", "Open caseload", "Active", "Active per FTE"],
            [
                Row(
                    [
                        s.display_name,
                        str(s.fte),
                        str(open_.get(s.pk, 0)),
                        str(active.get(s.pk, 0)),
                        str(_ratio(active.get(s.pk, 0), s.fte)),
                    ]
                )
                for s in staff
            ],
        )
    )
    names = {s.pk: s.display_name for s in staff}
    referrals = (
        metrics.active_referrals(ids, day)
        .filter(allocated_to_id__in=list(names))
        .order_by("allocated_to_id", "pk")
        .values_list("pk", "person_id", "allocated_to_id", "last_contact_on")  # type: ignore[misc]  # annotated in metrics
    )
    evidence.tables.append(
        Table(
            "Active people counted",
            ["Specialist", "Last direct contact"],
            [
                Row([names[es], _day(last)], referral_id=pk, person_id=person, counted=True)
                for pk, person, es, last in referrals
            ],
        )
    )
    return evidence


def _employment_time(ctx: _Context) -> Evidence:
    """Item 2: IPS Works holds no record of how specialists divide their time."""
    return Evidence(
        item=2,
        headline="Not recorded in IPS Works: enter the share of time the review found",
        figures=[("Specialists in the review", str(len(ctx.specialists)))],
        notes=[
            "IPS Works does not record how specialists' time is split between employment "
            "work and other duties. Enter the share from timesheets or interviews; the "
            "proposed rating then follows the scale's bands."
        ],
    )


def _team_assignment(ctx: _Context) -> Evidence:
    """Item 4: share of caseload from the one or two teams each specialist is attached to."""
    day = ctx.scope.snapshot_day
    staff = ctx.employed_on(day)
    mix = metrics.caseload_team_mix(ctx.scope.service_ids, day)
    attached = {s.pk: {t.pk for t in s.teams.all()} for s in staff}
    per_staff = []
    numerator = denominator = 0
    for s in staff:
        teams = attached[s.pk]
        caseload = sum(n for (es, _), n in mix.items() if es == s.pk)
        integrated = len(teams) <= 2
        own = sum(n for (es, team), n in mix.items() if es == s.pk and team in teams)
        counted_own = own if integrated else 0
        numerator += counted_own
        denominator += caseload
        per_staff.append((s, teams, caseload, own, integrated))
    value = metrics.rate(numerator, denominator)
    evidence = Evidence(
        item=4,
        value=value,
        headline=(
            f"{_pct(value)} of specialists' open caseload comes from the one or two teams "
            "they are attached to"
            if value is not None
            else "No open caseload on the last day of the period"
        ),
        figures=[
            ("Open caseload of the specialists", str(denominator)),
            ("From their own one or two teams", str(numerator)),
            (
                "Specialists attached to three or more teams",
                str(sum(1 for *_, ok in per_staff if not ok)),
            ),
            ("Specialists attached to no team", str(sum(1 for _, t, *_ in per_staff if not t))),
        ],
        notes=[
            "Each referral counts for the clinical team it was in on the last day of the "
            "period. A specialist attached to three or more teams counts as not integrated "
            "with any of them, as the scale asks for one or two."
        ],
    )
    evidence.tables.append(
        Table(
            "Each specialist",
            ["Specialist", "Attached to", "Open caseload", "From those teams", "Counted"],
            [
                Row(
                    [
                        s.display_name,
                        ", ".join(sorted(ctx.team_names.get(t, "") for t in teams)) or "No team",
                        str(caseload),
                        str(own),
                        "Yes" if ok else "No: attached to three or more teams",
                    ],
                    counted=ok,
                )
                for s, teams, caseload, own, ok in per_staff
            ],
        )
    )
    rows = (
        metrics.caseload_on_with_team(ctx.scope.service_ids, day)
        .filter(allocated_to_id__in=[s.pk for s in staff])
        .order_by("allocated_to_id", "pk")
        .values_list("pk", "person_id", "allocated_to_id", "team_then")  # type: ignore[misc]  # annotated in metrics
    )
    names = {s.pk: s.display_name for s in staff}
    evidence.tables.append(
        Table(
            "Open caseload counted",
            ["Specialist", "Clinical team", "From the specialist's teams"],
            [
                Row(
                    [
                        names[es],
                        ctx.team_names.get(team, "No team recorded"),
                        _yes(team in attached[es] and len(attached[es]) <= 2),
                    ],
                    referral_id=pk,
                    person_id=person,
                    counted=team in attached[es] and len(attached[es]) <= 2,
                )
                for pk, person, es, team in rows
            ],
        )
    )
    return evidence


def _benefits_planning(ctx: _Context) -> Evidence:
    """Item 12: job starts with a better-off calculation on or before the start date."""
    from ipsworks.benefits.queries import first_calculation_dates

    scope = ctx.scope
    planned, starts = metrics.benefits_planning_before_start(
        scope.service_ids, scope.period, scope.team_ids
    )
    value = metrics.rate(planned, starts)
    evidence = Evidence(
        item=12,
        value=value,
        headline=(
            f"{_pct(value)} of job starts had a better-off calculation on or before the start"
            if starts
            else "No job starts in the period"
        ),
        figures=[
            ("Job starts in the period", str(starts)),
            ("With a better-off calculation first", str(planned)),
        ],
        notes=[
            "A saved better-off calculation is the evidence of individual benefits planning. "
            "Whether it was done by a trained adviser, and whether planning was repeated when "
            "hours or pay changed, is for the reviewer."
        ],
    )
    first = first_calculation_dates(scope.service_ids)
    jobs = (
        metrics.job_starts_in(scope.service_ids, scope.period, scope.team_ids)
        .order_by("start_date", "pk")
        .values_list("referral_id", "person_id", "start_date")
    )
    rows = []
    for referral, person, start in jobs:
        calculated = first.get(person)
        before = calculated is not None and calculated <= start
        rows.append(
            Row([_day(start), _day(calculated), _yes(before)], referral, person, counted=before)
        )
    evidence.tables.append(
        Table("Job starts", ["Job start", "First better-off calculation", "Before the start"], rows)
    )
    return evidence


def _rapid_job_search(ctx: _Context) -> Evidence:
    """Item 15: mean days from access to the first face-to-face employer contact."""
    scope = ctx.scope
    waits = metrics.employer_contact_waits(scope.service_ids, scope.period, scope.team_ids)
    summary = metrics.summarise_waits(waits)
    evidence = Evidence(
        item=15,
        value=summary.mean,
        headline=(
            f"On average {summary.mean} days from first contact to the first face-to-face "
            "employer contact"
            if summary.mean is not None
            else "No face-to-face employer contacts yet for people who started in the period"
        ),
        figures=[
            ("People who had their first contact in the period", str(summary.accesses)),
            ("Of them, with a face-to-face employer contact", str(summary.with_contact)),
            ("With none yet", str(summary.without_contact)),
            ("Median days", str(summary.median) if summary.median is not None else "None"),
        ],
        notes=[
            "As the outcome measure 'days from access to first employer contact': the mean "
            "counts people who have had an employer contact. People with none yet are listed "
            "so the reviewer can judge how quickly their search is starting."
        ],
    )
    evidence.tables.append(
        Table(
            "People who had their first contact (access) in the period",
            ["First contact", "First face-to-face employer contact", "Days"],
            [
                Row(
                    [_day(w.access_date), _day(w.first_contact), str(w.days or "")],
                    w.referral_id,
                    w.person_id,
                    counted=w.days is not None,
                )
                for w in waits
            ],
        )
    )
    return evidence


@lru_cache(maxsize=1)
def sector_words() -> dict[str, tuple[re.Pattern, ...]]:
    raw = json.loads(_SECTOR_WORDS_FILE.read_text())["sectors"]
    return {
        sector: tuple(re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE) for word in words)
        for sector, words in raw.items()
    }


def sector_words_explained() -> str:
    return json.loads(_SECTOR_WORDS_FILE.read_text())["about"]


def matching_word(sector: str, kinds_of_work: str) -> str | None:
    """The first word listed for the sector found in the kinds of work, if any (item 16)."""
    for pattern in sector_words().get(sector, ()):
        found = pattern.search(kinds_of_work or "")
        if found:
            return found.group(0).lower()
    return None


def _referrals_on(service_id: int, wanted: list[tuple[int, date]]) -> dict[tuple[int, date], int]:
    """Each (person, day)'s latest referral received by that day: the pseudonym's number."""
    people = {person for person, _ in wanted}
    received: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for person, day, pk in (
        Referral.objects.filter(service_id=service_id, person_id__in=list(people))
        .order_by("person_id", "received_on", "pk")
        .values_list("person_id", "received_on", "pk")
    ):
        received[person].append((day, pk))
    found = {}
    for person, day in wanted:
        earlier = [pk for received_on, pk in received.get(person, []) if received_on <= day]
        if earlier:
            found[(person, day)] = earlier[-1]
    return found


def _individualised_search(ctx: _Context) -> Evidence:
    """Item 16: job search for a person (employer contacts made for them and job applications)
    that fits their preferences.

    The scale rates the share of employer contacts based on the person's job preferences; an
    application is job search for a particular person too, so both count (Supported
    Employment Fidelity Review Manual, item 16). A contact matches when the employer's sector
    fits the kinds of work in the profile current that day; an application fits by the
    matching rules (``matching.queries.application_fits``).
    """
    from ipsworks.matching.queries import application_fits

    scope = ctx.scope
    contacts = (
        EmployerContact.objects.filter(
            service_id=scope.service_id,
            staff_id__in=ctx.specialist_ids,
            person__isnull=False,
            contact_date__gte=scope.period.start,
            contact_date__lte=scope.period.end,
        )
        .exclude(purpose=EmployerContact.Purpose.IN_WORK_SUPPORT)
        .annotate(referral_id=_latest_referral_for_person("contact_date"))
    )
    contact_rows = list(
        contacts.order_by("contact_date", "pk").values_list(
            "person_id", "referral_id", "contact_date", "employer__name", "employer__sector"
        )
    )
    profiles: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for person, recorded, kinds in (
        VocationalProfile.objects.filter(person_id__in=contacts.values("person_id"))
        .order_by("person_id", "recorded_at", "version")
        .values_list("person_id", "recorded_at", "kinds_of_work")
    ):
        profiles[person].append((timezone.localtime(recorded).date(), kinds))
    sectors = dict(Employer.Sector.choices)
    rows = []
    matched = 0
    for person, referral, day, employer, sector in contact_rows:
        current = [kinds for recorded, kinds in profiles.get(person, []) if recorded <= day]
        word = matching_word(sector, current[-1]) if current else None
        if word:
            matched += 1
        rows.append(
            Row(
                [
                    _day(day),
                    employer,
                    sectors.get(sector, sector),
                    (f"Yes: '{word}'" if word else "No") if current else "No profile yet",
                    current[-1] if current else "",
                ],
                referral,
                person,
                counted=bool(word),
            )
        )
    applications = application_fits(
        scope.service_ids, scope.period, made_by=ctx.specialist_ids or [0]
    )
    referral_of = _referrals_on(
        scope.service_id, [(a.person_id, a.applied_on) for a in applications]
    )
    application_rows = [
        Row(
            [
                _day(a.applied_on),
                a.job_title,
                a.employer_name,
                "No profile" if a.kinds_of_work is None else a.kinds_of_work,
                _yes(a.fits),
            ],
            referral_of.get((a.person_id, a.applied_on)),
            a.person_id,
            counted=a.fits,
        )
        for a in applications
    ]
    fitting = sum(1 for a in applications if a.fits)
    searched = len(rows) + len(applications)
    value = metrics.rate(matched + fitting, searched)
    evidence = Evidence(
        item=16,
        value=value,
        headline=(
            f"{_pct(value)} of job search for a person (employer contacts and applications) "
            "matched their preferences"
            if searched
            else "No employer contacts or applications were made for particular people in "
            "the period"
        ),
        figures=[
            ("Employer contacts for a particular person", str(len(rows))),
            ("Of them, matching the person's profile", str(matched)),
            (
                "Made before the person had a profile",
                str(sum(1 for r in rows if r.cells[3] == "No profile yet")),
            ),
            ("Job applications", str(len(applications))),
            ("Of them, fitting the person's preferences", str(fitting)),
            ("Job search in all (contacts and applications)", str(searched)),
            ("Of it, matching preferences", str(matched + fitting)),
        ],
        notes=[
            sector_words_explained(),
            "An application fits when the kind of work agrees with the person's vocational "
            "profile (the one current when they applied, or their first if written later) and "
            "the job neither works at a time that does not suit them nor looks like work they "
            "did not want to repeat. Applications by someone with no profile do not fit.",
            "In-work support visits are left out: they are not job search. Contacts and "
            "applications recorded by the specialists in the review count.",
        ],
    )
    evidence.tables.append(
        Table(
            "Employer contacts for a particular person",
            ["Date", "Employer", "Sector", "Matches their profile", "Kinds of work"],
            rows,
        )
    )
    evidence.tables.append(
        Table(
            "Job applications",
            ["Applied", "Job", "Employer", "Kinds of work", "Fits their preferences"],
            application_rows,
        )
    )
    return evidence


def _employer_contact_rate(ctx: _Context) -> Evidence:
    """Item 17: face-to-face employer contacts a week per full-time specialist."""
    scope = ctx.scope
    per = metrics.employer_contacts_per_fte_week(
        scope.service_ids, scope.period, metrics.BY_SPECIALIST
    )
    contacts = sum(per.get(s.pk, (0, 0))[0] for s in ctx.specialists)
    weeks = sum((Decimal(per.get(s.pk, (0, 0))[1]) for s in ctx.specialists), Decimal(0))
    value = _ratio(contacts, weeks)
    evidence = Evidence(
        item=17,
        value=value,
        headline=(
            f"{value} face-to-face employer contacts a week per full-time specialist"
            if value is not None
            else "No specialist time in the period"
        ),
        figures=[
            ("Face-to-face employer contacts", str(contacts)),
            ("Full-time-equivalent specialist weeks", str(weeks.quantize(Decimal("0.01")))),
        ],
        notes=[
            "Weeks are each specialist's full-time equivalent times the days they were in post "
            "in the period, divided by 7. Contacts for particular people and general contacts "
            "both count."
        ],
    )
    evidence.tables.append(
        Table(
            "Each specialist",
            ["Specialist", "Face-to-face employer contacts", "FTE weeks", "A week per FTE"],
            [
                Row(
                    [
                        s.display_name,
                        str(per.get(s.pk, (0, 0))[0]),
                        str(per.get(s.pk, (0, Decimal(0)))[1]),
                        str(_ratio(*per.get(s.pk, (0, 0))) or "None"),
                    ]
                )
                for s in ctx.specialists
            ],
        )
    )
    return evidence


def _jobs_table(ctx: _Context, caption: str, extra: list[str], describe) -> Table:
    scope = ctx.scope
    jobs = (
        metrics.jobs_obtained(scope.service_ids, scope.period, scope.team_ids)
        .order_by("start_date", "pk")
        .values(
            "pk",
            "referral_id",
            "person_id",
            "start_date",
            "soc_major_group",
            "job_title",
            "employer_id",
            "employer__name",
            "contract_type",
            "competitive",
        )
    )
    seen: set = set()
    rows = []
    for job in jobs:
        cells, counted = describe(job, seen)
        rows.append(
            Row([_day(job["start_date"]), *cells], job["referral_id"], job["person_id"], counted)
        )
    return Table(caption, ["Started", *extra], rows)


def _job_types(ctx: _Context) -> Evidence:
    """Item 19: jobs obtained of different types."""
    scope = ctx.scope
    types, jobs = metrics.job_type_diversity(scope.service_ids, scope.period, scope.team_ids)
    value = metrics.rate(types, jobs)
    groups = dict(SocMajorGroup.choices)

    def describe(job, seen):
        key = metrics.job_type_key(job["soc_major_group"], job["job_title"])
        new = key not in seen
        seen.add(key)
        return [
            groups.get(job["soc_major_group"], ""),
            job["job_title"],
            "New type" if new else "Same type as an earlier job",
        ], new

    return Evidence(
        item=19,
        value=value,
        headline=(
            f"{_pct(value)} of jobs obtained were of different types ({types} types, {jobs} jobs)"
            if jobs
            else "No jobs obtained in the period"
        ),
        figures=[("Jobs obtained", str(jobs)), ("Different job types", str(types))],
        notes=[
            "A job type is the kind of work (SOC 2020 major group) with the job title, ignoring "
            "capitals and spaces: the first job of a type counts as different, later ones do "
            "not. Titles typed differently for the same work count as different types, so "
            "check the list."
        ],
        tables=[
            _jobs_table(
                ctx,
                "Jobs obtained in the period",
                ["Kind of work", "Job title", "Counted as"],
                describe,
            )
        ],
    )


def _employers(ctx: _Context) -> Evidence:
    """Item 20: jobs obtained with different employers."""
    scope = ctx.scope
    employers, jobs = metrics.employer_diversity(scope.service_ids, scope.period, scope.team_ids)
    value = metrics.rate(employers, jobs)

    def describe(job, seen):
        key = metrics.employer_key(job["pk"], job["employer_id"])
        new = key not in seen
        seen.add(key)
        return [
            job["employer__name"] or "Self-employed",
            "New employer" if new else "Employer already counted",
        ], new

    return Evidence(
        item=20,
        value=value,
        headline=(
            f"{_pct(value)} of jobs obtained were with different employers "
            f"({employers} employers, {jobs} jobs)"
            if jobs
            else "No jobs obtained in the period"
        ),
        figures=[
            ("Jobs obtained", str(jobs)),
            ("Different employers", str(employers)),
            ("Jobs with an employer already counted", str(jobs - employers)),
        ],
        notes=["Each self-employment counts as an employer of its own."],
        tables=[
            _jobs_table(ctx, "Jobs obtained in the period", ["Employer", "Counted as"], describe)
        ],
    )


def _competitive_jobs(ctx: _Context) -> Evidence:
    """Item 21: jobs obtained that are permanent competitive jobs."""
    scope = ctx.scope
    permanent, jobs = metrics.permanent_competitive_share(
        scope.service_ids, scope.period, scope.team_ids
    )
    value = metrics.rate(permanent, jobs)
    contracts = dict(Job.ContractType.choices)

    def describe(job, seen):
        counted = job["competitive"] and job["contract_type"] in metrics.PERMANENT_CONTRACTS
        return [
            contracts.get(job["contract_type"], ""),
            _yes(job["competitive"]),
            _yes(counted),
        ], counted

    return Evidence(
        item=21,
        value=value,
        headline=(
            f"{_pct(value)} of jobs obtained were permanent competitive jobs"
            if jobs
            else "No jobs obtained in the period"
        ),
        figures=[("Jobs obtained", str(jobs)), ("Permanent competitive jobs", str(permanent))],
        notes=[
            "Competitive is computed when the job is recorded: open to anyone, paid at least "
            "the legal minimum for the person's age, not set aside for disabled people. "
            "Permanent contracts and self-employment count as permanent."
        ],
        tables=[
            _jobs_table(
                ctx,
                "Jobs obtained in the period",
                ["Contract", "Competitive", "Permanent competitive"],
                describe,
            )
        ],
    )


def _follow_along(ctx: _Context) -> Evidence:
    """Item 23: jobs whose in-work support check-ins due in the period were met on time."""
    scope = ctx.scope
    figures = metrics.in_work_support_on_time(
        scope.service_ids, scope.period, scope.team_ids, scope.today
    )
    value = metrics.rate(figures.jobs_on_time, figures.jobs)
    per_job: dict[int, dict] = {}
    for job, referral, person, start, due, met in (
        metrics.check_ins_due(scope.service_ids, scope.period, scope.team_ids, scope.today)
        .order_by("job__start_date", "job_id", "due_on")
        .values_list(
            "job_id", "job__referral_id", "person_id", "job__start_date", "due_on", "met_on"
        )
    ):
        entry = per_job.setdefault(
            job, {"referral": referral, "person": person, "start": start, "due": 0, "on_time": 0}
        )
        entry["due"] += 1
        entry["on_time"] += met is not None and met <= due
    rows = [
        Row(
            [
                _day(e["start"]),
                str(e["due"]),
                str(e["on_time"]),
                _yes(e["due"] == e["on_time"]),
            ],
            e["referral"],
            e["person"],
            counted=e["due"] == e["on_time"],
        )
        for e in per_job.values()
    ]
    return Evidence(
        item=23,
        value=value,
        headline=(
            f"{_pct(value)} of people's jobs had every in-work check-in met on time"
            if figures.jobs
            else "No in-work support check-ins were due in the period"
        ),
        figures=[
            ("Jobs with check-ins due in the period", str(figures.jobs)),
            ("Of them, every check-in met on time", str(figures.jobs_on_time)),
            ("Check-ins due", str(figures.check_ins)),
            ("Check-ins met on time", str(figures.check_ins_on_time)),
        ],
        notes=[
            "Check-ins are scheduled when a job starts (first contact within 3 days, weekly in "
            "the first month, then monthly with no end) and when it ends (within 3 days). One "
            "is met by a direct contact with the person or an in-work support visit to their "
            "employer. Check-ins due today or later are not yet counted."
        ],
        tables=[
            Table(
                "Jobs with check-ins due in the period",
                ["Job started", "Check-ins due", "Met on time", "All on time"],
                rows,
            )
        ],
    )


def _community(ctx: _Context) -> Evidence:
    """Item 24: share of specialists' contact time in the community."""
    scope = ctx.scope
    per = metrics.community_share(scope.service_ids, scope.period, metrics.BY_SPECIALIST)
    community = sum(per.get(s.pk, (0, 0))[0] for s in ctx.specialists)
    total = sum(per.get(s.pk, (0, 0))[1] for s in ctx.specialists)
    value = metrics.rate(community, total)
    return Evidence(
        item=24,
        value=value,
        headline=(
            f"{_pct(value)} of specialists' contact time was in the community"
            if total
            else "No timed contacts in the period"
        ),
        figures=[
            ("Minutes in the community, at home or at a workplace", str(community)),
            ("Minutes of all timed contacts", str(total)),
        ],
        notes=[metrics.REGISTRY["community_share"].definition],
        tables=[
            Table(
                "Each specialist",
                ["Specialist", "Community minutes", "All minutes", "Share"],
                [
                    Row(
                        [
                            s.display_name,
                            str(per.get(s.pk, (0, 0))[0]),
                            str(per.get(s.pk, (0, 0))[1]),
                            _pct(metrics.rate(*per.get(s.pk, (0, 0)))),
                        ]
                    )
                    for s in ctx.specialists
                ],
            )
        ],
    )


# --- partial evidence for checklist items ----------------------------------------------------


def _team_meetings(ctx: _Context) -> Evidence:
    """Item 5: clinical team meetings the specialists attended."""
    scope = ctx.scope
    meetings = TeamMeeting.objects.filter(
        service_id=scope.service_id,
        staff_id__in=ctx.specialist_ids,
        meeting_date__gte=scope.period.start,
        meeting_date__lte=scope.period.end,
    )
    if scope.team_ids is not None:
        meetings = meetings.filter(team_id__in=scope.team_ids)
    counts = dict(meetings.values("staff_id").annotate(n=Count("pk")).values_list("staff_id", "n"))
    weeks = Decimal(scope.period.days) / 7
    total = sum(counts.values())
    per_week = _ratio(total, weeks * len(ctx.specialists)) if ctx.specialists else None
    return Evidence(
        item=5,
        headline=(
            f"Specialists attended {per_week} clinical team meetings a week each on average"
            if per_week is not None
            else "No specialists in the review"
        ),
        figures=[
            ("Team meetings attended", str(total)),
            ("Weeks in the period", str(weeks.quantize(Decimal("0.1")))),
        ],
        notes=["Only the weekly-meetings element can be seen in the records; judge the rest."],
        tables=[
            Table(
                "Each specialist",
                ["Specialist", "Meetings attended", "A week"],
                [
                    Row(
                        [
                            s.display_name,
                            str(counts.get(s.pk, 0)),
                            str(_ratio(counts.get(s.pk, 0), weeks)),
                        ]
                    )
                    for s in ctx.specialists
                ],
            )
        ],
    )


def _vocational_unit(ctx: _Context) -> Evidence:
    """Item 7: the size of the specialist team."""
    staff = ctx.employed_on(ctx.scope.snapshot_day)
    managers = StaffMember.objects.filter(
        service_id=ctx.scope.service_id, role=Role.MANAGER, user__is_active=True
    ).count()
    full_time = sum(1 for s in staff if s.fte == 1)
    return Evidence(
        item=7,
        headline=f"{len(staff)} specialists in post, {full_time} full time",
        figures=[
            ("Specialists in post at the end of the period", str(len(staff))),
            ("Full-time specialists", str(full_time)),
            ("Their full-time equivalent", str(sum((s.fte for s in staff), Decimal(0)))),
            ("Team leaders or managers in the service", str(managers)),
        ],
        notes=["Supervision, shared job leads and cover are not recorded: judge them."],
    )


def _supervision_ratio(ctx: _Context) -> Evidence:
    """Item 8: specialists per team leader across the service."""
    day = ctx.scope.snapshot_day
    in_post = (
        StaffMember.objects.filter(service_id=ctx.scope.service_id)
        .filter(Q(started_on__isnull=True) | Q(started_on__lte=day))
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=day))
    )
    counts = dict(in_post.values("role").annotate(n=Count("pk")).values_list("role", "n"))
    specialists = counts.get(Role.EMPLOYMENT_SPECIALIST, 0)
    managers = counts.get(Role.MANAGER, 0)
    ratio = _ratio(specialists, managers)
    return Evidence(
        item=8,
        headline=(
            f"{ratio} specialists per team leader or manager"
            if ratio is not None
            else "No team leader or manager recorded in the service"
        ),
        figures=[
            ("Specialists in the service", str(specialists)),
            ("Team leaders or managers", str(managers)),
        ],
        notes=["Supervision, mentoring and outcome reviews are not recorded: judge them."],
    )


def _zero_exclusion(ctx: _Context) -> Evidence:
    """Item 9: where referrals came from, and why referrals closed."""
    scope = ctx.scope
    sources = metrics.referral_sources(scope.service_ids, scope.period, scope.team_ids)
    reasons = metrics.closures_by_reason(scope.service_ids, scope.period, scope.team_ids)
    labels = dict(Referral.Source.choices)
    reason_labels = dict(ClosureReason.choices)
    evidence = Evidence(
        item=9,
        headline=(
            f"{sum(sources.values())} referrals from {len(sources)} kinds of source, "
            f"{sum(sources.get(c, 0) for c in Referral.Source.self_referral())} self-referrals"
        ),
        figures=[(f"Referrals: {labels.get(k, k)}", str(n)) for k, n in sorted(sources.items())]
        + [(f"Closed: {reason_labels.get(k, k)}", str(n)) for k, n in sorted(reasons.items())],
        notes=[
            "IPS Works refuses to close a referral for not being ready, diagnosis, substance "
            "use, offending, benefits or missed appointments, so no such closure can appear."
        ],
    )
    evidence.tables.append(_closures_table(ctx, "Referrals closed in the period"))
    return evidence


def _closures_table(ctx: _Context, caption: str, only_reason: str | None = None) -> Table:
    scope = ctx.scope
    attempts = Subquery(
        Contact.objects.filter(
            referral_id=OuterRef("pk"),
            outcome__in=[Contact.Outcome.ATTEMPTED, Contact.Outcome.DID_NOT_ATTEND],
        )
        .values("referral_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    rows = metrics.closed_referrals(scope.service_ids, scope.period, scope.team_ids)
    if only_reason:
        rows = rows.filter(closure_reason=only_reason)
    reasons = dict(ClosureReason.choices)
    minimum = settings.IPS_MIN_CONTACT_ATTEMPTS_BEFORE_CLOSURE
    return Table(
        caption,
        ["Closed", "Reason", "Contact attempts recorded"],
        [
            Row(
                [_day(closed), reasons.get(reason, reason), str(tries or 0)],
                pk,
                person,
                counted=reason != ClosureReason.NOT_CONTACTABLE or (tries or 0) >= minimum,
            )
            for pk, person, closed, reason, tries in rows.annotate(tries=attempts)
            .order_by("closed_on", "pk")
            .values_list("pk", "person_id", "closed_on", "closure_reason", "tries")
        ],
    )


def _employment_status_capture(ctx: _Context) -> Evidence:
    """Item 10: employment status recorded at referral (MHSDS MHS004)."""
    scope = ctx.scope
    counted = metrics.referrals_received_in(
        scope.service_ids, scope.period, scope.team_ids
    ).aggregate(
        # A status is known unless it was never recorded (blank) or they declined to say (ZZ).
        total=Count("pk"),
        stated=Count("pk", filter=~Q(employment_status_at_referral__in=["", "ZZ"])),
    )
    share = metrics.rate(counted["stated"], counted["total"])
    return Evidence(
        item=10,
        headline=f"Employment status recorded for {_pct(share)} of referrals",
        figures=[
            ("Referrals received", str(counted["total"])),
            ("With employment status stated", str(counted["stated"])),
        ],
        notes=[
            "Asking about work at intake shows in the status recorded at referral; judge the "
            "other strategies."
        ],
    )


def _disclosure(ctx: _Context) -> Evidence:
    """Item 13: disclosure plans before employer contact, planned wording, plans revisited.

    Each person is judged at their first employer contact in the review period by the
    reviewed specialists: the review rates the period's practice (and a reviewer sees the
    period only), so an earlier contact, perhaps by someone else years before, is not it.
    """
    scope = ctx.scope
    in_period = EmployerContact.objects.filter(
        service_id=scope.service_id,
        staff_id__in=ctx.specialist_ids,
        person__isnull=False,
        contact_date__gte=scope.period.start,
        contact_date__lte=scope.period.end,
    ).values("person_id")
    first_contact = dict(
        in_period.annotate(first=Min("contact_date")).values_list("person_id", "first")
    )
    referral_on = _referrals_on(scope.service_id, list(first_contact.items()))
    plans: dict[int, list] = defaultdict(list)
    for person, recorded, pros, wording, version in (
        DisclosurePlan.objects.filter(person_id__in=in_period)
        .order_by("person_id", "version")
        .values_list(
            "person_id", "recorded_at", "pros_and_cons_discussed", "what_to_say", "version"
        )
    ):
        plans[person].append(
            (timezone.localtime(recorded).date(), pros, bool(wording.strip()), version)
        )
    rows = []
    tally: Counter[str] = Counter()
    for person, first in sorted(first_contact.items(), key=lambda kv: (kv[1], kv[0])):
        before = [p for p in plans.get(person, []) if p[0] <= first]
        had_plan = bool(before)
        pros = any(p[1] for p in before)
        planned_words = any(p[2] for p in plans.get(person, []))
        revisited = len(plans.get(person, [])) > 1
        for key, found in (
            ("plan", had_plan),
            ("pros", pros),
            ("wording", planned_words),
            ("revisited", revisited),
        ):
            tally[key] += found
        rows.append(
            Row(
                [_day(first), _yes(had_plan), _yes(pros), _yes(planned_words), _yes(revisited)],
                referral_on.get((person, first)),
                person,
                counted=pros,
            )
        )
    people = len(rows)
    return Evidence(
        item=13,
        headline=(
            f"{_pct(metrics.rate(tally['pros'], people))} of people contacted employers about had "
            "discussed disclosure before their first employer contact in the period"
            if people
            else "No employer contacts for particular people in the period"
        ),
        figures=[
            ("People with employer contacts in the period", str(people)),
            (
                "A disclosure plan before their first employer contact in the period",
                str(tally["plan"]),
            ),
            ("Pros and cons discussed before it", str(tally["pros"])),
            ("Wording planned", str(tally["wording"])),
            ("Plan revisited (more than one version)", str(tally["revisited"])),
        ],
        tables=[
            Table(
                "People with employer contacts in the period",
                [
                    "First employer contact in the period",
                    "Plan before it",
                    "Pros and cons discussed",
                    "Wording planned",
                    "Revisited",
                ],
                rows,
            )
        ],
    )


def _profiles(ctx: _Context) -> Evidence:
    """Item 14: vocational profiles built and updated after jobs."""
    scope = ctx.scope
    episodes = list(
        metrics.accesses_in(scope.service_ids, scope.period, scope.team_ids)
        .order_by("access_date", "pk")
        .values_list("referral_id", "person_id", "access_date")
    )
    people = {person for _, person, _ in episodes}
    versions: dict[int, list[date]] = defaultdict(list)
    for person, recorded in (
        VocationalProfile.objects.filter(person_id__in=list(people) or [0])
        .order_by("person_id", "version")
        .values_list("person_id", "recorded_at")
    ):
        versions[person].append(timezone.localtime(recorded).date())
    jobs = list(
        metrics.jobs_obtained(scope.service_ids, scope.period, scope.team_ids).values_list(
            "person_id", "start_date"
        )
    )
    job_people = {person for person, _ in jobs}
    for person, recorded in (
        VocationalProfile.objects.filter(person_id__in=list(job_people - people) or [0])
        .order_by("person_id", "version")
        .values_list("person_id", "recorded_at")
    ):
        versions[person].append(timezone.localtime(recorded).date())
    updated = sum(1 for person, start in jobs if any(d >= start for d in versions.get(person, [])))
    with_profile = sum(1 for _, person, _ in episodes if versions.get(person))
    several = sum(1 for _, person, _ in episodes if len(versions.get(person, [])) > 1)
    return Evidence(
        item=14,
        headline=(
            f"{_pct(metrics.rate(with_profile, len(episodes)))} of people who started in the "
            "period have a vocational profile"
            if episodes
            else "No one had their first contact in the period"
        ),
        figures=[
            ("People with their first contact in the period", str(len(episodes))),
            ("With a vocational profile", str(with_profile)),
            ("Profile recorded in more than one version", str(several)),
            ("Jobs obtained in the period", str(len(jobs))),
            ("Profile updated on or after the job's start", str(updated)),
        ],
        tables=[
            Table(
                "People with their first contact in the period",
                ["First contact", "Profile versions", "First profile"],
                [
                    Row(
                        [
                            _day(access),
                            str(len(versions.get(person, []))),
                            _day(min(versions[person]) if versions.get(person) else None),
                        ],
                        referral,
                        person,
                        counted=bool(versions.get(person)),
                    )
                    for referral, person, access in episodes
                ],
            )
        ],
    )


def _employer_contact_purposes(ctx: _Context) -> Evidence:
    """Item 18: purposes of face-to-face employer contacts and repeat visits."""
    scope = ctx.scope
    visits = EmployerContact.objects.filter(
        service_id=scope.service_id,
        staff_id__in=ctx.specialist_ids,
        mode=EmployerContact.Mode.FACE_TO_FACE,
        contact_date__gte=scope.period.start,
        contact_date__lte=scope.period.end,
    )
    purposes = dict(visits.values("purpose").annotate(n=Count("pk")).values_list("purpose", "n"))
    per_employer = list(
        visits.values("employer_id").annotate(n=Count("pk")).values_list("n", flat=True)
    )
    labels = dict(EmployerContact.Purpose.choices)
    repeat = sum(1 for n in per_employer if n > 1)
    return Evidence(
        item=18,
        headline=(
            f"{repeat} of {len(per_employer)} employers visited face to face were visited "
            "more than once"
        ),
        figures=[(labels.get(k, k), str(n)) for k, n in sorted(purposes.items())]
        + [
            ("Employers visited face to face", str(len(per_employer))),
            ("Visited more than once", str(repeat)),
        ],
    )


def _in_work_supports(ctx: _Context) -> Evidence:
    """Item 22: employer support visits and Access to Work applications."""
    scope = ctx.scope
    visits = EmployerContact.objects.filter(
        service_id=scope.service_id,
        staff_id__in=ctx.specialist_ids,
        purpose=EmployerContact.Purpose.IN_WORK_SUPPORT,
        contact_date__gte=scope.period.start,
        contact_date__lte=scope.period.end,
    ).aggregate(n=Count("pk"), people=Count("person_id", distinct=True))
    access_to_work = AccessToWorkApplication.objects.filter(
        service_id=scope.service_id,
        staff_id__in=ctx.specialist_ids,
        recorded_at__date__gte=scope.period.start,
        recorded_at__date__lte=scope.period.end,
    ).count()
    return Evidence(
        item=22,
        headline=(
            f"{visits['n']} in-work support contacts with employers, for {visits['people']} people"
        ),
        figures=[
            ("In-work support contacts with employers", str(visits["n"])),
            ("People they were for", str(visits["people"])),
            ("Access to Work applications helped with", str(access_to_work)),
        ],
        notes=[
            "Support from the clinical team, natural supports and career help are not "
            "recorded: judge them."
        ],
    )


def _engagement(ctx: _Context) -> Evidence:
    """Item 25: outreach attempts, and closures for 'could not be contacted'."""
    scope = ctx.scope
    reasons = metrics.closures_by_reason(scope.service_ids, scope.period, scope.team_ids)
    attempts = Contact.objects.filter(
        service_id=scope.service_id,
        staff_id__in=ctx.specialist_ids,
        outcome__in=[Contact.Outcome.ATTEMPTED, Contact.Outcome.DID_NOT_ATTEND],
        contact_date__gte=scope.period.start,
        contact_date__lte=scope.period.end,
    ).count()
    table = _closures_table(
        ctx, "Referrals closed as 'could not be contacted'", ClosureReason.NOT_CONTACTABLE
    )
    minimum = settings.IPS_MIN_CONTACT_ATTEMPTS_BEFORE_CLOSURE
    enough = sum(1 for row in table.rows if row.counted)
    closed = sum(reasons.values())
    return Evidence(
        item=25,
        headline=(
            f"{reasons.get(ClosureReason.NOT_CONTACTABLE, 0)} of {closed} closures were for "
            f"'could not be contacted'; none for missed appointments"
        ),
        figures=[
            ("Outreach attempts and missed meetings recorded", str(attempts)),
            ("Referrals closed in the period", str(closed)),
            (
                "Closed as 'could not be contacted'",
                str(reasons.get(ClosureReason.NOT_CONTACTABLE, 0)),
            ),
            (f"Of them, with at least {minimum} attempts recorded", str(enough)),
            (
                "Closed because the person no longer wants help with work",
                str(reasons.get(ClosureReason.DOES_NOT_WANT_WORK, 0)),
            ),
        ],
        notes=[
            "IPS Works refuses closures for missed appointments, and asks for documented "
            f"attempts (at least {minimum}) before 'could not be contacted'."
        ],
        tables=[table],
    )


# Item 3's six phases (the scale's element ids) and how each shows in the records.
_PHASES = (
    ("intake", "Intake", "recorded the first direct contact of a referral (its access)"),
    ("engagement", "Engagement", "recorded direct contacts with people"),
    ("assessment", "Assessment", "saved a vocational profile version"),
    (
        "job_placement",
        "Job placement",
        "contacted employers to learn their needs, present someone or follow up",
    ),
    (
        "job_coaching",
        "Job coaching",
        "had direct contacts with people while in a job",
    ),
    (
        "follow_along",
        "Follow-along",
        "met in-work support check-ins of people allocated to them, or contacted employers "
        "for in-work support",
    ),
)


def _phases_recorded(ctx: _Context) -> dict[str, set[int]]:
    """{phase: the specialists whose own records in the period show it} (seven queries)."""
    scope, ids = ctx.scope, ctx.specialist_ids
    start, end = scope.period.start, scope.period.end
    direct = Contact.objects.filter(
        service_id=scope.service_id,
        staff_id__in=ids,
        is_direct=True,
        contact_date__gte=start,
        contact_date__lte=end,
    )
    in_a_job = Job.objects.filter(
        person_id=OuterRef("person_id"), start_date__lte=OuterRef("contact_date")
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("contact_date")))
    employer = EmployerContact.objects.filter(
        service_id=scope.service_id,
        staff_id__in=ids,
        contact_date__gte=start,
        contact_date__lte=end,
    )

    def staff(queryset, field: str = "staff_id") -> set[int]:
        return set(queryset.order_by().values_list(field, flat=True).distinct())

    return {
        "intake": staff(direct.filter(referral__episode__access_date=F("contact_date"))),
        "engagement": staff(direct),
        "assessment": staff(
            VocationalProfile.objects.filter(
                person__service_id=scope.service_id,
                recorded_by_id__in=ids,
                recorded_at__date__gte=start,
                recorded_at__date__lte=end,
            ),
            "recorded_by_id",
        ),
        "job_placement": staff(
            employer.filter(
                purpose__in=[
                    EmployerContact.Purpose.LEARN_NEEDS,
                    EmployerContact.Purpose.PRESENT_PERSON,
                    EmployerContact.Purpose.FOLLOW_UP,
                ]
            )
        ),
        "job_coaching": staff(direct.filter(Exists(in_a_job))),
        "follow_along": staff(employer.filter(purpose=EmployerContact.Purpose.IN_WORK_SUPPORT))
        | staff(
            SupportCheckIn.objects.filter(
                service_id=scope.service_id,
                met_on__gte=start,
                met_on__lte=end,
                job__referral__allocated_to_id__in=ids,
            ),
            "job__referral__allocated_to_id",
        ),
    }


def _generalists(ctx: _Context) -> Evidence:
    """Item 3: which of the six phases of the work each specialist's own records show.

    Records show what was done, not what was handed on: a phase with no records may have
    been done elsewhere or not needed in the period. The reviewer still ticks the elements.
    """
    found = _phases_recorded(ctx)
    table = Table(
        caption="Phases of the work in each specialist's own records in the period",
        columns=["Specialist", *(label for _, label, _ in _PHASES), "Phases"],
    )
    counts = []
    for specialist in ctx.specialists:
        shown = [phase for phase, _, _ in _PHASES if specialist.pk in found[phase]]
        counts.append(len(shown))
        table.rows.append(
            Row(
                [
                    specialist.display_name,
                    *(_yes(phase in shown) for phase, _, _ in _PHASES),
                    f"{len(shown)} of {len(_PHASES)}",
                ]
            )
        )
    every = sum(1 for n in counts if n == len(_PHASES))
    return Evidence(
        item=3,
        headline=(
            f"{every} of {len(counts)} specialists have records of all six phases"
            if counts
            else "No employment specialists in the period"
        ),
        figures=[
            (
                f"{label}: specialists who {what}",
                f"{sum(1 for s in ctx.specialists if s.pk in found[phase])} of {len(counts)}",
            )
            for phase, label, what in _PHASES
        ],
        notes=[
            "A phase missing from someone's records may have been done by another service "
            "or not been needed in the period: tick the elements from the review."
        ],
        tables=[table],
    )


def _nothing_recorded(number: int) -> Callable[[_Context], Evidence]:
    def compute(ctx: _Context) -> Evidence:
        return Evidence(
            item=number,
            notes=["IPS Works holds no records for this item: rate it from the review."],
        )

    return compute


COMPUTE: dict[int, Callable[[_Context], Evidence]] = {
    1: _caseload_size,
    2: _employment_time,
    3: _generalists,
    4: _team_assignment,
    5: _team_meetings,
    6: _nothing_recorded(6),
    7: _vocational_unit,
    8: _supervision_ratio,
    9: _zero_exclusion,
    10: _employment_status_capture,
    11: _nothing_recorded(11),
    12: _benefits_planning,
    13: _disclosure,
    14: _profiles,
    15: _rapid_job_search,
    16: _individualised_search,
    17: _employer_contact_rate,
    18: _employer_contact_purposes,
    19: _job_types,
    20: _employers,
    21: _competitive_jobs,
    22: _in_work_supports,
    23: _follow_along,
    24: _community,
    25: _engagement,
}


def compute(scope: Scope, numbers=None) -> dict[int, Evidence]:
    """Evidence for the given items (all 25 by default), sharing reads between them."""
    ctx = _Context(scope)
    return {n: COMPUTE[n](ctx) for n in (numbers or sorted(COMPUTE))}


def compute_item(scope: Scope, number: int) -> Evidence:
    return compute(scope, [number])[number]
