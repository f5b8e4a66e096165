"""Building the matching features from the database, and caching the vacancy side.

Vacancies are shared across a service, so a service's open vacancies are turned into arrays
(:class:`~ipsworks.matching.ranking.VacancyFeatures`) once and kept in this process, stamped
with a version read from the database on every use: the number of the service's vacancies,
the latest ``updated_at`` and the highest id, plus the id of the latest centroid load. Any
create, correction, status change or new centroid file changes the stamp, and the next
ranking rebuilds.
Closing dates are applied at ranking time, so the cache needs no rebuild at midnight.

People are never cached: their features are built per request from the queryset the user's
scope allows (docs/adr/0006-matching.md explains why).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, OuterRef, QuerySet, Subquery

from ipsworks.jobs.rules import NoRateKnown, minimum_wage_pence
from ipsworks.matching import soc
from ipsworks.matching.models import CentroidDataset, JobSearchTarget, PostcodeCentroid, Vacancy
from ipsworks.matching.ranking import (
    PersonPrefs,
    VacancyFacts,
    VacancyFeatures,
    time_mask,
)
from ipsworks.matching.text import phrases
from ipsworks.matching.weights import MatchSettings
from ipsworks.people.models import Person, VocationalProfile

# Bound on the vacancies held in memory across all cached services (about 150 bytes each).
MAX_CACHED_VACANCIES = 1_000_000

_cache: OrderedDict[int, tuple[tuple, VacancyFeatures]] = OrderedDict()
_lock = threading.Lock()


def _centroid(field: str, postcode_field: str = "postcode") -> Subquery:
    return Subquery(
        PostcodeCentroid.objects.filter(postcode=OuterRef(postcode_field)).values(field)[:1]
    )


def centroids_loaded() -> bool:
    return CentroidDataset.objects.exists()


def _dataset_id() -> int | None:
    return CentroidDataset.objects.order_by("-pk").values_list("pk", flat=True).first()


def vacancy_stamp(service_id: int) -> tuple:
    summary = Vacancy.objects.filter(service_id=service_id).aggregate(
        count=Count("pk"), changed=Max("updated_at"), highest=Max("pk")
    )
    return (summary["count"], summary["changed"], summary["highest"], _dataset_id())


def _float(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def vacancy_facts(rows) -> list[VacancyFacts]:
    return [
        VacancyFacts(
            vacancy_id=row["pk"],
            employer_id=row["employer_id"],
            title=row["title"],
            soc=row["soc_major_group"],
            hours_min=float(row["hours_min"]),
            hours_max=float(row["hours_max"]),
            times=time_mask(row["times_of_day"]),
            pay_pence=row["hourly_pay_pence"],
            postcode=row["postcode"],
            lat=row["lat"],
            lon=row["lon"],
            shift_pattern=row["shift_pattern"],
            closing_ordinal=row["closing_date"].toordinal() if row["closing_date"] else None,
        )
        for row in rows
    ]


_FACT_FIELDS = (
    "pk",
    "employer_id",
    "title",
    "soc_major_group",
    "hours_min",
    "hours_max",
    "times_of_day",
    "hourly_pay_pence",
    "postcode",
    "shift_pattern",
    "closing_date",
    "lat",
    "lon",
)


def facts_for(vacancies: QuerySet[Vacancy]) -> list[VacancyFacts]:
    rows = vacancies.annotate(lat=_centroid("latitude"), lon=_centroid("longitude")).values(
        *_FACT_FIELDS
    )
    return vacancy_facts(rows)


def build_vacancy_features(service_id: int) -> VacancyFeatures:
    open_vacancies = Vacancy.objects.filter(
        service_id=service_id, status=Vacancy.Status.OPEN
    ).order_by("pk")
    return VacancyFeatures(facts_for(open_vacancies))


def vacancy_features(service_id: int) -> VacancyFeatures:
    """The service's open vacancies as arrays: from the cache if its stamp still holds."""
    stamp = vacancy_stamp(service_id)
    with _lock:
        cached = _cache.get(service_id)
        if cached is not None and cached[0] == stamp:
            _cache.move_to_end(service_id)
            return cached[1]
    features = build_vacancy_features(service_id)
    with _lock:
        _cache[service_id] = (stamp, features)
        _cache.move_to_end(service_id)
        while len(_cache) > 1 and sum(f.size for _, f in _cache.values()) > MAX_CACHED_VACANCIES:
            _cache.popitem(last=False)
    return features


