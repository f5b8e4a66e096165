"""Benchmark: ranking vacancies for a person, and people for a vacancy, vectorised vs naive.

    python benchmarks/bench_matching.py [--vacancies 100000] [--people 20000] [--runs 50]
                                        [--naive-runs 1] [--out benchmarks/results/matching.json]

Synthetic data in memory (ipsworks/matching/synthetic.py): 100,000 open vacancies ranked for
one person and 20,000 people ranked for one vacancy, the top 25 kept. "Vectorised" is what the
pages run: numpy over precomputed features (ipsworks/matching/ranking.py). "Naive" is the same
rules one pair at a time in plain Python (``score_pair``), then a sort. Both must give the same
scores; the largest difference is reported. Building the features (what the cache holds
between requests) is timed separately. Prints a table and writes JSON. From benchmarks/run.py:

    from benchmarks.bench_matching import run as bench_matching
    results["matching"] = bench_matching(vacancies=100_000, people=20_000, runs=50)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipsworks.config.settings_test")
TARGET_MS = 100
TOP = 25


def _timed(function, runs: int) -> tuple[list[float], object]:
    timings, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        timings.append((time.perf_counter() - start) * 1000)
    return timings, result


def _summary(timings: list[float]) -> dict:
    ordered = sorted(timings)
    return {
        "runs": len(timings),
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 2),
    }


def run(
    vacancies: int = 100_000, people: int = 20_000, runs: int = 50, naive_runs: int = 1
) -> dict:
    import django

    django.setup()
    import numpy as np

    from ipsworks.matching import ranking, synthetic
    from ipsworks.matching.weights import match_settings

    s = match_settings()
    today = date.today().toordinal()

    # --- One person against every vacancy ---------------------------------------------------
    facts = synthetic.vacancy_facts(vacancies, seed=1)
    start = time.perf_counter()
    table = ranking.VacancyFeatures(facts)
    build_vacancies_ms = (time.perf_counter() - start) * 1000
    person = next(p for p in synthetic.person_prefs(200, seed=3) if p.has_profile and p.kinds)

    def vectorised_for_person():
        scores = ranking.score_vacancies(person, table, s)
        return scores, ranking.top(scores.score, table.ids, TOP, table.closing >= today)

    vectorised_for_person()  # warm
    timings, (scores, _best) = _timed(vectorised_for_person, runs)

    def naive_for_person():
        scored = []
        for f in facts:
            if f.closing_ordinal is None or f.closing_ordinal >= today:
                scored.append((ranking.score_pair(person, f, s).score, f.vacancy_id))
        scored.sort(key=lambda pair: (-pair[0], -pair[1]))
        return scored[:TOP]

    naive_timings, _ = _timed(naive_for_person, naive_runs)
    naive_scores = np.array([ranking.score_pair(person, f, s).score for f in facts])
    vacancies_result = {
        "rows": vacancies,
        "build_features_ms": round(build_vacancies_ms, 1),
        "features_mb": round(table.nbytes / 1e6, 1),
        "vectorised": _summary(timings),
        "naive_python": _summary(naive_timings),
        "max_score_difference": float(np.abs(scores.score - naive_scores).max()),
    }

    # --- One vacancy against every person ---------------------------------------------------
    prefs = synthetic.person_prefs(people, seed=2)
    start = time.perf_counter()
    crowd = ranking.PeopleFeatures(prefs)
    build_people_ms = (time.perf_counter() - start) * 1000
    vacancy = facts[0]

    def vectorised_for_vacancy():
        scores = ranking.score_people(vacancy, crowd, s)
        return scores, ranking.top(scores.score, crowd.ids, TOP)

    vectorised_for_vacancy()
    people_timings, (people_scores, _) = _timed(vectorised_for_vacancy, runs)

    def naive_for_vacancy():
        scored = [(ranking.score_pair(p, vacancy, s).score, p.person_id) for p in prefs]
        scored.sort(key=lambda pair: (-pair[0], -pair[1]))
        return scored[:TOP]

    naive_people_timings, _ = _timed(naive_for_vacancy, naive_runs)
    naive_people = np.array([ranking.score_pair(p, vacancy, s).score for p in prefs])
    people_result = {
        "rows": people,
        "build_features_ms": round(build_people_ms, 1),
        "vectorised": _summary(people_timings),
        "naive_python": _summary(naive_people_timings),
        "max_score_difference": float(np.abs(people_scores.score - naive_people).max()),
    }
    for result in (vacancies_result, people_result):
        median = result["vectorised"]["median_ms"]
        result["target_ms"] = TARGET_MS
        result["meets_target"] = median < TARGET_MS
        result["speed_up"] = round(result["naive_python"]["median_ms"] / max(median, 1e-6), 1)
    return {
        "vacancies_for_a_person": vacancies_result,
        "people_for_a_vacancy": people_result,
        "top": TOP,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "numpy": np.__version__,
    }


def _table(result: dict) -> str:
    lines = [
        f"{'ranking':<26}{'rows':>9}{'vectorised ms':>15}{'p95':>8}{'naive ms':>11}"
        f"{'speed-up':>10}{'build ms':>10}{'max diff':>10}",
    ]
    for name, key in (
        ("vacancies for a person", "vacancies_for_a_person"),
        ("people for a vacancy", "people_for_a_vacancy"),
    ):
        r = result[key]
        lines.append(
            f"{name:<26}{r['rows']:>9,}{r['vectorised']['median_ms']:>15.2f}"
            f"{r['vectorised']['p95_ms']:>8.2f}{r['naive_python']['median_ms']:>11.0f}"
            f"{r['speed_up']:>9.0f}x{r['build_features_ms']:>10.0f}"
            f"{r['max_score_difference']:>10.1e}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vacancies", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--naive-runs", type=int, default=1)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "matching.json"))
    args = parser.parse_args()
    result = run(args.vacancies, args.people, args.runs, args.naive_runs)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(_table(result))
    print(f"Written to {args.out}")


if __name__ == "__main__":
    main()
