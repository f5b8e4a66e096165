"""Saved better-off calculations on the person's timeline (registered in ``BenefitsConfig``)."""

from django.urls import reverse
from django.utils import timezone

from ipsworks.benefits.models import BetterOffCalculation
from ipsworks.people.models import Person
from ipsworks.people.timeline import Event


def calculations(person: Person, limit: int) -> list[Event]:
    """Each saved calculation, with the answer in words and a link that opens it as saved."""
    events = []
    rows = (
        BetterOffCalculation.objects.filter(person=person)
        .select_related("recorded_by__user")
        .order_by("-recorded_at", "-pk")[:limit]
    )
    page = reverse("person_better_off", args=[person.pk])
    for c in rows:
        day = timezone.localtime(c.recorded_at).date()
        weekly = c.results.get("better_off_weekly", 0)
        job = c.inputs.get("job", {})
        events.append(
            Event(
                on=day,
                sort_key=(day, 4, c.pk),
                title=f"Better-off calculation: £{abs(weekly):.2f} a week "
                f"{'better' if weekly >= 0 else 'worse'} off in work",
                detail=f"{job.get('hours_per_week')} hours a week at £{job.get('hourly_pay')} "
                f"an hour, {c.tax_year} rates",
                by=c.recorded_by.display_name if c.recorded_by else "",
                kind="benefits",
                url=f"{page}?calculation={c.pk}",
            )
        )
    return events
