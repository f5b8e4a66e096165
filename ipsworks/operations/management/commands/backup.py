"""manage.py backup --output FILE: a consistent backup and its manifest (SQLite or PostgreSQL)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ipsworks.operations.backup import backup


class Command(BaseCommand):
    help = "Back up the database to FILE, with FILE.manifest.json (row counts and checksums)."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="the backup file to write")
        parser.add_argument("--database", default="default")

    def handle(self, *args, output, database, **options):
        try:
            manifest = backup(Path(output), database)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from None
        except Exception as error:  # pg_dump's own message is the useful part
            stderr = getattr(error, "stderr", b"") or b""
            raise CommandError(
                f"Backup failed: {stderr.decode(errors='replace') or error}"
            ) from None
        rows = ", ".join(f"{t} {v['rows']}" for t, v in manifest["tables"].items())
        self.stdout.write(f"Backed up to {output} ({manifest['bytes']:,} bytes): {rows}")
