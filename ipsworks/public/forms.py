"""The public forms (self-referral, employer enquiry) and the administrator's page settings.

Public forms are shown in English or Welsh, so every label, hint and message is marked for
translation and resolved when the page renders. The self-referral form asks nothing about
readiness, diagnosis, substance use, offending or benefits: IPS has zero exclusion
(fidelity item 9), and a question nobody may act on should not be asked.
"""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ipsworks.core import form_messages
from ipsworks.core.dates import age_on, local_today
from ipsworks.core.forms import NHSForm, PostcodeField, UKDateField
from ipsworks.core.validators import clean_phone, normalise_postcode
from ipsworks.employers.models import Employer
from ipsworks.people.forms import MAX_AGE, MIN_AGE
from ipsworks.public.models import Interest

HONEYPOT = "website"
UNKNOWN_TEAM = "unknown"


def clean_postcode(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    try:
        return normalise_postcode(value)
    except ValidationError:
        raise ValidationError(form_messages.POSTCODE) from None


class PublicDateField(UKDateField):
    """A day, month and year, with the GOV.UK pattern's messages in the page's language."""

    _INCOMPLETE = {
        ("day",): _("Date of birth must include a day"),
        ("month",): _("Date of birth must include a month"),
        ("year",): _("Date of birth must include a year"),
        ("day", "month"): _("Date of birth must include a day and month"),
        ("day", "year"): _("Date of birth must include a day and year"),
        ("month", "year"): _("Date of birth must include a month and year"),
    }

    def clean(self, value):
        try:
            return super().clean(value)
        except ValidationError as error:
            code = getattr(error, "code", None)
            if code == "incomplete":
                parts = self.widget.parts_of(value)
                missing = tuple(p for p in self.widget.PARTS if not parts[p])
                raise ValidationError(self._INCOMPLETE[missing], code=code) from None
            if code == "future":
                raise ValidationError(_("Date of birth must be in the past"), code=code) from None
            raise ValidationError(_("Date of birth must be a real date"), code="invalid") from None


class PublicForm(NHSForm):
    """A public form: a honeypot field that people never see and bots fill in."""

    website = forms.CharField(label=_("Leave this box empty"), required=False, max_length=200)

    def is_spam(self) -> bool:
        """True when the hidden box was filled: only software that reads no CSS does that."""
        return bool((self.data.get(HONEYPOT) or "").strip())

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data.get("phone", ""))

    def clean_postcode(self) -> str:
        return clean_postcode(self.cleaned_data.get("postcode", ""))


