from django.core.management.base import BaseCommand, CommandError

from ipsworks.organisations.models import Service
from ipsworks.outcomes import facts


class Command(BaseCommand):
    help = (
        "Check the referral facts the outcome figures read against the records "
        "(--check, the default; exit 1 if any differ), or rewrite them (--rebuild)."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--check", action="store_true", help="report differences (default)")
        action.add_argument("--rebuild", action="store_true", help="rewrite the facts")
        parser.add_argument(
            "--service", action="append", metavar="SHORT_NAME", help="only this service"
        )

    def handle(self, *args, **options):
        service_ids = None
        if options["service"]:
            found = dict(
                Service.objects.filter(short_name__in=options["service"]).values_list(
                    "short_name", "pk"
                )
            )
            unknown = sorted(set(options["service"]) - found.keys())
            if unknown:
                raise CommandError(f"No service with the short name {', '.join(unknown)}")
            service_ids = list(found.values())
        if options["rebuild"]:
            rows = facts.rebuild(service_ids)
            self.stdout.write(f"Referral facts rebuilt: {rows} referrals")
            return
        problems = facts.differences(service_ids)
        if problems:
            for problem in problems:
                self.stdout.write(problem)
            raise CommandError(
                "The referral facts differ from the records (at most 20 shown); "
                "run outcome_facts --rebuild"
            )
        self.stdout.write("The referral facts agree with the records")
