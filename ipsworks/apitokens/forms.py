"""The form for making an API token."""

from django import forms

from ipsworks.core.forms import NHSForm

VALIDITY_CHOICES = [
    ("30", "30 days"),
    ("90", "90 days"),
    ("365", "1 year"),
    ("never", "Until I revoke it"),
]


class NewTokenForm(NHSForm):
    name = forms.CharField(
        label="What is the token for?",
        max_length=100,
        help_text="For example, the referral feed from the trust's clinical system",
        error_messages={
            "required": "Enter what the token is for",
            "max_length": "What the token is for must be 100 characters or fewer",
        },
    )
    validity = forms.ChoiceField(
        label="How long should it work?",
        choices=VALIDITY_CHOICES,
        widget=forms.RadioSelect,
        initial="90",
        error_messages={"required": "Select how long the token should work"},
    )

    def valid_days(self) -> int | None:
        value = self.cleaned_data["validity"]
        return None if value == "never" else int(value)
