"""How well a vacancy fits a person's vocational profile: the rules, one pair at a time and
vectorised over many.

IPS job search follows the person's preferences, not the job market (IPS-25 fidelity item 16,
"individualised job search"; item 14, the vocational profile). Each part of the fit is a number
from 0 (clash) to 1 (fits):

* **kind of work**: the vacancy's SOC 2020 major group is one their described kinds of work
  point to (:mod:`ipsworks.matching.soc`);
* **job title**: how much of one of their phrases ("warehouse", "delivery driving") the title
  contains (character trigrams, :mod:`ipsworks.matching.text`);
* **hours**: 1 if the vacancy's hours overlap the range they want, falling to 0 as the gap
  reaches ``hours_tolerance``;
* **times of day**: 0 if the vacancy works a time of day that does not suit them (for example
  early mornings because of medication), else 1; such a clash is a conflict, so the vacancy
  is never shown as a good fit, whatever its score;
* **distance**: 1 within how far they will travel, falling to 0 at
  ``distance_tolerance_miles`` beyond it; beyond a distance they stated it is a conflict, as
  a clashing time of day is; without centroids, same postcode district 1, same
  area ``same_area_credit``, else 0;
* **pay**: 0 below the minimum wage for their age, rising from ``unknown_credit`` at the
  minimum to 1 at ``pay_full_credit_above_minimum_pence`` above it;
* **not to repeat**: 0 if the job looks like a past job they do not want to repeat, else 1.

A part nobody has recorded (no profile yet, hours not stated) scores ``unknown_credit``: it
neither fits nor clashes. The score is the weighted average of the parts (weights from
settings, :mod:`ipsworks.matching.weights`) times 100; for an employer they are aiming for,
``target_employer_bonus`` of the gap to 100 is closed (so the order among those vacancies is
kept and no score passes 100). Every part only falls when a conflict is added,
so adding a conflict never raises a score (tests/matching/test_ranking.py, a property test).

:func:`score_pair` is the reference: plain Python, one pair, with the details the reasons need.
:class:`VacancyFeatures` and :class:`PeopleFeatures` hold the same facts as numpy arrays so that
:func:`score_vacancies` and :func:`score_people` apply the same rules to 100,000 rows at once;
a test checks that both give the same scores.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ipsworks.matching.geo import area_of, district_of, haversine_miles
from ipsworks.matching.text import PhraseIndex, TrigramIndex, similarity
from ipsworks.matching.weights import COMPONENTS, MatchSettings
from ipsworks.people.models import TimeOfDay

TIME_ORDER = tuple(TimeOfDay)
TIME_BITS = {t.value: 1 << i for i, t in enumerate(TIME_ORDER)}


def time_mask(values: Iterable[str]) -> int:
    mask = 0
    for value in values or ():
        mask |= TIME_BITS.get(value, 0)
    return mask


def times_in(mask: int) -> list[TimeOfDay]:
    return [t for t in TIME_ORDER if mask & TIME_BITS[t.value]]


@dataclass(frozen=True)
class PersonPrefs:
    """What matching needs to know about a person: their current profile, where they live."""

    person_id: int
    has_profile: bool = False
    kinds: tuple[str, ...] = ()  # phrases of the kinds of work they want
    soc_groups: frozenset[str] = frozenset()
    avoid: tuple[str, ...] = ()  # phrases of past jobs they do not want to repeat
    hours_min: float | None = None
    hours_max: float | None = None
    unsuitable: int = 0  # TimeOfDay bit mask
    travel_miles: float | None = None
    postcode: str = ""
    lat: float | None = None
    lon: float | None = None
    minimum_wage_pence: int = 0
    target_employers: frozenset[int] = frozenset()

    @property
    def hours_known(self) -> bool:
        return self.hours_min is not None or self.hours_max is not None

    @property
    def hours_range(self) -> tuple[float, float]:
        low = self.hours_min if self.hours_min is not None else 0.0
        high = self.hours_max if self.hours_max is not None else 100.0
        return float(low), float(high)


@dataclass(frozen=True)
class VacancyFacts:
    """What matching needs to know about a vacancy."""

    vacancy_id: int
    employer_id: int
    title: str
    soc: str
    hours_min: float
    hours_max: float
    times: int = 0  # TimeOfDay bit mask; 0 = not recorded
    pay_pence: int | None = None
    postcode: str = ""
    lat: float | None = None
    lon: float | None = None
    shift_pattern: str = ""
    closing_ordinal: int | None = None  # date.toordinal(); None = no closing date

    @property
    def avoid_text(self) -> str:
        """What a job not to repeat is compared with: the title and the shift pattern."""
        return f"{self.title} {self.shift_pattern}".strip()


# --- One pair: the reference rules, with the details the reasons need ------------------------


def _best(phrases: Sequence[str], text: str) -> tuple[float, str]:
    best, which = 0.0, ""
    for phrase in phrases:
        value = similarity(phrase, text)
        if value > best:
            best, which = value, phrase
    return best, which


@dataclass
class Fit:
    """One person against one vacancy: the score, its parts and what they rest on."""

    score: float
    parts: dict[str, float]
    known: dict[str, bool]
    band: str
    miles: float | None = None
    distance_basis: str = "unknown"  # centroids | district | area | other_area | unknown
    title_phrase: str = ""
    title_similarity: float = 0.0
    avoid_phrase: str = ""
    clashing_times: list[TimeOfDay] = field(default_factory=list)
    target_employer: bool = False
    below_minimum_wage: bool = False
    beyond_travel: bool = False  # further than the distance they said they will travel


def distance_fit(prefs: PersonPrefs, facts: VacancyFacts, s: MatchSettings):
    """(fit, miles, basis) for the distance part."""
    if None not in (prefs.lat, prefs.lon, facts.lat, facts.lon):
        miles = float(haversine_miles(prefs.lat, prefs.lon, facts.lat, facts.lon))
        limit = prefs.travel_miles if prefs.travel_miles is not None else s.default_travel_miles
        over = max(0.0, miles - limit)
        return max(0.0, 1.0 - over / s.distance_tolerance_miles), miles, "centroids"
    mine, theirs = district_of(prefs.postcode), district_of(facts.postcode)
    if not mine or not theirs:
        return s.unknown_credit, None, "unknown"
    if mine == theirs:
        return 1.0, None, "district"
    if area_of(prefs.postcode) == area_of(facts.postcode):
        return s.same_area_credit, None, "area"
    return 0.0, None, "other_area"


def pay_fit(pay_pence: int | None, minimum_pence: int, s: MatchSettings) -> float:
    if pay_pence is None:
        return s.unknown_credit
    if pay_pence < minimum_pence:
        return 0.0
    above = min(1.0, (pay_pence - minimum_pence) / max(s.pay_full_credit_above_minimum_pence, 1))
    return s.unknown_credit + (1.0 - s.unknown_credit) * above


def score_pair(prefs: PersonPrefs, facts: VacancyFacts, s: MatchSettings) -> Fit:
    """The reference scoring of one person against one vacancy (see the module docstring)."""
    u = s.unknown_credit
    parts: dict[str, float] = {}
    known: dict[str, bool] = {}

    known["kind_of_work"] = bool(prefs.kinds) and bool(prefs.soc_groups)
    parts["kind_of_work"] = (
        (1.0 if facts.soc in prefs.soc_groups else 0.0) if known["kind_of_work"] else u
    )
    similarity, phrase = _best(prefs.kinds, facts.title)
    known["job_title"] = bool(prefs.kinds)
    parts["job_title"] = similarity if prefs.kinds else u

    known["hours"] = prefs.hours_known
    if prefs.hours_known:
        low, high = prefs.hours_range
        gap = max(0.0, facts.hours_min - high, low - facts.hours_max)
        parts["hours"] = max(0.0, 1.0 - gap / s.hours_tolerance)
    else:
        parts["hours"] = u

    clashing = times_in(facts.times & prefs.unsuitable)
    if not prefs.has_profile:
        parts["times_of_day"], known["times_of_day"] = u, False
    elif prefs.unsuitable == 0:
        parts["times_of_day"], known["times_of_day"] = 1.0, True
    elif facts.times == 0:
        parts["times_of_day"], known["times_of_day"] = u, False
    else:
        parts["times_of_day"], known["times_of_day"] = (0.0 if clashing else 1.0), True

    parts["distance"], miles, basis = distance_fit(prefs, facts, s)
    known["distance"] = basis != "unknown"

    parts["pay"] = pay_fit(facts.pay_pence, prefs.minimum_wage_pence, s)
    known["pay"] = facts.pay_pence is not None

    avoid_similarity, avoid_phrase = _best(prefs.avoid, facts.avoid_text)
    repeats = avoid_similarity >= s.not_to_repeat_from and bool(prefs.avoid)
    if not prefs.has_profile:
        parts["not_to_repeat"], known["not_to_repeat"] = u, False
    else:
        parts["not_to_repeat"], known["not_to_repeat"] = (0.0 if repeats else 1.0), True

    score = sum(s.weights[c] * parts[c] for c in COMPONENTS) / s.total_weight * 100.0
    target = facts.employer_id in prefs.target_employers
    if target:
        score += s.target_employer_bonus * (100.0 - score)
    clashes = bool(clashing) and bool(prefs.unsuitable) and bool(facts.times)
    below_minimum = facts.pay_pence is not None and facts.pay_pence < prefs.minimum_wage_pence
    # Further than the person said they will travel is a conflict, as an unsuitable time of
    # day is: the score may still be high, but it is never a good fit. An assumed distance
    # (none recorded) only lowers the score.
    beyond_travel = (
        prefs.travel_miles is not None and miles is not None and miles > prefs.travel_miles
    )
    return Fit(
        score=score,
        parts=parts,
        known=known,
        band=s.band(score, conflict=clashes or repeats or below_minimum or beyond_travel),
        miles=miles,
        distance_basis=basis,
        title_phrase=phrase,
        title_similarity=similarity,
        avoid_phrase=avoid_phrase if repeats else "",
        clashing_times=clashing if prefs.unsuitable and facts.times else [],
        target_employer=target,
        below_minimum_wage=below_minimum,
        beyond_travel=beyond_travel,
    )


# --- Many vacancies: precomputed arrays --------------------------------------------------------

_NO_CLOSING = np.iinfo(np.int32).max


def _codes(values: Sequence[str]) -> tuple[np.ndarray, dict[str, int]]:
    """Small integer codes for strings ('' -> -1), so comparisons are integer compares."""
    vocabulary: dict[str, int] = {}
    codes = np.empty(len(values), dtype=np.int32)
    for i, value in enumerate(values):
        codes[i] = vocabulary.setdefault(value, len(vocabulary)) if value else -1
    return codes, vocabulary


def _floats(values: Iterable[float | None], count: int) -> np.ndarray:
    return np.fromiter(
        (math.nan if v is None else v for v in values), dtype=np.float64, count=count
    )


class VacancyFeatures:
    """A service's open vacancies as arrays, built once and ranked against many times."""

    def __init__(self, facts: Sequence[VacancyFacts]):
        n = self.size = len(facts)
        self.ids = np.fromiter((f.vacancy_id for f in facts), dtype=np.int64, count=n)
        self.employer_ids = np.fromiter((f.employer_id for f in facts), dtype=np.int64, count=n)
        self.soc = np.fromiter((int(f.soc) for f in facts), dtype=np.int8, count=n)
        self.hours_min = np.fromiter((f.hours_min for f in facts), dtype=np.float64, count=n)
        self.hours_max = np.fromiter((f.hours_max for f in facts), dtype=np.float64, count=n)
        self.times = np.fromiter((f.times for f in facts), dtype=np.uint8, count=n)
        self.pay = np.fromiter(
            (-1 if f.pay_pence is None else f.pay_pence for f in facts), dtype=np.int64, count=n
        )
        self.lat = _floats((f.lat for f in facts), n)
        self.lon = _floats((f.lon for f in facts), n)
        self.district, self.districts = _codes([district_of(f.postcode) for f in facts])
        self.area, self.areas = _codes([area_of(f.postcode) for f in facts])
        self.closing = np.fromiter(
            (_NO_CLOSING if f.closing_ordinal is None else f.closing_ordinal for f in facts),
            dtype=np.int64,
            count=n,
        )
        self.titles = TrigramIndex([f.title for f in facts])
        self.avoid_texts = TrigramIndex([f.avoid_text for f in facts])

    @property
    def nbytes(self) -> int:
        arrays = (
            self.ids,
            self.employer_ids,
            self.soc,
            self.hours_min,
            self.hours_max,
            self.times,
            self.pay,
            self.lat,
            self.lon,
            self.district,
            self.area,
            self.closing,
        )
        return sum(a.nbytes for a in arrays) + self.titles.nbytes + self.avoid_texts.nbytes


