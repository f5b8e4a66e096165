"""Scoped reads of saved better-off calculations. Each starts from the staff member's scope."""

from datetime import date

from django.db.models import Min
from django.db.models.functions import TruncDate

from ipsworks.benefits.models import BetterOffCalculation
from ipsworks.organisations.models import StaffMember
from ipsworks.people.models import Person


def calculations_for(staff: StaffMember, person: Person, limit: int = 10):
    """The person's latest saved calculations, if the person is in the staff member's scope."""
    return list(
        BetterOffCalculation.objects.filter(
            person__in=Person.objects.visible_to(staff), person_id=person.pk
        )
        .select_related("recorded_by__user")
        .order_by("-recorded_at", "-pk")[:limit]
    )


def calculation_for(staff: StaffMember, person: Person, pk: int) -> BetterOffCalculation | None:
    """One of the person's saved calculations, if the person is in scope; else None."""
    return (
        BetterOffCalculation.objects.filter(
            person__in=Person.objects.visible_to(staff), person_id=person.pk, pk=pk
        )
        .select_related("recorded_by__user")
        .first()
    )


def first_calculation_dates(service_ids) -> dict[int, date]:
    """For each person in the given services, the date of their first saved calculation.

    IPS fidelity item 12 (benefits counselling): every person is offered personalised benefits
    planning before starting a job. A saved better-off calculation is that evidence. For the
    metrics code, with service ids already established as in scope
    (``scoping.services_for_aggregates``); what leaves the metrics is counts, never rows.
    """
    rows = (
        BetterOffCalculation.objects.filter(service_id__in=service_ids)
        .values("person_id")
        .annotate(first=Min(TruncDate("recorded_at")))
    )
    return {row["person_id"]: row["first"] for row in rows}
