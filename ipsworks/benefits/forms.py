"""The better-off form: a short household description in the person's own terms."""

from decimal import Decimal

from django import forms

from ipsworks.benefits.rates import supported_tax_years
from ipsworks.benefits.schema import (
    CURRENT_BENEFITS,
    HouseholdInput,
    InputError,
    parse_household,
)
from ipsworks.core import form_messages
from ipsworks.core.forms import NHSForm

COUNTRIES = [
    ("england", "England"),
    ("scotland", "Scotland"),
    ("wales", "Wales"),
    ("northern_ireland", "Northern Ireland"),
]
LCWRA_CHOICES = [
    ("none", "No"),
    ("lcwra", "Yes, assessed before 6 April 2026 (or severe conditions)"),
    ("lcwra_new", "Yes, a new claim from 6 April 2026 (the lower health element)"),
]
# Contract field (dotted path) -> form field, so the engine's errors land on the right box.
FIELD_FOR = {
    "tax_year": "tax_year",
    "country": "country",
    "greater_london": "greater_london",
    "adults.0.age": "age",
    "adults.1.age": "partner_age",
    "adults.0.pip_annual": "pip_weekly",
    "adults.0.lcwra_new_claimant": "lcwra",
    "adults.1.pip_annual": "partner_pip_weekly",
    "adults.1.lcwra_new_claimant": "partner_lcwra",
    "current_benefits": "current_benefits",
    "housing.eligible_rent_monthly": "rent_monthly",
    "childcare_monthly": "childcare_monthly",
    "savings": "savings",
    "job.hours_per_week": "hours",
    "job.hourly_pay": "hourly_pay",
    "children": "children_ages",
}


def _money(label, hint=None, maximum=100_000):
    return forms.DecimalField(
        label=label,
        help_text=hint,
        min_value=0,
        max_value=maximum,
        decimal_places=2,
        initial=Decimal(0),
        error_messages={
            "required": f"Enter {label.lower()}, or 0",
            "invalid": f"{label} must be an amount in pounds, like 650 or 12.71",
            "min_value": f"{label} cannot be negative",
            "max_value": f"{label} must be {maximum:,} or less",
            "max_decimal_places": f"{label} must be in pounds and pence",
        },
    )