@dataclass
class Scores:
    """Scores for every row of a feature set, with the parts (for tests and the benchmark)."""

    score: np.ndarray
    parts: dict[str, np.ndarray]
    miles: np.ndarray


def _best_similarity(index: TrigramIndex, phrases: Sequence[str]) -> np.ndarray:
    best = np.zeros(index.size, dtype=np.float64)
    for phrase in phrases:
        np.maximum(best, index.similarity_of(phrase), out=best)
    return best


def _distance_parts(here, there, same_district, same_area, known_place, limit, s: MatchSettings):
    """Distance fits (array) and miles (nan where centroids are missing).

    ``here`` and ``there`` are (latitude, longitude) pairs of scalars or arrays.
    """
    miles = haversine_miles(here[0], here[1], there[0], there[1])
    over = np.maximum(0.0, miles - limit)
    by_centroid = np.clip(1.0 - over / s.distance_tolerance_miles, 0.0, 1.0)
    fallback = np.where(same_district, 1.0, np.where(same_area, s.same_area_credit, 0.0))
    fallback = np.where(known_place, fallback, s.unknown_credit)
    return np.where(np.isnan(miles), fallback, by_centroid), miles


def _pay_parts(pay, minimum, s: MatchSettings) -> np.ndarray:
    u = s.unknown_credit
    above = np.clip((pay - minimum) / max(s.pay_full_credit_above_minimum_pence, 1), 0.0, 1.0)
    return np.where(pay < 0, u, np.where(pay < minimum, 0.0, u + (1.0 - u) * above))


