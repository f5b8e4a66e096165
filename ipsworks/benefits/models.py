"""Saved better-off calculations: what was entered, which rules answered, and the answer."""

from django.db import models

from ipsworks.core.models import AppendOnlyModel
from ipsworks.organisations.models import Service, StaffMember
from ipsworks.people.models import Person, Referral


class BetterOffCalculation(AppendOnlyModel):
    """One better-off-in-work calculation saved on a person's record.

    Append-only: a new calculation is a new row, so the advice given on a date can always be
    shown as it was. It keeps its inputs, the tax year and the engine version so it can be
    re-run and explained later (ARCHITECTURE.md, "Benefits counselling"). Saving one counts as
    benefits counselling for IPS fidelity item 12 (see ``queries.first_calculation_dates``).
    """

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="better_off_calculations"
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    tax_year = models.CharField(max_length=7)
    engine_version = models.CharField(max_length=20)
    inputs = models.JSONField()
    results = models.JSONField()
    recorded_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "-recorded_at", "-pk"]
        indexes = [
            models.Index(fields=["person", "-recorded_at"]),
            models.Index(fields=["service", "recorded_at"]),
        ]

    def __str__(self) -> str:
        return f"Better-off calculation {self.pk} ({self.tax_year})"
