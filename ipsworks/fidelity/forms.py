"""Forms for fidelity reviews: starting one, rating an item, the action plan."""

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms

from ipsworks.core.forms import NHSForm, UKDateField, field_params
from ipsworks.fidelity import scale as scales
from ipsworks.fidelity.models import ActionPlanItem, FidelityReview
from ipsworks.fidelity.services import check_period

EARLIEST_REVIEW_DATE = date(2000, 1, 1)


class _Names(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class _Reviewers(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        where = obj.service.name if obj.service_id else "External reviewer"
        return f"{obj.display_name} ({obj.role_label}, {where})"


class _CheckboxesMixin:
    """NHS.UK checkbox parameters for a multiple-choice field.

    Works around ``core.forms.field_params`` sending CheckboxSelectMultiple down its radios
    branch (Django's CheckboxSelectMultiple subclasses RadioSelect, which it tests first).
    Everything else (legend, hint, error) still comes from the shared helper.
    """

    def checkboxes(self, name: str) -> dict:
        bound = self[name]
        params = dict(field_params(bound)["params"])
        params.pop("value", None)
        selected = {str(v) for v in (bound.value() or [])}
        params["items"] = [
            {"value": str(v), "text": str(t), "checked": str(v) in selected}
            for v, t in bound.field.choices
            if v != ""
        ]
        return params


class StartReviewForm(_CheckboxesMixin, NHSForm):
    kind = forms.ChoiceField(
        label="What kind of review is it?",
        choices=FidelityReview.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of review it is"},
    )
    period_start = UKDateField(
        subject="The start of the review period",
        label="Start of the review period",
        help_text="Reviews usually look back over the last 12 months. For example, 1 4 2025",
        past_only=True,
        earliest=EARLIEST_REVIEW_DATE,
    )
    period_end = UKDateField(
        subject="The end of the review period",
        label="End of the review period",
        help_text="For example, 31 3 2026",
        past_only=True,
        earliest=EARLIEST_REVIEW_DATE,
    )
    teams = _Names(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Which clinical teams are reviewed? (optional)",
        help_text="Leave them all unticked to review the whole service",
        error_messages={"invalid_choice": "Choose teams from the list"},
    )
    reviewers = _Reviewers(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Who else will rate this review? (optional)",
        help_text="Reviewers see the figures and de-identified records for this review only",
        error_messages={"invalid_choice": "Choose reviewers from the list"},
    )

    def __init__(self, *args, teams, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = teams
        self.fields["reviewers"].queryset = reviewers

    def clean(self):
        cleaned = super().clean()
        try:
            check_period(cleaned.get("period_start"), cleaned.get("period_end"))
        except forms.ValidationError as error:
            self.apply_errors(error)
        return cleaned


class ItemRatingForm(_CheckboxesMixin, NHSForm):
    """One item's rating. Which fields appear depends on the item's kind in the scale file."""

    final_rating = forms.TypedChoiceField(
        label="Final rating",
        coerce=int,
        choices=[(str(r), str(r)) for r in reversed(scales.RATINGS)],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a final rating from 1 to 5",
            "invalid_choice": "The rating must be a whole number from 1 to 5",
        },
    )
    reason = forms.CharField(
        label="Why does your rating differ from the proposed rating?",
        help_text="Needed only when your rating is different from the one proposed",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    notes = forms.CharField(
        label="Notes on the evidence (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    recommendation = forms.CharField(
        label="Recommendation (optional)",
        help_text="What the service could do to improve on this item",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )

    def __init__(self, *args, item: scales.Item, proposed: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.proposed = proposed
        if item.is_checklist:
            self.fields["elements"] = forms.MultipleChoiceField(
                label="Which of these are in place?",
                help_text="The proposed rating follows from how many are ticked",
                choices=[(e.id, e.text) for e in item.elements],
                required=False,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": "Choose elements from the list"},
            )
        if item.entered_by_reviewer:
            self.fields["entered_value"] = forms.DecimalField(
                label=f"{item.measure.label}, in per cent (optional)",
                help_text="IPS Works does not record this: enter what the review found",
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(100),
                decimal_places=1,
                error_messages={
                    "min_value": "Enter a percentage from 0 to 100",
                    "max_value": "Enter a percentage from 0 to 100",
                    "invalid": "Enter a percentage as a number, like 92",
                    "max_decimal_places": "Enter the percentage to one decimal place at most",
                },
            )
        self.order_fields(["elements", "entered_value", "final_rating", "reason"])

    def rating(self) -> dict[str, Any]:
        """The cleaned answers as ``services.rate_item`` takes them (the checklist and the
        entered figure only where the item has them)."""
        data = self.cleaned_data
        return {
            "final_rating": data["final_rating"],
            "reason": data["reason"],
            "notes": data["notes"],
            "recommendation": data["recommendation"],
            "elements": data.get("elements"),
            "entered_value": data.get("entered_value"),
        }

    def proposed_rating(self) -> int | None:
        """The proposal the answers given imply (ticked elements, entered figure)."""
        if self.item.is_checklist:
            return self.item.rating_for_elements(len(self.cleaned_data.get("elements") or []))
        if self.item.entered_by_reviewer:
            return self.item.measure.rating_for(self.cleaned_data.get("entered_value"))
        return self.proposed

    def clean(self):
        cleaned = super().clean()
        final = cleaned.get("final_rating")
        if final is None or self.errors:
            return cleaned
        proposed = self.proposed_rating()
        if proposed is not None and final != proposed and not cleaned.get("reason", "").strip():
            self.add_error(
                "reason",
                f"Explain why your rating of {final} differs from the proposed rating of "
                f"{proposed}",
            )
        return cleaned


def _item_choices() -> list[tuple[str, str]]:
    scale = scales.load()
    return [("0", "General: not one item")] + [
        (str(i.number), f"{i.number}. {i.short_name}") for i in scale.items
    ]


class ActionForm(NHSForm):
    item = forms.TypedChoiceField(
        label="Which item is it for?",
        coerce=int,
        choices=_item_choices,
        error_messages={"required": "Select the item the action is for"},
    )
    action = forms.CharField(
        label="What will be done?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter what will be done"},
    )
    owner = forms.CharField(
        label="Who will do it?",
        max_length=200,
        error_messages={"required": "Enter who will do it"},
    )
    due_on = UKDateField(subject="The due date", label="Due by", help_text="For example, 30 9 2026")


class ActionStatusForm(NHSForm):
    status = forms.ChoiceField(
        label="Progress",
        choices=ActionPlanItem.Status.choices,
        error_messages={"required": "Select how far the action has got"},
    )
