"""Forms for job starts, job endings, pay changes, return-to-work plans and education."""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from ipsworks.core import form_messages
from ipsworks.core.dates import local_today
from ipsworks.core.formatting import hours
from ipsworks.core.forms import SEARCHABLE, NHSForm, UKDateField
from ipsworks.core.money import parse_pounds, plain_pounds
from ipsworks.jobs import offers, services
from ipsworks.jobs.models import EducationOrTraining, Job, SocMajorGroup
from ipsworks.jobs.services import EducationDetails, JobDetails
from ipsworks.people.forms import EARLIEST_RECORD_DATE

PLANNED_RETURN_WITHIN_DAYS = 2 * 365
REVIEW_WITHIN_DAYS = 366

_HOURS_ERRORS = {
    "required": "Enter the hours a week",
    "min_value": "Hours a week must be more than 0",
    "max_value": "Hours a week must be 100 or fewer",
    "invalid": form_messages.HOURS,
    "max_decimal_places": "Use no more than 2 decimal places",
}


# The job's own details, in the order the job forms ask for them.
CORRECTION_FIELDS = (
    "held_at_referral",
    "contract_type",
    "employer",
    "job_title",
    "soc_major_group",
    "start_date",
    "hours_per_week",
    "hourly_pay",
    "open_labour_market",
    "reserved_for_disabled",
    "disclosed_to_employer",
    "four_hours_worked",
)


class JobForm(NHSForm):
    held_at_referral = forms.ChoiceField(
        label="Is this a new job, or the job they had when referred?",
        choices=[("new", "A new job"), ("held", "The job they had when referred (job retention)")],
        widget=forms.RadioSelect,
        initial="new",
        error_messages={"required": "Select whether this is a new job"},
    )
    contract_type = forms.ChoiceField(
        label="Type of job",
        choices=Job.ContractType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of job"},
    )
    employer = forms.ModelChoiceField(
        label="Employer",
        queryset=None,
        required=False,
        widget=SEARCHABLE,
        help_text="Start typing the name. Not needed for self-employment. Add a new employer "
        "on the employers page first",
    )
    job_title = forms.CharField(
        label="Job title", max_length=200, error_messages={"required": "Enter the job title"}
    )
    soc_major_group = forms.ChoiceField(
        label="Kind of work",
        choices=SocMajorGroup.choices,
        error_messages={"required": "Select the kind of work"},
    )
    start_date = UKDateField(
        subject="The start date", label="First day of paid work", earliest=EARLIEST_RECORD_DATE
    )
    hours_per_week = forms.DecimalField(
        label="Contracted hours a week",
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        error_messages=_HOURS_ERRORS,
    )
    hourly_pay = forms.CharField(
        label="Hourly pay, in pounds",
        max_length=12,
        help_text="Before tax. For example, 12.71",
        error_messages={"required": "Enter the hourly pay"},
    )
    open_labour_market = forms.BooleanField(
        label="Anyone could apply for this job", required=False, initial=True
    )
    reserved_for_disabled = forms.BooleanField(
        label="The job is set aside for disabled people", required=False
    )
    disclosed_to_employer = forms.BooleanField(
        label="They have told the employer about their mental health", required=False
    )
    four_hours_worked = forms.BooleanField(
        label="They have done at least 4 hours of paid work in this job", required=False
    )
    # The accepted job offer the job comes from (a matching.Application id), carried hidden
    # from the application page. Checked in clean(): its problems show above the form.
    application = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def __init__(self, *args, employers, person=None, applications=None, **kwargs):
        """``applications``: the applications in the user's scope that the hidden field
        may name, already narrowed to ``person``; None: the job cannot come from one."""
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers
        self.fields["employer"].label_from_instance = lambda e: e.name
        self.person = person
        self.applications = applications

    def clean_hourly_pay(self):
        pence = parse_pounds(self.cleaned_data["hourly_pay"], field="hourly pay")
        if pence == 0:
            raise ValidationError("Enter the hourly pay: more than £0")
        if pence > 50000:
            raise ValidationError("Hourly pay over £500 looks wrong: check it")
        return pence

    def clean(self):
        data = super().clean()
        if (
            data.get("contract_type")
            and data["contract_type"] != Job.ContractType.SELF_EMPLOYED
            and not data.get("employer")
        ):
            self.add_error(
                "employer", "Select the employer, or choose 'Self-employed' as the type of job"
            )
        data["application"] = self._clean_application(data)
        return data

    def _clean_application(self, data):
        raw = (data.get("application") or "").strip()
        if not raw:
            return None
        found = None
        if raw.isdigit() and self.applications is not None and self.person is not None:
            found = self.applications.filter(pk=int(raw)).first()
        source = offers.source()
        problem = (
            services.APPLICATION_NOT_THEIRS
            if found is None or source is None
            else source.problem(found, self.person)
        )
        if problem is not None:
            self.add_error(None, problem)
            return None
        if data.get("held_at_referral") == "held":
            self.add_error("held_at_referral", services.APPLICATION_NOT_RETENTION)
        return found

    def details(self) -> JobDetails:
        d = self.cleaned_data
        return JobDetails(
            employer=d["employer"],
            job_title=d["job_title"],
            soc_major_group=d["soc_major_group"],
            contract_type=d["contract_type"],
            start_date=d["start_date"],
            hours_per_week=d["hours_per_week"],
            hourly_pay_pence=d["hourly_pay"],
            open_labour_market=d["open_labour_market"],
            reserved_for_disabled=d["reserved_for_disabled"],
            disclosed_to_employer=d["disclosed_to_employer"],
            held_at_referral=d["held_at_referral"] == "held",
            four_hours_worked=d["four_hours_worked"],
        )


