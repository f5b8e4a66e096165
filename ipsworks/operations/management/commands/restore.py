"""manage.py restore FILE: restore a backup over the database and verify it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ipsworks.core import page_cache
from ipsworks.operations.backup import RestoreMismatch, restore


class Command(BaseCommand):
    help = (
        "Restore FILE (made by manage.py backup) over the database, then check every key "
        "table's row count and checksum against FILE.manifest.json. Stop the application first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--yes", action="store_true", help="do not ask before replacing the database"
        )

    def handle(self, *args, file, database, yes, **options):
        if not yes and options.get("interactive", True):
            answer = input("This replaces everything in the database. Type 'restore' to go on: ")
            if answer.strip() != "restore":
                raise CommandError("Nothing was restored")
        try:
            manifest = restore(Path(file), database)
        except RestoreMismatch as error:
            raise CommandError(f"Restore NOT verified: {error}") from None
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from None
        except Exception as error:
            stderr = getattr(error, "stderr", b"") or b""
            raise CommandError(
                f"Restore failed: {stderr.decode(errors='replace') or error}"
            ) from None
        # pg_restore and SQLite's backup write past Django's connections: no kept page stays.
        page_cache.forget_everything()
        self.stdout.write(
            f"Restored {file} (taken {manifest['taken_at']}) and verified: row counts and "
            f"checksums of {', '.join(manifest['tables'])} match"
        )
