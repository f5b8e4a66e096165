"""manage.py load_areas --onspd ONSPD.zip | --population areas.csv | --synthetic."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ipsworks.outcomes import geography


class Command(BaseCommand):
    help = (
        "Load where people live for the national breakdowns (ipsworks/outcomes/geography.py): "
        "the sub-ICB location, ICB and IMD 2019 decile of every live postcode from the ONS "
        "Postcode Directory (--onspd, replacing those loaded before); areas' names and "
        "populations from a CSV of level, code, name, population[, source] (--population); or "
        "synthetic areas for the demo's 'AA' postcodes (--synthetic)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--onspd", help="ONS Postcode Directory zip or CSV")
        parser.add_argument("--population", help="CSV of areas and their populations")
        parser.add_argument("--synthetic", action="store_true", help="demo areas only")

    def handle(self, *args, onspd=None, population=None, synthetic=False, **options):
        if sum(bool(x) for x in (onspd, population, synthetic)) != 1:
            raise CommandError("Give one of --onspd FILE, --population FILE or --synthetic")
        if synthetic:
            report = geography.load_synthetic()
            self.stdout.write(
                self.style.SUCCESS(f"Loaded synthetic areas for {report.loaded:,} postcodes")
            )
            return
        path = Path(onspd or population)
        if not path.is_file():
            raise CommandError(f"No file at {path}")
        try:
            if onspd:
                report = geography.load_onspd(path)
                message = (
                    f"Loaded the areas of {report.loaded:,} live postcodes; skipped "
                    f"{report.terminated:,} terminated and {report.invalid:,} unreadable rows"
                )
            else:
                report = geography.load_population(path)
                message = f"Loaded {report.loaded:,} areas and their populations"
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(message))