class SelfReferralForm(PublicForm):
    """Tom's form: name, how to reach him, and what work he would like. Nothing else."""

    given_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        error_messages={"required": _("Enter your first name")},
    )
    family_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        error_messages={"required": _("Enter your last name")},
    )
    phone = forms.CharField(label=_("Phone number (optional)"), required=False, max_length=20)
    email = forms.EmailField(
        label=_("Email address (optional)"),
        required=False,
        max_length=254,
        error_messages={"invalid": form_messages.EMAIL},
    )
    contact_preferences = forms.CharField(
        label=_("How and when should we contact you? (optional)"),
        help_text=_("For example, text me first, or not before 10am"),
        required=False,
        max_length=300,
    )
    date_of_birth = PublicDateField(
        subject="Date of birth",
        required=False,
        past_only=True,
        earliest=None,  # the age rule bounds it
        label=_("Date of birth (optional)"),
        help_text=_("For example, 27 3 1990"),
    )
    postcode = PostcodeField(label=_("Postcode (optional)"))
    team = forms.ChoiceField(
        label=_("Which mental health team supports you?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select your mental health team, or 'I do not know'")},
    )
    work_interests = forms.CharField(
        label=_("What kind of work interests you? (optional)"),
        help_text=_("It is fine if you are not sure yet"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    field_order = (
        "given_name",
        "family_name",
        "phone",
        "email",
        "contact_preferences",
        "date_of_birth",
        "postcode",
        "team",
        "work_interests",
        HONEYPOT,
    )
    person_fields = (
        "given_name",
        "family_name",
        "phone",
        "email",
        "contact_preferences",
        "date_of_birth",
        "postcode",
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = {str(team.pk): team for team in teams}
        if self.teams:
            self.fields["team"].choices = [(pk, team.name) for pk, team in self.teams.items()] + [
                (UNKNOWN_TEAM, _("I do not know"))
            ]
        else:
            del self.fields["team"]

    def clean_date_of_birth(self) -> date | None:
        born = self.cleaned_data["date_of_birth"]
        if born is not None and not MIN_AGE <= age_on(born, local_today()) <= MAX_AGE:
            raise ValidationError(
                _("Date of birth must be for someone aged %(low)s to %(high)s")
                % {"low": MIN_AGE, "high": MAX_AGE}
            )
        return born

    def clean(self):
        data = super().clean()
        reachable = data.get("phone") or data.get("email") or data.get("contact_preferences")
        no_errors_yet = not any(self.has_error(name) for name in ("phone", "email"))
        if not reachable and no_errors_yet:
            self.add_error(
                "phone",
                _("Enter a phone number, an email address or another way to contact you"),
            )
        return data

    def person_details(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.person_fields}

    def chosen_team(self):
        return self.teams.get(self.cleaned_data.get("team") or UNKNOWN_TEAM)


_SIZE_LABELS = {
    Employer.SizeBand.MICRO: _("1 to 9 people"),
    Employer.SizeBand.SMALL: _("10 to 49 people"),
    Employer.SizeBand.MEDIUM: _("50 to 249 people"),
    Employer.SizeBand.LARGE: _("250 people or more"),
}
_SECTOR_LABELS = {
    Employer.Sector.RETAIL: _("Shops and retail"),
    Employer.Sector.HOSPITALITY: _("Hospitality and catering"),
    Employer.Sector.LOGISTICS: _("Warehousing, logistics and delivery"),
    Employer.Sector.HEALTH_CARE: _("Health and social care"),
    Employer.Sector.MANUFACTURING: _("Manufacturing"),
    Employer.Sector.CONSTRUCTION: _("Construction and trades"),
    Employer.Sector.OFFICE: _("Office, finance and business services"),
    Employer.Sector.PUBLIC: _("Public sector and education"),
    Employer.Sector.CHARITY: _("Charity and community"),
    Employer.Sector.CREATIVE: _("Creative, media and digital"),
    Employer.Sector.LAND: _("Farming, gardening and animal care"),
    Employer.Sector.OTHER: _("Something else"),
}


class EmployerEnquiryForm(PublicForm):
    organisation = forms.CharField(
        label=_("Organisation name"),
        max_length=200,
        error_messages={"required": _("Enter the name of your organisation")},
    )
    postcode = PostcodeField(label=_("Workplace postcode (optional)"))
    size_band = forms.ChoiceField(
        label=_("How many people work for you?"),
        choices=list(_SIZE_LABELS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how many people work for you")},
    )
    sector = forms.ChoiceField(
        label=_("What kind of work does your organisation do? (optional)"),
        choices=list(_SECTOR_LABELS.items()),
        required=False,
    )
    contact_name = forms.CharField(
        label=_("Your name"), max_length=200, error_messages={"required": _("Enter your name")}
    )
    job_title = forms.CharField(
        label=_("Your job title (optional)"), required=False, max_length=120
    )
    phone = forms.CharField(label=_("Phone number (optional)"), required=False, max_length=20)
    email = forms.EmailField(
        label=_("Email address (optional)"),
        required=False,
        max_length=254,
        error_messages={"invalid": form_messages.EMAIL},
    )
    interests = forms.MultipleChoiceField(
        label=_("What would you like help with?"),
        help_text=_("Select all that apply"),
        choices=Interest.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select what you would like help with")},
    )
    message = forms.CharField(
        label=_("Anything else you would like to tell us? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    field_order = (
        "organisation",
        "postcode",
        "size_band",
        "sector",
        "contact_name",
        "job_title",
        "phone",
        "email",
        "interests",
        "message",
        HONEYPOT,
    )

    def clean(self):
        data = super().clean()
        no_errors_yet = not any(self.has_error(name) for name in ("phone", "email"))
        if not (data.get("phone") or data.get("email")) and no_errors_yet:
            self.add_error("phone", _("Enter a phone number or an email address"))
        return data

    def employer_details(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["organisation"],
            "postcode": data["postcode"],
            "size_band": data["size_band"],
            "sector": data["sector"] or Employer.Sector.OTHER,
        }

    def enquiry_details(self) -> dict:
        names = ("contact_name", "job_title", "phone", "email", "interests", "message")
        return {name: self.cleaned_data[name] for name in names}


# --- Staff: the administrator's settings (English only, like every staff page) --------------

_TEXT_HINT = "Leave blank to use the standard wording shown below. A blank line starts a new "
_TEXT_HINT += "paragraph; lines starting with '- ' become a list."


class PublicPageForm(NHSForm):
    is_enabled = forms.BooleanField(label="Show the public page", required=False)
    about_text = forms.CharField(
        label="What IPS is and who it is for (optional)",
        help_text=_TEXT_HINT,
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    next_steps_text = forms.CharField(
        label="What happens after someone gets in touch, and how soon (optional)",
        help_text=_TEXT_HINT,
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    reply_within_days = forms.IntegerField(
        label="Working days to first reply",
        help_text="Shown to people who refer themselves: we will get in touch within this time",
        min_value=1,
        max_value=20,
        error_messages={
            "required": "Enter the number of working days to first reply",
            "min_value": "Working days must be 1 or more",
            "max_value": "Working days must be 20 or fewer",
            "invalid": form_messages.whole_number(5, of="working days"),
        },
    )
    contact_text = forms.CharField(
        label="How to contact the service (optional)",
        help_text="For example, opening hours or where to find you",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact_phone = forms.CharField(label="Public phone number", required=False, max_length=20)
    contact_email = forms.EmailField(
        label="Public email address",
        required=False,
        error_messages={"invalid": form_messages.EMAIL},
    )
    duty_inbox_email = forms.EmailField(
        label="Duty inbox email address",
        help_text="We email this address when a self-referral or employer enquiry arrives. "
        "The email has no personal details",
        required=False,
        error_messages={"invalid": form_messages.EMAIL},
    )
    welsh_enabled = forms.BooleanField(label="Offer the page in Welsh", required=False)
    about_text_cy = forms.CharField(
        label="What IPS is and who it is for, in Welsh (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    next_steps_text_cy = forms.CharField(
        label="What happens next, in Welsh (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    contact_text_cy = forms.CharField(
        label="How to contact the service, in Welsh (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    page_fields = (
        "is_enabled",
        "about_text",
        "next_steps_text",
        "reply_within_days",
        "contact_text",
        "contact_phone",
        "contact_email",
        "duty_inbox_email",
        "welsh_enabled",
        "about_text_cy",
        "next_steps_text_cy",
        "contact_text_cy",
    )

    def clean_contact_phone(self) -> str:
        try:
            return clean_phone(self.cleaned_data["contact_phone"])
        except ValidationError:
            raise ValidationError(form_messages.PHONE) from None

    def fields_to_save(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.page_fields}


class AnswerEnquiryForm(NHSForm):
    note = forms.CharField(
        label="What did you do?",
        help_text="For example, called Morgan and booked a visit for 3 June",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what you did to answer the enquiry"},
    )
