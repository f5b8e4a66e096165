"""Scale benchmark: synthetic people in a fresh database, the busiest pages, and the rest.

For each scale (people; 10,000 and 100,000 by default, 1,000,000 with --million):

1. a fresh database: a new SQLite file in a temporary directory, or, when DATABASE_URL
   points at PostgreSQL, a new database on that server (dropped afterwards);
2. migrate, then the synthetic generator (1,000 people per service, as a national
   installation of 1,000 services and a million people would have), timed per table;
3. server time (median and 95th centile over --requests requests, after a warm-up) and SQL
   query count of the pages people use most, each signed in as the person who uses it:
   an employment specialist with a typical (median) caseload: their caseload, the page of
   the busiest person on it, "my week", the job-start form (GET, and a POST of a valid job
   start through the page, rolled back each time), their diary's week and day (a busy week of
   25 appointments booked for them first), and My tasks; that specialist's service manager: the
   service outcome dashboard; a commissioner of that service: the commissioner's page.

The query counts are there to show they do not grow with N. Each scale runs in its own
process so settings, connections and memory start clean.

Then the other engineers' standalone benchmarks, each in its own process, folded into the
same results: the better-off engine against policyengine-uk (benchmarks/bench_benefits.py),
vacancy matching (bench_matching.py), IPS-25 fidelity evidence (bench_fidelity.py) and the
clinical-system import (bench_import.py, when present). --skip-others leaves them out.

With --outcomes-scale, also the outcomes comparison of benchmarks/bench_outcomes.py (issue 5:
a million people on PostgreSQL, and one service of 5,000 people; the registry's SQL against
DuckDB over Parquet and pandas over CSV). It takes about an hour, most of it generating.

Results go to benchmarks/results/bench-<scale>.json (bench-<scale>-<engine>.json for
engines other than SQLite) and benchmarks/results/latest.json, with the scale beside every
figure, and a table is printed.

Usage: python benchmarks/run.py [--scales 10000,100000] [--million] [--requests 30]
                                [--skip-others] [--outcomes-scale]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
PEOPLE_PER_SERVICE = 1000


class Page:
    """A page to time: who asks for it, with which arguments, by GET or by POST."""

    def __init__(self, name: str, url_name: str, who: str, *, person=False, post=False):
        self.name, self.url_name, self.who = name, url_name, who
        self.person, self.post = person, post


PAGES = (
    Page("caseload", "caseload", "specialist"),
    Page("person", "person_detail", "specialist", person=True),
    Page("my_week", "my_week", "specialist"),
    Page("job_new", "job_new", "specialist", person=True),
    Page("job_new_post", "job_new", "specialist", person=True, post=True),
    Page("diary_week", "my_diary", "specialist"),
    Page("diary_day", "my_day", "specialist"),
    Page("my_tasks", "my_tasks", "specialist"),
    Page("service_dashboard", "service_dashboard", "manager"),
    Page("outcomes_overview", "outcomes_overview", "commissioner"),
)


# --- The parent: databases, child processes, the summary ------------------------------------


def _is_postgres(url: str) -> bool:
    return urlsplit(url).scheme in ("postgres", "postgresql", "pgsql")


def _maintenance(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _pg_admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(_maintenance(url), autocommit=True) as conn:
        conn.execute(sql)


def _run_scale(scale: int, args: argparse.Namespace) -> dict:
    """Run one scale in a child process against a database made for it."""
    base_url = os.environ.get("DATABASE_URL", "")
    scratch = Path(tempfile.mkdtemp(prefix=f"ipsworks-bench-{scale}-"))
    database = None
    if args.measure:
        url = args.measure
    elif base_url and _is_postgres(base_url):
        database = f"ipsworks_bench_{scale}_{os.getpid()}"
        _pg_admin(base_url, f'CREATE DATABASE "{database}"')
        url = _with_database(base_url, database)
    else:
        url = f"sqlite:///{scratch / 'bench.sqlite3'}"
    out = scratch / "result.json"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "ipsworks.config.settings",
        "IPS_DEBUG": "0",
        # Pages are measured as drawn; what keeping them saves is the load test's subject.
        "IPS_PAGE_CACHE": "0",
        "IPS_SECRET_KEY": os.environ.get("IPS_SECRET_KEY", "benchmark-only-not-secret"),
        "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
    }
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        "--scale",
        str(scale),
        "--out",
        str(out),
        "--requests",
        str(args.requests),
        "--warmup",
        str(args.warmup),
        "--seed",
        str(args.seed),
        "--years",
        str(args.years),
    ]
    if args.workers:
        command += ["--workers", str(args.workers)]
    if args.measure:
        command.append("--pages-only")
    try:
        subprocess.run(command, env=env, cwd=ROOT, check=True)
        result = json.loads(out.read_text())
    finally:
        holds_database = not (args.measure or database)
        if args.keep or args.measure:
            print(f"kept the database: {url}")
        elif database:
            _pg_admin(base_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        if not (args.keep and holds_database):
            shutil.rmtree(scratch, ignore_errors=True)
    return result


def _result_path(result: dict) -> Path:
    engine = result["database"]["engine"]
    suffix = "" if engine == "sqlite" else f"-{engine}"
    return RESULTS / f"bench-{result['scale']}{suffix}.json"


def _ms(page: dict, key: str) -> str:
    value = page.get(key)
    return "-" if value is None else f"{value:.1f}"


def _print_table(results: list[dict]) -> None:
    header = f"{'people':>10} {'engine':<10} {'rows':>12} {'gen s':>8} {'rows/s':>9} {'peak MB':>8}"
    print()
    print("Synthetic data written")
    print(header)
    print("-" * len(header))
    for r in results:
        gen = r.get("generation") or {}
        if not gen:
            continue
        peak = gen.get("peak_memory_mb", {})
        print(
            f"{r['scale']:>10,} {r['database']['engine']:<10} {gen['rows']:>12,} "
            f"{gen['seconds']:>8.1f} {gen['rows_per_second']:>9,} "
            f"{max(peak.values(), default=0):>8,.0f}"
        )
    print()
    print("Pages: server time in ms (median / 95th centile) and SQL queries")
    header = f"{'people':>10} {'engine':<10} {'page':<18} {'as':<13} {'ms':>17} {'queries':>8}"
    print(header)
    print("-" * len(header))
    for r in results:
        for name, page in r["pages"].items():
            if page.get("error"):
                timing, queries = "error", "-"
            else:
                timing = f"{_ms(page, 'median_ms')} / {_ms(page, 'p95_ms')}"
                queries = page.get("queries", "-")
            print(
                f"{r['scale']:>10,} {r['database']['engine']:<10} {name:<18} "
                f"{page.get('as', ''):<13} {timing:>17} {queries:>8}"
            )
    for r in results:
        load = r.get("machine", {}).get("load_average_1m_during_pages", {})
        if load:
            print(
                f"{r['scale']:,} people: load average (1 min) {load.get('before')} before the "
                f"pages, {load.get('after')} after, on {r['machine'].get('cpu_count')} CPUs"
            )
        for name, page in r["pages"].items():
            if page.get("error"):
                print(f"{r['scale']:,} {name}: {page['error']}")
            elif page.get("queries_for_other_people"):
                others = ", ".join(str(n) for n in page["queries_for_other_people"])
                print(f"{r['scale']:,} {name} page queries for other people on it: {others}")
    print()


def _update_latest(results: list[dict], others: dict | None = None) -> None:
    """latest.json: the latest result for every scale and engine, and of each other benchmark."""
    path = RESULTS / "latest.json"
    latest = json.loads(path.read_text()) if path.exists() else {}
    runs = latest.get("runs", [])
    key = lambda r: (r["database"]["engine"], r["scale"])  # noqa: E731
    fresh = {key(r) for r in results}
    latest["runs"] = sorted([r for r in runs if key(r) not in fresh] + results, key=key)
    if others:
        latest["other_benchmarks"] = {**latest.get("other_benchmarks", {}), **others}
    path.write_text(json.dumps(latest, indent=2, default=str) + "\n")


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    if args.child:
        return _child(args)
    scales = [int(s.replace("_", "").replace(",", "")) for s in args.scales.split(",") if s]
    if args.million and 1_000_000 not in scales:
        scales.append(1_000_000)
    RESULTS.mkdir(parents=True, exist_ok=True)
    results = []
    if args.measure and len(scales) != 1:
        print("--measure needs exactly one scale in --scales (the kept database's)")
        return 2
    for scale in scales:
        print(f"== {scale:,} people ==", flush=True)
        result = _run_scale(scale, args)
        path = _result_path(result)
        if args.measure:
            # Pages measured again on a kept database: keep that file's generation figures.
            earlier = json.loads(path.read_text()) if path.exists() else {}
            result = {**earlier, **result, "generation": earlier.get("generation", {})}
        path.write_text(json.dumps(result, indent=2) + "\n")
        results.append(result)
    others = {} if args.skip_others or args.measure else _run_others(args)
    if args.outcomes_scale:
        others["outcomes_scale"] = _run_outcomes(args)
    _update_latest(results, others)
    _print_table(results)
    _print_others(others)
    print(f"Results written to {RESULTS.relative_to(ROOT)}/")
    return 0


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="10000,100000", help="people, comma-separated")
    parser.add_argument("--million", action="store_true", help="add 1,000,000 people")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests first")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--years", type=int, default=3, choices=[1, 2, 3])
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="generator processes (PostgreSQL only; default: one per CPU)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument(
        "--measure",
        metavar="DATABASE_URL",
        help="only measure the pages again, on a database kept with --keep (one scale)",
    )
    parser.add_argument(
        "--skip-others",
        action="store_true",
        help="leave out the benefits, matching, fidelity and import benchmarks",
    )
    parser.add_argument(
        "--outcomes-scale",
        action="store_true",
        help="add the outcomes comparison at a million people (PostgreSQL; about an hour)",
    )
    parser.add_argument(
        "--outcomes-database",
        metavar="DATABASE_URL",
        help="with --outcomes-scale: a database bench_outcomes.py kept, instead of a new one",
    )
    parser.add_argument(
        "--outcomes-generation-json",
        metavar="PATH",
        help="with --outcomes-database: how that database was filled (JSON), kept with it",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--pages-only", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# --- The other benchmarks, each in its own process --------------------------------------------

# (name, how to run it, what its figures are measured on). Each writes JSON to the path given.
OTHERS = (
    (
        "benefits",
        "from benchmarks.bench_benefits import run; result = run(runs=500, reference_runs=3)",
        "one household's 41-point better-off curve (0 to 40 hours); policyengine-uk batched",
    ),
    (
        "matching",
        "from benchmarks.bench_matching import run; "
        "result = run(vacancies=100_000, people=20_000, runs=50)",
        "100,000 open vacancies ranked for one person; 20,000 people ranked for one vacancy",
    ),
    (
        "fidelity",
        "from benchmarks.bench_fidelity import run; result = run(people=1000, years=2, runs=5)",
        "IPS-25 evidence for one service of 1,000 people over 2 years (a team, the service)",
    ),
)
_CHILD_CODE = (
    "import json, sys; sys.path.insert(0, {root!r}); {code}; "
    "open({out!r}, 'w').write(json.dumps(result, indent=2, default=str))"
)


def _other_env(name: str) -> tuple[dict, callable]:
    """Environment for one standalone benchmark: a database of its own when on PostgreSQL."""
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
    }
    base_url = os.environ.get("DATABASE_URL", "")
    if name == "fidelity" and base_url and _is_postgres(base_url):
        database = f"ipsworks_bench_{name}_{os.getpid()}"
        _pg_admin(base_url, f'CREATE DATABASE "{database}"')
        env["DATABASE_URL"] = _with_database(base_url, database)
        return env, lambda: _pg_admin(
            base_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'
        )
    if name == "fidelity":
        env.pop("DATABASE_URL", None)  # its own temporary SQLite file
    return env, lambda: None


def _run_others(args: argparse.Namespace) -> dict:
    results: dict = {}
    scratch = Path(tempfile.mkdtemp(prefix="ipsworks-bench-others-"))
    try:
        for name, code, scale in OTHERS:
            print(f"== {name} ==", flush=True)
            out = scratch / f"{name}.json"
            env, cleanup = _other_env(name)
            began = time.perf_counter()
            try:
                subprocess.run(
                    [
                        sys.executable,
                        "-c",
                        _CHILD_CODE.format(root=str(ROOT), code=code, out=str(out)),
                    ],
                    env=env,
                    cwd=ROOT,
                    check=True,
                )
                # Folded into latest.json; the benchmark's own results file is left as it is.
                results[name] = {"scale": scale, **json.loads(out.read_text())}
            except (subprocess.CalledProcessError, OSError, ValueError) as error:
                results[name] = {"scale": scale, "error": f"{type(error).__name__}: {error}"}
            finally:
                cleanup()
            results[name]["wall_seconds"] = round(time.perf_counter() - began, 1)
            results[name]["load_average_1m_after"] = round(os.getloadavg()[0], 2)
        results["import"] = _run_import()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return results


def _run_import() -> dict:
    """bench_import.py, when it exists: 100,000 rows of a clinical-system export, twice."""
    script = ROOT / "benchmarks" / "bench_import.py"
    scale = "a 100,000-row clinical-system export, then the same file again"
    if not script.exists():
        return {"scale": scale, "skipped": "benchmarks/bench_import.py is not there yet"}
    print("== import ==", flush=True)
    began = time.perf_counter()
    # It writes its figures to its own results file; read them, then put that file back.
    own = RESULTS / "import.json"
    kept = own.read_bytes() if own.exists() else None
    try:
        subprocess.run(
            [sys.executable, str(script), "--rows", "100000"],
            env={**os.environ, "PYTHONPATH": str(ROOT / "benchmarks")},
            cwd=ROOT,
            check=True,
        )
        figures = json.loads(own.read_text())
    except (subprocess.CalledProcessError, OSError, ValueError) as error:
        return {"scale": scale, "error": f"{type(error).__name__}: {error}"}
    finally:
        if kept is not None:
            own.write_bytes(kept)
    engine = "postgresql" if _is_postgres(os.environ.get("DATABASE_URL", "")) else "sqlite"
    return {
        "scale": scale,
        engine: figures.get(engine, figures),  # this run's engine only
        "wall_seconds": round(time.perf_counter() - began, 1),
        "load_average_1m_after": round(os.getloadavg()[0], 2),
    }


def _run_outcomes(args: argparse.Namespace) -> dict:
    """bench_outcomes.py at full scale, in its own process; its JSON is read back."""
    print("== outcomes at national scale ==", flush=True)
    command = [sys.executable, str(ROOT / "benchmarks" / "bench_outcomes.py")]
    if args.outcomes_database:
        command += ["--database", args.outcomes_database]
    if args.outcomes_generation_json:
        command += ["--generation-json", args.outcomes_generation_json]
    try:
        subprocess.run(command, cwd=ROOT, check=True)
        return json.loads((RESULTS / "outcomes.json").read_text())
    except (subprocess.CalledProcessError, OSError, ValueError) as error:
        return {"error": f"{type(error).__name__}: {error}"}


def _print_others(others: dict) -> None:
    if not others:
        return
    print("Other benchmarks")
    for name, result in others.items():
        if name == "outcomes_scale":
            continue
        if result.get("error") or result.get("skipped"):
            print(f"  {name}: {result.get('error') or result.get('skipped')}")
            continue
        print(f"  {name} ({result['scale']}): {_headline(name, result)}")
    if "outcomes_scale" in others:
        sys.path.insert(0, str(ROOT))
        from benchmarks.bench_outcomes import print_table

        print_table(others["outcomes_scale"])
    print()


def _headline(name: str, result: dict) -> str:
    """The one line worth reading from each benchmark's JSON."""
    try:
        if name == "benefits":
            engine, reference = result["engine"], result["policyengine_uk"]
            return (
                f"engine {engine['median_ms']} ms median (target {engine['target_ms']} ms); "
                f"policyengine-uk {reference['median_batched_s']} s batched"
            )
        if name == "matching":
            one, other = result["vacancies_for_a_person"], result["people_for_a_vacancy"]
            return (
                f"vacancies for a person {one['vectorised']['median_ms']} ms median "
                f"({one['speed_up']}x the naive loop); people for a vacancy "
                f"{other['vectorised']['median_ms']} ms"
            )
        if name == "fidelity":
            team, service = result["team_year"], result["service_year"]
            return (
                f"a team's year {team['median_ms']} ms median, {team['queries']} queries; the "
                f"service's year {service['median_ms']} ms, {service['queries']} queries"
            )
        if name == "import":
            engines = {k: v for k, v in result.items() if isinstance(v, dict) and "rows" in v}
            return "; ".join(
                f"{engine}: {v['import_rows_per_second']:,} rows/s, the same file again "
                f"{v.get('reimport_rows_per_second', '-'):,} rows/s"
                for engine, v in engines.items()
            )
    except (KeyError, TypeError):
        pass
    return json.dumps(result)[:200]


