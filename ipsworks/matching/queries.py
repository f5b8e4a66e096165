"""Scoped reads for vacancies, applications, job search and matching.

Vacancies are shared across a service, like its employers: seen by the specialists and
managers whose role lets them see employers (``Employer.objects.visible_to(staff)``).
Applications and targets are case data about a person, reached only through the people the
staff member may see (``Person.objects.visible_to(staff)``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ipsworks.access import scoping
from ipsworks.core.dates import local_today
from ipsworks.employers.models import Employer
from ipsworks.jobs.models import Job
from ipsworks.matching import features
from ipsworks.matching.features import centroids_loaded
from ipsworks.matching.models import (
    Application,
    ApplicationStatusChange,
    JobSearchTarget,
    Vacancy,
)
from ipsworks.matching.ranking import (
    Fit,
    PeopleFeatures,
    PersonPrefs,
    score_pair,
    score_people,
    score_vacancies,
    top,
)
from ipsworks.matching.weights import match_settings
from ipsworks.organisations.models import StaffMember
from ipsworks.people.models import DisclosurePlan, Person, Referral, ReferralStatus

if TYPE_CHECKING:
    from ipsworks.jobs.models import Job


def vacancies_for(staff: StaffMember) -> QuerySet[Vacancy]:
    """The service's vacancies, for the roles that see its employers (same rule)."""
    if staff.service_id is None or Employer.objects.visible_to(staff).query.is_empty():
        return Vacancy.objects.none()
    return Vacancy.objects.filter(service_id=staff.service_id)


def vacancy_list_for(staff: StaffMember, *, status: str = "", search: str = ""):
    vacancies = vacancies_for(staff).select_related("employer")
    if status:
        vacancies = vacancies.filter(status=status)
    if search:
        vacancies = vacancies.filter(
            Q(title__icontains=search)
            | Q(employer__name__icontains=search)
            | Q(postcode__istartswith=search)
        )
    return vacancies.order_by("-created_at", "-pk")


def vacancy_for(staff: StaffMember, pk: int) -> Vacancy:
    return get_object_or_404(vacancies_for(staff).select_related("employer"), pk=pk)


def open_vacancies_for(staff: StaffMember) -> QuerySet[Vacancy]:
    return vacancies_for(staff).filter(status=Vacancy.Status.OPEN).select_related("employer")


def applications_for(staff: StaffMember) -> QuerySet[Application]:
    return Application.objects.filter(
        service_id=staff.service_id, person__in=Person.objects.visible_to(staff)
    )


def application_for(staff: StaffMember, pk: int) -> Application:
    return get_object_or_404(
        applications_for(staff).select_related("person", "vacancy__employer"), pk=pk
    )


def offer_for_job(applications: QuerySet[Application], raw: object) -> Application | None:
    """The application a job start form names (``?application=``), from ``applications``
    (already scoped to the user and the person), with ``recorded_job_id``: the job already
    recorded from it, or None. None when the id is missing, malformed or out of scope."""
    raw = str(raw or "").strip()
    if not raw.isdigit():
        return None
    return (
        applications.select_related("vacancy__employer")
        .annotate(recorded_job_id=F("job__pk"))
        .filter(pk=int(raw))
        .first()
    )


def job_from_application(staff: StaffMember, application: Application) -> Job | None:
    """The job recorded from this accepted offer, if any (in the user's scope)."""
    return (
        Job.objects.visible_to(staff)
        .filter(application=application)
        .only("pk", "job_title")
        .first()
    )


def application_history(application: Application) -> list[ApplicationStatusChange]:
    return list(
        application.status_changes.select_related("recorded_by__user").order_by(
            "effective_on", "recorded_at", "pk"
        )
    )


def applications_of(staff: StaffMember, person: Person) -> list[Application]:
    return list(
        applications_for(staff)
        .filter(person=person)
        .select_related("vacancy__employer")
        .order_by("-applied_on", "-pk")
    )


def applications_to(staff: StaffMember, vacancy: Vacancy) -> list[Application]:
    """Applications for a vacancy by the people this staff member may see (no one else)."""
    return list(
        applications_for(staff)
        .filter(vacancy=vacancy)
        .select_related("person")
        .order_by("-applied_on", "-pk")
    )


def targets_of(staff: StaffMember, person: Person) -> list[JobSearchTarget]:
    return list(
        JobSearchTarget.objects.filter(
            person=person, person__in=Person.objects.visible_to(staff), removed_at__isnull=True
        )
        .select_related("employer", "vacancy")
        .order_by("employer__name", "pk")
    )


def target_for(staff: StaffMember, person: Person, pk: int) -> JobSearchTarget:
    return get_object_or_404(
        JobSearchTarget.objects.filter(person=person, person__in=Person.objects.visible_to(staff)),
        pk=pk,
    )


# --- Matching ---------------------------------------------------------------------------------


