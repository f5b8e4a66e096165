"""Backups and verified restores for SQLite and PostgreSQL (docs/resilience.md).

A backup is one file plus a manifest beside it (``FILE.manifest.json``): the engine, the
time, and for each key table (people, referrals, contacts, jobs, the access log) its row
count and a SHA-256 over every row in primary-key order. The manifest is taken from the
same snapshot as the backup. A restore is verified by taking the same fingerprint of the
restored database and comparing it with the manifest; any difference is an error.

* SQLite: the online backup API (``sqlite3.Connection.backup``), a consistent copy taken
  while the application keeps running.
* PostgreSQL: ``pg_dump --format=custom`` from an exported snapshot, so the dump and the
  fingerprint see the same data; ``pg_restore --clean --if-exists --single-transaction``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from django.db import connections

KEY_TABLES = (
    "people_person",
    "people_referral",
    "activity_contact",
    "jobs_job",
    "access_accesslogentry",
)
FORMAT = 1


class RestoreMismatch(Exception):
    pass


def _engine(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise ValueError(f"Backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def fingerprint_cursor(cursor, vendor: str) -> dict[str, dict]:
    """Row count and checksum of each key table, read through a DB-API cursor.

    Every value is read as the database's own text form, so the checksum does not depend
    on the driver's type conversions (Django's SQLite connection parses dates; a plain
    sqlite3 connection does not).
    """
    result = {}
    for table in KEY_TABLES:
        cursor.execute(f"SELECT * FROM {table} WHERE 1 = 0")  # noqa: S608 (fixed names)
        columns = [d[0] for d in cursor.description]
        if vendor == "sqlite":
            texts = ", ".join(f'CAST("{c}" AS TEXT)' for c in columns)
        else:
            texts = ", ".join(f'"{c}"::text' for c in columns)
        cursor.execute(f"SELECT {texts} FROM {table} ORDER BY id")  # noqa: S608
        digest = hashlib.sha256()
        count = 0
        while True:
            rows = cursor.fetchmany(5000)
            if not rows:
                break
            for row in rows:
                digest.update(repr(tuple(row)).encode("utf-8"))
                digest.update(b"\n")
            count += len(rows)
        result[table] = {"rows": count, "sha256": digest.hexdigest()}
    return result


def fingerprint(alias: str = "default") -> dict[str, dict]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET TIME ZONE 'UTC'")
        return fingerprint_cursor(cursor, connection.vendor)


def _manifest_path(output: Path) -> Path:
    return output.with_name(output.name + ".manifest.json")


def _pg_env(alias: str) -> tuple[dict[str, str], str]:
    settings = connections[alias].settings_dict
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings.get(key):
            env[var] = str(settings[key])
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    return env, settings["NAME"]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise FileNotFoundError(f"{name} is not installed (Debian: postgresql-client)")
    return path


def _create_private(path: Path) -> None:
    """Create (or empty) ``path`` readable and writable by its owner only (0600).

    A backup holds the whole health database, so it is private before any data reaches
    it: created with mode 0600, and chmod-ed in case it already existed with another mode.
    SQLite gives its journal files the database file's mode; pg_dump truncates the file
    and keeps it.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def backup(output: Path, alias: str = "default") -> dict:
    """Write a consistent backup to ``output`` and its manifest; return the manifest.

    Both files are readable by their owner only (mode 0600).
    """
    engine = _engine(alias)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    _create_private(output)
    if engine == "sqlite":
        connection = connections[alias]
        connection.ensure_connection()
        target = sqlite3.connect(str(output))
        try:
            connection.connection.backup(target)
            tables = fingerprint_cursor(target.cursor(), "sqlite")
        finally:
            target.close()
    else:
        env, name = _pg_env(alias)
        import psycopg

        settings = connections[alias].settings_dict
        params = {"dbname": name, "autocommit": False}
        for key, param in (("HOST", "host"), ("PORT", "port"), ("USER", "user")):
            if settings.get(key):
                params[param] = settings[key]
        if settings.get("PASSWORD"):
            params["password"] = settings["PASSWORD"]
        with psycopg.connect(**params) as conn:
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            conn.execute("SET TIME ZONE 'UTC'")
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            subprocess.run(  # noqa: S603 (fixed tool, arguments from settings)
                [
                    _tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={output}",
                    name,
                ],
                env=env,
                check=True,
                capture_output=True,
            )
            tables = fingerprint_cursor(conn.cursor(), "postgresql")
            conn.rollback()
    manifest = {
        "format": FORMAT,
        "engine": engine,
        "taken_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "file": output.name,
        "bytes": output.stat().st_size,
        "file_sha256": _file_sha256(output),
        "tables": tables,
    }
    manifest_path = _manifest_path(output)
    _create_private(manifest_path)
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(source: Path) -> dict:
    path = _manifest_path(Path(source))
    if not path.exists():
        raise FileNotFoundError(f"No manifest beside the backup: {path}")
    return json.loads(path.read_text())


def restore(source: Path, alias: str = "default") -> dict:
    """Restore ``source`` over the database, then verify it against the manifest.

    Raises RestoreMismatch (naming each table that differs) if the restored data is not
    what was backed up. Returns the manifest.
    """
    engine = _engine(alias)
    source = Path(source)
    manifest = read_manifest(source)
    if manifest["engine"] != engine:
        raise RestoreMismatch(f"This is a {manifest['engine']} backup; the database is {engine}")
    if _file_sha256(source) != manifest["file_sha256"]:
        raise RestoreMismatch("The backup file has changed since it was made (checksum differs)")
    connection = connections[alias]
    if engine == "sqlite":
        connection.ensure_connection()
        origin = sqlite3.connect(str(source))
        try:
            origin.backup(connection.connection)
        finally:
            origin.close()
    else:
        connection.close()
        env, name = _pg_env(alias)
        subprocess.run(  # noqa: S603 (fixed tool, arguments from settings)
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                f"--dbname={name}",
                str(source),
            ],
            env=env,
            check=True,
            capture_output=True,
        )
    found = fingerprint(alias)
    differ = [t for t in KEY_TABLES if found.get(t) != manifest["tables"].get(t)]
    if differ:
        details = ", ".join(
            f"{t} ({found[t]['rows']} rows, expected {manifest['tables'][t]['rows']})"
            for t in differ
        )
        raise RestoreMismatch(f"The restored data does not match the backup: {details}")
    return manifest