# --- The child: one scale, one fresh database ------------------------------------------------


def _child(args: argparse.Namespace) -> int:
    import warnings

    import django

    # WhiteNoise warns that collectstatic has not run; static files are not measured here.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

    django.setup()
    from django.db import connection

    started_at = datetime.now(UTC)
    result: dict = {"scale": args.scale, "started_at": started_at.isoformat(timespec="seconds")}
    if args.pages_only:
        result["pages_measured_again"] = True
    else:
        result["generation"] = _generate(args)
    connection.close()  # workers may have forked; start the page timings on a fresh connection

    subject = _typical_specialist()
    subject["diary_appointments_this_week"] = _book_diary_week(subject)
    load_before = os.getloadavg()[0]
    pages = _measure_pages(subject, args.requests, args.warmup)
    # Other work on the machine shows up in the timings (not in the query counts): say how
    # busy it was, so a reader can tell a slow page from a busy machine.
    load = {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)}
    result.update(
        {
            "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": _database_info(),
            "machine": {**_machine_info(), "load_average_1m_during_pages": load},
            "subject": {k: v for k, v in subject.items() if k != "users"},
            "pages": pages,
        }
    )
    Path(args.out).write_text(json.dumps(result, indent=2, default=str))
    for name, page in pages.items():
        shown = page.get("error") or (
            f"median {page['median_ms']:.1f} ms, p95 {page['p95_ms']:.1f} ms, "
            f"{page['queries']} queries"
        )
        print(f"  {name}: {shown}", flush=True)
    return 0


