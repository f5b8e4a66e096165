"""Shared by the standalone benchmark and resilience scripts: a fresh database, Django set up
against it, synthetic export files and small helpers. Synthetic data only."""

from __future__ import annotations

import csv
import io
import json
import os
import platform
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(ROOT))


def is_postgres(url: str) -> bool:
    return urlsplit(url).scheme in ("postgres", "postgresql", "pgsql")


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(
        urlunsplit(urlsplit(url)._replace(path="/postgres")), autocommit=True
    ) as c:
        c.execute(sql)


def fresh_database(label: str, base_url: str | None = None) -> tuple[str, callable]:
    """(DATABASE_URL of a new empty database, a function that drops it)."""
    base_url = base_url if base_url is not None else os.environ.get("DATABASE_URL", "")
    if base_url and is_postgres(base_url):
        name = f"ipsworks_{label}_{os.getpid()}"
        _admin(base_url, f'DROP DATABASE IF EXISTS "{name}"')
        _admin(base_url, f'CREATE DATABASE "{name}"')
        url = urlunsplit(urlsplit(base_url)._replace(path=f"/{name}"))
        return url, lambda: _admin(base_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    folder = Path(tempfile.mkdtemp(prefix=f"ipsworks-{label}-"))
    return f"sqlite:///{folder / 'db.sqlite3'}", lambda: None


def setup_django(database_url: str, **env: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipsworks.config.settings")
    os.environ.setdefault("IPS_SECRET_KEY", "benchmark-only-secret-key")
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed_service():
    """One service with two teams and a manager (the importer)."""
    from django.contrib.auth import get_user_model

    from ipsworks.access.roles import Role
    from ipsworks.organisations.models import Service, StaffMember, Team

    service = Service.objects.create(name="Benchmark IPS", short_name=f"bench-{os.getpid()}")
    Team.objects.create(service=service, name="North CMHT")
    Team.objects.create(service=service, name="South CMHT")
    user = get_user_model().objects.create_user(
        username=f"manager{os.getpid()}", first_name="Bench", last_name="Manager"
    )
    return service, StaffMember.objects.create(user=user, service=service, role=Role.MANAGER)


def synthetic_nhs_numbers(count: int, start: int = 1) -> list[str]:
    """Valid NHS numbers in the 999 range (never issued to real people)."""
    import nhs_number

    numbers, stem = [], start
    while len(numbers) < count:
        base = f"999{stem:06d}"
        check = nhs_number.calculate_checksum(base)
        if check is not None and check != 10:
            numbers.append(f"{base}{check}")
        stem += 1
    return numbers


_GIVEN = ["Alex", "Sam", "Jo", "Robin", "Kit", "Morgan", "Rowan", "Ash", "Jamie", "Ellis"]
_FAMILY = ["Testfield", "Samplewood", "Exampleton", "Mockridge", "Dummond", "Placeholm"]
_POSTCODES = ["LS1 4AP", "M1 1AE", "B1 1AA", "NE1 7RU", "ZZ99 3VZ", "S1 2HE", "L1 8JQ"]


def export_csv(rows: int, *, start: int = 1) -> bytes:
    """A clinical-system export of ``rows`` referrals in the standard columns."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "nhs_number",
            "given_name",
            "family_name",
            "date_of_birth",
            "postcode",
            "received_on",
            "source",
            "team",
            "employment_status_at_referral",
            "source_reference",
        ]
    )
    first = date(2024, 4, 1)
    for i, number in enumerate(synthetic_nhs_numbers(rows, start)):
        writer.writerow(
            [
                number,
                _GIVEN[i % len(_GIVEN)],
                _FAMILY[i % len(_FAMILY)],
                f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1960 + i % 40}",
                _POSTCODES[i % len(_POSTCODES)],
                f"{first + timedelta(days=i % 500):%d/%m/%Y}",
                "clinical_team" if i % 5 else "gp",
                "North CMHT" if i % 2 else "south cmht",
                ["02", "04", "06", "ZZ"][i % 4],
                f"EPR-{i}",
            ]
        )
    return out.getvalue().encode()


def machine() -> dict:
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def write_result(name: str, data: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / name
    path.write_text(json.dumps(data, indent=2, default=str) + "\n")
    return path
