"""Forms for employers, the employer contact log and employer services."""

from django import forms
from django.core.exceptions import ValidationError

from ipsworks.core import form_messages
from ipsworks.core.dates import local_today
from ipsworks.core.forms import SEARCHABLE, NHSForm, PostcodeField, UKDateField, radio_field
from ipsworks.core.money import parse_pounds
from ipsworks.core.validators import clean_phone, normalise_postcode
from ipsworks.employers.models import (
    AccessToWorkApplication,
    Employer,
    EmployerContact,
    EmployerContactPerson,
    EmployerSupport,
)
from ipsworks.employers.services import EmployerContactDetails
from ipsworks.people.forms import EARLIEST_RECORD_DATE


class EmployerForm(NHSForm):
    name = forms.CharField(
        label="Employer name",
        max_length=200,
        error_messages={"required": "Enter the employer's name"},
    )
    sector = forms.ChoiceField(
        label="Sector",
        choices=Employer.Sector.choices,
        error_messages={"required": "Select the sector"},
    )
    size_band = radio_field(Employer.SizeBand.choices, "Size", "Select the size of the employer")
    address = forms.CharField(label="Address (optional)", required=False, max_length=300)
    postcode = PostcodeField()
    phone = forms.CharField(label="Phone number (optional)", required=False, max_length=20)
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        error_messages={"invalid": form_messages.EMAIL},
    )
    contact_name = forms.CharField(
        label="Name of the person you deal with (optional)", required=False, max_length=200
    )
    contact_job_title = forms.CharField(
        label="Their job title (optional)", required=False, max_length=120
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )

    employer_fields = (
        "name",
        "sector",
        "size_band",
        "address",
        "postcode",
        "phone",
        "email",
        "notes",
    )

    def clean_postcode(self):
        value = self.cleaned_data["postcode"].strip()
        return normalise_postcode(value) if value else ""

    def employer(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.employer_fields}

    def contact_people(self) -> list[dict]:
        name = self.cleaned_data["contact_name"].strip()
        if not name:
            return []
        return [{"name": name, "job_title": self.cleaned_data["contact_job_title"]}]


class EmployerDetailsForm(EmployerForm):
    """Changing an employer: the same fields and checks as adding one, without the contact
    person (people at the employer are added, changed and removed on their own pages)."""

    contact_name = None
    contact_job_title = None

    @classmethod
    def initial_for(cls, employer: Employer) -> dict:
        return {name: getattr(employer, name) for name in cls.employer_fields}


class ContactPersonForm(NHSForm):
    """Someone at an employer the service deals with."""

    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter their name"}
    )
    job_title = forms.CharField(
        label="Role or job title (optional)",
        required=False,
        max_length=120,
        help_text="For example, store manager or HR adviser",
    )
    phone = forms.CharField(label="Phone number (optional)", required=False, max_length=20)
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        error_messages={"invalid": form_messages.EMAIL},
    )

    def clean_name(self) -> str:
        value = self.cleaned_data["name"].strip()
        if not value:
            raise ValidationError("Enter their name")
        return value

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    @classmethod
    def initial_for(cls, contact: EmployerContactPerson) -> dict:
        return {name: getattr(contact, name) for name in ("name", "job_title", "phone", "email")}


class RemoveContactPersonForm(NHSForm):
    """Asks once more before someone is taken off an employer's contacts."""

    confirm = forms.BooleanField(
        label="Yes, they are no longer someone we deal with at this employer",
        error_messages={"required": "Confirm that they are no longer a contact"},
    )