def _combine(parts: dict[str, np.ndarray], target: np.ndarray, s: MatchSettings) -> np.ndarray:
    total = np.zeros_like(parts["hours"])
    for name in COMPONENTS:
        total += s.weights[name] * parts[name]
    total *= 100.0 / s.total_weight
    return total + np.where(target, s.target_employer_bonus * (100.0 - total), 0.0)


def score_vacancies(prefs: PersonPrefs, f: VacancyFeatures, s: MatchSettings) -> Scores:
    """Every vacancy in ``f`` scored for one person, with no Python loop over vacancies."""
    n, u = f.size, s.unknown_credit
    full = np.full(n, u)
    parts: dict[str, np.ndarray] = {}
    if prefs.kinds and prefs.soc_groups:
        wanted = np.array(sorted(int(g) for g in prefs.soc_groups), dtype=np.int8)
        parts["kind_of_work"] = np.isin(f.soc, wanted).astype(np.float64)
    else:
        parts["kind_of_work"] = full
    parts["job_title"] = _best_similarity(f.titles, prefs.kinds) if prefs.kinds else full

    if prefs.hours_known:
        low, high = prefs.hours_range
        gap = np.maximum(0.0, np.maximum(f.hours_min - high, low - f.hours_max))
        parts["hours"] = np.clip(1.0 - gap / s.hours_tolerance, 0.0, 1.0)
    else:
        parts["hours"] = full

    if not prefs.has_profile:
        parts["times_of_day"] = full
    elif prefs.unsuitable == 0:
        parts["times_of_day"] = np.ones(n)
    else:
        clash = (f.times & np.uint8(prefs.unsuitable)) != 0
        parts["times_of_day"] = np.where(f.times == 0, u, np.where(clash, 0.0, 1.0))

    lat = math.nan if prefs.lat is None else prefs.lat
    lon = math.nan if prefs.lon is None else prefs.lon
    my_district = f.districts.get(district_of(prefs.postcode), -2)
    my_area = f.areas.get(area_of(prefs.postcode), -2)
    known_place = bool(district_of(prefs.postcode)) & (f.district >= 0)
    limit = prefs.travel_miles if prefs.travel_miles is not None else s.default_travel_miles
    parts["distance"], miles = _distance_parts(
        (lat, lon),
        (f.lat, f.lon),
        f.district == my_district,
        f.area == my_area,
        known_place,
        limit,
        s,
    )
    parts["pay"] = _pay_parts(f.pay, prefs.minimum_wage_pence, s)

    if not prefs.has_profile:
        parts["not_to_repeat"] = full
    elif prefs.avoid:
        repeats = _best_similarity(f.avoid_texts, prefs.avoid) >= s.not_to_repeat_from
        parts["not_to_repeat"] = np.where(repeats, 0.0, 1.0)
    else:
        parts["not_to_repeat"] = np.ones(n)

    if prefs.target_employers:
        target = np.isin(f.employer_ids, np.fromiter(prefs.target_employers, dtype=np.int64))
    else:
        target = np.zeros(n, dtype=bool)
    return Scores(_combine(parts, target, s), parts, miles)


