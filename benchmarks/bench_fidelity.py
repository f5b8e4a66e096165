"""Benchmark: computing IPS-25 fidelity evidence for a team over a year, at demo scale.

    python benchmarks/bench_fidelity.py [--people 1000] [--years 2] [--runs 5]
                                        [--out benchmarks/results/fidelity.json]

Builds a fresh SQLite database in a temporary directory (or uses DATABASE_URL when it points
at PostgreSQL: give it an empty database), migrates it, and fills one service with
``--people`` people: through the synthetic generator (``ipsworks.demo.synthetic``) when it is
present, otherwise with a plain bulk builder. The generator writes referrals, contacts,
profiles, disclosure plans and team meetings; this script adds what it does not (yet) write
with the same seed: employer contacts, jobs, in-work support check-ins and better-off
calculations, at rates like a real service's (about 40% of accessed people start a job).

Then it times, over ``--runs`` runs after a warm-up:

* the evidence for all 25 items for the busiest team over the last full 12 months
  (``fidelity.evidence.compute``): what starting a review or refreshing its evidence costs;
* the same for the whole service;
* starting a review (evidence plus writing its 25 ratings);

and counts the SQL queries of each, to show they do not depend on the number of rows. Prints a
table and writes JSON. From benchmarks/run.py, in a process of its own (it sets up Django on
its own fresh database, so it must not share a process that has already set up another):

    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_fidelity.py")], check=True)
    results["fidelity"] = json.loads((RESULTS / "fidelity.json").read_text())

or, in a fresh process, ``from benchmarks.bench_fidelity import run; run(people=1000)``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results" / "fidelity.json"
SEED = 2026


def _prepare_database() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not (url and urlsplit(url).scheme in ("postgres", "postgresql", "pgsql")):
        scratch = Path(tempfile.mkdtemp(prefix="ipsworks-bench-fidelity-"))
        url = f"sqlite:///{scratch / 'bench.sqlite3'}"
        os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipsworks.config.settings")
    os.environ.setdefault("IPS_SECRET_KEY", "benchmark-only-not-secret")
    os.environ.setdefault("IPS_DEBUG", "0")
    return url


def _summary(timings: list[float]) -> dict:
    ordered = sorted(timings)
    return {
        "runs": len(ordered),
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[math.ceil(len(ordered) * 0.95) - 1], 1),  # nearest rank
        "max_ms": round(ordered[-1], 1),
    }


# --- data ------------------------------------------------------------------------------------


def _generate(people: int, years: int, today: date) -> str:
    """People, referrals, contacts and staff: the synthetic generator, or a plain fallback."""
    try:
        from ipsworks.demo import synthetic
    except ImportError:
        _fallback_people(people, years, today)
        return "fallback bulk builder (ipsworks.demo.synthetic not present)"
    synthetic.generate(
        synthetic.Options(services=1, people=people, seed=SEED, years=years, today=today)
    )
    return "ipsworks.demo.synthetic"


def _fallback_people(people: int, years: int, today: date) -> None:
    from ipsworks.access.roles import Role
    from ipsworks.activity.models import Contact
    from ipsworks.organisations.models import Service, Team
    from ipsworks.people.models import Episode, Person, Referral
    from tests import factories as f

    rng = random.Random(SEED)
    service = Service.objects.create(name="Benchmark IPS", short_name="benchmark")
    teams = [Team.objects.create(service=service, name=f"Team {n} CMHT") for n in range(3)]
    specialists = []
    for n in range(max(2, people // 60)):
        es = f.StaffFactory(role=Role.EMPLOYMENT_SPECIALIST, service=service, teams=[teams[n % 3]])
        specialists.append(es)
    f.StaffFactory(role=Role.MANAGER, service=service)
    start = today - timedelta(days=365 * years)
    persons = Person.objects.bulk_create(
        Person(service=service, given_name="Bench", family_name=f"Person{n}") for n in range(people)
    )
    referrals, episodes, contacts = [], [], []
    for person in persons:
        es = rng.choice(specialists)
        team = es.teams.first() if rng.random() < 0.9 else rng.choice(teams)
        received = start + timedelta(days=rng.randint(0, 365 * years - 1))
        referrals.append(
            Referral(
                service=service,
                person=person,
                team=team,
                allocated_to=es,
                source=rng.choice(["clinical_team", "clinical_team", "self", "gp"]),
                received_on=received,
                status="first_contact",
                employment_status_at_referral="02",
            )
        )
    Referral.objects.bulk_create(referrals)
    for referral in referrals:
        if rng.random() > 0.78:
            continue
        access = min(today, referral.received_on + timedelta(days=rng.randint(0, 40)))
        episodes.append(
            Episode(
                referral=referral, service=service, person_id=referral.person_id, access_date=access
            )
        )
        day = access
        while day <= today:
            contacts.append(
                Contact(
                    service=service,
                    person_id=referral.person_id,
                    referral=referral,
                    staff_id=referral.allocated_to_id,
                    contact_date=day,
                    mode="face_to_face",
                    place=rng.choice(["community", "home", "office"]),
                    duration_minutes=rng.choice([30, 45, 60]),
                    consultation_medium="01",
                    attended_or_dna="5",
                    is_direct=True,
                )
            )
            day += timedelta(days=rng.randint(7, 21))
    Episode.objects.bulk_create(episodes)
    Contact.objects.bulk_create(contacts, batch_size=2000)


def _add_job_development(today: date) -> dict:
    """Employer contacts, jobs, check-ins and better-off calculations for the service."""
    from ipsworks.access.roles import Role
    from ipsworks.benefits.models import BetterOffCalculation
    from ipsworks.employers.models import Employer, EmployerContact
    from ipsworks.jobs.models import Job, SocMajorGroup, SupportCheckIn
    from ipsworks.organisations.models import Service, StaffMember
    from ipsworks.people.models import Episode

    rng = random.Random(SEED + 1)
    service = Service.objects.order_by("pk").first()
    staff = list(StaffMember.objects.filter(service=service, role=Role.EMPLOYMENT_SPECIALIST))
    manager = StaffMember.objects.filter(service=service, role=Role.MANAGER).first() or staff[0]
    sectors = [s for s, _ in Employer.Sector.choices]
    employers = Employer.objects.bulk_create(
        Employer(
            service=service,
            name=f"Benchmark employer {n}",
            sector=rng.choice(sectors),
            size_band="small",
            postcode=f"AA{n % 99} 1AA",
        )
        for n in range(150)
    )
    episodes = list(
        Episode.objects.filter(service=service).select_related("referral").order_by("pk")
    )
    contacts, jobs = [], []
    for episode in episodes:
        es_id = episode.referral.allocated_to_id or rng.choice(staff).pk
        first = episode.access_date + timedelta(days=int(rng.expovariate(1 / 35)))
        day = first
        for _ in range(rng.randint(0, 6)):
            if day > today:
                break
            contacts.append(
                EmployerContact(
                    service=service,
                    employer=rng.choice(employers),
                    staff_id=es_id,
                    person_id=episode.person_id,
                    contact_date=day,
                    mode=rng.choice(["face_to_face", "face_to_face", "phone"]),
                    purpose="present_person",
                    duration_minutes=rng.choice([20, 30, 45]),
                )
            )
            day += timedelta(days=rng.randint(5, 30))
        if rng.random() < 0.4 and first + timedelta(days=20) <= today:
            start = min(today, first + timedelta(days=rng.randint(10, 120)))
            jobs.append(
                Job(
                    service=service,
                    person_id=episode.person_id,
                    referral_id=episode.referral_id,
                    employer=rng.choice(employers),
                    job_title=rng.choice(["Warehouse operative", "Barista", "Care assistant"]),
                    soc_major_group=rng.choice(SocMajorGroup.values),
                    contract_type=rng.choice(["permanent"] * 8 + ["temporary"] * 2),
                    start_date=start,
                    hours_per_week=Decimal(rng.choice([8, 16, 20, 30])),
                    hourly_pay_pence=1300,
                    competitive=rng.random() < 0.95,
                    four_hours_worked=True,
                    recorded_by_id=es_id,
                )
            )
    for es in staff:  # general visits to learn employers' needs, about five a week each
        day = today - timedelta(days=400)
        while day <= today:
            contacts.append(
                EmployerContact(
                    service=service,
                    employer=rng.choice(employers),
                    staff=es,
                    contact_date=day,
                    mode="face_to_face",
                    purpose="learn_needs",
                    duration_minutes=45,
                )
            )
            day += timedelta(days=rng.randint(1, 2))
    EmployerContact.objects.bulk_create(contacts, batch_size=2000)
    Job.objects.bulk_create(jobs, batch_size=2000)
    check_ins, calculations, calculation_days = [], [], []
    for job in Job.objects.filter(service=service):
        due = job.start_date + timedelta(days=3)
        while due <= today + timedelta(days=30):
            late = rng.random() < 0.15
            met = None if due > today else due + timedelta(days=rng.randint(1, 9) if late else 0)
            check_ins.append(
                SupportCheckIn(
                    service=service,
                    job=job,
                    person_id=job.person_id,
                    kind="monthly",
                    opens_on=due - timedelta(days=7),
                    due_on=due,
                    met_on=met if met is None or met <= today else None,
                )
            )
            due += timedelta(days=30)
        if rng.random() < 0.75:
            on = job.start_date - timedelta(days=rng.randint(-10, 40))  # mostly before the start
            calculations.append(
                BetterOffCalculation(
                    service=service,
                    person_id=job.person_id,
                    tax_year="2025-26",
                    engine_version="benchmark",
                    inputs={},
                    results={},
                    recorded_by=manager,
                )
            )
            calculation_days.append(on)
    SupportCheckIn.objects.bulk_create(check_ins, batch_size=2000)
    BetterOffCalculation.objects.bulk_create(calculations, batch_size=2000)
    # recorded_at is stamped on save; date each calculation as planned (the base manager, as
    # the append-only manager refuses updates by design).
    for calculation, on in zip(calculations, calculation_days, strict=True):
        BetterOffCalculation._base_manager.filter(pk=calculation.pk).update(
            recorded_at=datetime.combine(on, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
        )
    return {
        "employer_contacts": len(contacts),
        "jobs": len(jobs),
        "check_ins": len(check_ins),
        "better_off_calculations": len(calculations),
    }


# --- timing ----------------------------------------------------------------------------------


def _timed(function, runs: int) -> tuple[dict, int]:
    from django.db import connection, reset_queries

    function()  # warm caches (scale file, sector words, query plans)
    timings, queries = [], 0
    connection.force_debug_cursor = True
    try:
        for _ in range(runs):
            reset_queries()
            started = time.perf_counter()
            function()
            timings.append((time.perf_counter() - started) * 1000)
            queries = len(connection.queries)
    finally:
        connection.force_debug_cursor = False
    return _summary(timings), queries


def run(people: int = 1000, years: int = 2, runs: int = 5) -> dict:
    url = _prepare_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Count

    call_command("migrate", verbosity=0)
    today = date.today()
    started = time.perf_counter()
    with transaction.atomic():
        source = _generate(people, years, today)
        added = _add_job_development(today)
    build_seconds = time.perf_counter() - started

    from ipsworks.access.roles import Role
    from ipsworks.fidelity import evidence, services
    from ipsworks.fidelity.models import FidelityReview
    from ipsworks.organisations.models import Service, StaffMember
    from ipsworks.outcomes.periods import Period
    from ipsworks.people.models import Referral

    service = Service.objects.order_by("pk").first()
    end = today.replace(day=1) - timedelta(days=1)  # the last full month's last day
    after = end + timedelta(days=1)
    start = after.replace(year=after.year - 1)  # twelve whole months
    period = Period(start, end, "last 12 months")
    busiest = (
        Referral.objects.filter(service=service, team__isnull=False)
        .values("team_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()["team_id"]
    )
    team_scope = evidence.Scope(service.pk, (busiest,), period, today)
    service_scope = evidence.Scope(service.pk, None, period, today)
    team_timing, team_queries = _timed(lambda: evidence.compute(team_scope), runs)
    service_timing, service_queries = _timed(lambda: evidence.compute(service_scope), runs)
    manager = StaffMember.objects.filter(service=service, role=Role.MANAGER).first()

    def start_review():
        with transaction.atomic():
            services.start_review(
                service=service,
                period_start=period.start,
                period_end=period.end,
                kind="self_assessment",
                teams=[service.teams.get(pk=busiest)],
                reviewers=[],
                by=manager,
                today=today,
            )
            transaction.set_rollback(True)

    review_timing, review_queries = _timed(start_review, runs)
    found = evidence.compute(team_scope)
    per_item = {}
    for number in sorted(evidence.COMPUTE):
        timing, _ = _timed(lambda n=number: evidence.compute(team_scope, [n]), max(1, runs // 2))
        per_item[number] = timing["median_ms"]
    rows = {model._meta.db_table: model.objects.count() for model in (Referral, FidelityReview)}
    result = {
        "benchmark": "fidelity evidence (IPS-25)",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "database": connection.vendor,
        "database_url": "sqlite (temporary file)" if url.startswith("sqlite") else "postgresql",
        "data": {
            "source": source,
            "people": people,
            "years": years,
            "build_seconds": round(build_seconds, 1),
            "referrals": rows[Referral._meta.db_table],
            **added,
        },
        "period": [period.start.isoformat(), period.end.isoformat()],
        "team_year": {**team_timing, "queries": team_queries},
        "service_year": {**service_timing, "queries": service_queries},
        "start_review": {**review_timing, "queries": review_queries},
        "team_year_per_item_ms": per_item,
        "team_figures": {
            n: (None if e.value is None else str(e.value)) for n, e in sorted(found.items())
        },
    }
    return result


def _print(result: dict) -> None:
    print(f"Fidelity evidence, {result['database']}, data from {result['data']['source']}")
    data = result["data"]
    print(
        f"  {data['people']:,} people, {data['referrals']:,} referrals, {data['jobs']:,} jobs, "
        f"{data['employer_contacts']:,} employer contacts (built in {data['build_seconds']} s)"
    )
    print(f"  {'what':<34}{'median ms':>11}{'p95 ms':>9}{'queries':>9}")
    for key, label in (
        ("team_year", "all 25 items, one team, a year"),
        ("service_year", "all 25 items, whole service"),
        ("start_review", "start a review (evidence + save)"),
    ):
        row = result[key]
        print(f"  {label:<34}{row['median_ms']:>11}{row['p95_ms']:>9}{row['queries']:>9}")
    slowest = sorted(result["team_year_per_item_ms"].items(), key=lambda kv: -kv[1])[:5]
    print("  slowest items (ms): " + ", ".join(f"{n}: {ms}" for n, ms in slowest))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--years", type=int, default=2, choices=(1, 2, 3))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    result = run(people=args.people, years=args.years, runs=args.runs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    _print(result)
    print(f"Written to {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()
