"""Trigram indexes for finding a person by a partial or misspelt name, on PostgreSQL only.

pg_trgm gives ``similarity()`` and the ``%`` operator (people.search); GIN indexes with
``gin_trgm_ops`` on the three name fields let PostgreSQL answer ``%`` and ``~*`` from the
index instead of reading every name in the service. SQLite has neither and needs neither:
there the search ranks its candidates in Python (docs/search.md). The indexes are not in
the model state, so ``makemigrations --check`` is the same on both databases. They are built
CONCURRENTLY, so a large live table is not locked against writes while they are made.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class TrigramExtensionOnPostgreSQL(TrigramExtension):
    """pg_trgm, created on PostgreSQL and left alone elsewhere, both ways.

    Django's operation already does nothing forwards on another database, but going back
    it asks ``pg_extension``, which SQLite does not have.
    """

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


INDEXES = {
    "people_person_family_name_trgm": "family_name",
    "people_person_given_name_trgm": "given_name",
    "people_person_preferred_name_trgm": "preferred_name",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} "
            f"ON people_person USING gin ({column} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("people", "0010_source_of_referral_mhsds")]

    operations = [
        TrigramExtensionOnPostgreSQL(),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
