from django.conf import settings
from django.core.management.base import BaseCommand

from ipsworks.core.dates import local_today
from ipsworks.people.privacy import (
    RETENTION_STEPS,
    due_as_never_started,
    due_for_anonymisation,
)
from ipsworks.people.services import anonymise


class Command(BaseCommand):
    help = (
        "Apply the retention policy (run it daily): anonymise people whose referrals all "
        "closed more than IPS_RETENTION_YEARS ago, and self-referred people who never started "
        "after IPS_NOT_STARTED_RETENTION_YEARS; delete employer enquiries "
        "IPS_EMPLOYER_ENQUIRY_RETENTION_YEARS after the last contact."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing")

    def handle(self, *args, dry_run=False, **options):
        today = local_today()
        due = list(due_for_anonymisation(today))
        due_ids = {person.pk for person in due}
        never_started = [p for p in due_as_never_started(today) if p.pk not in due_ids]
        # Other apps' records (employer enquiries), registered by those apps.
        steps = [(step, step.due(today)) for step in RETENTION_STEPS]
        if not dry_run:
            for person in due:
                anonymise(
                    person,
                    today=today,
                    reason=f"All referrals closed over {settings.IPS_RETENTION_YEARS} years ago",
                )
            for person in never_started:
                anonymise(
                    person,
                    today=today,
                    reason=(
                        "Self-referral that never started, received over "
                        f"{settings.IPS_NOT_STARTED_RETENTION_YEARS} years ago"
                    ),
                )
            for step, items in steps:
                for item in items:
                    step.apply(item)
        verb = "would be" if dry_run else "were"
        self.stdout.write(f"{len(due)} people {verb} anonymised")
        self.stdout.write(
            f"{len(never_started)} self-referred people who never started {verb} anonymised"
        )
        for step, items in steps:
            self.stdout.write(
                f"{len(items)} {step.what} {'would be' if dry_run else 'were'} {step.verb}"
            )
