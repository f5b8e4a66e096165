"""Forms for requesting exports and setting up funding contracts."""

from django import forms
from django.core.exceptions import ValidationError

from ipsworks.core.forms import NHSForm, UKDateField
from ipsworks.employers.forms import parse_pounds
from ipsworks.outcomes.models import ExportFile, PaymentEvent


class ExportForm(NHSForm):
    kind = forms.ChoiceField(
        label="What do you want to download?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you want to download"},
    )
    period = forms.ChoiceField(label="Period", error_messages={"required": "Select the period"})

    def __init__(self, *args, kinds, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, ExportFile.Kind(k).label) for k in kinds]
        self.periods = dict(periods)
        self.fields["period"].choices = [(key, p.label) for key, p in periods]

    def chosen_period(self):
        return self.periods[self.cleaned_data["period"]]


class ContractForm(NHSForm):
    name = forms.CharField(
        label="Contract name",
        max_length=200,
        error_messages={"required": "Enter the contract's name"},
    )
    funder = forms.CharField(
        label="Funder",
        max_length=200,
        error_messages={"required": "Enter who pays for the outcomes"},
    )
    starts_on = UKDateField(subject="The start date", label="Start date")
    ends_on = UKDateField(subject="The end date", label="End date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for event in PaymentEvent:
            self.fields[f"rate_{event.value}"] = forms.CharField(
                label=f"{event.label}: payment in pounds (optional)", required=False, max_length=12
            )

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The end date must be on or after the start date")
        rates = {}
        for event in PaymentEvent:
            raw = (data.get(f"rate_{event.value}") or "").strip()
            if raw:
                try:
                    rates[event.value] = parse_pounds(raw, field="payment")
                except ValidationError as error:
                    self.add_error(f"rate_{event.value}", error)
        if not rates and not self.errors:
            raise ValidationError("Enter a payment for at least one outcome")
        data["rates"] = rates
        return data

    @property
    def rate_fields(self):
        return [self[f"rate_{event.value}"] for event in PaymentEvent]
