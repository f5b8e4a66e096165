"""An outcome is claimed once, whatever the contract: ``ClaimItem.claim_key``.

The key is the event family and the job (or referral), without the contract, and the two
13-week sustainment events are one family (``outcomes.models.claim_key``). Items already
in the database get their key; where an outcome was claimed twice before this change (on
two contracts, or under both 13-week events), the first claim keeps the plain key and each
later one is kept, unchanged, with ``:duplicate:<id>`` after it so it can be found and
recovered from the funder rather than deleted.
"""

from django.db import migrations, models

FAMILY = {"sustained_13_under_16": "sustained_13", "sustained_13_16_plus": "sustained_13"}


def fill_keys(apps, schema_editor):
    ClaimItem = apps.get_model("outcomes", "ClaimItem")
    seen = set()
    for item in ClaimItem.objects.order_by("pk").iterator():
        family = FAMILY.get(item.event, item.event)
        key = (
            f"{family}:job:{item.job_id}"
            if item.job_id is not None
            else f"{family}:referral:{item.referral_id}"
        )
        if key in seen:
            key = f"{key}:duplicate:{item.pk}"
        seen.add(key)
        ClaimItem.objects.filter(pk=item.pk).update(claim_key=key)


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_initial")]

    operations = [
        migrations.RemoveConstraint(model_name="claimitem", name="claim_once_per_referral_event"),
        migrations.RemoveConstraint(model_name="claimitem", name="claim_once_per_job_event"),
        migrations.AddField(
            model_name="claimitem",
            name="claim_key",
            field=models.CharField(max_length=80, null=True),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="claimitem",
            name="claim_key",
            field=models.CharField(max_length=80, unique=True),
        ),
        migrations.AddConstraint(
            model_name="claimitem",
            constraint=models.CheckConstraint(
                condition=models.Q(("claim_key", ""), _negated=True), name="claim_key_not_blank"
            ),
        ),
    ]
