"""Each open referral's "next action" (the single field tasks replace) becomes an open task
for the specialist the referral is allocated to, due when it was.

The referral's fields stay as they were (the demo generator and older exports read them);
nothing writes them any more. Going back leaves the tasks: they may have been ticked off
or added to since, and the old fields were never cleared, so there is nothing to restore.
"""

from django.db import migrations


def open_tasks_from_next_actions(apps, schema_editor) -> int:
    """Returns how many tasks it made. A referral with nobody allocated has no owner for the
    task and is left; one already carried over (a task on it) is not carried twice."""
    Referral = apps.get_model("people", "Referral")
    Task = apps.get_model("diary", "Task")
    referrals = (
        Referral.objects.exclude(next_action="")
        .exclude(status="closed")
        .filter(allocated_to__isnull=False)
        .exclude(pk__in=Task.objects.filter(referral__isnull=False).values("referral_id"))
        .order_by("pk")
    )
    made = [
        Task(
            service_id=referral.service_id,
            person_id=referral.person_id,
            referral_id=referral.pk,
            owner_id=referral.allocated_to_id,
            title=referral.next_action.strip()[:200] or "Next action",
            due_on=referral.next_action_on,
            created_by_id=referral.allocated_to_id,
        )
        for referral in referrals.iterator()
    ]
    Task.objects.bulk_create(made, batch_size=1000)
    return len(made)


class Migration(migrations.Migration):
    dependencies = [("diary", "0002_tasks")]

    operations = [
        migrations.RunPython(open_tasks_from_next_actions, migrations.RunPython.noop, elidable=True)
    ]
