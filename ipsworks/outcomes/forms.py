"""Forms for requesting exports and setting up funding contracts."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from ipsworks.core.forms import NHSForm, UKDateField
from ipsworks.core.money import parse_pounds
from ipsworks.outcomes.mhsds.extract import is_one_month
from ipsworks.outcomes.models import ExportFile, PaymentEvent
from ipsworks.outcomes.periods import Period, whole_months_problems

CUSTOM = "custom"
# Exports whose figures leave the providing service: suppressed, rounded, whole months.
SHARED_OUTSIDE = (ExportFile.Kind.COMMISSIONER_CSV, ExportFile.Kind.COMMISSIONER_XLSX)
LONGEST_CUSTOM_YEARS = 5


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, month=3, day=1)


def custom_label(start: date, end: date) -> str:
    return f"{start.day} {start:%B %Y} to {end.day} {end:%B %Y}"


class PeriodForm(NHSForm):
    """A period: one of the months, quarters and years offered, or custom start and end dates.

    Custom dates that are not real, end before they start or span more than five years are
    refused with a message, never swapped for another period. Where the figures leave the
    providing service (``whole_months``), custom periods are whole calendar months.
    """

    period = forms.ChoiceField(label="Period", error_messages={"required": "Select the period"})
    start = UKDateField(subject="The start date", label="Start date", required=False)
    end = UKDateField(subject="The end date", label="End date", required=False)

    def __init__(self, *args, periods, whole_months=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = dict(periods)
        self.whole_months = whole_months
        self.fields["period"].choices = [(key, p.label) for key, p in periods] + [
            (CUSTOM, "Custom dates (enter them below)")
        ]

    def clean(self):
        data = super().clean()
        if data.get("period") != CUSTOM:
            return data
        start, end = data.get("start"), data.get("end")
        if start is None and "start" not in self.errors:
            self.add_error("start", "Enter the start date of the custom period")
        if end is None and "end" not in self.errors:
            self.add_error("end", "Enter the end date of the custom period")
        if start and end:
            if end < start:
                self.add_error("end", "The end date must be the same as or after the start date")
            elif end >= _years_after(start, LONGEST_CUSTOM_YEARS):
                self.add_error(
                    "end",
                    f"A custom period can be at most {LONGEST_CUSTOM_YEARS} years long: "
                    "choose a later start date or an earlier end date",
                )
            elif self.needs_whole_months(data):
                for field, message in whole_months_problems(start, end).items():
                    self.add_error(field, message)
        return data

    def needs_whole_months(self, data) -> bool:
        return self.whole_months

    def chosen_period(self) -> Period:
        key = self.cleaned_data["period"]
        if key == CUSTOM:
            start, end = self.cleaned_data["start"], self.cleaned_data["end"]
            return Period(start, end, custom_label(start, end))
        return self.periods[key]


class ExportForm(PeriodForm):
    kind = forms.ChoiceField(
        label="What do you want to download?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you want to download"},
    )
    field_order = ["kind", "period", "start", "end"]

    def __init__(self, *args, kinds, periods, **kwargs):
        super().__init__(*args, periods=periods, **kwargs)
        self.fields["kind"].choices = [(k, ExportFile.Kind(k).label) for k in kinds]

    def needs_whole_months(self, data) -> bool:
        """Commissioner returns leave the service, whoever asks for them."""
        return data.get("kind") in SHARED_OUTSIDE

    def clean(self):
        data = super().clean()
        one_month = (
            data.get("kind") != ExportFile.Kind.MHSDS_ZIP
            or self.errors
            or is_one_month(self.chosen_period())
        )
        if not one_month:
            self.add_error(
                "period",
                "An MHSDS extract is for one reporting month: choose a month, or custom "
                "dates from the 1st to the last day of one month",
            )
        return data


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


EVIDENCE_NOTE_HINT = (
    "Where the evidence is kept, for example 'payslip scanned to the claims folder'. "
    "Do not enter names or other personal details"
)


class EvidenceForm(NHSForm):
    """Mark the evidence for one claimable outcome as held, or not held."""

    event = forms.CharField(max_length=100)
    held = forms.TypedChoiceField(
        choices=[("yes", "Held"), ("no", "Not held")], coerce=lambda value: value == "yes"
    )
    note = forms.CharField(
        label="Where the evidence is kept (optional)",
        help_text=EVIDENCE_NOTE_HINT,
        required=False,
        max_length=200,
        error_messages={"max_length": "Where the evidence is kept must be 200 characters or fewer"},
    )
