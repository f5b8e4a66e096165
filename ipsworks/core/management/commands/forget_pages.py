"""manage.py forget_pages: no page kept by the page cache is shown again, and every server
process reads signed-in users from the database again (ADR 0010)."""

from django.core.management.base import BaseCommand

from ipsworks.core import page_cache


class Command(BaseCommand):
    help = (
        "After changing the database outside IPS Works (psql, a script, a restore by hand): "
        "every page kept by the page cache is drawn again from the database, and every "
        "signed-in user is read again."
    )

    def handle(self, *args, **options):
        page_cache.forget_everything()
        self.stdout.write(
            "Kept pages and signed-in users forgotten: both are read again from the database."
        )
