"""The ranking rules: small hand-made cases where the right order is obvious, properties that
hold for any person and vacancy, and the vectorised ranking agreeing with the reference."""

import dataclasses

import numpy as np
import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given, settings
from hypothesis import strategies as st

from ipsworks.matching import soc
from ipsworks.matching.ranking import (
    PeopleFeatures,
    PersonPrefs,
    VacancyFacts,
    VacancyFeatures,
    score_pair,
    score_people,
    score_vacancies,
    time_mask,
    top,
)
from ipsworks.matching.text import phrases, similarity
from ipsworks.matching.weights import COMPONENTS, match_settings

S = match_settings()
HOME = (54.0, -2.0)
MILE_OF_LATITUDE = 1 / 69.05


def sam(**changes) -> PersonPrefs:
    """Sam: wants warehouse or delivery work, 16 to 20 hours, no early starts, 5 miles."""
    kinds = "Warehouse or delivery work"
    prefs = PersonPrefs(
        person_id=1,
        has_profile=True,
        kinds=tuple(phrases(kinds)),
        soc_groups=soc.groups_for(kinds, S.kind_inferred_from),
        avoid=tuple(phrases("Call centres")),
        hours_min=16,
        hours_max=20,
        unsuitable=time_mask(["early_morning"]),
        travel_miles=5,
        postcode="AA1 1AB",
        lat=HOME[0],
        lon=HOME[1],
        minimum_wage_pence=1221,
    )
    return dataclasses.replace(prefs, **changes)


def job(vacancy_id=1, miles=1.0, **changes) -> VacancyFacts:
    facts = VacancyFacts(
        vacancy_id=vacancy_id,
        employer_id=10,
        title="Warehouse operative",
        soc="9",
        hours_min=16,
        hours_max=20,
        times=time_mask(["afternoon"]),
        pay_pence=1300,
        postcode="AA1 2BD",
        lat=HOME[0] + miles * MILE_OF_LATITUDE,
        lon=HOME[1],
        shift_pattern="Afternoons",
    )
    return dataclasses.replace(facts, **changes)


def order(prefs, jobs) -> list[int]:
    return [j.vacancy_id for j in sorted(jobs, key=lambda j: -score_pair(prefs, j, S).score)]


# --- Hand-made cases ---------------------------------------------------------------------------


def test_the_job_sam_wants_ranks_above_one_that_starts_early_and_one_he_will_not_repeat():
    jobs = [
        job(3, title="Call centre adviser", soc="7", times=time_mask(["morning"])),
        job(2, times=time_mask(["early_morning", "morning"]), shift_pattern="Starts at 6am"),
        job(1),
    ]
    assert order(sam(), jobs) == [1, 2, 3]


def test_a_perfect_fit_scores_100_and_explains_each_part():
    fit = score_pair(sam(), job(pay_pence=1500), S)
    assert fit.score == pytest.approx(100)
    assert fit.band == "good"
    assert all(fit.known.values())
    assert fit.title_phrase == "warehouse"


@pytest.mark.parametrize(
    "conflict",
    [
        {"times": time_mask(["early_morning", "afternoon"]), "shift_pattern": "Starts at 6am"},
        {"title": "Call centre warehouse operative"},
        {"pay_pence": 1200},
    ],
    ids=["times that do not suit them", "a job they will not repeat", "under the minimum wage"],
)
def test_a_conflict_is_never_called_a_good_fit_however_high_the_score(conflict):
    fit = score_pair(sam(), job(pay_pence=1500) if "pay_pence" not in conflict else job(), S)
    assert fit.band == "good"
    conflicted = score_pair(sam(), job(**({"pay_pence": 1500} | conflict)), S)
    assert conflicted.score >= S.good_fit_from  # the rest of the job fits well...
    assert conflicted.band == "possible"  # ...but it is not a good fit


@pytest.mark.parametrize("miles", [6.0, 11.0, 29.0])
def test_beyond_the_distance_they_will_travel_is_never_a_good_fit(miles):
    # Sam will travel 5 miles. Before, 11 to 29 miles away was still a "Good fit".
    near = score_pair(sam(), job(pay_pence=1500, miles=4.0), S)
    far = score_pair(sam(), job(pay_pence=1500, miles=miles), S)
    assert near.band == "good"
    assert not near.beyond_travel
    assert far.beyond_travel
    assert far.band != "good"


