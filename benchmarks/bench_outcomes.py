"""Benchmark (issue 5): outcome figures at national scale, against DuckDB and pandas.

    python benchmarks/bench_outcomes.py [--database URL] [--people 1000000]
                                        [--service-people 5000] [--runs 5] [--keep]

On PostgreSQL (DATABASE_URL names the server; a new database is made, filled and dropped,
unless ``--database`` names one this script filled before and kept with ``--keep``):
``--people`` synthetic people in all, three years of history: ``--people`` minus
``--service-people`` in services of about 1,000 people each (a national installation's
shape), and one service of ``--service-people`` people.

For the last complete quarter it times, side by side:

* **IPS Works** (the metric registry's set-based SQL on PostgreSQL): the national commissioner
  report (``outcomes.presenters.commissioner_table`` over every service), one service's
  headline figures (``presenters.figures``), its whole dashboard page as its manager gets
  it (Django test client: server time and queries), and its quarterly IPS Grow client-level
  return (``outcomes.returns.client_level_rows``); for the big service and a typical one;
* **DuckDB over Parquet** (the near-limit for one machine): the same tables exported once
  with ``COPY (SELECT ...) TO STDOUT`` as CSV, converted by DuckDB to Parquet, and the same
  figures computed by SQL over the Parquet files;
* **pandas over CSV** (what analysts do now): the same CSV files read with ``read_csv`` (timed
  apart) and the same figures computed with merges and group-bys.

Every DuckDB and pandas answer is checked against IPS Works' own (``matches``), so the three
compute the same numbers. Results go to benchmarks/results/outcomes.json; a table is printed.
``benchmarks/run.py --outcomes-scale`` runs this and folds the result into latest.json.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results" / "outcomes.json"
PEOPLE_PER_SERVICE = 1000
BIG_SERVICE_SEED_OFFSET = 1  # the one big service is generated with seed + 1
TARGETS = {"service_dashboard_ms": 200, "national_report_ms": 3000, "national_vs_duckdb": 5}
SSD_RANDOM_PAGE_COST = "1.1"


# --- Timing ------------------------------------------------------------------------------------


def _timed(function, runs: int) -> tuple[dict, object]:
    """Median and 95th centile (nearest rank) of ``runs`` calls after one warm-up call."""
    result = function()
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        result = function()
        timings.append((time.perf_counter() - began) * 1000)
    timings.sort()
    summary = {
        "runs": runs,
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[math.ceil(0.95 * len(timings)) - 1], 1),
        "min_ms": round(timings[0], 1),
    }
    return summary, result


def _queries(function) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries)


def _load() -> float:
    return round(os.getloadavg()[0], 2)


# --- The database ------------------------------------------------------------------------------


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(
        urlunsplit(urlsplit(url)._replace(path="/postgres")), autocommit=True
    ) as c:
        c.execute(sql)


def _prepare(args: argparse.Namespace) -> tuple[str, bool]:
    """(DATABASE_URL, whether it must be filled). Refuses anything but PostgreSQL."""
    url = args.database or os.environ.get("DATABASE_URL", "")
    if urlsplit(url).scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit(
            "bench_outcomes.py measures PostgreSQL: set DATABASE_URL to a PostgreSQL server "
            "(postgres://postgres@127.0.0.1:5432/postgres) or pass --database"
        )
    if args.database:
        return url, False
    name = f"ipsworks_bench_outcomes_{os.getpid()}"
    _admin(url, f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}")), True


def _setup_django(url: str) -> None:
    import warnings

    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "ipsworks.config.settings"
    os.environ["IPS_DEBUG"] = "0"
    os.environ.setdefault("IPS_SECRET_KEY", "benchmark-only-not-secret")
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()


def _fill(args: argparse.Namespace) -> dict:
    """Migrate and generate: the national services, then the one big service."""
    from django.core.management import call_command
    from django.db import connections

    from ipsworks.demo.synthetic import Options, generate

    began = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    national = args.people - args.service_people
    workers = os.cpu_count() or 1
    last = [0.0]

    def progress(p) -> None:
        if p.seconds - last[0] >= 30 or p.people_done >= p.people:
            last[0] = p.seconds
            print(f"  {p.people_done:>9,} of {p.people:,} people, {p.rows:>11,} rows", flush=True)

    stats = generate(
        Options(
            services=max(1, national // PEOPLE_PER_SERVICE),
            people=national,
            seed=args.seed,
            years=3,
            workers=workers,
        ),
        progress=progress,
    )
    connections.close_all()
    big = generate(
        Options(
            services=1,
            people=args.service_people,
            seed=args.seed + BIG_SERVICE_SEED_OFFSET,
            years=3,
        )
    )
    return {
        "seconds": round(time.perf_counter() - began, 1),
        "rows": stats.total_rows + big.total_rows,
        "rows_per_second": round(
            (stats.total_rows + big.total_rows) / (time.perf_counter() - began)
        ),
        "workers": workers,
    }


def _vacuum() -> dict:
    """VACUUM (ANALYZE) once after loading, as autovacuum would have done by now.

    Without it the visibility map is empty and every index-only scan reads the table too;
    the shared server this was measured on runs with autovacuum off, so it is done here.
    """
    from django.db import connection

    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        autovacuum = cursor.fetchone()[0]
        cursor.execute("VACUUM (ANALYZE)")
    seconds = round(time.perf_counter() - began, 1)
    return {"vacuum_analyze_seconds": seconds, "autovacuum": autovacuum}


def _settings() -> dict:
    from django.db import connection

    found = {}
    with connection.cursor() as cursor:
        for name in (
            "shared_buffers",
            "work_mem",
            "effective_cache_size",
            "random_page_cost",
            "max_parallel_workers_per_gather",
            "jit",
        ):
            cursor.execute(f"SHOW {name}")
            found[name] = cursor.fetchone()[0]
    return found


def _set_random_page_cost(value: str | None) -> None:
    """SSD tuning for this connection (None: back to the server's setting)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if value is None:
            cursor.execute("RESET random_page_cost")
        else:
            cursor.execute("SELECT set_config('random_page_cost', %s, false)", [value])


def _counts() -> dict:
    """Rows in the tables the figures read (estimates from the planner, as counting is slow)."""
    from django.db import connection

    tables = {
        "people": "people_person",
        "referrals": "people_referral",
        "episodes": "people_episode",
        "contacts": "activity_contact",
        "employer_contacts": "employers_employercontact",
        "jobs": "jobs_job",
        "check_ins": "jobs_supportcheckin",
        "services": "organisations_service",
    }
    counts = {}
    with connection.cursor() as cursor:
        for label, table in tables.items():
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed names
            counts[label] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_database_size(current_database()), version()")
        size, version = cursor.fetchone()
    counts["database_gb"] = round(size / 1e9, 1)
    counts["postgresql"] = version.split(" on ")[0]
    return counts


# --- What is measured ------------------------------------------------------------------------


def _subjects(args: argparse.Namespace):
    """All services; the big one; a typical one (the median by people); the last quarter."""
    from django.db.models import Count

    from ipsworks.core.dates import local_today
    from ipsworks.organisations.models import Service
    from ipsworks.outcomes.periods import quarter

    services = list(Service.objects.order_by("name"))
    big = Service.objects.get(short_name=f"synthetic-{args.seed + BIG_SERVICE_SEED_OFFSET}-1")
    sizes = list(
        Service.objects.exclude(pk=big.pk)
        .annotate(n=Count("people"))
        .order_by("n", "pk")
        .values_list("pk", "n")
    )
    typical = Service.objects.get(pk=sizes[len(sizes) // 2][0])
    today = local_today()
    period = quarter(quarter(today).start - timedelta(days=1))
    return services, big, typical, period, today


_TEST_ENVIRONMENT: list[bool] = []


def _dashboard_page(service, runs: int) -> dict:
    """The manager's dashboard page through Django, as run.py times pages."""
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from benchmarks.run import _get, _pass_second_factor
    from ipsworks.access.roles import Role
    from ipsworks.organisations.models import StaffMember

    if not _TEST_ENVIRONMENT:  # lets the test client's "testserver" host in; once only
        setup_test_environment()
        _TEST_ENVIRONMENT.append(True)
    manager = StaffMember.objects.filter(service=service, role=Role.MANAGER).order_by("pk").first()
    client = Client()
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        client.force_login(manager.user)
        _pass_second_factor(client, manager.user)
        url = reverse("service_dashboard")
        timing, _ = _timed(lambda: _get(client, url), runs)
        timing["queries"] = _queries(lambda: _get(client, url))
    return timing


def _registry(services, big, typical, period, runs: int) -> dict:
    from ipsworks.outcomes import metrics, presenters, returns

    figures = {}

    def time_it(label: str, function) -> object:
        timing, result = _timed(function, runs)
        timing["queries"] = _queries(function)
        figures[label] = timing
        print(f"  {label}: {timing['median_ms']} ms, {timing['queries']} queries", flush=True)
        return result

    national = time_it("national_report", lambda: presenters.commissioner_table(services, period))
    # NHS England's people accessing IPS (accessed in the financial year, issue 17) beside the
    # first-ever accesses the commissioner table also counts: nationally and for each service.
    from ipsworks.outcomes.metrics import nhs_england
    from ipsworks.outcomes.periods import financial_year, month

    ids = [s.pk for s in services]
    year = financial_year(period.end)
    time_it(
        "national_accessed_in_financial_year",
        lambda: metrics.accessed_in_financial_year(ids, year, metrics.BY_SERVICE),
    )
    time_it("national_first_ever_accesses", lambda: metrics.accesses(ids, year))
    for name, service in (("big", big), ("typical", typical)):
        time_it(
            f"accessed_in_financial_year_{name}",
            lambda s=service: metrics.accessed_in_financial_year([s.pk], year, metrics.BY_SERVICE),
        )
        time_it(
            f"nhs_england_month_measures_{name}",
            lambda s=service: nhs_england.month_measures([s.pk], month(period.end)),
        )
        # The month's MHSDS extract, built, checked against the IDB's formats and zipped.
        from ipsworks.outcomes.mhsds import extract

        if not service.ods_code:
            service.ods_code = "ZZ1"
        time_it(
            f"mhsds_extract_month_{name}",
            lambda s=service: extract.build(s, month(period.end)).to_zip(),
        )
    from ipsworks.outcomes import geography
    from ipsworks.outcomes.metrics import residence

    # Every synthetic postcode placed in an area, as a loaded postcode directory would.
    time_it("load_synthetic_areas", geography.load_synthetic)
    time_it(
        "national_accessed_by_residence",
        lambda: residence.accessed_by_residence(ids, year),
    )
    headline = {}
    returned = {}
    for name, service in (("big", big), ("typical", typical)):
        headline[name] = time_it(
            f"service_figures_{name}",
            lambda s=service: presenters.figures([s.pk], period, metrics.BY_SERVICE),
        )
        returned[name] = time_it(
            f"ips_grow_return_{name}", lambda s=service: returns.client_level_rows(s.pk, period)
        )
        figures[f"service_dashboard_{name}"] = _dashboard_page(service, runs)
        print(
            f"  service_dashboard_{name}: {figures[f'service_dashboard_{name}']['median_ms']} ms",
            flush=True,
        )
    all_figures = presenters.figures([s.pk for s in services], period, metrics.BY_SERVICE)
    return {
        "timings": figures,
        "national_rows": national,
        "figures": all_figures,
        "headline": headline,
        "returns": returned,
    }


# --- Export: what DuckDB and pandas read -------------------------------------------------------

# Each table as an analyst would export it: the columns the figures need, one CSV file each.
EXPORTS = {
    "referral": (
        "SELECT id, service_id, person_id, team_id, source, received_on, pathway, "
        "employment_status_at_referral, closed_on, closure_reason FROM people_referral"
    ),
    "episode": "SELECT id, referral_id, service_id, person_id, access_date FROM people_episode",
    "job": (
        "SELECT id, service_id, person_id, referral_id, start_date, end_date, hours_per_week, "
        "competitive, held_at_referral, four_hours_worked FROM jobs_job"
    ),
    "contact": (
        "SELECT id, service_id, referral_id, contact_date, is_direct FROM activity_contact"
    ),
    "profile": (
        "SELECT person_id, referral_id, "
        "(recorded_at AT TIME ZONE 'Europe/London')::date AS recorded_on "
        "FROM people_vocationalprofile"
    ),
}

# Types DuckDB is told rather than left to guess (a column empty in its first rows).
COLUMN_TYPES = {
    "referral": {"received_on": "DATE", "closed_on": "DATE", "team_id": "BIGINT"},
    "episode": {"access_date": "DATE"},
    "job": {
        "start_date": "DATE",
        "end_date": "DATE",
        "competitive": "BOOLEAN",
        "held_at_referral": "BOOLEAN",
        "four_hours_worked": "BOOLEAN",
    },
    "contact": {"contact_date": "DATE", "is_direct": "BOOLEAN"},
    "profile": {"recorded_on": "DATE"},
}


def _export(folder: Path) -> dict:
    """COPY each table to CSV, then DuckDB turns each CSV into Parquet."""
    import duckdb
    from django.db import connection

    figures: dict = {"tables": {}}
    began = time.perf_counter()
    with connection.cursor() as cursor:
        for name, select in EXPORTS.items():
            path = folder / f"{name}.csv"
            started = time.perf_counter()
            with (
                path.open("wb") as out,
                cursor.cursor.copy(f"COPY ({select}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy,
            ):
                for block in copy:
                    out.write(block)
            figures["tables"][name] = {
                "csv_seconds": round(time.perf_counter() - started, 1),
                "csv_mb": round(path.stat().st_size / 1e6, 1),
            }
    figures["csv_seconds"] = round(time.perf_counter() - began, 1)
    began = time.perf_counter()
    con = duckdb.connect()
    for name in EXPORTS:
        started = time.perf_counter()
        csv, parquet = folder / f"{name}.csv", folder / f"{name}.parquet"
        types = ", ".join(f"'{column}': '{kind}'" for column, kind in COLUMN_TYPES[name].items())
        con.execute(
            f"COPY (SELECT * FROM read_csv('{csv}', header = true, types = {{{types}}})) "  # noqa: S608
            f"TO '{parquet}' (FORMAT parquet)"
        )
        figures["tables"][name]["parquet_seconds"] = round(time.perf_counter() - started, 1)
        figures["tables"][name]["parquet_mb"] = round(parquet.stat().st_size / 1e6, 1)
    con.close()
    figures["parquet_seconds"] = round(time.perf_counter() - began, 1)
    return figures


OUT_OF_WORK = ("02", "03", "04", "05", "06", "07", "08")
COUNTS = (
    "referrals",
    "accesses",
    "wait_7",
    "wait_30",
    "wait_over",
    "job_starts",
    "into_work",
    "rate_numerator",
    "rate_denominator",
    "sustained_13",
    "sustained_26",
    "sustained_52",
    "open_caseload",
)


def _registry_counts(figures: dict) -> dict:
    """IPS Works' ``Figures`` per service as plain counts, to compare with the others."""
    rows = {}
    for service, f in figures.items():
        waits = list(f.waits.values()) if f.waits else [0, 0, 0]
        rows[service] = dict(
            zip(
                COUNTS,
                [
                    f.referrals,
                    f.accesses,
                    *waits,
                    f.job_starts,
                    f.into_work,
                    f.rate_numerator,
                    f.rate_denominator,
                    f.sustained_13,
                    f.sustained_26,
                    f.sustained_52,
                    f.open_caseload,
                ],
                strict=True,
            )
        )
    return _nonzero(rows)


def _nonzero(rows: dict) -> dict:
    return {
        int(k): {m: int(v) for m, v in counts.items()}
        for k, counts in rows.items()
        if any(counts.values())
    }


# --- DuckDB over Parquet -------------------------------------------------------------------------


def _duckdb_figures(con, folder: Path, period, today: date, service: int | None) -> dict:
    """The headline counts per service, as IPS Works defines them, in one DuckDB SQL statement."""
    s, e = period.start.isoformat(), period.end.isoformat()
    last = min(period.end, today)
    where = "" if service is None else f"WHERE service_id = {int(service)}"
    p = {name: f"read_parquet('{folder / f'{name}.parquet'}')" for name in EXPORTS}
    sustained = ",\n".join(
        f"""count(*) FILTER (WHERE start_date BETWEEN DATE '{s}' - {7 * w}
                             AND DATE '{last.isoformat()}' - {7 * w}
                         AND (end_date IS NULL OR end_date > start_date + {7 * w})
                         AND DATE '{last.isoformat()}' >= DATE '{s}') AS sustained_{w}"""
        for w in (13, 26, 52)
    )
    sql = f"""
    WITH referral AS (SELECT * FROM {p["referral"]} {where}),
    episode AS (SELECT * FROM {p["episode"]} {where}),
    starts AS (
        SELECT j.*, ep.access_date FROM {p["job"]} j JOIN episode ep USING (referral_id)
        WHERE j.competitive AND NOT j.held_at_referral AND j.four_hours_worked
          AND j.start_date >= ep.access_date
    ),
    firsts AS (
        SELECT r.service_id, r.person_id,
               r.employment_status_at_referral IN {OUT_OF_WORK}
                 AND r.pathway = 'job_seeking' AS out_of_work
        FROM referral r JOIN (SELECT referral_id, min(start_date) AS first_start
                              FROM starts GROUP BY ALL) f ON f.referral_id = r.id
        WHERE f.first_start BETWEEN DATE '{s}' AND DATE '{e}'
    ),
    direct AS (
        SELECT DISTINCT referral_id FROM {p["contact"]}
        WHERE is_direct AND contact_date <= DATE '{e}'
    ),
    parts AS (
        SELECT service_id, count(*) AS referrals, 0 AS accesses, 0 AS wait_7, 0 AS wait_30,
               0 AS wait_over, 0 AS job_starts, 0 AS into_work, 0 AS rate_numerator,
               0 AS rate_denominator, 0 AS sustained_13, 0 AS sustained_26, 0 AS sustained_52,
               0 AS open_caseload
        FROM referral WHERE received_on BETWEEN DATE '{s}' AND DATE '{e}' GROUP BY ALL
        UNION ALL
        SELECT ep.service_id, 0, count(*),
               count(*) FILTER (WHERE access_date - received_on <= 7),
               count(*) FILTER (WHERE access_date - received_on BETWEEN 8 AND 30),
               count(*) FILTER (WHERE access_date - received_on > 30),
               0, 0, 0, 0, 0, 0, 0, 0
        FROM episode ep JOIN referral r ON r.id = ep.referral_id
        WHERE access_date BETWEEN DATE '{s}' AND DATE '{e}' GROUP BY ALL
        UNION ALL
        SELECT service_id, 0, 0, 0, 0, 0,
               count(*) FILTER (WHERE start_date BETWEEN DATE '{s}' AND DATE '{e}'),
               0, 0, 0, {sustained}, 0
        FROM starts GROUP BY ALL
        UNION ALL
        SELECT service_id, 0, 0, 0, 0, 0, 0, count(DISTINCT person_id),
               count(DISTINCT person_id) FILTER (WHERE out_of_work), 0, 0, 0, 0, 0
        FROM firsts GROUP BY ALL
        UNION ALL
        SELECT r.service_id, 0, 0, 0, 0, 0, 0, 0, 0, count(DISTINCT r.person_id), 0, 0, 0, 0
        FROM referral r JOIN episode ep ON ep.referral_id = r.id
        WHERE r.employment_status_at_referral IN {OUT_OF_WORK} AND r.pathway = 'job_seeking'
          AND ep.access_date <= DATE '{e}'
          AND (r.closed_on IS NULL
               OR (r.closed_on > DATE '{s}' AND r.closed_on > ep.access_date))
        GROUP BY ALL
        UNION ALL
        SELECT service_id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, count(*)
        FROM referral r SEMI JOIN direct d ON d.referral_id = r.id
        WHERE received_on <= DATE '{e}' AND (closed_on IS NULL OR closed_on > DATE '{e}')
        GROUP BY ALL
    )
    SELECT service_id, {", ".join(f"sum({c})::BIGINT" for c in COUNTS)}
    FROM parts GROUP BY service_id
    """  # noqa: S608 - file paths, dates and numbers made here, nothing typed by anyone
    rows = con.execute(sql).fetchall()
    return _nonzero({row[0]: dict(zip(COUNTS, row[1:], strict=True)) for row in rows})


def _duckdb_return(con, folder: Path, period, today: date, service: int) -> list[tuple]:
    """The client-level return's rows (dates only) for one service, as DuckDB computes them."""
    s, e = period.start.isoformat(), period.end.isoformat()
    last = min(period.end, today).isoformat()
    p = {name: f"read_parquet('{folder / f'{name}.parquet'}')" for name in EXPORTS}
    jobs = []
    for n in (1, 2, 3):
        jobs.append(f"max(start_date) FILTER (WHERE n = {n}) AS start_{n}")
        for w in (13, 26, 52):
            jobs.append(
                f"max(start_date + {7 * w}) FILTER (WHERE n = {n} "
                f"AND start_date + {7 * w} <= DATE '{last}' "
                f"AND (end_date IS NULL OR end_date > start_date + {7 * w})) AS s{w}_{n}"
            )
        jobs.append(f"max(end_date) FILTER (WHERE n = {n}) AS end_{n}")
    sql = f"""
    WITH refs AS (
        SELECT * FROM {p["referral"]}
        WHERE service_id = {int(service)} AND received_on <= DATE '{e}'
          AND (closed_on IS NULL OR closed_on >= DATE '{s}')
    ),
    -- A referral's profile date: its first version, counting a version saved without a
    -- referral for the referral open that day (returns._profile_dates).
    profiles AS (
        SELECT referral_id, min(day) AS profile_on FROM (
            SELECT referral_id, recorded_on AS day FROM {p["profile"]}
            WHERE referral_id IN (SELECT id FROM refs)
            UNION ALL
            SELECT r.id, pf.recorded_on FROM {p["profile"]} pf JOIN refs r USING (person_id)
            WHERE pf.referral_id IS NULL AND pf.recorded_on >= r.received_on
              AND (r.closed_on IS NULL OR pf.recorded_on <= r.closed_on)
        ) GROUP BY ALL
    ),
    numbered AS (
        SELECT j.referral_id, j.start_date, j.end_date,
               row_number() OVER (PARTITION BY j.referral_id ORDER BY j.start_date, j.id) AS n
        FROM {p["job"]} j JOIN {p["episode"]} ep USING (referral_id)
        WHERE j.referral_id IN (SELECT id FROM refs) AND j.competitive
          AND NOT j.held_at_referral AND j.four_hours_worked AND j.start_date >= ep.access_date
          AND j.start_date <= DATE '{e}'
    ),
    jobs AS (SELECT referral_id, {", ".join(jobs)} FROM numbered WHERE n <= 3 GROUP BY ALL)
    SELECT r.id, r.received_on, ep.access_date, pr.profile_on, jobs.* EXCLUDE (referral_id),
           CASE WHEN r.closed_on <= DATE '{e}' THEN r.closed_on END
    FROM refs r
    LEFT JOIN {p["episode"]} ep ON ep.referral_id = r.id
    LEFT JOIN profiles pr ON pr.referral_id = r.id
    LEFT JOIN jobs ON jobs.referral_id = r.id
    ORDER BY r.received_on, r.id
    """  # noqa: S608 - file paths, dates and numbers made here, nothing typed by anyone
    return [tuple(row) for row in con.execute(sql).fetchall()]


# --- pandas over CSV ---------------------------------------------------------------------------


def _pandas_read(folder: Path) -> dict:
    import pandas as pd

    dates = {
        "referral": ["received_on", "closed_on"],
        "episode": ["access_date"],
        "job": ["start_date", "end_date"],
        "contact": ["contact_date"],
        "profile": ["recorded_on"],
    }
    frames = {}
    for name in EXPORTS:
        frame = pd.read_csv(folder / f"{name}.csv", parse_dates=dates[name])
        for column in ("competitive", "held_at_referral", "four_hours_worked", "is_direct"):
            if column in frame:
                frame[column] = frame[column].map({"t": True, "f": False}).astype(bool)
        frames[name] = frame
    return frames


def _pandas_figures(frames: dict, period, today: date, service: int | None) -> dict:
    import pandas as pd

    s, e = pd.Timestamp(period.start), pd.Timestamp(period.end)
    last = pd.Timestamp(min(period.end, today))
    referral, episode, job, contact = (frames[n] for n in ("referral", "episode", "job", "contact"))
    if service is not None:
        referral = referral[referral.service_id == service]
        episode = episode[episode.service_id == service]
    parts = {}

    def put(name, series):
        parts[name] = series

    put("referrals", referral[referral.received_on.between(s, e)].groupby("service_id").size())
    accessed = episode[episode.access_date.between(s, e)].merge(
        referral[["id", "received_on"]], left_on="referral_id", right_on="id"
    )
    wait = (accessed.access_date - accessed.received_on).dt.days
    put("accesses", accessed.groupby("service_id").size())
    put("wait_7", accessed[wait <= 7].groupby("service_id").size())
    put("wait_30", accessed[wait.between(8, 30)].groupby("service_id").size())
    put("wait_over", accessed[wait > 30].groupby("service_id").size())
    starts = job[job.competitive & ~job.held_at_referral & job.four_hours_worked].merge(
        episode[["referral_id", "access_date"]], on="referral_id"
    )
    starts = starts[starts.start_date >= starts.access_date]
    put("job_starts", starts[starts.start_date.between(s, e)].groupby("service_id").size())
    for weeks in (13, 26, 52):
        days = pd.Timedelta(days=7 * weeks)
        if last < s:
            put(f"sustained_{weeks}", pd.Series(dtype=int))
            continue
        kept = starts[
            starts.start_date.between(s - days, last - days)
            & (starts.end_date.isna() | (starts.end_date > starts.start_date + days))
        ]
        put(f"sustained_{weeks}", kept.groupby("service_id").size())
    first = starts.groupby("referral_id", as_index=False).start_date.min()
    first = first[first.start_date.between(s, e)].merge(
        referral, left_on="referral_id", right_on="id"
    )
    out_of_work = first.employment_status_at_referral.isin(OUT_OF_WORK) & (
        first.pathway == "job_seeking"
    )
    put("into_work", first.groupby("service_id").person_id.nunique())
    put("rate_numerator", first[out_of_work].groupby("service_id").person_id.nunique())
    seeking = referral[
        referral.employment_status_at_referral.isin(OUT_OF_WORK)
        & (referral.pathway == "job_seeking")
    ].merge(episode[["referral_id", "access_date"]], left_on="id", right_on="referral_id")
    open_then = seeking[
        (seeking.access_date <= e)
        & (
            seeking.closed_on.isna()
            | ((seeking.closed_on > s) & (seeking.closed_on > seeking.access_date))
        )
    ]
    put("rate_denominator", open_then.groupby("service_id").person_id.nunique())
    direct = contact.loc[contact.is_direct & (contact.contact_date <= e), "referral_id"].unique()
    caseload = referral[
        (referral.received_on <= e)
        & (referral.closed_on.isna() | (referral.closed_on > e))
        & referral.id.isin(direct)
    ]
    put("open_caseload", caseload.groupby("service_id").size())
    table = pd.DataFrame(parts).fillna(0).astype(int)
    for column in COUNTS:
        if column not in table:
            table[column] = 0
    return _nonzero({k: row[list(COUNTS)].to_dict() for k, row in table.iterrows()})


def _pandas_return(frames: dict, period, today: date, service: int) -> list[tuple]:
    import pandas as pd

    s, e = pd.Timestamp(period.start), pd.Timestamp(period.end)
    last = pd.Timestamp(min(period.end, today))
    referral = frames["referral"]
    refs = referral[
        (referral.service_id == service)
        & (referral.received_on <= e)
        & (referral.closed_on.isna() | (referral.closed_on >= s))
    ]
    episode = frames["episode"][["referral_id", "access_date"]]
    profile = frames["profile"]
    linked = profile[profile.referral_id.isin(refs.id)][["referral_id", "recorded_on"]]
    unlinked = profile[profile.referral_id.isna()].merge(
        refs[["id", "person_id", "received_on", "closed_on"]], on="person_id"
    )
    unlinked = unlinked[
        (unlinked.recorded_on >= unlinked.received_on)
        & (unlinked.closed_on.isna() | (unlinked.recorded_on <= unlinked.closed_on))
    ]
    profiles = (
        pd.concat([linked, unlinked[["id", "recorded_on"]].rename(columns={"id": "referral_id"})])
        .groupby("referral_id", as_index=False)
        .recorded_on.min()
        .rename(columns={"referral_id": "profile_referral"})
        .astype({"profile_referral": "int64"})
    )
    job = frames["job"]
    jobs = job[
        job.referral_id.isin(refs.id)
        & job.competitive
        & ~job.held_at_referral
        & job.four_hours_worked
        & (job.start_date <= e)
    ].merge(episode, on="referral_id")
    jobs = jobs[jobs.start_date >= jobs.access_date].sort_values(
        ["referral_id", "start_date", "id"]
    )
    jobs["n"] = jobs.groupby("referral_id").cumcount() + 1
    jobs = jobs[jobs.n <= 3]
    columns = {}
    for n in (1, 2, 3):
        nth = jobs[jobs.n == n].set_index("referral_id")
        columns[f"start_{n}"] = nth.start_date
        for w in (13, 26, 52):
            milestone = nth.start_date + pd.Timedelta(days=7 * w)
            held = (milestone <= last) & (nth.end_date.isna() | (nth.end_date > milestone))
            columns[f"s{w}_{n}"] = milestone.where(held)
        columns[f"end_{n}"] = nth.end_date
    wide = pd.DataFrame(columns)
    rows = (
        refs.merge(episode, left_on="id", right_on="referral_id", how="left")
        .merge(profiles, left_on="id", right_on="profile_referral", how="left")
        .merge(wide, left_on="id", right_index=True, how="left")
        .sort_values(["received_on", "id"])
    )
    rows["discharged"] = rows.closed_on.where(rows.closed_on <= e)
    keep = ["id", "received_on", "access_date", "recorded_on", *columns, "discharged"]

    def plain(value):
        if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
            return None
        return value.date() if isinstance(value, pd.Timestamp) else int(value)

    return [tuple(plain(v) for v in row) for row in rows[keep].itertuples(index=False)]


def _registry_return(rows: list[list]) -> list[tuple]:
    """IPS Works' client-level return rows reduced to the same dates as the others: the
    referral, access, vocational profile and discharge dates, and the first three jobs'
    start, 13-, 26- and 52-week and end dates (returns.client_level_rows: ten columns, then
    six for each job, at least three jobs, then discharge date and reason)."""
    reduced = []
    for row in rows:
        jobs = []
        for n in range(3):  # start, hours band, 13, 26 and 52 weeks, end: all but the band
            start, _, *sustained, end = row[10 + 6 * n : 16 + 6 * n]
            jobs += [start, *sustained, end]
        referral_id = int(row[0].rsplit("-", 1)[1])
        reduced.append((referral_id, row[4], row[7], row[8], *jobs, row[-2]))
    return reduced


# --- The run -----------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> dict:
    url, fill = _prepare(args)
    folder = Path(args.workdir or tempfile.mkdtemp(prefix="ipsworks-bench-outcomes-"))
    folder.mkdir(parents=True, exist_ok=True)
    result: dict = {
        "benchmark": "outcome figures at national scale: IPS Works on PostgreSQL, DuckDB, pandas",
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average_1m": {"start": _load()},
    }
    try:
        _setup_django(url)
        if fill:
            print(f"== generating {args.people:,} people ==", flush=True)
            result["generation"] = _fill(args)
        elif args.generation_json:
            result["generation"] = json.loads(args.generation_json.read_text())
        result["data"] = {**_counts(), **_vacuum()}
        result["postgresql_settings"] = _settings()
        services, big, typical, period, today = _subjects(args)
        result["period"] = {
            "label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        }
        result["scales"] = {
            "national": f"{len(services):,} services, {result['data']['people']:,} people, "
            f"{result['data']['contacts']:,} contacts with people and "
            f"{result['data']['employer_contacts']:,} with employers",
            "big": f"one service of {big.people.count():,} people ({big.name})",
            "typical": f"one service of {typical.people.count():,} people ({typical.name})",
        }
        print("== IPS Works (PostgreSQL, the server's settings) ==", flush=True)
        result["load_average_1m"]["before_registry"] = _load()
        registry = _registry(services, big, typical, period, args.runs)
        result["load_average_1m"]["after_registry"] = _load()
        # PostgreSQL's default random_page_cost (4) is for spinning disks; on SSDs 1.1 is the
        # usual setting. Measured both ways: the planner picks better indexes with it.
        print("== IPS Works (PostgreSQL, random_page_cost 1.1 for SSD) ==", flush=True)
        _set_random_page_cost(SSD_RANDOM_PAGE_COST)
        ssd = _registry(services, big, typical, period, args.runs)
        _set_random_page_cost(None)
        result["load_average_1m"]["after_registry_ssd"] = _load()
        expected = _registry_counts(registry["figures"])

        print("== export to CSV, then Parquet ==", flush=True)
        from django.db import connection

        result["export"] = _export(folder)
        connection.close()  # DuckDB and pandas need the memory and the CPUs from here on

        print("== DuckDB over Parquet ==", flush=True)
        import duckdb

        con = duckdb.connect()
        duck: dict = {}
        national, answer = _timed(
            lambda: _duckdb_figures(con, folder, period, today, None), args.runs
        )
        duck["national_report"] = {**national, "matches": answer == expected}
        for name, service in (("big", big), ("typical", typical)):
            timing, answer = _timed(
                lambda s=service: _duckdb_figures(con, folder, period, today, s.pk), args.runs
            )
            duck[f"service_figures_{name}"] = {
                **timing,
                "matches": answer == _registry_counts(registry["headline"][name]),
            }
            timing, rows = _timed(
                lambda s=service: _duckdb_return(con, folder, period, today, s.pk), args.runs
            )
            duck[f"ips_grow_return_{name}"] = {
                **timing,
                "matches": rows == _registry_return(registry["returns"][name][1]),
                "rows": len(rows),
            }
        con.close()
        duck["duckdb"] = duckdb.__version__
        result["load_average_1m"]["after_duckdb"] = _load()

        print("== pandas over CSV ==", flush=True)
        import pandas as pd

        began = time.perf_counter()
        frames = _pandas_read(folder)
        panda: dict = {"read_csv_seconds": round(time.perf_counter() - began, 1)}
        national, answer = _timed(
            lambda: _pandas_figures(frames, period, today, None), max(1, args.runs // 2)
        )
        panda["national_report"] = {**national, "matches": answer == expected}
        for name, service in (("big", big), ("typical", typical)):
            timing, answer = _timed(
                lambda s=service: _pandas_figures(frames, period, today, s.pk), args.runs
            )
            panda[f"service_figures_{name}"] = {
                **timing,
                "matches": answer == _registry_counts(registry["headline"][name]),
            }
            timing, rows = _timed(
                lambda s=service: _pandas_return(frames, period, today, s.pk), args.runs
            )
            panda[f"ips_grow_return_{name}"] = {
                **timing,
                "matches": rows == _registry_return(registry["returns"][name][1]),
                "rows": len(rows),
            }
        panda["pandas"] = pd.__version__
        panda["peak_memory_mb"] = round(_peak_mb(), 1)
        frames.clear()  # free the memory before the next step
        result["load_average_1m"]["after_pandas"] = _load()

        result["postgresql"] = registry["timings"]
        result["postgresql_ssd_tuning"] = {
            "random_page_cost": SSD_RANDOM_PAGE_COST,
            **ssd["timings"],
            "same_answers": _registry_counts(ssd["figures"]) == expected,
        }
        result["duckdb_parquet"] = duck
        result["pandas_csv"] = panda
        result["targets"] = _against_targets(result)
        result["machine"] = _machine()
        result["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    finally:
        if not args.workdir:
            shutil.rmtree(folder, ignore_errors=True)
        if fill and not args.keep:
            from django.db import connections

            connections.close_all()
            _admin(url, f'DROP DATABASE IF EXISTS "{urlsplit(url).path[1:]}" WITH (FORCE)')
        elif fill:
            print(f"kept the database: {url}")
    return result


def _against_targets(result: dict) -> dict:
    duck = result["duckdb_parquet"]["national_report"]["median_ms"]
    found = {}
    for tuning in ("postgresql", "postgresql_ssd_tuning"):
        pg = result[tuning]
        national = pg["national_report"]["median_ms"]
        found[tuning] = {
            "service_dashboard_under_200_ms": {
                name: pg[f"service_dashboard_{name}"]["median_ms"] < TARGETS["service_dashboard_ms"]
                for name in ("big", "typical")
            },
            "national_report_under_3_s": national < TARGETS["national_report_ms"],
            "national_report_vs_duckdb": round(national / duck, 1),
            "national_report_within_5x_duckdb": national <= TARGETS["national_vs_duckdb"] * duck,
        }
    return found


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _machine() -> dict:
    import django

    memory = None
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = round(int(line.split()[1]) / 1e6, 1)
    return {
        "cpu_count": os.cpu_count(),
        "memory_gb": memory,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
    }


ROWS = (
    ("national_report", "national commissioner report", "national"),
    ("service_dashboard_big", "service dashboard page", "big"),
    ("service_figures_big", "service headline figures", "big"),
    ("ips_grow_return_big", "quarterly IPS Grow return", "big"),
    ("service_dashboard_typical", "service dashboard page", "typical"),
    ("service_figures_typical", "service headline figures", "typical"),
    ("ips_grow_return_typical", "quarterly IPS Grow return", "typical"),
)


def print_table(result: dict) -> None:
    if result.get("error"):
        print(f"Outcomes at national scale: {result['error']}")
        return
    print(f"Outcomes, {result['period']['label']} (median ms; queries; same answer as IPS Works)")
    for name, scale in result["scales"].items():
        print(f"  {name}: {scale}")
    header = (
        f"  {'what':<30}{'scale':<9}{'PostgreSQL':>12}{'SSD-tuned':>11}{'queries':>8}"
        f"{'DuckDB':>10}{'pandas':>10}"
    )
    print(header)
    for key, label, scale in ROWS:
        pg = result["postgresql"].get(key, {})
        tuned = result.get("postgresql_ssd_tuning", {}).get(key, {})
        duck = result["duckdb_parquet"].get(key, {})
        panda = result["pandas_csv"].get(key, {})

        def cell(figure):
            if not figure:
                return "-"
            mark = "" if figure.get("matches", True) else " (differs)"
            return f"{figure['median_ms']:,.0f}{mark}"

        print(
            f"  {label:<30}{scale:<9}{cell(pg):>12}{cell(tuned):>11}{pg.get('queries', '-'):>8}"
            f"{cell(duck):>10}{cell(panda):>10}"
        )
    export = result["export"]
    print(
        f"  export: CSV {export['csv_seconds']} s, Parquet {export['parquet_seconds']} s; "
        f"pandas read_csv {result['pandas_csv']['read_csv_seconds']} s"
    )
    print(f"  targets: {json.dumps(result['targets'])}")
    print(f"  load average (1 min): {json.dumps(result['load_average_1m'])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="a database this script filled before (--keep)")
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--service-people", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database it fills")
    parser.add_argument("--workdir", help="keep the CSV and Parquet files in this folder")
    parser.add_argument(
        "--generation-json",
        type=Path,
        help="with --database: how that database was filled (JSON), kept with the results",
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    result = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, default=str) + "\n")
    print_table(result)
    print(f"Written to {args.out}")


if __name__ == "__main__":
    main()
