"""Forms for vacancies, the vacancy import, applications and job search targets."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from ipsworks.core import form_messages
from ipsworks.core.dates import local_today
from ipsworks.core.forms import SEARCHABLE, NHSForm, PostcodeField, UKDateField
from ipsworks.core.money import parse_pounds, plain_pounds
from ipsworks.jobs.models import SocMajorGroup
from ipsworks.matching import rules
from ipsworks.matching.csv_import import MAX_BYTES
from ipsworks.matching.models import ApplicationStatus, Vacancy
from ipsworks.matching.services import VacancyDetails
from ipsworks.people.forms import EARLIEST_RECORD_DATE
from ipsworks.people.models import TimeOfDay


def _hours(label: str, *, required: bool, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        help_text=help_text,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        error_messages={
            "required": "Enter the hours a week",
            "min_value": "Hours a week must be between 0 and 100",
            "max_value": "Hours a week must be between 0 and 100",
            "invalid": form_messages.HOURS,
            "max_decimal_places": "Use no more than 2 decimal places",
            "max_digits": "Hours a week must be between 0 and 100",
        },
    )


def _number(value: Decimal) -> str:
    """16.00 as "16", 7.50 as "7.5"."""
    return f"{value.normalize():f}"


class VacancyForm(NHSForm):
    employer = forms.ModelChoiceField(
        label="Employer",
        queryset=None,
        widget=SEARCHABLE,
        help_text="Start typing the name. Add a new employer on the employers page first",
        error_messages={"required": "Select the employer"},
    )
    title = forms.CharField(
        label="Job title", max_length=200, error_messages={"required": "Enter the job title"}
    )
    soc_major_group = forms.ChoiceField(
        label="Kind of work",
        choices=SocMajorGroup.choices,
        help_text="The SOC 2020 major group, used to match the kinds of work people want",
        error_messages={"required": "Select the kind of work"},
    )
    hours_min = _hours(
        "Hours a week", required=True, help_text="If the hours vary, enter the fewest"
    )
    hours_max = _hours("Most hours a week, if the hours vary (optional)", required=False)
    shift_pattern = forms.CharField(
        label="Shift pattern (optional)",
        required=False,
        max_length=200,
        help_text="For example, Monday to Friday, 10am to 2pm",
    )
    times_of_day = forms.MultipleChoiceField(
        label="Times of day worked (optional)",
        required=False,
        choices=TimeOfDay.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. Matching checks them against times that do not suit",
    )
    hourly_pay = forms.CharField(
        label="Hourly pay, in pounds (optional)",
        required=False,
        max_length=12,
        help_text="Before tax. For example, 12.71",
    )
    annual_pay = forms.CharField(
        label="Or the yearly salary, in pounds (optional)",
        required=False,
        max_length=12,
        help_text=(
            "If the advert gives a salary instead. For example, 24000. IPS Works works out "
            "the hourly pay over 52 weeks of the most hours a week"
        ),
    )
    postcode = PostcodeField(
        label="Workplace postcode (optional)",
        help_text="Leave blank to use the employer's postcode",
    )
    closing_date = UKDateField(
        subject="The closing date",
        label="Closing date (optional)",
        required=False,
        help_text="For example, 27 3 2027",
    )
    source = forms.ChoiceField(
        label="Where did the vacancy come from?",
        choices=Vacancy.Source.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the vacancy came from"},
    )
    reference = forms.CharField(label="Advert reference (optional)", required=False, max_length=100)

    def __init__(self, *args, employers, closing_date_was=None, **kwargs):
        """``closing_date_was``: when correcting a vacancy, its current closing date, which
        may be kept even if it has passed (``services.update_vacancy``)."""
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers
        self.fields["employer"].label_from_instance = lambda e: e.name
        self.closing_date_was = closing_date_was

    @staticmethod
    def initial_for(vacancy: Vacancy) -> dict:
        """The form's fields filled in from a saved vacancy, as a person would type them."""
        pay, annual = vacancy.hourly_pay_pence, vacancy.annual_pay_pence
        return {
            "employer": vacancy.employer_id,
            "title": vacancy.title,
            "soc_major_group": vacancy.soc_major_group,
            "hours_min": _number(vacancy.hours_min),
            "hours_max": "" if vacancy.hours_are_fixed else _number(vacancy.hours_max),
            "shift_pattern": vacancy.shift_pattern,
            "times_of_day": list(vacancy.times_of_day),
            "hourly_pay": "" if annual is not None else plain_pounds(pay),
            "annual_pay": plain_pounds(annual),
            "postcode": vacancy.postcode,
            "closing_date": vacancy.closing_date,
            "source": vacancy.source,
            "reference": vacancy.reference,
        }

    def clean_hourly_pay(self):
        value = self.cleaned_data["hourly_pay"].strip()
        if not value:
            return None
        if value.startswith("-") or value.startswith("£-"):
            raise ValidationError("Hourly pay cannot be negative")
        pence = parse_pounds(value, field="hourly pay")
        problems = rules.pay_problems(pence)
        if problems:
            raise ValidationError(problems["hourly_pay"])
        return pence

    def clean_annual_pay(self):
        value = self.cleaned_data["annual_pay"].strip()
        if not value:
            return None
        if value.startswith("-") or value.startswith("£-"):
            raise ValidationError("The yearly salary cannot be negative")
        pence = parse_pounds(value, field="yearly salary")
        problems = rules.annual_pay_problems(pence, hourly_given=False)
        if problems:
            raise ValidationError(problems["annual_pay"])
        return pence

    def clean_closing_date(self):
        closing = self.cleaned_data["closing_date"]
        if closing is not None and closing == self.closing_date_was:
            return closing
        problems = rules.closing_date_problems(closing, local_today())
        if problems:
            raise ValidationError(problems["closing_date"])
        return closing

    def clean(self):
        data = super().clean()
        if data.get("hours_min") is not None:
            for name, message in rules.hours_problems(
                data["hours_min"], data.get("hours_max")
            ).items():
                self.add_error(name, message)
        return data

    def details(self) -> VacancyDetails:
        d = self.cleaned_data
        return VacancyDetails(
            employer=d["employer"],
            title=d["title"],
            soc_major_group=d["soc_major_group"],
            hours_min=d["hours_min"],
            hours_max=d["hours_max"],
            source=d["source"],
            postcode=d["postcode"],
            shift_pattern=d["shift_pattern"],
            times_of_day=tuple(d["times_of_day"]),
            hourly_pay_pence=d["hourly_pay"],
            annual_pay_pence=d["annual_pay"],
            closing_date=d["closing_date"],
            reference=d["reference"],
        )