class EmployerContactForm(NHSForm):
    contact_date = UKDateField(
        subject="The contact date",
        label="Date of contact",
        past_only=True,
        earliest=EARLIEST_RECORD_DATE,
    )
    mode = radio_field(EmployerContact.Mode.choices, "How?", "Select how the contact happened")
    purpose = radio_field(
        EmployerContact.Purpose.choices, "What was it for?", "Select what the contact was for"
    )
    person = forms.ModelChoiceField(
        label="Who was it for? (optional)",
        queryset=None,
        required=False,
        widget=SEARCHABLE,
        help_text="Leave blank for a general visit to learn about the employer",
    )
    duration_minutes = forms.IntegerField(
        label="How long, in minutes? (optional)",
        required=False,
        min_value=1,
        max_value=600,
        error_messages={
            "min_value": "The length must be at least 1 minute",
            "max_value": "The length must be 600 minutes (10 hours) or less",
            "invalid": form_messages.MINUTES,
        },
    )
    outcome = forms.CharField(
        label="What happened? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda p: p.full_name
        if not self.is_bound:
            self.initial.setdefault("contact_date", local_today())

    def details(self) -> EmployerContactDetails:
        data = self.cleaned_data
        return EmployerContactDetails(
            contact_date=data["contact_date"],
            mode=data["mode"],
            purpose=data["purpose"],
            outcome=data["outcome"],
            duration_minutes=data["duration_minutes"],
        )


class EmployerPickForm(NHSForm):
    """Which employer a contact for someone was with: a searchable list of the service's."""

    employer = forms.ModelChoiceField(
        label="Which employer?",
        queryset=None,
        widget=SEARCHABLE,
        help_text="Start typing the name. Add a new employer on the employers page first",
        error_messages={
            "required": "Select the employer",
            "invalid_choice": "Select an employer from the list",
        },
    )

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers
        self.fields["employer"].label_from_instance = lambda e: e.name


class EmployerSupportForm(NHSForm):
    kind = radio_field(
        EmployerSupport.Kind.choices, "What did you provide?", "Select what you provided"
    )
    delivered_on = UKDateField(
        subject="The date", label="Date", past_only=True, earliest=EARLIEST_RECORD_DATE
    )
    attendees = forms.IntegerField(
        label="How many people attended? (awareness sessions)",
        required=False,
        min_value=1,
        max_value=1000,
        error_messages={
            "min_value": "Enter at least 1 attendee",
            "max_value": "Enter 1000 attendees or fewer",
            "invalid": form_messages.whole_number(12),
        },
    )
    person = forms.ModelChoiceField(
        label="Was it about a particular person? (optional)", queryset=None, required=False
    )
    note = forms.CharField(
        label="Notes (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda p: p.full_name

    def clean(self):
        data = super().clean()
        if data.get("kind") == EmployerSupport.Kind.AWARENESS_SESSION and not data.get("attendees"):
            self.add_error("attendees", "Enter how many people attended")
        return data


class AccessToWorkForm(NHSForm):
    """An Access to Work application. Submitted and decided dates have happened: today or
    earlier, and not before 2000 (the shared lower bound). The service checks that a
    decision comes on or after the submission."""

    person = forms.ModelChoiceField(
        label="Who is it for?",
        queryset=None,
        error_messages={"required": "Select who the application is for"},
    )
    support_type = radio_field(
        AccessToWorkApplication.SupportType.choices, "What support?", "Select the kind of support"
    )
    status = radio_field(
        AccessToWorkApplication.Status.choices,
        "Where is it up to?",
        "Select where the application is up to",
        initial=AccessToWorkApplication.Status.PREPARING,
    )
    submitted_on = UKDateField(
        subject="The date submitted",
        label="Date submitted (optional)",
        required=False,
        past_only=True,
    )
    decided_on = UKDateField(
        subject="The decision date",
        label="Date of decision (optional)",
        required=False,
        past_only=True,
    )
    amount = forms.CharField(
        label="Amount awarded a year, in pounds (optional)", required=False, max_length=20
    )
    note = forms.CharField(
        label="Notes (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda p: p.full_name

    def clean_amount(self):
        value = self.cleaned_data["amount"]
        return parse_pounds(value, field="amount") if value.strip() else None
