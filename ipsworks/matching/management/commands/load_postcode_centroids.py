"""manage.py load_postcode_centroids ONSPD.zip|ONSPD.csv, or --synthetic for the demo."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ipsworks.matching import centroids


class Command(BaseCommand):
    help = (
        "Load postcode centroids from the ONS Postcode Directory (the zip from the ONS Open "
        "Geography Portal, or its UK CSV), replacing those loaded before. Reads the columns "
        "pcds, lat, long and doterm; skips terminated and unplaced postcodes. With --synthetic, "
        "gives the demo's synthetic 'AA' postcodes made-up coordinates instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="ONSPD zip or CSV file")
        parser.add_argument(
            "--synthetic",
            action="store_true",
            help="Make coordinates for the synthetic postcodes in the database (demo only)",
        )

    def handle(self, *args, file=None, synthetic=False, **options):
        if synthetic == bool(file):
            raise CommandError("Give either an ONSPD file or --synthetic")
        if synthetic:
            report = centroids.load_synthetic()
            self.stdout.write(
                self.style.SUCCESS(f"Loaded {report.loaded:,} synthetic postcode centroids")
            )
            return
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {path}")
        try:
            report = centroids.load_onspd(path)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {report.loaded:,} live postcodes; skipped {report.terminated:,} "
                f"terminated, {report.unplaced:,} without a location and {report.invalid:,} "
                "unreadable rows"
            )
        )