def clear_cache() -> None:
    with _lock:
        _cache.clear()


# --- People -------------------------------------------------------------------------------------


def _minimum_wage(date_of_birth: date | None, today: date) -> int:
    try:
        return minimum_wage_pence(on=today, date_of_birth=date_of_birth)
    except NoRateKnown:
        return 0


def _latest_profile_id() -> Subquery:
    return Subquery(
        VocationalProfile.objects.filter(person_id=OuterRef("pk"))
        .order_by("-version")
        .values("pk")[:1]
    )


_PROFILE_FIELDS = (
    "pk",
    "kinds_of_work",
    "jobs_not_to_repeat",
    "hours_min",
    "hours_max",
    "unsuitable_times",
    "travel_max_miles",
)


def prefs_from_profile(
    *,
    person_id: int,
    profile: dict | None,
    postcode: str,
    lat: float | None,
    lon: float | None,
    minimum_wage: int,
    targets: frozenset[int],
    s: MatchSettings,
) -> PersonPrefs:
    if profile is None:
        return PersonPrefs(
            person_id=person_id,
            postcode=postcode,
            lat=lat,
            lon=lon,
            minimum_wage_pence=minimum_wage,
            target_employers=targets,
        )
    return PersonPrefs(
        person_id=person_id,
        has_profile=True,
        kinds=tuple(phrases(profile["kinds_of_work"])),
        soc_groups=soc.groups_for(profile["kinds_of_work"], s.kind_inferred_from),
        avoid=tuple(phrases(profile["jobs_not_to_repeat"])),
        hours_min=_float(profile["hours_min"]),
        hours_max=_float(profile["hours_max"]),
        unsuitable=time_mask(profile["unsuitable_times"]),
        travel_miles=_float(profile["travel_max_miles"]),
        postcode=postcode,
        lat=lat,
        lon=lon,
        minimum_wage_pence=minimum_wage,
        target_employers=targets,
    )


def people_prefs(people: QuerySet[Person], s: MatchSettings, today: date) -> list[PersonPrefs]:
    """Matching facts for each person in an already scoped queryset (three queries)."""
    rows = list(
        people.annotate(
            profile_id=_latest_profile_id(),
            lat=_centroid("latitude"),
            lon=_centroid("longitude"),
        )
        .order_by("pk")
        .values("pk", "postcode", "date_of_birth", "profile_id", "lat", "lon")
    )
    latest = people.annotate(profile_id=_latest_profile_id()).values("profile_id")
    profiles = {
        p["pk"]: p for p in VocationalProfile.objects.filter(pk__in=latest).values(*_PROFILE_FIELDS)
    }
    targets: dict[int, set[int]] = {}
    for person_id, employer_id in JobSearchTarget.objects.filter(
        person__in=people.values("pk"), vacancy__isnull=True, removed_at__isnull=True
    ).values_list("person_id", "employer_id"):
        targets.setdefault(person_id, set()).add(employer_id)
    return [
        prefs_from_profile(
            person_id=row["pk"],
            profile=profiles.get(row["profile_id"]),
            postcode=row["postcode"],
            lat=row["lat"],
            lon=row["lon"],
            minimum_wage=_minimum_wage(row["date_of_birth"], today),
            targets=frozenset(targets.get(row["pk"], ())),
            s=s,
        )
        for row in rows
    ]
