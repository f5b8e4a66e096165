"""manage.py generate_synthetic: seeded synthetic services and people, at any scale."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ipsworks.demo.synthetic import Options, Progress, Stats, generate


def _positive(value: str) -> int:
    number = int(value.replace("_", "").replace(",", ""))
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Generate synthetic IPS services, staff and people with 1–3 years of history. "
        "The same seed gives the same data. Synthetic identifiers only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--services", type=_positive, default=2, help="IPS services (tenants)")
        parser.add_argument("--people", type=_positive, default=400, help="people, in total")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--years", type=int, choices=[1, 2, 3], default=2, help="years of history"
        )
        parser.add_argument(
            "--chunk",
            type=_positive,
            default=2000,
            help="people written per transaction (memory stays bounded by this)",
        )
        parser.add_argument(
            "--workers",
            type=_positive,
            default=1,
            help="processes writing services in parallel (PostgreSQL only; default 1)",
        )

    def handle(self, *args, **options) -> None:
        settings = Options(
            services=options["services"],
            people=options["people"],
            seed=options["seed"],
            years=options["years"],
            chunk_people=options["chunk"],
            workers=options["workers"],
        )
        verbosity = self._verbosity = options["verbosity"]
        self._last = 0.0
        try:
            settings.check()
            stats = generate(settings, progress=self._progress if verbosity else None)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if verbosity:
            self._report(stats)

    def _progress(self, progress: Progress) -> None:
        # A line every ten seconds or so (every chunk at -v 2): enough to see a long run move.
        if self._verbosity < 2 and progress.seconds - self._last < 10:
            return
        self._last = progress.seconds
        rate = progress.rows / progress.seconds if progress.seconds else 0
        self.stdout.write(
            f"service {progress.service}/{progress.services}: "
            f"{progress.people_done:,} of {progress.people:,} people, "
            f"{progress.rows:,} rows, {rate:,.0f} rows/s"
        )
        self.stdout.flush()  # worker processes print too; keep the lines in order

    def _report(self, stats: Stats) -> None:
        self.stdout.write(
            f"{stats.services} services, {stats.specialists:,} employment specialists, "
            f"{stats.people:,} people in {stats.seconds:.1f} s"
        )
        self.stdout.write(f"{'table':<40} {'rows':>12} {'rows/s writing':>16}")
        for table, figures in stats.table_rates().items():
            rate = figures["rows_per_second"]
            shown = "-" if rate is None else f"{rate:,.0f}"
            self.stdout.write(f"{table:<40} {figures['rows']:>12,} {shown:>16}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{stats.total_rows:,} rows, {stats.rows_per_second:,.0f} rows/s overall "
                "(generating and writing)"
            )
        )
