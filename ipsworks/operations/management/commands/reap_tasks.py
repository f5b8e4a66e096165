"""manage.py reap_tasks: fail (and retry, when safe) tasks whose worker died."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from ipsworks.operations.reaper import reap


class Command(BaseCommand):
    help = (
        "Mark background tasks that have been running longer than --minutes as failed (their "
        "worker died) and enqueue idempotent ones again. Run it from cron every few minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes", type=float, default=30, help="running longer than this is lost"
        )

    def handle(self, *args, minutes, **options):
        reaped = reap(older_than=timedelta(minutes=minutes))
        for item in reaped:
            action = "enqueued again" if item.requeued else "marked failed"
            self.stdout.write(f"{item.task_path} {item.task_id}: {action}")
        if options["verbosity"] and not reaped:
            self.stdout.write("No lost tasks")
