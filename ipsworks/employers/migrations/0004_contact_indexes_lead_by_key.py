"""Drop the single-column indexes on keys that already lead a two-column index.

Only the indexes go; the foreign keys stay as they are. Done as SQL so that
PostgreSQL does not drop and re-check the foreign keys over millions of rows, and
SQLite does not copy the table. The index names are the ones Django gave them.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "employers_employercontact"
INDEXES = [  # (name, column)
    ("employers_employercontact_employer_id_2b5e0f28", "employer_id"),
    ("employers_employercontact_person_id_4b0f6e4c", "person_id"),
    ("employers_employercontact_service_id_f6c62159", "service_id"),
    ("employers_employercontact_staff_id_211fc978", "staff_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("employers", "0003_contact_person_removed_at"),
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
                    model_name="employercontact",
                    name="employer",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="contacts",
                        to="employers.employer",
                    ),
                ),
                migrations.AlterField(
                    model_name="employercontact",
                    name="person",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        help_text="The person the contact was for, if any.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="employer_contacts",
                        to="people.person",
                    ),
                ),
                migrations.AlterField(
                    model_name="employercontact",
                    name="service",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisations.service",
                    ),
                ),
                migrations.AlterField(
                    model_name="employercontact",
                    name="staff",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="employer_contacts",
                        to="organisations.staffmember",
                    ),
                ),
            ],
        ),
    ]
