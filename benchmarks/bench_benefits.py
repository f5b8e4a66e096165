"""Benchmark: the better-off engine's 41-point curve against policyengine-uk, side by side.

    python benchmarks/bench_benefits.py [--runs 500] [--out benchmarks/results/benefits.json]

The engine: one household's 0..40 hour curve, warm, median of many runs. policyengine-uk:
the same 41 points batched into one Simulation (its fastest way), median of a few runs, plus
its import time. Prints a table and writes JSON. From benchmarks/run.py:

    from benchmarks.bench_benefits import run as bench_benefits
    results["benefits"] = bench_benefits(runs=500, reference_runs=3)
"""

import argparse
import json
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipsworks.config.settings_test")

HOUSEHOLD = {
    "tax_year": "2026-27",
    "country": "england",
    "adults": [{"age": 35, "lcwra": True}],
    "children": [{"age": 4}, {"age": 9}],
    "housing": {"eligible_rent_monthly": 650},
    "childcare_monthly": 300,
    "savings": 7000,
    "job": {"adult": 0, "hours_per_week": 16, "hourly_pay": 12.71},
}


def run(runs: int = 500, reference_runs: int = 3) -> dict:
    import django

    django.setup()
    from ipsworks.benefits import oracle
    from ipsworks.benefits.engine import CURVE_HOURS, curve_net_incomes
    from ipsworks.benefits.schema import parse_household

    household = parse_household(HOUSEHOLD)
    curve_net_incomes(household)  # warm
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        curve_net_incomes(household)
        timings.append(time.perf_counter() - start)
    engine_ms = statistics.median(timings) * 1000
    result = {
        "household": HOUSEHOLD,
        "points": len(CURVE_HOURS),
        "engine": {
            "runs": runs,
            "median_ms": round(engine_ms, 3),
            "p95_ms": round(sorted(timings)[int(runs * 0.95) - 1] * 1000, 3),
            "target_ms": 20,
            "meets_target": engine_ms < 20,
        },
    }
    if not oracle.available():
        result["policyengine_uk"] = {"skipped": "policyengine-uk is not installed"}
        return result
    start = time.perf_counter()
    import policyengine_uk  # noqa: F401

    import_s = time.perf_counter() - start
    points = [(household, Decimal(h)) for h in CURVE_HOURS]
    reference = []
    for _ in range(reference_runs):
        start = time.perf_counter()
        oracle.run(points)
        reference.append(time.perf_counter() - start)
    reference_s = statistics.median(reference)
    result["policyengine_uk"] = {
        "version": oracle.PINNED_VERSION,
        "import_s": round(import_s, 2),
        "runs": reference_runs,
        "median_batched_s": round(reference_s, 2),
    }
    result["ratio"] = round(reference_s * 1000 / engine_ms)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--reference-runs", type=int, default=3)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "benefits.json"))
    args = parser.parse_args()
    result = run(args.runs, args.reference_runs)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    engine = result["engine"]
    print(f"engine, 41-point curve (warm, median of {engine['runs']}): {engine['median_ms']} ms")
    reference = result["policyengine_uk"]
    if "median_batched_s" in reference:
        print(
            f"policyengine-uk {reference['version']}, 41 points in one Simulation "
            f"(median of {reference['runs']}): {reference['median_batched_s']} s "
            f"(+ {reference['import_s']} s import)"
        )
        print(f"ratio: {result['ratio']:,}x")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
