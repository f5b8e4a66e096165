from django.core.management.base import BaseCommand

from ipsworks.core.dates import local_today
from ipsworks.people.privacy import anonymise, due_for_anonymisation


class Command(BaseCommand):
    help = "Anonymise people whose referrals all closed more than IPS_RETENTION_YEARS ago."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing")

    def handle(self, *args, dry_run=False, **options):
        today = local_today()
        due = list(due_for_anonymisation(today))
        if not dry_run:
            for person in due:
                anonymise(person, today=today)
        verb = "would be" if dry_run else "were"
        self.stdout.write(f"{len(due)} people {verb} anonymised")
