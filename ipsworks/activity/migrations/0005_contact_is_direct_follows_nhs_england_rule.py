"""``is_direct`` is NHS England's direct-contact rule over the codes, kept by the database."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("activity", "0004_contact_codes_from_what_is_held")]

    operations = [
        migrations.AddConstraint(
            model_name="contact",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("is_direct", True),
                        ("attended_or_dna__in", ["5", "6"]),
                        ("consultation_medium__in", ["01", "02", "04", "11"]),
                    ),
                    models.Q(
                        ("is_direct", False),
                        models.Q(
                            ("attended_or_dna__in", ["5", "6"]),
                            ("consultation_medium__in", ["01", "02", "04", "11"]),
                            _negated=True,
                        ),
                    ),
                    _connector="OR",
                ),
                name="contact_is_direct_follows_nhs_england_rule",
            ),
        ),
    ]