# --- Many people: precomputed arrays -----------------------------------------------------------


class PeopleFeatures:
    """People (already scoped to what the user may see) as arrays, for ranking against a job."""

    def __init__(self, prefs: Sequence[PersonPrefs]):
        n = self.size = len(prefs)
        self.prefs = list(prefs)
        self.ids = np.fromiter((p.person_id for p in prefs), dtype=np.int64, count=n)
        self.has_profile = np.fromiter((p.has_profile for p in prefs), dtype=bool, count=n)
        self.kinds_known = np.fromiter((bool(p.kinds) for p in prefs), dtype=bool, count=n)
        self.soc_known = np.fromiter(
            (bool(p.kinds) and bool(p.soc_groups) for p in prefs), dtype=bool, count=n
        )
        self.soc_mask = np.fromiter(
            (sum(1 << int(g) for g in p.soc_groups) for p in prefs), dtype=np.int64, count=n
        )
        self.hours_known = np.fromiter((p.hours_known for p in prefs), dtype=bool, count=n)
        ranges = [p.hours_range for p in prefs]
        self.hours_low = np.fromiter((r[0] for r in ranges), dtype=np.float64, count=n)
        self.hours_high = np.fromiter((r[1] for r in ranges), dtype=np.float64, count=n)
        self.unsuitable = np.fromiter((p.unsuitable for p in prefs), dtype=np.uint8, count=n)
        self.travel = _floats((p.travel_miles for p in prefs), n)
        self.lat = _floats((p.lat for p in prefs), n)
        self.lon = _floats((p.lon for p in prefs), n)
        self.district = np.array([district_of(p.postcode) for p in prefs], dtype="<U8")
        self.area = np.array([area_of(p.postcode) for p in prefs], dtype="<U8")
        self.minimum_wage = np.fromiter(
            (p.minimum_wage_pence for p in prefs), dtype=np.int64, count=n
        )
        self.avoid_known = np.fromiter((bool(p.avoid) for p in prefs), dtype=bool, count=n)
        kind_owner = [i for i, p in enumerate(prefs) for _ in p.kinds]
        self.kind_owner = np.array(kind_owner, dtype=np.int64)
        self.kind_phrases = PhraseIndex([k for p in prefs for k in p.kinds])
        avoid_owner = [i for i, p in enumerate(prefs) for _ in p.avoid]
        self.avoid_owner = np.array(avoid_owner, dtype=np.int64)
        self.avoid_phrases = PhraseIndex([a for p in prefs for a in p.avoid])
        targets: dict[int, list[int]] = {}
        for i, p in enumerate(prefs):
            for employer_id in p.target_employers:
                targets.setdefault(employer_id, []).append(i)
        self.targets = {k: np.array(v, dtype=np.int64) for k, v in targets.items()}


