"""The referral facts table (docs/adr/0008), filled from the records already held."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    from ipsworks.outcomes.facts import insert_from

    insert_from(
        apps.get_model("people", "Referral").objects.all(),
        facts_model=apps.get_model("outcomes", "ReferralFacts"),
        contact_model=apps.get_model("activity", "Contact"),
        job_model=apps.get_model("jobs", "Job"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0002_session_generation"),
        ("outcomes", "0003_outcome_evidence"),
        ("people", "0004_equality_monitoring"),
        ("activity", "0001_initial"),
        ("jobs", "0002_job_application"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReferralFacts",
            fields=[
                (
                    "referral",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="people.referral",
                    ),
                ),
                ("person_id", models.BigIntegerField()),
                ("team_id", models.BigIntegerField(null=True)),
                ("allocated_to_id", models.BigIntegerField(null=True)),
                ("received_on", models.DateField()),
                ("closed_on", models.DateField(null=True)),
                ("out_of_work", models.BooleanField()),
                ("job_retention", models.BooleanField()),
                ("access_date", models.DateField(null=True)),
                ("first_direct_contact", models.DateField(null=True)),
                ("first_job_start", models.DateField(null=True)),
                (
                    "service",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organisations.service",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["service", "received_on"], name="facts_service_received")
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
