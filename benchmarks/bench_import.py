"""Import benchmark: a 100,000-row clinical-system export, checked and saved.

Standalone: ``python benchmarks/bench_import.py [--rows 100000]``. It makes a fresh
database (a temporary SQLite file, or a new database on the server DATABASE_URL names when
that is PostgreSQL, dropped afterwards), a service and a manager, writes a synthetic CSV
export, and runs the import exactly as the background task does
(``ipsworks.imports.services.run_import``). Then it imports the same file again, which must
add nothing. Rows per second for both go to benchmarks/results/import.json under the
engine's name (the file keeps the other engine's figures).

From benchmarks/run.py: ``subprocess.run([sys.executable, "benchmarks/bench_import.py",
"--rows", "100000"], check=True)`` and read ``benchmarks/results/import.json``.
"""

from __future__ import annotations

import argparse
import json
import resource
import time

from _django import RESULTS, export_csv, fresh_database, machine, seed_service, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    url, drop = fresh_database("bench_import")
    try:
        setup_django(url)
        from django.db import connection, transaction

        from ipsworks.imports import services
        from ipsworks.people.models import Person, Referral, ReferralStatusChange

        _, manager = seed_service()
        started = time.perf_counter()
        data = export_csv(args.rows)
        made = time.perf_counter() - started

        def timed_import():
            with transaction.atomic():
                run = services.request_import(filename="export.csv", data=data, by=manager)
            begin = time.perf_counter()
            run = services.run_import(run.pk)
            return run, time.perf_counter() - begin

        first, first_seconds = timed_import()
        assert first.status == "done", (first.status, first.problems[:3])
        assert first.referrals_created == args.rows
        again, again_seconds = timed_import()
        assert again.referrals_created == 0, again.referrals_created
        assert again.rows_skipped == args.rows
        counts = {
            "people": Person.objects.count(),
            "referrals": Referral.objects.count(),
            "status_rows": ReferralStatusChange.objects.count(),
        }
        result = {
            "engine": connection.vendor,
            "rows": args.rows,
            "file_bytes": len(data),
            "seconds_to_make_file": round(made, 2),
            "import_seconds": round(first_seconds, 2),
            "import_rows_per_second": round(args.rows / first_seconds),
            "reimport_seconds": round(again_seconds, 2),
            "reimport_rows_per_second": round(args.rows / again_seconds),
            "reimport_created": again.referrals_created,
            "counts_after": counts,
            "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "machine": machine(),
        }
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop()
    path = RESULTS / "import.json"
    everything = json.loads(path.read_text()) if path.exists() else {}
    everything[result["engine"]] = result
    RESULTS.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(everything, indent=2) + "\n")
    print(
        f"{result['engine']}: {args.rows:,} rows imported in {result['import_seconds']} s "
        f"({result['import_rows_per_second']:,} rows/s); re-import added "
        f"{result['reimport_created']} in {result['reimport_seconds']} s "
        f"({result['reimport_rows_per_second']:,} rows/s); peak {result['peak_memory_mb']} MB"
    )


if __name__ == "__main__":
    main()