@dataclass
class VacancyMatch:
    vacancy: Vacancy
    fit: Fit
    application: Application | None = None


@dataclass
class PersonMatch:
    person: Person
    fit: Fit
    prefs: PersonPrefs
    caseload_owner: str = ""
    mine: bool = False
    employer_contact: str = "none"  # allowed | not_allowed | no_plan
    in_work: bool = False
    application: Application | None = None


@dataclass
class Matches:
    rows: list = field(default_factory=list)
    considered: int = 0
    centroids_loaded: bool = False
    ranking_ms: float = 0.0
    prefs: PersonPrefs | None = None
    band_only: bool = False

    @property
    def estimated_distances(self) -> int:
        """Rows whose distance is estimated from postcode districts and areas, or unknown:
        one of the two postcodes is missing from the loaded postcode directory."""
        return sum(1 for row in self.rows if row.fit.distance_basis != "centroids")


def person_prefs(person: Person, today: date | None = None) -> PersonPrefs:
    s = match_settings()
    queryset = Person.objects.filter(pk=person.pk)
    return features.people_prefs(queryset, s, today or local_today())[0]


def matched_vacancies(staff: StaffMember, person: Person, *, limit: int = 25) -> Matches:
    """Open vacancies in the person's service ranked by fit to their profile, with reasons.

    ``person`` must come from a scoped read (``people.queries.person_for``).
    """
    s = match_settings()
    today = local_today()
    prefs = person_prefs(person, today)
    table = features.vacancy_features(person.service_id)
    started = time.perf_counter()
    scores = score_vacancies(prefs, table, s)
    keep = table.closing >= today.toordinal()
    best = top(scores.score, table.ids, limit, keep)
    ranking_ms = (time.perf_counter() - started) * 1000
    ids = [int(i) for i in table.ids[best]]
    vacancies = open_vacancies_for(staff).in_bulk(ids)
    facts = {f.vacancy_id: f for f in features.facts_for(Vacancy.objects.filter(pk__in=ids))}
    applied = {
        a.vacancy_id: a for a in applications_for(staff).filter(person=person, vacancy_id__in=ids)
    }
    rows = [
        VacancyMatch(vacancies[i], score_pair(prefs, facts[i], s), applied.get(i))
        for i in ids
        if i in vacancies and i in facts
    ]
    return Matches(rows, int(keep.sum()), centroids_loaded(), ranking_ms, prefs)


def _job_seekers(staff: StaffMember) -> QuerySet[Person]:
    """People in scope with an open job-seeking referral: the caseloads this user may see."""
    open_referrals = (
        Referral.objects.visible_to(staff)
        .filter(person_id=OuterRef("pk"), pathway=Referral.Pathway.JOB_SEEKING)
        .exclude(status=ReferralStatus.CLOSED)
    )
    return Person.objects.visible_to(staff).filter(Exists(open_referrals))


def matched_people(
    staff: StaffMember, vacancy: Vacancy, *, full_record: bool, limit: int = 25
) -> Matches:
    """People on the caseloads the user may see, ranked by how well the vacancy fits them.

    Nobody is hidden for their disclosure plan: those who have not agreed to the specialist
    speaking to employers are marked (IPS fidelity item 13). Roles without the full record
    get names and bands only, not the reasons (which come from the vocational profile).
    """
    from ipsworks.jobs.models import Job

    s = match_settings()
    today = local_today()
    candidates = _job_seekers(staff)
    prefs = features.people_prefs(candidates, s, today)
    table = PeopleFeatures(prefs)
    facts = features.facts_for(Vacancy.objects.filter(pk=vacancy.pk))[0]
    started = time.perf_counter()
    scores = score_people(facts, table, s)
    best = top(scores.score, table.ids, limit)
    ranking_ms = (time.perf_counter() - started) * 1000
    ids = [int(i) for i in table.ids[best]]
    allowed = Subquery(
        DisclosurePlan.objects.filter(person_id=OuterRef("pk"))
        .order_by("-version")
        .values("employer_contact_allowed")[:1]
    )
    owner = Subquery(
        Referral.objects.visible_to(staff)
        .filter(person_id=OuterRef("pk"), allocated_to__isnull=False)
        .exclude(status=ReferralStatus.CLOSED)
        .order_by("-received_on")
        .values("allocated_to")[:1]
    )
    in_work = Exists(
        Job.objects.filter(person_id=OuterRef("pk"), start_date__lte=today, end_date__isnull=True)
    )
    people = (
        candidates.filter(pk__in=ids)
        .annotate(contact_allowed=allowed, owner_id=owner, in_work=in_work)
        .in_bulk(ids)
    )
    owners = {
        member.pk: member
        for member in scoping.staff_for(staff)
        .filter(pk__in=[p.owner_id for p in people.values() if p.owner_id])
        .select_related("user")
    }
    applied = {a.person_id: a for a in applications_for(staff).filter(vacancy=vacancy)}
    by_id = {p.person_id: p for p in prefs}
    rows = []
    for person_id in ids:
        person = people[person_id]
        fit = score_pair(by_id[person_id], facts, s)
        contact = {True: "allowed", False: "not_allowed", None: "no_plan"}[person.contact_allowed]
        owner_member = owners.get(person.owner_id)
        rows.append(
            PersonMatch(
                person=person,
                fit=fit,
                prefs=by_id[person_id],
                caseload_owner=owner_member.display_name if owner_member else "",
                mine=person.owner_id == staff.pk,
                employer_contact=contact,
                in_work=person.in_work,
                application=applied.get(person_id),
            )
        )
    return Matches(rows, table.size, centroids_loaded(), ranking_ms, band_only=not full_record)


