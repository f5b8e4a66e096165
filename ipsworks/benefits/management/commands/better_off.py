"""python manage.py better_off --input FILE.json [--full-check]

Prints the better-off answer as JSON (the same contract as POST /api/v1/better-off). Bad input
prints the errors, each naming its field, and exits with status 2. ``--full-check`` also runs
the household through policyengine-uk (if installed) and prints both side by side.
"""

import json
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ipsworks.benefits import oracle
from ipsworks.benefits.engine import calculate
from ipsworks.benefits.schema import InputError, parse_household
from ipsworks.core.form_messages import INPUT_NOT_VALID


class Command(BaseCommand):
    help = "Print the better-off-in-work calculation for a household described in a JSON file."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="JSON file (use - for stdin)")
        parser.add_argument(
            "--full-check",
            action="store_true",
            help="Also run policyengine-uk on the same household and print both",
        )

    def handle(self, *args, **options):
        source = options["input"]
        try:
            text = self.stdin.read() if source == "-" else Path(source).read_text()
            data = json.loads(text)
        except OSError as error:
            raise CommandError(f"input: cannot read {source}: {error.strerror}") from None
        except json.JSONDecodeError as error:
            raise CommandError(f"input: not valid JSON ({error})") from None
        try:
            household = parse_household(data)
        except InputError as error:
            self.stderr.write(
                json.dumps({"detail": INPUT_NOT_VALID, "errors": error.errors}, indent=2)
            )
            raise CommandError(str(error), returncode=2) from None
        result = calculate(household)
        if options["full_check"]:
            result = {"engine": result, "policyengine_uk": self._full_check(household)}
        self.stdout.write(json.dumps(result, indent=2))

    def _full_check(self, household) -> dict:
        if not oracle.available():
            return {"error": "policyengine-uk is not installed (pip install -e '.[dev]')"}
        points = [(household, Decimal(0)), (household, household.job.hours_per_week)]
        out_of_work, in_work = oracle.run(points)
        rounded = [{k: round(v, 2) for k, v in figs.items()} for figs in (out_of_work, in_work)]
        return {
            "version": oracle.PINNED_VERSION,
            "out_of_work": rounded[0],
            "in_work": rounded[1],
            "better_off_weekly": round((in_work["net_income"] - out_of_work["net_income"]) / 52, 2),
        }
