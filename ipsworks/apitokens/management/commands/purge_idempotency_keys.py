from django.core.management.base import BaseCommand

from ipsworks.apitokens.services import purge_idempotency_keys


class Command(BaseCommand):
    help = "Delete the API's Idempotency-Keys older than 24 hours (run daily)."

    def handle(self, *args, **options):
        deleted = purge_idempotency_keys()
        self.stdout.write(f"{deleted} idempotency keys deleted")