def test_an_assumed_travel_distance_only_lowers_the_score():
    fit = score_pair(sam(travel_miles=None), job(pay_pence=1500, miles=6.0), S)
    assert not fit.beyond_travel


def test_hours_within_the_range_beat_hours_outside_it():
    jobs = [job(2, hours_min=37.5, hours_max=37.5), job(1, hours_min=20, hours_max=20)]
    assert order(sam(), jobs) == [1, 2]
    assert score_pair(sam(), job(hours_min=8, hours_max=30), S).parts["hours"] == 1.0


def test_nearer_beats_further_and_within_the_limit_fits_fully():
    near, far = job(1, miles=2), job(2, miles=15)
    assert order(sam(), [far, near]) == [1, 2]
    assert score_pair(sam(), near, S).parts["distance"] == 1.0
    assert score_pair(sam(), job(miles=5 + S.distance_tolerance_miles + 1), S).parts[
        "distance"
    ] == pytest.approx(0)


def test_better_pay_ranks_higher_and_below_the_minimum_wage_scores_nothing_for_pay():
    jobs = [job(3, pay_pence=1000), job(2, pay_pence=1221), job(1, pay_pence=1500)]
    assert order(sam(), jobs) == [1, 2, 3]
    below = score_pair(sam(), jobs[0], S)
    assert below.parts["pay"] == 0
    assert below.below_minimum_wage


def test_a_job_like_one_they_do_not_want_to_repeat_is_marked():
    fit = score_pair(sam(), job(title="Call centre adviser", soc="7"), S)
    assert fit.parts["not_to_repeat"] == 0
    assert fit.avoid_phrase == "call centres"


def test_the_kind_of_work_agrees_by_soc_group_even_when_the_title_differs():
    fit = score_pair(sam(), job(title="Goods in assistant", soc="9"), S)
    assert fit.parts["kind_of_work"] == 1.0
    assert fit.parts["job_title"] < S.title_fits_from


def test_an_employer_they_are_aiming_for_lifts_the_score_but_never_past_100():
    aiming = sam(target_employers=frozenset({10}))
    for facts in (job(), job(title="Cleaner", soc="9", times=time_mask(["early_morning"]))):
        plain, lifted = score_pair(sam(), facts, S).score, score_pair(aiming, facts, S).score
        assert plain < lifted <= 100 or plain == lifted == pytest.approx(100)


def test_without_a_profile_only_distance_and_pay_are_judged():
    fit = score_pair(
        PersonPrefs(person_id=2, postcode="AA1 1AB", lat=HOME[0], lon=HOME[1]), job(), S
    )
    unknown = {name for name, known in fit.known.items() if not known}
    assert unknown == set(COMPONENTS) - {"distance", "pay"}
    assert fit.band == "possible"


def test_without_centroids_the_same_district_beats_the_same_area_beats_another_area():
    here = sam(lat=None, lon=None, postcode="AA1 1AB")
    jobs = [
        job(3, lat=None, lon=None, postcode="BB1 1AA"),
        job(2, lat=None, lon=None, postcode="AA2 1AA"),
        job(1, lat=None, lon=None, postcode="AA1 9ZZ"),
    ]
    assert order(here, jobs) == [1, 2, 3]
    assert [score_pair(here, j, S).distance_basis for j in jobs] == [
        "other_area",
        "area",
        "district",
    ]


def test_weights_come_from_settings(settings):
    far = job(miles=40)
    before = score_pair(sam(), far, S).score
    settings.IPS_MATCH_WEIGHTS = {**settings.IPS_MATCH_WEIGHTS, "distance": 0.0}
    assert score_pair(sam(), far, match_settings()).score > before