# --- Fidelity evidence ----------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationFit:
    """One application judged against the person's preferences (fidelity item 16)."""

    application_id: int
    person_id: int
    applied_on: date
    job_title: str
    employer_name: str
    kinds_of_work: str | None  # from the profile judged against; None: no profile at all
    fits: bool


def application_fits(service_ids, period, *, made_by=None) -> list[ApplicationFit]:
    """Applications made in the period, each with whether it fits the person's preferences.

    Evidence for IPS-25 fidelity item 16, "individualised job search": job search follows
    the person's preferences (what they enjoy, their goals) and needs (hours, health,
    symptoms), not the job market. An application *fits* when, against the vocational
    profile current on the day they applied (or their first profile, if it was written
    later), the kind of work agrees (SOC group or job title), and the vacancy neither works a
    time of day that does not suit them nor looks like a job they did not want to repeat.
    Applications by someone with no vocational profile at all do not fit: nothing shows the
    search was individualised.

    ``service_ids`` must already be established as in scope (``services_for_aggregates``, or
    a fidelity review's service); ``period`` is anything with ``start`` and ``end`` dates
    (``outcomes.periods.Period``), both inclusive; ``made_by``, when given, keeps only the
    applications recorded by those staff (a review's specialists). Ordered by date.
    """
    from ipsworks.people.models import VocationalProfile

    s = match_settings()
    rows = Application.objects.filter(
        service_id__in=list(service_ids),
        applied_on__gte=period.start,
        applied_on__lte=period.end,
    )
    if made_by is not None:
        rows = rows.filter(created_by_id__in=list(made_by))
    applications = list(
        rows.order_by("applied_on", "pk").values_list(
            "pk",
            "person_id",
            "vacancy_id",
            "applied_on",
            "vacancy__title",
            "vacancy__employer__name",
        )
    )
    if not applications:
        return []
    person_ids = {a[1] for a in applications}
    profiles: dict[int, list[dict]] = {}
    for row in (
        VocationalProfile.objects.filter(person_id__in=person_ids)
        .order_by("person_id", "version")
        .values(
            "person_id",
            "recorded_at",
            "kinds_of_work",
            "jobs_not_to_repeat",
            "hours_min",
            "hours_max",
            "unsuitable_times",
            "travel_max_miles",
        )
    ):
        profiles.setdefault(row["person_id"], []).append(row)
    facts = {
        f.vacancy_id: f
        for f in features.facts_for(Vacancy.objects.filter(pk__in={a[2] for a in applications}))
    }
    found = []
    for pk, person_id, vacancy_id, applied_on, title, employer in applications:
        versions = profiles.get(person_id)
        profile = None
        fits = False
        if versions:
            earlier = [v for v in versions if timezone.localdate(v["recorded_at"]) <= applied_on]
            profile = earlier[-1] if earlier else versions[0]
            prefs = features.prefs_from_profile(
                person_id=person_id,
                profile={"pk": None, **profile},
                postcode="",
                lat=None,
                lon=None,
                minimum_wage=0,
                targets=frozenset(),
                s=s,
            )
            fit = score_pair(prefs, facts[vacancy_id], s)
            kind_agrees = (
                fit.parts["kind_of_work"] == 1.0 or fit.title_similarity >= s.title_fits_from
            )
            fits = kind_agrees and not fit.clashing_times and not fit.avoid_phrase
        found.append(
            ApplicationFit(
                application_id=pk,
                person_id=person_id,
                applied_on=applied_on,
                job_title=title,
                employer_name=employer or "",
                kinds_of_work=None if profile is None else profile["kinds_of_work"],
                fits=fits,
            )
        )
    return found


def applications_matching_preferences(service_ids, period) -> tuple[int, int]:
    """Applications made in the period, and how many of them fit the person's preferences
    (:func:`application_fits`). Returns ``(matching, total)``; counts only, never rows."""
    fits = application_fits(service_ids, period)
    return sum(1 for a in fits if a.fits), len(fits)
