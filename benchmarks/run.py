"""Scale benchmark: generate N synthetic people into a fresh database, then time two pages.

For each scale (people; 10,000 and 100,000 by default, 1,000,000 with --million):

1. a fresh database: a new SQLite file in a temporary directory, or, when DATABASE_URL
   points at PostgreSQL, a new database on that server (dropped afterwards);
2. migrate, then the synthetic generator (1,000 people per service, as a national
   installation of 1,000 services and a million people would have), timed per table;
3. signed in as an employment specialist with a typical (median) caseload, the caseload page
   and the page of a person on it: server time (median and 95th centile over --requests
   requests, after a warm-up) and the number of SQL queries each page makes.

The query counts are there to show they do not grow with N. Each scale runs in its own
process so settings, connections and memory start clean. Results go to
benchmarks/results/bench-<scale>.json (bench-<scale>-<engine>.json for engines other than
SQLite) and benchmarks/results/latest.json, and a table is printed.

Usage: python benchmarks/run.py [--scales 10000,100000] [--million] [--requests 30]
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
PAGES = (("caseload", "caseload", False), ("person", "person_detail", True))


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
    header = (
        f"{'people':>10} {'engine':<10} {'rows':>12} {'gen s':>8} {'rows/s':>9}  "
        f"{'caseload ms (median/p95)':>24} {'queries':>7}  "
        f"{'person ms (median/p95)':>22} {'queries':>7}"
    )
    print()
    print(header)
    print("-" * len(header))
    for r in results:
        gen = {"rows": 0, "seconds": 0.0, "rows_per_second": 0, **r.get("generation", {})}
        pages = r["pages"]
        cells = []
        for name, width in (("caseload", 24), ("person", 22)):
            page = pages.get(name, {})
            if page.get("error"):
                cells.append(f"{'error':>{width}} {'-':>7}")
            else:
                timing = f"{_ms(page, 'median_ms')} / {_ms(page, 'p95_ms')}"
                cells.append(f"{timing:>{width}} {page.get('queries', '-'):>7}")
        print(
            f"{r['scale']:>10,} {r['database']['engine']:<10} {gen['rows']:>12,} "
            f"{gen['seconds']:>8.1f} {gen['rows_per_second']:>9,.0f}  {cells[0]}  {cells[1]}"
        )
    for r in results:
        for name, page in r["pages"].items():
            if page.get("error"):
                print(f"{r['scale']:,} {name}: {page['error']}")
            elif page.get("queries_for_other_people"):
                others = ", ".join(str(n) for n in page["queries_for_other_people"])
                print(f"{r['scale']:,} {name} page queries for other people on it: {others}")
    print()


def _update_latest(results: list[dict]) -> None:
    """latest.json: the latest result for every scale and engine measured so far."""
    path = RESULTS / "latest.json"
    runs = json.loads(path.read_text()).get("runs", []) if path.exists() else []
    key = lambda r: (r["database"]["engine"], r["scale"])  # noqa: E731
    fresh = {key(r) for r in results}
    runs = sorted([r for r in runs if key(r) not in fresh] + results, key=key)
    path.write_text(json.dumps({"runs": runs}, indent=2) + "\n")


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
    _update_latest(results)
    _print_table(results)
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
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--pages-only", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


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
            "subject": {k: v for k, v in subject.items() if k != "user"},
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
    """The specialist whose open caseload is the median one, and the busiest person on it."""
    from django.db.models import Count

    from ipsworks.access.roles import Role
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
    return {
        "user": member.user,
        "username": member.user.username,
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
    client = Client()
    try:
        client.force_login(subject["user"])
        _pass_second_factor(client, subject["user"])
    except Exception as error:  # sign-in itself being changed must not stop the bench either
        storages.disable()
        message = f"could not sign in: {type(error).__name__}: {error}"
        return {name: {"url_name": url_name, "error": message} for name, url_name, _ in PAGES}
    results = {}
    for name, url_name, needs_person in PAGES:
        page: dict = {"url_name": url_name}
        results[name] = page
        kwargs = {"pk": subject["person_id"]} if needs_person else {}
        try:
            url = reverse(url_name, kwargs=kwargs)
        except NoReverseMatch as error:
            page["error"] = f"no URL named {url_name!r} yet: {error}"
            continue
        page["url"] = url
        try:
            for _ in range(warmup):
                _get(client, url)
            timings = []
            for _ in range(requests):
                begin = time.perf_counter()
                _get(client, url)
                timings.append((time.perf_counter() - begin) * 1000)
            with CaptureQueriesContext(connection) as captured:
                _get(client, url)
            sql_ms = [float(q["time"]) * 1000 for q in captured.captured_queries]
            if needs_person:
                page["queries_for_other_people"] = [
                    _count_queries(client, reverse(url_name, kwargs={"pk": pk}))
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
                    "queries": len(captured.captured_queries),
                    "sql_ms": round(sum(sql_ms), 2),
                    "slowest_queries": [
                        {"ms": round(ms, 2), "sql": _redact(q["sql"])[:300]}
                        for ms, q in sorted(
                            zip(sql_ms, captured.captured_queries, strict=True),
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
