"""Forms for referrals, people, profiles, disclosure and action plans. All input is checked here."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from ipsworks.core import form_messages
from ipsworks.core.dates import age_on, local_today
from ipsworks.core.forms import SEARCHABLE, NHSForm, PostcodeField, UKDateField
from ipsworks.core.validators import clean_phone, normalise_nhs_number, normalise_postcode
from ipsworks.people.codes import (
    Disability,
    EmploymentStatus,
    EthnicCategory,
    GenderIdentity,
    ReligionOrBelief,
    SexualOrientation,
    WeeklyHoursWorked,
)
from ipsworks.people.models import (
    ActionPlan,
    ActionStep,
    ClosureReason,
    DisclosurePlan,
    Referral,
    TimeOfDay,
)
from ipsworks.people.rules import latest_action_plan_date
from ipsworks.people.services import NewReferral, PlanStep

# IPS records begin in 2016 for NHS England's measures; nothing earlier is plausible here.
EARLIEST_RECORD_DATE = date(2016, 1, 1)
MIN_AGE, MAX_AGE = 14, 100


def _radios(choices, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **kwargs)


class OptionalCodeField(forms.ChoiceField):
    """A coded answer that may be left out: missing or blank is the code's "not known".

    So a client or an older form that never sends the field keeps working, and only a code
    from the list is ever saved.
    """

    def __init__(self, *, choices, default: str, what: str, **kwargs):
        self.default = default
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("invalid_choice", f"Choose {what} from the list")
        super().__init__(choices=choices, required=False, initial=default, **kwargs)

    def clean(self, value):
        return super().clean(value) or self.default


class PersonDetailsForm(NHSForm):
    given_name = forms.CharField(
        label="First name", max_length=100, error_messages={"required": "Enter their first name"}
    )
    family_name = forms.CharField(
        label="Last name", max_length=100, error_messages={"required": "Enter their last name"}
    )
    preferred_name = forms.CharField(
        label="Preferred name (optional)", max_length=100, required=False
    )
    nhs_number = forms.CharField(
        label="NHS number (optional)",
        required=False,
        max_length=14,
        help_text="For example, 999 000 0018",
    )
    date_of_birth = UKDateField(
        subject="Date of birth",
        required=False,
        past_only=True,
        earliest=None,  # the age rule (MIN_AGE to MAX_AGE) bounds it instead
        label="Date of birth (optional)",
        help_text="For example, 31 3 1990",
    )
    postcode = PostcodeField()
    phone = forms.CharField(label="Phone number (optional)", required=False, max_length=20)
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        error_messages={"invalid": form_messages.EMAIL},
    )
    contact_preferences = forms.CharField(
        label="How and when to get in touch (optional)",
        required=False,
        max_length=300,
        help_text="For example, text first, not before 10am",
    )
    gender_identity = forms.ChoiceField(
        label="Gender", choices=GenderIdentity.choices, initial=GenderIdentity.NOT_KNOWN
    )
    ethnic_category = forms.ChoiceField(
        label="Ethnic group", choices=EthnicCategory.choices, initial=EthnicCategory.NOT_KNOWN
    )
    # Equality monitoring: record only what the person has said; "Not known" if not asked.
    sexual_orientation = OptionalCodeField(
        label="Sexual orientation",
        choices=SexualOrientation.choices,
        default=SexualOrientation.NOT_KNOWN,
        what="their sexual orientation",
    )
    disability = OptionalCodeField(
        label="Do they consider themselves to have a disability or long-term condition?",
        help_text="Their own answer, physical or mental health; not a diagnosis",
        choices=Disability.choices,
        default=Disability.NOT_KNOWN,
        what="whether they have a disability or long-term condition",
    )
    religion_or_belief = OptionalCodeField(
        label="Religion or belief",
        choices=ReligionOrBelief.choices,
        default=ReligionOrBelief.NOT_KNOWN,
        what="their religion or belief",
    )

    person_fields = (
        "given_name",
        "family_name",
        "preferred_name",
        "nhs_number",
        "date_of_birth",
        "postcode",
        "phone",
        "email",
        "contact_preferences",
        "gender_identity",
        "ethnic_category",
        "sexual_orientation",
        "disability",
        "religion_or_belief",
    )

    def clean_nhs_number(self) -> str | None:
        value = self.cleaned_data["nhs_number"].strip()
        return normalise_nhs_number(value) if value else None

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].strip()
        return normalise_postcode(value) if value else ""

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    def clean_date_of_birth(self) -> date | None:
        born = self.cleaned_data["date_of_birth"]
        if born is None:
            return None
        age = age_on(born, local_today())
        if not MIN_AGE <= age <= MAX_AGE:
            raise ValidationError(f"Date of birth must be for someone aged {MIN_AGE} to {MAX_AGE}")
        return born

    def person_details(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.person_fields}


class ReferralForm(PersonDetailsForm):
    """A referral in one page. No readiness, diagnosis or benefits questions: zero exclusion.

    The page asks who the person is and about the referral first; the equality questions,
    all optional, come last (``field_order``, which the error summary follows too).
    """

    field_order = [
        *PersonDetailsForm.person_fields[:9],
        "source",
        "referrer_name",
        "team",
        "received_on",
        "pathway",
        "employment_status_at_referral",
        "weekly_hours_at_referral",
        "work_interests",
        *PersonDetailsForm.person_fields[9:],
    ]

    team = forms.ModelChoiceField(
        label="Their clinical team",
        queryset=None,
        required=False,
        empty_label=None,
        help_text="Leave blank if they are not under a team yet",
    )
    # The MHSDS list: the sources an IPS service hears from most come first.
    source = forms.ChoiceField(
        choices=[("", "Select where the referral comes from"), *Referral.Source.choices],
        label="Where does the referral come from?",
        widget=SEARCHABLE,
        help_text="The NHS list of referral sources. A referral from their clinical team in "
        "this trust is an internal referral",
        error_messages={
            "required": "Select where the referral comes from",
            "invalid_choice": "Select where the referral comes from, from the list",
        },
    )
    referrer_name = forms.CharField(
        label="Referrer's name and role (optional)", required=False, max_length=200
    )
    received_on = UKDateField(
        subject="The date the referral was received",
        label="Date received",
        past_only=True,
        earliest=EARLIEST_RECORD_DATE,
    )
    pathway = _radios(
        Referral.Pathway.choices,
        label="What help do they want?",
        initial=Referral.Pathway.JOB_SEEKING,
        error_messages={"required": "Select what help they want"},
    )
    employment_status_at_referral = forms.ChoiceField(
        label="Employment status now",
        choices=[("", "Not known yet"), *EmploymentStatus.choices],
        initial="",
        required=False,
    )
    weekly_hours_at_referral = forms.ChoiceField(
        label="Hours worked a week now",
        choices=WeeklyHoursWorked.choices,
        initial=WeeklyHoursWorked.NOT_APPLICABLE,
    )
    work_interests = forms.CharField(
        label="What work interests them? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["team"].empty_label = "Not known"
        if not self.is_bound:
            self.initial.setdefault("received_on", local_today())

    def clean(self):
        data = super().clean()
        pathway = data.get("pathway")
        status = data.get("employment_status_at_referral")
        if pathway == Referral.Pathway.JOB_RETENTION and status and status != "01":
            self.add_error(
                "employment_status_at_referral",
                "Job retention is for people who have a job: choose 'Employed', or choose "
                "'Looking for work'",
            )
        if status == "01" and data.get("weekly_hours_at_referral") in {"98"}:
            self.add_error("weekly_hours_at_referral", "Select the hours they work, or 'Not known'")
        return data

    def new_referral(self) -> NewReferral:
        data = self.cleaned_data
        return NewReferral(
            team=data["team"],
            source=data["source"],
            received_on=data["received_on"],
            referrer_name=data["referrer_name"],
            pathway=data["pathway"],
            employment_status_at_referral=data["employment_status_at_referral"],
            weekly_hours_at_referral=data["weekly_hours_at_referral"],
            work_interests=data["work_interests"],
        )


class AcceptReferralForm(NHSForm):
    allocate_to = forms.ModelChoiceField(
        label="Employment specialist",
        queryset=None,
        error_messages={"required": "Select the employment specialist who will work with them"},
    )
    accepted_on = UKDateField(subject="The date accepted", label="Date accepted", past_only=True)

    def __init__(self, *args, specialists, received_on: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["allocate_to"].queryset = specialists
        self.fields["allocate_to"].label_from_instance = lambda staff: staff.display_name
        self.fields["accepted_on"].earliest = received_on
        if not self.is_bound:
            self.initial.setdefault("accepted_on", local_today())


class CloseReferralForm(NHSForm):
    reason = forms.CharField(
        label="Why is the referral closing?",
        widget=forms.RadioSelect(choices=ClosureReason.choices),
        error_messages={"required": "Select why the referral is closing"},
    )
    closed_on = UKDateField(subject="The closing date", label="Date closed", past_only=True)
    note = forms.CharField(
        label="Notes (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    employment_status_at_discharge = forms.ChoiceField(
        label="Their employment status now",
        choices=EmploymentStatus.choices,
        required=False,
    )
    weekly_hours_at_discharge = forms.ChoiceField(
        label="Hours worked a week now", choices=WeeklyHoursWorked.choices, required=False
    )

    def __init__(self, *args, received_on: date, has_episode: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].widget.choices = ClosureReason.choices
        self.fields["reason"].choices = ClosureReason.choices
        self.fields["closed_on"].earliest = received_on
        self.has_episode = has_episode
        if has_episode:
            self.fields["employment_status_at_discharge"].required = True
            self.fields["employment_status_at_discharge"].error_messages["required"] = (
                "Select their employment status now"
            )
        else:
            del self.fields["employment_status_at_discharge"]
            del self.fields["weekly_hours_at_discharge"]
        if not self.is_bound:
            self.initial.setdefault("closed_on", local_today())

    def closing(self) -> dict[str, Any]:
        """The cleaned answers as ``services.close_referral`` takes them."""
        data = self.cleaned_data
        return {
            "reason": data["reason"],
            "on": data["closed_on"],
            "note": data["note"],
            "employment_status_at_discharge": data.get("employment_status_at_discharge", ""),
            "weekly_hours_at_discharge": data.get("weekly_hours_at_discharge", ""),
        }


class VocationalProfileForm(NHSForm):
    kinds_of_work = forms.CharField(
        label="What kinds of work do they want?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter the kinds of work they want, in their words"},
    )
    skills_and_strengths = forms.CharField(
        label="Skills and strengths (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    work_history = forms.CharField(
        label="Work history (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    education_and_training = forms.CharField(
        label="Education and training (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    jobs_not_to_repeat = forms.CharField(
        label="Past jobs they do not want to do again (optional)",
        required=False,
        max_length=1000,
    )
    hours_min = forms.IntegerField(
        label="Fewest hours a week (optional)",
        required=False,
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": "Hours must be 0 or more",
            "max_value": "Hours must be 100 or fewer",
            "invalid": form_messages.whole_number(16, of="hours"),
        },
    )
    hours_max = forms.IntegerField(
        label="Most hours a week (optional)",
        required=False,
        min_value=1,
        max_value=100,
        error_messages={
            "min_value": "Most hours must be 1 or more",
            "max_value": "Hours must be 100 or fewer",
            "invalid": form_messages.whole_number(30, of="hours"),
        },
    )
    unsuitable_times = forms.MultipleChoiceField(
        label="Times that do not suit them (optional)",
        required=False,
        choices=TimeOfDay.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    unsuitable_times_reason = forms.CharField(
        label="Why those times do not suit (optional)",
        required=False,
        max_length=300,
        help_text="For example, medication makes early mornings hard",
    )
    travel_max_miles = forms.IntegerField(
        label="Furthest they will travel, in miles (optional)",
        required=False,
        min_value=0,
        max_value=200,
        error_messages={
            "min_value": "Miles must be 0 or more",
            "max_value": "Miles must be 200 or fewer",
            "invalid": form_messages.whole_number(5, of="miles"),
        },
    )
    places = forms.CharField(
        label="Places or areas they would like to work (optional)", required=False, max_length=300
    )
    goals = forms.CharField(
        label="Their goals (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    change_reason = forms.CharField(
        label="Why are you updating the profile? (optional)",
        required=False,
        max_length=200,
        help_text="For example, after the job at the garden centre ended",
    )

    profile_fields = (
        "kinds_of_work",
        "skills_and_strengths",
        "work_history",
        "education_and_training",
        "jobs_not_to_repeat",
        "hours_min",
        "hours_max",
        "unsuitable_times",
        "unsuitable_times_reason",
        "travel_max_miles",
        "places",
        "goals",
    )

    def clean(self):
        data = super().clean()
        low, high = data.get("hours_min"), data.get("hours_max")
        if low is not None and high is not None and low > high:
            self.add_error("hours_max", "Most hours must be the same as or more than fewest hours")
        return data

    def profile(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.profile_fields}


class DisclosurePlanForm(NHSForm):
    decision = _radios(
        DisclosurePlan.Decision.choices,
        label="What do they want employers to know about their mental health?",
        error_messages={"required": "Select what they want employers to know"},
    )
    pros_and_cons_discussed = forms.BooleanField(
        label="We have talked through the pros and cons of telling an employer", required=False
    )
    employer_contact_allowed = forms.BooleanField(
        label="They agree that I may speak to employers for them", required=False
    )
    who_to_tell = forms.CharField(
        label="Who to tell (optional)",
        required=False,
        max_length=300,
        help_text="For example, the manager but not the team",
    )
    what_to_say = forms.CharField(
        label="The words they want to use (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    review_on = UKDateField(
        subject="The review date", label="Review the plan by (optional)", required=False
    )
    change_reason = forms.CharField(
        label="Why are you updating the plan? (optional)",
        required=False,
        max_length=200,
        help_text="For example, they have started work and now want their manager to know",
    )

    plan_fields = (
        "decision",
        "pros_and_cons_discussed",
        "employer_contact_allowed",
        "who_to_tell",
        "what_to_say",
        "review_on",
    )

    def clean_review_on(self):
        review = self.cleaned_data["review_on"]
        today = local_today()
        if review is not None and not today <= review <= today + timedelta(days=366):
            raise ValidationError("The review date must be within the next year")
        return review

    def plan(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.plan_fields}


class ActionPlanForm(NHSForm):
    """The employment action plan: goals in the person's words and up to :data:`STEP_ROWS`
    steps. A row left empty is ignored, so a plan of two steps leaves four rows blank; a
    longer plan is split over a review rather than a longer form."""

    STEP_ROWS = 6
    STEP_PARTS = ("text", "owner", "due_on", "done")

    goals = forms.CharField(
        label="Their goals, in their own words",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text="Write what they said, as they said it: for example, "
        "\u201cI want a job outdoors, mornings only, so I can still pick up my son\u201d",
        error_messages={
            "required": "Enter their goals, in their own words",
            "max_length": "The goals must be 4,000 characters or fewer",
        },
    )
    review_on = UKDateField(
        subject="The review date", label="Review the plan by (optional)", required=False
    )
    change_reason = forms.CharField(
        label="Why are you updating the plan? (optional)",
        required=False,
        max_length=200,
        help_text="For example, reviewed after the interview at the depot",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for row in range(1, self.STEP_ROWS + 1):
            self.fields[f"step_{row}_text"] = forms.CharField(
                label=f"Step {row}",
                required=False,
                max_length=300,
                error_messages={"max_length": f"Step {row} must be 300 characters or fewer"},
            )
            self.fields[f"step_{row}_owner"] = forms.ChoiceField(
                label="Who does it?",
                choices=ActionStep.Owner.choices,
                required=False,
                initial=ActionStep.Owner.PERSON,
            )
            self.fields[f"step_{row}_due_on"] = UKDateField(
                subject=f"The date for step {row}", label="By when? (optional)", required=False
            )
            self.fields[f"step_{row}_done"] = forms.BooleanField(label="Done", required=False)

    @classmethod
    def initial_from(cls, plan: ActionPlan | None) -> dict[str, Any]:
        """The form filled in with the current version, to review it."""
        if plan is None:
            return {}
        initial: dict[str, Any] = {"goals": plan.goals, "review_on": plan.review_on}
        for row, step in enumerate(list(plan.steps.all())[: cls.STEP_ROWS], start=1):
            for part in cls.STEP_PARTS:
                initial[f"step_{row}_{part}"] = getattr(step, part)
        return initial

    def step_rows(self) -> list[dict[str, forms.BoundField]]:
        """Each row's fields, for the template to draw one fieldset a row."""
        return [
            {part: self[f"step_{row}_{part}"] for part in self.STEP_PARTS}
            for row in range(1, self.STEP_ROWS + 1)
        ]

    def clean_review_on(self):
        review = self.cleaned_data["review_on"]
        today = local_today()
        if review is not None and not today <= review <= latest_action_plan_date(today):
            raise ValidationError("The review date must be between today and 2 years from now")
        return review

    def clean(self):
        data = super().clean()
        last_day = latest_action_plan_date(local_today())
        for row in range(1, self.STEP_ROWS + 1):
            text = (data.get(f"step_{row}_text") or "").strip()
            due_on = data.get(f"step_{row}_due_on")
            if not text and (due_on is not None or data.get(f"step_{row}_done")):
                self.add_error(f"step_{row}_text", f"Enter step {row}, or remove its date and tick")
            if text and not data.get(f"step_{row}_owner"):
                self.add_error(f"step_{row}_owner", f"Select who does step {row}")
            if due_on is not None and due_on > last_day:
                self.add_error(
                    f"step_{row}_due_on",
                    f"The date for step {row} must be no more than 2 years from now",
                )
        return data

    def steps(self) -> list[PlanStep]:
        """The rows with a step written in them, in order; empty rows are left out."""
        data = self.cleaned_data
        return [
            PlanStep(
                text=data[f"step_{row}_text"].strip(),
                owner=data[f"step_{row}_owner"],
                due_on=data[f"step_{row}_due_on"],
                done=data[f"step_{row}_done"],
            )
            for row in range(1, self.STEP_ROWS + 1)
            if data[f"step_{row}_text"].strip()
        ]
