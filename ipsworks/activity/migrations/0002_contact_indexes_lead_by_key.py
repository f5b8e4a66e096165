"""Drop the single-column indexes on keys that already lead a two-column index.

Only the indexes go; the foreign keys stay as they are. Done as SQL so that
PostgreSQL does not drop and re-check the foreign keys over millions of rows, and
SQLite does not copy the table. The index names are the ones Django gave them.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "activity_contact"
INDEXES = [  # (name, column)
    ("activity_contact_person_id_0f5c3da0", "person_id"),
    ("activity_contact_referral_id_ad32d69b", "referral_id"),
    ("activity_contact_service_id_728d4355", "service_id"),
    ("activity_contact_staff_id_e7d5a611", "staff_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("activity", "0001_initial"),
        ("organisations", "0002_session_generation"),
        ("people", "0004_equality_monitoring"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {name}",
                    f"CREATE INDEX {name} ON {TABLE} ({column})",
                )
                for name, column in INDEXES
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="contact",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="contacts",
                        to="people.person",
                    ),
                ),
                migrations.AlterField(
                    model_name="contact",
                    name="referral",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="contacts",
                        to="people.referral",
                    ),
                ),
                migrations.AlterField(
                    model_name="contact",
                    name="service",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisations.service",
                    ),
                ),
                migrations.AlterField(
                    model_name="contact",
                    name="staff",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="contacts",
                        to="organisations.staffmember",
                    ),
                ),
            ],
        ),
    ]
