"""Rewrite the table of metrics in docs/metrics.md from the registry."""

from django.core.management.base import BaseCommand, CommandError

from ipsworks.outcomes import metric_docs


class Command(BaseCommand):
    help = "Rewrite docs/metrics.md's table from the metric registry (--check: only compare)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="fail if the file is stale")

    def handle(self, *args, check=False, **options):
        text = metric_docs.PATH.read_text()
        wanted = metric_docs.rewritten(text)
        if check:
            if wanted != text:
                raise CommandError("docs/metrics.md is out of date: run manage.py metric_docs")
            self.stdout.write("docs/metrics.md matches the registry")
            return
        metric_docs.PATH.write_text(wanted)
        self.stdout.write("docs/metrics.md rewritten")
