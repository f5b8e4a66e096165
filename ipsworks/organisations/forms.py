"""Forms the service administrator uses for staff and teams."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from ipsworks.core.forms import NHSForm, UKDateField
from ipsworks.organisations.models import Team
from ipsworks.organisations.roles import Role

# Roles a service administrator can give. Commissioners and external fidelity reviewers
# span services, so the installation's administrators set them up (manage.py create_staff).
SERVICE_ROLES = [
    (Role.EMPLOYMENT_SPECIALIST.value, Role.EMPLOYMENT_SPECIALIST.label),
    (Role.MANAGER.value, Role.MANAGER.label),
    (Role.CLINICIAN.value, Role.CLINICIAN.label),
    (Role.ADMINISTRATOR.value, Role.ADMINISTRATOR.label),
]
# IPS fidelity item 4: a specialist is attached to at most two mental health teams for the
# top score; three is the most that still allows real integration.
MAX_TEAMS_PER_SPECIALIST = 3


class StaffMemberForm(NHSForm):
    first_name = forms.CharField(max_length=150, error_messages={"required": "Enter a first name"})
    last_name = forms.CharField(max_length=150, error_messages={"required": "Enter a last name"})
    email = forms.EmailField(
        label="Work email address",
        help_text="The invitation to set a password is sent here",
        error_messages={
            "required": "Enter a work email address",
            "invalid": "Enter an email address like name@nhs.net",
        },
    )
    username = forms.RegexField(
        regex=r"^[a-z0-9._-]{3,40}$",
        help_text="Lower-case letters, numbers, dots and dashes, for example p.shah",
        error_messages={
            "required": "Enter a username",
            "invalid": "Use 3 to 40 lower-case letters, numbers, dots or dashes",
        },
    )
    role = forms.ChoiceField(
        choices=SERVICE_ROLES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role"},
    )
    teams = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    fte = forms.DecimalField(
        label="Full-time equivalent",
        help_text="1.0 for full time, 0.6 for three days a week",
        min_value=Decimal("0.01"),
        max_value=Decimal("1.00"),
        max_digits=3,
        decimal_places=2,
        initial=Decimal("1.00"),
        error_messages={
            "required": "Enter the full-time equivalent",
            "min_value": "Full-time equivalent must be more than 0",
            "max_value": "Full-time equivalent must be 1.0 or less",
            "invalid": "Enter a number like 0.8",
            "max_decimal_places": "Use no more than 2 decimal places",
        },
    )
    job_title = forms.CharField(label="Job title (optional)", required=False, max_length=120)
    started_on = UKDateField(
        subject="The start date",
        label="Start date (optional)",
        required=False,
        earliest=None,  # long-serving staff may have started before 2000
    )
    left_on = UKDateField(
        subject="The leaving date",
        label="Leaving date (optional)",
        required=False,
        help_text="Their account stops working from this date",
    )

    def __init__(self, *args, teams, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.fields["teams"].queryset = teams
        self.fields["teams"].label_from_instance = lambda team: team.name
        if editing is None:
            del self.fields["left_on"]
        else:
            del self.fields["username"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username=username).exists():
            raise ValidationError("That username is taken. Choose another")
        return username

    def clean(self):
        data = super().clean()
        role, teams = data.get("role"), data.get("teams") or []
        if role in (Role.EMPLOYMENT_SPECIALIST, Role.CLINICIAN) and not teams:
            self.add_error("teams", "Select at least one team")
        if role == Role.EMPLOYMENT_SPECIALIST and len(teams) > MAX_TEAMS_PER_SPECIALIST:
            self.add_error(
                "teams",
                f"Select no more than {MAX_TEAMS_PER_SPECIALIST} teams: IPS works best when a "
                "specialist is part of 1 or 2 teams",
            )
        started, left = data.get("started_on"), data.get("left_on")
        if started and left and left < started:
            self.add_error("left_on", "The leaving date must be on or after the start date")
        return data

    def staff_fields(self) -> dict:
        names = ["role", "fte", "job_title", "started_on"] + (["left_on"] if self.editing else [])
        return {name: self.cleaned_data[name] for name in names}

    def user_fields(self) -> dict:
        names = ["first_name", "last_name", "email"] + ([] if self.editing else ["username"])
        return {name: self.cleaned_data[name] for name in names}


class TeamForm(NHSForm):
    name = forms.CharField(
        label="Team name", max_length=200, error_messages={"required": "Enter the team's name"}
    )
    kind = forms.ChoiceField(
        label="Kind of team",
        choices=Team.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of team"},
    )
