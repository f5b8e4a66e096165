"""A person's appointments on their timeline (registered in ``DiaryConfig``).

One that took place, or was missed, is already there as the contact it became; what the
timeline adds is the rest: appointments still booked, and those cancelled.
"""

from django.utils import timezone

from ipsworks.diary.models import Appointment
from ipsworks.people.models import Person
from ipsworks.people.timeline import Event


def appointments(person: Person, limit: int) -> list[Event]:
    """The newest ``limit`` appointments booked or cancelled (one query)."""
    rows = (
        Appointment.objects.filter(person=person, contact__isnull=True)
        .exclude(status__in=[Appointment.Status.TOOK_PLACE, Appointment.Status.DID_NOT_ATTEND])
        .select_related("staff__user")
        .order_by("-starts_at", "-pk")[:limit]
    )
    events = []
    for a in rows:
        starts = timezone.localtime(a.starts_at)
        title = (
            f"Appointment {a.get_status_display().lower()}"
            if a.is_cancelled
            else f"Appointment booked for {starts:%H:%M}"
        )
        events.append(
            Event(
                on=starts.date(),
                sort_key=(starts.date(), 2, a.pk),
                title=title,
                detail=" · ".join(p for p in (a.get_place_display(), a.title, a.notes) if p),
                by=a.staff.display_name,
                kind="appointment",
            )
        )
    return events