def _generate(args: argparse.Namespace) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from ipsworks.demo.synthetic import Options, Progress, generate

    begin = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_seconds = time.perf_counter() - begin

    workers = args.workers or (os.cpu_count() or 1)
    if connection.vendor != "postgresql":
        workers = 1
    options = Options(
        services=max(2, args.scale // PEOPLE_PER_SERVICE),
        people=args.scale,
        seed=args.seed,
        years=args.years,
        workers=workers,
    )
    last_report = [0.0]

    def progress(p: Progress) -> None:
        if p.seconds - last_report[0] >= 10 or p.people_done >= p.people:
            last_report[0] = p.seconds
            rate = p.rows / p.seconds if p.seconds else 0
            print(
                f"  {p.people_done:>9,} of {p.people:,} people, {p.rows:>11,} rows, "
                f"{rate:>8,.0f} rows/s",
                flush=True,
            )

    stats = generate(options, progress=progress)
    print(
        f"  generated {stats.total_rows:,} rows in {stats.seconds:.1f} s "
        f"({stats.rows_per_second:,.0f} rows/s)",
        flush=True,
    )
    return {
        "services": stats.services,
        "people": stats.people,
        "employment_specialists": stats.specialists,
        "years": options.years,
        "seed": options.seed,
        "workers": workers,
        "chunk_people": options.chunk_people,
        "migrate_seconds": round(migrate_seconds, 2),
        "seconds": round(stats.seconds, 2),
        "analyse_seconds": round(stats.analyse_seconds, 2),
        "rows": stats.total_rows,
        "rows_per_second": round(stats.rows_per_second),
        "tables": stats.table_rates(),
        "peak_memory_mb": _peak_memory_mb(),
    }


def _typical_specialist() -> dict:
    """Who the pages are timed for.

    The specialist whose open caseload is the median one, and the busiest person on it; that
    specialist's service manager; a commissioner of that service; an employer of the service
    (for the job start that is posted).
    """
    from django.db.models import Count

    from ipsworks.access.roles import Role
    from ipsworks.employers.models import Employer
    from ipsworks.organisations.models import StaffMember
    from ipsworks.people.models import Referral, ReferralStatus

    open_referrals = Referral.objects.exclude(status=ReferralStatus.CLOSED)
    sizes = list(
        open_referrals.filter(allocated_to__role=Role.EMPLOYMENT_SPECIALIST)
        .values("allocated_to")
        .annotate(n=Count("pk"))
        .order_by("n", "allocated_to")
        .values_list("allocated_to", "n")
    )
    staff_id, caseload = sizes[len(sizes) // 2]
    member = StaffMember.objects.select_related("user").get(pk=staff_id)
    manager = (
        StaffMember.objects.select_related("user")
        .filter(service_id=member.service_id, role=Role.MANAGER)
        .order_by("pk")
        .first()
    )
    commissioner = (
        StaffMember.objects.select_related("user")
        .filter(role=Role.COMMISSIONER, commissioned_services=member.service_id)
        .order_by("pk")
        .first()
    )
    on_caseload = list(
        open_referrals.filter(allocated_to=member)
        .annotate(contacts_count=Count("contacts"))
        .order_by("-contacts_count", "pk")
        .values("person_id", "contacts_count")
    )
    busiest = on_caseload[0]
    # A spread of others, from the busiest record to the quietest, to show that the person
    # page's query count does not depend on how much one person's record holds either.
    step = max(1, len(on_caseload) // 4)
    others = [row["person_id"] for row in on_caseload[step::step]][:4]
    employer = Employer.objects.filter(service_id=member.service_id).order_by("pk").first()
    return {
        "users": {
            "specialist": member.user,
            "manager": manager.user if manager else None,
            "commissioner": commissioner.user if commissioner else None,
        },
        "username": member.user.username,
        "manager": manager.user.username if manager else None,
        "commissioner": commissioner.user.username if commissioner else None,
        "commissioned_services": commissioner.commissioned_services.count() if commissioner else 0,
        "service_people": member.service.people.count(),
        "open_caseload": caseload,
        "caseload_sizes": {
            "min": sizes[0][1],
            "median": caseload,
            "max": sizes[-1][1],
            "specialists": len(sizes),
        },
        "person_id": busiest["person_id"],
        "person_contacts": busiest["contacts_count"],
        "other_person_ids": others,
        "employer_id": employer.pk if employer else None,
    }


# Five a day; the last two overlap (14:30 to 15:30 and 15:00 to 16:00), as a clash is drawn.
_DIARY_STARTS = [(9, 0), (10, 30), (13, 0), (14, 30), (15, 0)]


def _book_diary_week(subject: dict) -> int:
    """Fill the specialist's diary for the week being measured as a busy week looks: five
    appointments each working day with people on their caseload, one a clash, the earlier
    days' outcomes recorded (the generator writes no appointments). Returns how many."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from ipsworks.core.dates import local_today
    from ipsworks.diary.models import Appointment
    from ipsworks.organisations.models import StaffMember
    from ipsworks.people.models import Referral, ReferralStatus

    member = StaffMember.objects.get(user=subject["users"]["specialist"])
    people = list(
        Referral.objects.filter(allocated_to=member)
        .exclude(status=ReferralStatus.CLOSED)
        .values_list("person_id", flat=True)[:25]
    )
    today = local_today()
    monday = today - timedelta(days=today.weekday())
    zone = timezone.get_current_timezone()
    rows = []
    for i, person_id in enumerate(people):
        day = monday + timedelta(days=i // 5)
        start = datetime.combine(day, time(*_DIARY_STARTS[i % 5]), zone)
        rows.append(
            Appointment(
                service_id=member.service_id,
                staff=member,
                created_by=member,
                kind=Appointment.Kind.PERSON,
                person_id=person_id,
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                place=Appointment.Place.COMMUNITY,
                status=Appointment.Status.TOOK_PLACE if day < today else Appointment.Status.BOOKED,
            )
        )
    Appointment.objects.bulk_create(rows)
    return len(rows)


def _job_start(subject: dict) -> dict:
    """A valid job start as the form posts it: today, 20 hours at £13.50 an hour."""
    from ipsworks.core.dates import local_today

    today = local_today()
    return {
        "held_at_referral": "new",
        "contract_type": "permanent",
        "employer": str(subject["employer_id"]),
        "job_title": "Warehouse operative",
        "soc_major_group": "9",
        "start_date[day]": str(today.day),
        "start_date[month]": str(today.month),
        "start_date[year]": str(today.year),
        "hours_per_week": "20",
        "hourly_pay": "13.50",
        "open_labour_market": "on",
    }


def _measure_pages(subject: dict, requests: int, warmup: int) -> dict:
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import NoReverseMatch, reverse

    setup_test_environment()  # lets the test client's "testserver" host in
    # Without collectstatic there is no manifest; serve static names unhashed, as in DEBUG.
    storages = override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    )
    storages.enable()
    clients = {}
    for who, user in subject["users"].items():
        if user is None:
            continue
        try:
            client = Client()
            client.force_login(user)
            _pass_second_factor(client, user)
            clients[who] = client
        except Exception as error:  # sign-in itself being changed must not stop the bench
            clients[who] = f"could not sign in: {type(error).__name__}: {error}"
    results = {}
    for spec in PAGES:
        page: dict = {
            "url_name": spec.url_name,
            "as": spec.who,
            "method": "POST" if spec.post else "GET",
        }
        results[spec.name] = page
        client = clients.get(spec.who, f"no {spec.who} to sign in as")
        if isinstance(client, str):
            page["error"] = client
            continue
        kwargs = {"pk": subject["person_id"]} if spec.person else {}
        try:
            url = reverse(spec.url_name, kwargs=kwargs)
        except NoReverseMatch as error:
            page["error"] = f"no URL named {spec.url_name!r} yet: {error}"
            continue
        page["url"] = url
        if spec.post:
            data = _job_start(subject)
            fetch = lambda c=client, u=url, d=data: _post_rolled_back(c, u, d)  # noqa: E731
            page["note"] = "each POST saves a job start and is rolled back (no commit)"
        else:
            fetch = lambda c=client, u=url: _get(c, u)  # noqa: E731
        try:
            for _ in range(warmup):
                fetch()
            timings = []
            for _ in range(requests):
                begin = time.perf_counter()
                fetch()
                timings.append((time.perf_counter() - begin) * 1000)
            with CaptureQueriesContext(connection) as captured:
                fetch()
            # A copy now: the query log is a bounded deque, and counting the queries for other
            # people below would shift what captured_queries reads from it.
            queries = list(captured.captured_queries)
            sql_ms = [float(q["time"]) * 1000 for q in queries]
            if spec.person and not spec.post:
                page["queries_for_other_people"] = [
                    _count_queries(client, reverse(spec.url_name, kwargs={"pk": pk}))
                    for pk in subject["other_person_ids"]
                ]
            timings.sort()
            page.update(
                {
                    "requests": requests,
                    "median_ms": round(statistics.median(timings), 2),
                    "p95_ms": round(timings[max(0, round(0.95 * len(timings)) - 1)], 2),
                    "min_ms": round(timings[0], 2),
                    "max_ms": round(timings[-1], 2),
                    "queries": len(queries),
                    "sql_ms": round(sum(sql_ms), 2),
                    "slowest_queries": [
                        {"ms": round(ms, 2), "sql": _redact(q["sql"])[:300]}
                        for ms, q in sorted(
                            zip(sql_ms, queries, strict=True),
                            key=lambda pair: -pair[0],
                        )[:3]
                    ],
                }
            )
        except Exception as error:  # a page still being written must not stop the bench
            page["error"] = f"{type(error).__name__}: {error}"
            page["traceback"] = traceback.format_exc(limit=5)
    storages.disable()
    return results


class PageError(Exception):
    pass


def _pass_second_factor(client, user) -> None:
    """Mark the session as having passed the second sign-in factor, as a real sign-in would.

    Staff need a second factor (django-otp); a confirmed device recorded in the session is
    what the sign-in pages leave behind. Nothing to do where two-factor is not installed.
    """
    from django.apps import apps

    if not apps.is_installed("django_otp"):
        return
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    device = StaticDevice.objects.create(user=user, name="Benchmark", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def _redact(sql: str) -> str:
    """Drop long literals (the session key, for one) from SQL kept in the results."""
    return re.sub(r"'[^']{20,}'", "'…'", sql)


def _count_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _get(client, url)  # warm, so one-off work (a session write) is not counted
    with CaptureQueriesContext(connection) as captured:
        _get(client, url)
    return len(captured.captured_queries)


def _get(client, url: str):
    # Over HTTPS, as in production (which redirects plain HTTP there).
    response = client.get(url, secure=True)
    if response.status_code != 200:
        raise PageError(f"{url} answered {response.status_code}")
    return response


def _post_rolled_back(client, url: str, data: dict):
    """POST a form that saves, then roll the save back, so every request does the same work."""
    from django.db import transaction

    with transaction.atomic():
        response = client.post(url, data, secure=True)
        transaction.set_rollback(True)
    if response.status_code != 302:
        raise PageError(f"POST {url} answered {response.status_code}, not a redirect")
    return response


def _database_info() -> dict:
    from django.db import connection

    info: dict = {"engine": connection.vendor}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT version(), pg_database_size(current_database())")
            version, size = cursor.fetchone()
            info.update({"version": version, "size_mb": round(size / 1e6, 1)})
            # The server's own tuning shapes the load rate; record it beside the figures.
            for setting in ("shared_buffers", "max_wal_size", "synchronous_commit"):
                cursor.execute(f"SHOW {setting}")
                info[setting] = cursor.fetchone()[0]
        elif connection.vendor == "sqlite":
            import sqlite3

            name = Path(connection.settings_dict["NAME"])
            size = sum(p.stat().st_size for p in (name, Path(f"{name}-wal")) if p.exists())
            info.update({"version": sqlite3.sqlite_version, "size_mb": round(size / 1e6, 1)})
    return info


def _machine_info() -> dict:
    import django

    memory = None
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = round(int(line.split()[1]) / 1e6, 1)
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        # Uncommitted changes to the code under test make the commit alone misleading.
        dirty = bool(
            subprocess.run(
                ["git", "-C", str(ROOT), "status", "--porcelain", "--", "ipsworks"],
                capture_output=True,
                text=True,
                check=False,
            ).stdout.strip()
        )
    except OSError:
        commit, dirty = "", None
    return {
        "cpu_count": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "memory_gb": memory,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "git_commit": commit,
        "uncommitted_changes": dirty,
    }


def _peak_memory_mb() -> dict:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"process": round(own / 1024, 1), "largest_worker": round(children / 1024, 1)}


if __name__ == "__main__":
    sys.exit(main())