@pytest.mark.parametrize(
    ("section", "change"),
    [
        ("IPS_MATCH_WEIGHTS", {"distance": -1}),
        ("IPS_MATCH_WEIGHTS", {"typo": 1.0}),
        ("IPS_MATCH_RULES", {"unknown_credit": 2}),
        ("IPS_MATCH_RULES", {"hours_tolerance": 0}),
        ("IPS_MATCH_RULES", {"good_fit_from": "high"}),
    ],
)
def test_bad_matching_settings_are_refused_loudly(settings, section, change):
    setattr(settings, section, {**getattr(settings, section), **change})
    with pytest.raises(ImproperlyConfigured):
        match_settings()


def test_a_missing_weight_is_refused(settings):
    settings.IPS_MATCH_WEIGHTS = {k: v for k, v in settings.IPS_MATCH_WEIGHTS.items() if k != "pay"}
    with pytest.raises(ImproperlyConfigured, match="missing"):
        match_settings()


def test_text_similarity_copes_with_plurals_and_word_order_and_needs_every_word():
    assert similarity("call centres", "Call centre adviser") >= S.not_to_repeat_from
    assert similarity("delivery driving", "Driver, home delivery") >= 0.6
    assert similarity("care", "Car park attendant") < S.title_fits_from
    assert similarity("it support", "Support worker") < S.title_fits_from
    assert similarity("it support", "IT support technician") == 1.0
    assert phrases("Warehouse or delivery work, not nights") == ["warehouse", "delivery", "nights"]


@pytest.mark.parametrize(
    ("kinds", "groups"),
    [
        ("Retail", {"7"}),
        ("Warehouse and logistics", {"9"}),
        ("Office and admin work", {"4"}),
        ("Care work", {"6"}),
        ("Gardening", {"5"}),
        ("IT support", {"3"}),
    ],
)
def test_kinds_of_work_point_to_the_right_soc_groups(kinds, groups):
    assert soc.groups_for(kinds, S.kind_inferred_from) == groups


def test_top_keeps_the_best_first_and_breaks_ties_by_newest():
    scores = np.array([50.0, 90.0, 90.0, 10.0, 70.0])
    ids = np.array([1, 2, 3, 4, 5])
    assert list(ids[top(scores, ids, 3)]) == [3, 2, 5]
    keep = np.array([True, False, True, True, True])
    assert list(ids[top(scores, ids, 2, keep)]) == [3, 5]


# --- Properties ---------------------------------------------------------------------------------

TIMES = st.integers(min_value=0, max_value=63)
HOURS = st.floats(min_value=0, max_value=100, allow_nan=False)
TITLES = st.sampled_from(
    ["Warehouse operative", "Call centre adviser", "Care assistant", "Night picker", "Cleaner"]
)
KINDS = st.lists(
    st.sampled_from(["warehouse", "care", "retail", "cleaning", "driving"]), max_size=3, unique=True
)


@st.composite
def people(draw):
    low = draw(HOURS)
    high = draw(st.floats(min_value=low, max_value=100, allow_nan=False))
    kinds = tuple(draw(KINDS))
    return PersonPrefs(
        person_id=draw(st.integers(1, 10_000)),
        has_profile=draw(st.booleans()),
        kinds=kinds,
        soc_groups=soc.groups_for(", ".join(kinds), S.kind_inferred_from),
        avoid=tuple(
            draw(
                st.lists(
                    st.sampled_from(["call centres", "nights", "cleaning"]), max_size=2, unique=True
                )
            )
        ),
        hours_min=draw(st.none() | st.just(low)),
        hours_max=draw(st.none() | st.just(high)),
        unsuitable=draw(TIMES),
        travel_miles=draw(st.none() | st.floats(min_value=0, max_value=50)),
        postcode=draw(st.sampled_from(["AA1 1AB", "AA2 2AB", "BB1 1AA", ""])),
        lat=HOME[0],
        lon=HOME[1],
        minimum_wage_pence=draw(st.integers(0, 1500)),
        target_employers=frozenset(draw(st.lists(st.integers(1, 5), max_size=2))),
    )