class JobCorrectionForm(JobForm):
    """The job's details as recorded, to correct what was wrong, and why.

    Not for a change from a date (new pay, new hours): that is a pay change, which keeps the
    job as it started. The accepted offer a job came from cannot be changed here.
    """

    reason = forms.CharField(
        label="Why were the details wrong?",
        help_text="For example: the pay was mistyped, it is £12.50 an hour, not £9.50. "
        "This is kept with the job's history",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Enter why the details were wrong"},
    )

    field_order = [*CORRECTION_FIELDS, "reason"]

    def __init__(self, *args, job: Job, employers, **kwargs):
        kwargs.setdefault("initial", self.initial_from(job))
        super().__init__(*args, employers=employers, **kwargs)
        del self.fields["application"]

    @staticmethod
    def initial_from(job: Job) -> dict:
        return {
            "held_at_referral": "held" if job.held_at_referral else "new",
            "contract_type": job.contract_type,
            "employer": job.employer_id,
            "job_title": job.job_title,
            "soc_major_group": job.soc_major_group,
            "start_date": job.start_date,
            "hours_per_week": hours(job.hours_per_week),
            "hourly_pay": plain_pounds(job.hourly_pay_pence),
            "open_labour_market": job.open_labour_market,
            "reserved_for_disabled": job.reserved_for_disabled,
            "disclosed_to_employer": job.disclosed_to_employer,
            "four_hours_worked": job.four_hours_worked,
        }


class EndJobForm(NHSForm):
    end_date = UKDateField(subject="The end date", label="Last day of the job", past_only=True)
    end_reason = forms.ChoiceField(
        label="Why did it end?",
        choices=Job.EndReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the job ended"},
    )


class PayChangeForm(NHSForm):
    """New pay, new hours, or both: what is left blank stays as it was on that date."""

    effective_on = UKDateField(subject="The date of the change", label="From", past_only=True)
    hourly_pay = forms.CharField(
        label="New hourly pay, in pounds",
        help_text="Leave blank if the pay has not changed",
        max_length=12,
        required=False,
    )
    hours_per_week = forms.DecimalField(
        label="New hours a week",
        help_text="Leave blank if the hours have not changed",
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        required=False,
        error_messages=_HOURS_ERRORS,
    )

    def clean_hourly_pay(self):
        value = self.cleaned_data["hourly_pay"].strip()
        if not value:
            return None
        pence = parse_pounds(value, field="hourly pay")
        if pence == 0:
            raise ValidationError("Enter the hourly pay: more than £0")
        return pence

    def clean(self):
        data = super().clean()
        nothing_typed = (
            not (self.data.get("hourly_pay") or "").strip()
            and not (self.data.get("hours_per_week") or "").strip()
        )
        if nothing_typed:
            self.add_error("hourly_pay", "Enter the new hourly pay, the new hours a week, or both")
        return data


