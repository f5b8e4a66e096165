"""Daily reminders of overdue in-work support, run by the django-tasks database worker.

``manage.py send_support_reminders`` enqueues :func:`send_support_reminders` (schedule it
once a day with cron or a systemd timer); ``manage.py db_worker`` runs it. The email names
no person: it says how many check-ins are overdue and links to "My week". Running it again
for the same day sends nothing twice (one ``ReminderSent`` a specialist a day), so the
reaper enqueues it again once when its worker dies mid-run.
"""

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django_tasks import task

from ipsworks.access.roles import Role
from ipsworks.core.dates import local_today
from ipsworks.jobs.models import ReminderSent, SupportCheckIn
from ipsworks.operations.reaper import recoverable
from ipsworks.organisations.models import StaffMember
from ipsworks.people.models import Referral, ReferralStatus


def overdue_counts(on: date) -> dict[int, int]:
    """Overdue open check-ins per specialist, for people on their open caseloads (1 query)."""
    caseload = Referral.objects.exclude(status=ReferralStatus.CLOSED).filter(
        allocated_to__isnull=False
    )
    rows = (
        SupportCheckIn.objects.filter(met_on__isnull=True, cancelled=False, due_on__lt=on)
        .filter(person__referrals__in=caseload)
        .values("person__referrals__allocated_to")
        .annotate(n=Count("pk", distinct=True))
    )
    return {row["person__referrals__allocated_to"]: row["n"] for row in rows}


@task()
def send_support_reminders(on: str | None = None) -> int:
    """Email each specialist with overdue in-work support once a day. Returns emails sent."""
    day = date.fromisoformat(on) if on else local_today()
    counts = overdue_counts(day)
    specialists = StaffMember.objects.filter(
        pk__in=counts, role=Role.EMPLOYMENT_SPECIALIST, user__is_active=True
    ).select_related("user")
    sent = 0
    link = settings.IPS_SITE_URL.rstrip("/") + reverse("my_week")
    for staff in specialists:
        if not staff.user.email:
            continue
        try:
            with transaction.atomic():
                ReminderSent.objects.create(staff=staff, sent_on=day, items=counts[staff.pk])
                send_mail(
                    subject="IPS Works: in-work support is overdue",
                    message=(
                        f"Hello {staff.user.first_name},\n\n"
                        f"{counts[staff.pk]} in-work support check-in"
                        f"{'s are' if counts[staff.pk] != 1 else ' is'} overdue for people on "
                        f"your caseload.\n\nSee them in My week: {link}\n"
                    ),
                    from_email=None,
                    recipient_list=[staff.user.email],
                )
        except IntegrityError:
            continue  # already reminded today
        sent += 1
    return sent


# The day is an argument (the command passes it), so each day's run is counted on its own.
recoverable(send_support_reminders, runs=2)