@st.composite
def vacancies(draw, vacancy_id=None):
    low = draw(HOURS)
    miles = draw(st.floats(min_value=0, max_value=60))
    return VacancyFacts(
        vacancy_id=vacancy_id or draw(st.integers(1, 10_000)),
        employer_id=draw(st.integers(1, 5)),
        title=draw(TITLES),
        soc=draw(st.sampled_from("123456789")),
        hours_min=low,
        hours_max=draw(st.floats(min_value=low, max_value=100, allow_nan=False)),
        times=draw(TIMES),
        pay_pence=draw(st.none() | st.integers(1, 3000)),
        postcode=draw(st.sampled_from(["AA1 9ZZ", "AA3 1AA", "CC1 1AA"])),
        lat=draw(st.none() | st.just(HOME[0] + miles * MILE_OF_LATITUDE)),
        lon=HOME[1],
        shift_pattern=draw(st.sampled_from(["", "Night shifts", "Weekdays"])),
    )


@settings(max_examples=300, deadline=None)
@given(people(), vacancies(), TIMES)
def test_an_unsuitable_time_never_raises_a_score(prefs, facts, extra):
    worse = dataclasses.replace(prefs, unsuitable=prefs.unsuitable | extra)
    assert score_pair(worse, facts, S).score <= score_pair(prefs, facts, S).score + 1e-9


@settings(max_examples=300, deadline=None)
@given(people(), vacancies(), st.sampled_from(["warehouse", "call centres", "nights", "care"]))
def test_a_job_not_to_repeat_never_raises_a_score(prefs, facts, phrase):
    worse = dataclasses.replace(prefs, avoid=(*prefs.avoid, phrase))
    assert score_pair(worse, facts, S).score <= score_pair(prefs, facts, S).score + 1e-9


@settings(max_examples=300, deadline=None)
@given(people(), vacancies(), st.floats(min_value=0, max_value=100))
def test_a_longer_distance_never_raises_a_score(prefs, facts, further):
    if facts.lat is None:
        facts = dataclasses.replace(facts, lat=HOME[0])
    moved = dataclasses.replace(facts, lat=facts.lat + further * MILE_OF_LATITUDE)
    assert score_pair(prefs, moved, S).score <= score_pair(prefs, facts, S).score + 1e-9


FRACTION = st.floats(min_value=0, max_value=1)


@settings(max_examples=300, deadline=None)
@given(people(), vacancies(), FRACTION, FRACTION)
def test_fewer_hours_in_range_never_raises_a_score(prefs, facts, a, b):
    low, high = prefs.hours_range
    wider = dataclasses.replace(prefs, hours_min=low, hours_max=high)
    new_low = low + (high - low) * a
    narrower = dataclasses.replace(
        prefs, hours_min=new_low, hours_max=new_low + (high - new_low) * b
    )
    assert score_pair(narrower, facts, S).score <= score_pair(wider, facts, S).score + 1e-9


@settings(max_examples=60, deadline=None)
@given(people(), st.lists(vacancies(), min_size=1, max_size=30))
def test_the_vectorised_ranking_of_vacancies_agrees_with_the_reference(prefs, jobs):
    jobs = [dataclasses.replace(j, vacancy_id=i + 1) for i, j in enumerate(jobs)]
    scores = score_vacancies(prefs, VacancyFeatures(jobs), S)
    expected = [score_pair(prefs, j, S) for j in jobs]
    assert np.allclose(scores.score, [f.score for f in expected], atol=1e-9)
    for name in COMPONENTS:
        assert np.allclose(scores.parts[name], [f.parts[name] for f in expected], atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.lists(people(), min_size=1, max_size=30), vacancies())
def test_the_vectorised_ranking_of_people_agrees_with_the_reference(crowd, facts):
    crowd = [dataclasses.replace(p, person_id=i + 1) for i, p in enumerate(crowd)]
    scores = score_people(facts, PeopleFeatures(crowd), S)
    assert np.allclose(scores.score, [score_pair(p, facts, S).score for p in crowd], atol=1e-9)


def test_the_reason_says_it_is_further_than_they_will_travel():
    from ipsworks.matching import presenters
    from ipsworks.matching.models import Vacancy

    fit = score_pair(sam(), job(pay_pence=1500, miles=11.0), S)
    vacancy = Vacancy(hours_min=16, hours_max=20, hourly_pay_pence=1500, postcode="AA1 2BD")
    checks = presenters.reasons(fit, sam(), vacancy, S).checks
    assert "11.0 miles away, further than the 5 miles they said they will travel" in checks
