"""manage.py forget_pages: no page kept by the page cache is shown again."""

from django.core.management.base import BaseCommand

from ipsworks.core import page_cache


class Command(BaseCommand):
    help = (
        "After changing the database outside IPS Works (psql, a script, a restore by hand): "
        "every page kept by the page cache is drawn again from the database."
    )

    def handle(self, *args, **options):
        page_cache.forget_everything()
        self.stdout.write("Kept pages forgotten: every page is drawn again from the database.")