class BetterOffForm(NHSForm):
    tax_year = forms.ChoiceField(
        label="Tax year",
        choices=[(y, y.replace("-", " to 20")) for y in supported_tax_years()],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the tax year"},
    )
    country = forms.ChoiceField(
        label="Where do they live?",
        choices=COUNTRIES,
        error_messages={"required": "Select where they live"},
    )
    greater_london = forms.BooleanField(label="In Greater London", required=False)
    couple = forms.ChoiceField(
        label="Do they live with a partner?",
        choices=[("single", "No, single"), ("couple", "Yes, as a couple")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether they live with a partner"},
    )
    age = forms.IntegerField(
        label="Their age",
        min_value=18,
        max_value=65,
        error_messages={
            "required": "Enter their age",
            "invalid": "Age must be a whole number",
            "min_value": "The calculator is for people aged 18 to 65",
            "max_value": "The calculator is for people aged 18 to 65",
        },
    )
    partner_age = forms.IntegerField(
        label="Partner's age",
        required=False,
        min_value=18,
        max_value=65,
        error_messages={
            "invalid": "Partner's age must be a whole number",
            "min_value": "The calculator is for partners aged 18 to 65",
            "max_value": "The calculator is for partners aged 18 to 65",
        },
    )
    children_ages = forms.CharField(
        label="Ages of children who live with them",
        help_text="Separate ages with commas, for example 4, 9. Leave empty if none",
        required=False,
        max_length=60,
    )
    rent_monthly = _money("Eligible rent a month", "The rent Universal Credit pays on", 20_000)
    lcwra = forms.ChoiceField(
        label="Do they have limited capability for work and work-related activity (LCWRA)?",
        choices=LCWRA_CHOICES,
        widget=forms.RadioSelect,
        initial="none",
        error_messages={"required": "Select whether they have LCWRA"},
    )
    partner_lcwra = forms.ChoiceField(
        label="Does their partner have LCWRA?",
        help_text="Only if they live with a partner",
        choices=LCWRA_CHOICES,
        widget=forms.RadioSelect,
        required=False,
        initial="none",
    )
    partner_pip_weekly = _money(
        "Partner's PIP a week", "Both parts added together. 0 if none, or no partner", 1_000
    )
    partner_pip_weekly.required = False
    carer = forms.BooleanField(
        label="They care for a disabled person for 35 hours a week or more", required=False
    )
    partner_carer = forms.BooleanField(label="Their partner is a carer", required=False)
    pip_weekly = _money("PIP a week", "Both parts added together. 0 if none", 1_000)
    childcare_monthly = _money("Childcare costs a month", "0 if none", 20_000)
    savings = _money("Savings", "Money in the bank and other capital", 1_000_000)
    hours = forms.DecimalField(
        label="Hours a week in the job",
        min_value=0,
        max_value=80,
        decimal_places=1,
        error_messages={
            "required": "Enter the hours a week",
            "invalid": form_messages.HOURS,
            "min_value": "Hours cannot be negative",
            "max_value": "Hours must be 80 or fewer",
            "max_decimal_places": "Hours can have one decimal place, like 22.5",
        },
    )
    hourly_pay = _money("Pay an hour", "Before tax", 1_000)
    current_benefits = forms.MultipleChoiceField(
        label="Do they or their partner get any of these now?",
        help_text="The calculator works out Universal Credit, Child Benefit and PIP itself. "
        "Tick any others they get, so the answer says what to check",
        choices=list(CURRENT_BENEFITS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Select benefits from the list"},
    )

    def clean_children_ages(self) -> list[int]:
        raw = self.cleaned_data.get("children_ages", "") or ""
        ages = []
        for part in raw.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit() or int(part) > 18:
                raise forms.ValidationError(
                    "Enter children's ages as whole numbers from 0 to 18, separated by commas"
                )
            ages.append(int(part))
        if len(ages) > 12:
            raise forms.ValidationError("Enter up to 12 children")
        return ages

    def clean(self):
        data = super().clean()
        couple = data.get("couple") == "couple"
        if couple and data.get("partner_age") is None:
            self.add_error("partner_age", "Enter the partner's age")
        if not couple and data.get("partner_pip_weekly"):
            self.add_error("partner_pip_weekly", "Partner's PIP is only for someone with a partner")
        return data

    def household_data(self) -> dict:
        d = self.cleaned_data
        lcwra = d["lcwra"]
        adults = [
            {
                "age": d["age"],
                "lcwra": lcwra != "none",
                "lcwra_new_claimant": lcwra == "lcwra_new",
                "carer": d["carer"],
                "pip_annual": str(d["pip_weekly"] * 52),
            }
        ]
        if d["couple"] == "couple":
            adults.append(
                {
                    "age": d["partner_age"],
                    "lcwra": d["partner_lcwra"] in ("lcwra", "lcwra_new"),
                    "lcwra_new_claimant": d["partner_lcwra"] == "lcwra_new",
                    "carer": d["partner_carer"],
                    "pip_annual": str((d["partner_pip_weekly"] or 0) * 52),
                }
            )
        return {
            "tax_year": d["tax_year"],
            "country": d["country"],
            "greater_london": d["greater_london"],
            "adults": adults,
            "children": [{"age": age} for age in d["children_ages"]],
            "housing": {"eligible_rent_monthly": str(d["rent_monthly"])},
            "childcare_monthly": str(d["childcare_monthly"]),
            "savings": str(d["savings"]),
            "current_benefits": d["current_benefits"],
            "job": {
                "adult": 0,
                "hours_per_week": str(d["hours"]),
                "hourly_pay": str(d["hourly_pay"]),
            },
        }

    @staticmethod
    def initial_from(inputs: dict) -> dict:
        """The form's answers for a saved calculation's inputs (``household_data`` reversed),
        so a saved calculation opens, recalculates and prints exactly as it was saved."""

        def lcwra(adult: dict) -> str:
            if adult.get("lcwra_new_claimant"):
                return "lcwra_new"
            return "lcwra" if adult.get("lcwra") else "none"

        def weekly(annual) -> str:
            return str((Decimal(str(annual)) / 52).quantize(Decimal("0.01")))

        me, *partner = inputs["adults"]
        job = inputs["job"]
        initial = {
            "tax_year": inputs["tax_year"],
            "country": inputs["country"],
            "greater_london": inputs.get("greater_london", False),
            "couple": "couple" if partner else "single",
            "age": me["age"],
            "lcwra": lcwra(me),
            "carer": me.get("carer", False),
            "pip_weekly": weekly(me.get("pip_annual", 0)),
            "children_ages": ", ".join(str(c["age"]) for c in inputs.get("children", [])),
            "rent_monthly": str(inputs.get("housing", {}).get("eligible_rent_monthly", "0")),
            "childcare_monthly": str(inputs.get("childcare_monthly", "0")),
            "savings": str(inputs.get("savings", "0")),
            "current_benefits": list(inputs.get("current_benefits", [])),
            "hours": str(job["hours_per_week"]),
            "hourly_pay": str(job["hourly_pay"]),
            "partner_lcwra": "none",
            "partner_pip_weekly": "0",
        }
        if partner:
            other = partner[0]
            initial.update(
                partner_age=other["age"],
                partner_lcwra=lcwra(other),
                partner_carer=other.get("carer", False),
                partner_pip_weekly=weekly(other.get("pip_annual", 0)),
            )
        return initial

    def household(self) -> HouseholdInput | None:
        """The validated household, or None with the engine's errors put on the fields."""
        if not self.is_valid():
            return None
        try:
            return parse_household(self.household_data())
        except InputError as error:
            for item in error.errors:
                self.add_error(FIELD_FOR.get(item["field"]), item["message"])
            return None