class VacancyImportForm(NHSForm):
    file = forms.FileField(
        label="CSV file of vacancies",
        help_text="One vacancy a row. Nothing is saved unless every row is right",
        error_messages={
            "required": "Choose a CSV file to import",
            "empty": "The file is empty",
            "invalid": "Choose a CSV file to import",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError("The file is over 2 MB: split it into parts")
        return upload


class VacancyStatusForm(NHSForm):
    status = forms.ChoiceField(
        label="Status",
        choices=Vacancy.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the status"},
    )


class ApplicationForm(NHSForm):
    person = forms.ModelChoiceField(
        label="Who applied?",
        queryset=None,
        error_messages={"required": "Select who applied"},
    )
    applied_on = UKDateField(
        subject="The date they applied",
        label="Date they applied",
        past_only=True,
        earliest=EARLIEST_RECORD_DATE,
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
        if not self.is_bound:
            self.initial.setdefault("applied_on", local_today())


class ApplicationMoveForm(NHSForm):
    status = forms.ChoiceField(
        label="What happened?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happened"},
    )
    effective_on = UKDateField(
        subject="The date", label="Date", past_only=True, earliest=EARLIEST_RECORD_DATE
    )
    note = forms.CharField(label="Notes (optional)", required=False, max_length=300)

    def __init__(self, *args, statuses: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, ApplicationStatus(s).label) for s in statuses]
        if not self.is_bound:
            self.initial.setdefault("effective_on", local_today())


class TargetForm(NHSForm):
    employer = forms.ModelChoiceField(
        label="Add an employer they want to work for",
        queryset=None,
        widget=SEARCHABLE,
        error_messages={"required": "Select an employer"},
    )
    note = forms.CharField(label="Why (optional)", required=False, max_length=300)

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers
        self.fields["employer"].label_from_instance = lambda e: e.name