class ReturnToWorkPlanForm(NHSForm):
    """A phased return to the job held at referral.

    Dates: the planned return may be in the past (a plan recorded late) but not before
    2000 (the shared lower bound) nor more than two years ahead, since a job is rarely held
    open longer; the review is on or after the planned return, and within a year of it.
    """

    planned_return_on = UKDateField(
        subject="The planned return date", label="Planned return to work"
    )
    phased_hours = forms.CharField(
        label="Hours a week, week by week",
        help_text="Separate the weeks with commas. For example: 12, 12, 16, 20, 24, 24, 30, 30",
        max_length=300,
        error_messages={"required": "Enter the phased hours, week by week"},
    )
    adjustments = forms.CharField(
        label="Workplace adjustments agreed (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    review_on = UKDateField(subject="The review date", label="Review by (optional)", required=False)

    def clean_planned_return_on(self) -> date:
        planned = self.cleaned_data["planned_return_on"]
        if planned > local_today() + timedelta(days=PLANNED_RETURN_WITHIN_DAYS):
            raise ValidationError("The planned return date must be within 2 years from today")
        return planned

    def clean(self):
        data = super().clean()
        planned, review = data.get("planned_return_on"), data.get("review_on")
        if planned and review:
            if review < planned:
                self.add_error(
                    "review_on", "The review date must be on or after the planned return"
                )
            elif review > planned + timedelta(days=REVIEW_WITHIN_DAYS):
                self.add_error(
                    "review_on", "The review date must be within a year of the planned return"
                )
        return data

    def clean_phased_hours(self) -> list[int | float]:
        """Weekly hours, each more than 0 and at most 100, to the quarter or half hour.

        Stored as JSON numbers: whole hours as ints, others as floats (up to 2 places).
        """
        parts = [p.strip() for p in self.cleaned_data["phased_hours"].split(",") if p.strip()]
        if not parts:
            raise ValidationError("Enter the phased hours, week by week")
        if len(parts) > 52:
            raise ValidationError("Enter no more than 52 weeks")
        hours = []
        for week, part in enumerate(parts, start=1):
            try:
                value = Decimal(part)
            except InvalidOperation:
                value = None
            if value is None or not value.is_finite():
                raise ValidationError(form_messages.hours_in_week(week))
            if not 0 < value <= 100:
                raise ValidationError(f"Week {week}: hours must be more than 0 and 100 or fewer")
            if value != value.quantize(Decimal("0.01")):
                raise ValidationError(f"Week {week}: use no more than 2 decimal places")
            hours.append(int(value) if value == value.to_integral_value() else float(value))
        return hours


class EducationForm(NHSForm):
    """A course or training starting. An apprenticeship is a job, so it is not offered."""

    kind = forms.ChoiceField(
        label="Kind of education or training",
        choices=EducationOrTraining.Kind.choices,
        widget=forms.RadioSelect,
        help_text="An apprenticeship is paid work: record it as a job. Volunteering is "
        "neither work nor education",
        error_messages={"required": "Select the kind of education or training"},
    )
    provider_name = forms.CharField(
        label="College, university or training provider",
        max_length=200,
        error_messages={"required": "Enter the college, university or provider"},
    )
    course_title = forms.CharField(
        label="Course title", max_length=200, error_messages={"required": "Enter the course title"}
    )
    level = forms.ChoiceField(
        label="Level (optional)",
        choices=[("", "Not known or not applicable"), *EducationOrTraining.Level.choices],
        required=False,
        help_text="Regulated Qualifications Framework level",
    )
    started_on = UKDateField(
        subject="The start date", label="Start date", earliest=EARLIEST_RECORD_DATE
    )
    planned_end_on = UKDateField(
        subject="The planned end date",
        label="Planned end date (optional)",
        required=False,
        earliest=EARLIEST_RECORD_DATE,
    )
    hours_per_week = forms.DecimalField(
        label="Hours a week (optional)",
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        required=False,
        error_messages=_HOURS_ERRORS,
    )

    def details(self) -> EducationDetails:
        d = self.cleaned_data
        return EducationDetails(
            kind=d["kind"],
            provider_name=d["provider_name"],
            course_title=d["course_title"],
            level=d["level"],
            started_on=d["started_on"],
            planned_end_on=d["planned_end_on"],
            hours_per_week=d["hours_per_week"],
        )


class EndEducationForm(NHSForm):
    outcome = forms.ChoiceField(
        label="How did it end?",
        choices=[(o.value, o.label) for o in services.ENDED_OUTCOMES],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether they completed it or left early"},
    )
    ended_on = UKDateField(subject="The end date", label="Date it ended", past_only=True)
