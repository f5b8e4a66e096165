from django.core.management.base import BaseCommand

from ipsworks.core.dates import local_today
from ipsworks.jobs.tasks import send_support_reminders


class Command(BaseCommand):
    help = "Queue today's in-work support reminders (run daily; db_worker sends them)."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Send now instead of queueing")

    def handle(self, *args, now=False, **options):
        if now:
            sent = send_support_reminders.call()
            self.stdout.write(f"Sent {sent} reminder emails")
        else:
            # The day is fixed now, so a run enqueued again after a lost worker reminds for
            # the same day (and its one-a-day guard) even if it runs after midnight.
            result = send_support_reminders.enqueue(on=local_today().isoformat())
            self.stdout.write(f"Queued reminders as task {result.id}")
