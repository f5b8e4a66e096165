"""Contacts hold MHSDS CONSULTATION MEDIUM USED and ATTENDED OR DID NOT ATTEND (issue 17).

The columns are added here; 0004 fills them from what each contact already holds and 0005
adds the constraint that ``is_direct`` is NHS England's rule over them (three migrations, so
PostgreSQL does not alter a table it has just updated in the same transaction).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("activity", "0002_contact_indexes_lead_by_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="contact",
            name="attended_or_dna",
            field=models.CharField(
                blank=True,
                choices=[
                    ("5", "Attended on time, or before the professional was ready"),
                    ("6", "Arrived late, after the professional was ready, but was seen"),
                    ("7", "Arrived late and could not be seen"),
                    ("2", "Cancelled by, or on behalf of, the person"),
                    ("3", "Did not attend, no advance warning given"),
                    ("4", "Cancelled or postponed by the service"),
                    ("0", "Not applicable: the appointment is in the future"),
                ],
                help_text="Blank for activity without the person (family only, clinical team).",
                max_length=1,
                verbose_name="attended or did not attend (MHSDS)",
            ),
        ),
        migrations.AddField(
            model_name="contact",
            name="consultation_medium",
            field=models.CharField(
                choices=[
                    ("01", "Face to face"),
                    ("02", "Telephone"),
                    ("04", "Talk type for a person unable to speak"),
                    ("05", "Email"),
                    ("09", "Text message (asynchronous)"),
                    ("10", "Instant messaging (synchronous)"),
                    ("11", "Video consultation"),
                    ("12", "Message board (asynchronous)"),
                    ("13", "Chat room (synchronous)"),
                    ("98", "Other (not listed)"),
                ],
                default="98",
                help_text=(
                    "Set from how the contact happened on save; a finer code that agrees is kept."
                ),
                max_length=2,
                verbose_name="consultation medium used (MHSDS)",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="contact",
            name="is_direct",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="NHS England direct contact: attended (5, 6) by medium 01, 02, 04 or 11.",
            ),
        ),
    ]