def _best_per_owner(values: np.ndarray, owners: np.ndarray, size: int) -> np.ndarray:
    best = np.zeros(size, dtype=np.float64)
    if owners.size:
        np.maximum.at(best, owners, values.astype(np.float64))
    return best


def score_people(facts: VacancyFacts, f: PeopleFeatures, s: MatchSettings) -> Scores:
    """Every person in ``f`` scored for one vacancy, with no Python loop over people."""
    n, u = f.size, s.unknown_credit
    parts: dict[str, np.ndarray] = {}
    wants_group = ((f.soc_mask >> int(facts.soc)) & 1).astype(np.float64)
    parts["kind_of_work"] = np.where(f.soc_known, wants_group, u)
    title = _best_per_owner(f.kind_phrases.similarity_within(facts.title), f.kind_owner, n)
    parts["job_title"] = np.where(f.kinds_known, title, u)

    gap = np.maximum(0.0, np.maximum(facts.hours_min - f.hours_high, f.hours_low - facts.hours_max))
    parts["hours"] = np.where(f.hours_known, np.clip(1.0 - gap / s.hours_tolerance, 0.0, 1.0), u)

    clash = (f.unsuitable & np.uint8(facts.times)) != 0
    times = np.where(f.unsuitable == 0, 1.0, u if facts.times == 0 else np.where(clash, 0.0, 1.0))
    parts["times_of_day"] = np.where(f.has_profile, times, u)

    lat = math.nan if facts.lat is None else facts.lat
    lon = math.nan if facts.lon is None else facts.lon
    district = district_of(facts.postcode)
    known_place = (f.district != "") & bool(district)
    limit = np.where(np.isnan(f.travel), s.default_travel_miles, f.travel)
    parts["distance"], miles = _distance_parts(
        (f.lat, f.lon),
        (lat, lon),
        f.district == district,
        f.area == area_of(facts.postcode),
        known_place,
        limit,
        s,
    )
    pay = -1 if facts.pay_pence is None else facts.pay_pence
    parts["pay"] = _pay_parts(np.full(n, pay, dtype=np.int64), f.minimum_wage, s)

    avoid = _best_per_owner(f.avoid_phrases.similarity_within(facts.avoid_text), f.avoid_owner, n)
    repeats = f.avoid_known & (avoid >= s.not_to_repeat_from)
    parts["not_to_repeat"] = np.where(f.has_profile, np.where(repeats, 0.0, 1.0), u)

    target = np.zeros(n, dtype=bool)
    if facts.employer_id in f.targets:
        target[f.targets[facts.employer_id]] = True
    return Scores(_combine(parts, target, s), parts, miles)


def top(scores: np.ndarray, ids: np.ndarray, limit: int, keep: np.ndarray | None = None):
    """Indices of the best ``limit`` rows, best first; ties go to the higher id (newer)."""
    candidates = np.arange(scores.size) if keep is None else np.flatnonzero(keep)
    if candidates.size > limit:
        part = np.argpartition(-scores[candidates], limit - 1)[:limit]
        threshold = scores[candidates[part]].min()
        candidates = candidates[scores[candidates] >= threshold]
    order = np.lexsort((-ids[candidates], -scores[candidates]))
    return candidates[order][:limit]
