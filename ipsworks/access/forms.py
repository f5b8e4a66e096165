"""Forms for the second factor, the access log search and reasons for opening a record."""

from django import forms
from django.core.exceptions import ValidationError

from ipsworks.core.forms import NHSForm, UKDateField


class CodeForm(NHSForm):
    code = forms.CharField(
        label="Code",
        max_length=12,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes",
        error_messages={"required": "Enter the code"},
    )

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit() or len(code) not in (6, 8):
            raise ValidationError("Enter the 6-digit code, or an 8-digit recovery code")
        return code


class AuditSearchForm(NHSForm):
    person = forms.CharField(
        label="Person (optional)",
        required=False,
        max_length=30,
        help_text="Their reference, like IPS-1-2045, or (managers only) their NHS number",
    )
    username = forms.CharField(label="Staff username (optional)", required=False, max_length=150)
    since = UKDateField(subject="The start date", label="From (optional)", required=False)
    until = UKDateField(subject="The end date", label="To (optional)", required=False)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", "The end date must be on or after the start date")
        return data


class ReasonForm(NHSForm):
    REASONS = [
        ("supervision", "Supervision or caseload review"),
        ("cover", "Covering for a colleague"),
        ("complaint", "A complaint or incident"),
        ("safeguarding", "A safeguarding concern"),
        ("data_quality", "Checking data quality"),
        ("other", "Another reason"),
    ]
    reason = forms.ChoiceField(
        label="Why are you opening this record?",
        choices=REASONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why you are opening this record"},
    )
    detail = forms.CharField(
        label="Tell us more (needed for 'Another reason')", required=False, max_length=250
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == "other" and not data.get("detail", "").strip():
            self.add_error("detail", "Say why you are opening this record")
        return data

    def as_text(self) -> str:
        label = dict(self.REASONS)[self.cleaned_data["reason"]]
        detail = self.cleaned_data["detail"].strip()
        return f"{label}: {detail}" if detail else label
