"""Jobs, their corrections and pay changes, in-work support check-ins and return-to-work plans."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from ipsworks.employers.models import Employer
from ipsworks.jobs import rules
from ipsworks.organisations.models import Service, StaffMember
from ipsworks.people.models import Person, Referral


class SocMajorGroup(models.TextChoices):
    """Standard Occupational Classification 2020 (ONS), major groups."""

    MANAGERS = "1", "Managers, directors and senior officials"
    PROFESSIONAL = "2", "Professional occupations"
    ASSOCIATE_PROFESSIONAL = "3", "Associate professional and technical occupations"
    ADMINISTRATIVE = "4", "Administrative and secretarial occupations"
    SKILLED_TRADES = "5", "Skilled trades occupations"
    CARING_LEISURE = "6", "Caring, leisure and other service occupations"
    SALES = "7", "Sales and customer service occupations"
    OPERATIVES = "8", "Process, plant and machine operatives"
    ELEMENTARY = "9", "Elementary occupations"


class JobQuerySet(models.QuerySet):
    def visible_to(self, staff: StaffMember) -> "JobQuerySet":
        """Jobs of the people this staff member may see (clinicians too: employment status)."""
        return self.filter(service_id=staff.service_id, person__in=Person.objects.visible_to(staff))


class Job(models.Model):
    """A paid job a person holds. Competitive employment is computed at the start, never typed.

    ``competitive`` caches the result of ``jobs.rules.check_competitive`` on the pay and
    dates recorded at the start (metric-definitions.md: evaluated once, at the start).
    """

    class ContractType(models.TextChoices):
        PERMANENT = "permanent", "Permanent"
        TEMPORARY = "temporary", "Temporary or fixed-term"
        SELF_EMPLOYED = "self_employed", "Self-employed"
        APPRENTICESHIP = "apprenticeship", "Apprenticeship"

    class EndReason(models.TextChoices):
        RESIGNED = "resigned", "Resigned"
        DISMISSED = "dismissed", "Dismissed"
        CONTRACT_ENDED = "contract_ended", "Contract or temporary work ended"
        MOVED_JOB = "moved_job", "Promoted or moved to another job"
        OTHER = "other", "Other"

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="jobs")
    referral = models.ForeignKey(
        Referral,
        on_delete=models.PROTECT,
        related_name="jobs",
        help_text="The referral (episode) during which the job started or was held.",
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="jobs", null=True, blank=True
    )
    # The accepted job offer this job came from, if it was found through job search. One
    # application leads to at most one job (a OneToOne is unique when set; NULLs never clash).
    # A string reference: matching.models imports this module.
    application = models.OneToOneField(
        "matching.Application",
        on_delete=models.PROTECT,
        related_name="job",
        null=True,
        blank=True,
        help_text="The accepted job offer (job search application) this job came from.",
    )
    job_title = models.CharField(max_length=200)
    soc_major_group = models.CharField(
        "kind of work (SOC 2020 major group)", max_length=1, choices=SocMajorGroup.choices
    )
    contract_type = models.CharField(max_length=20, choices=ContractType.choices)
    start_date = models.DateField("first day of paid work")
    end_date = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    hours_per_week = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    hourly_pay_pence = models.PositiveIntegerField("hourly pay at the start (pence)")
    open_labour_market = models.BooleanField(default=True)
    reserved_for_disabled = models.BooleanField(default=False)
    disclosed_to_employer = models.BooleanField(default=False)
    held_at_referral = models.BooleanField(
        default=False,
        help_text="Job retention: the job the person had when referred. Never a job start.",
    )
    four_hours_worked = models.BooleanField(
        "has done at least 4 hours of paid work",
        default=False,
        help_text="IPS Grow counts a job start once 4 hours of paid work are done.",
    )
    competitive = models.BooleanField(editable=False, default=False)
    minimum_wage_pence = models.PositiveIntegerField(editable=False, null=True)
    recorded_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="job_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=(Q(end_date__isnull=True) & Q(end_reason=""))
                | (Q(end_date__isnull=False) & ~Q(end_reason="")),
                name="job_end_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0) & Q(hours_per_week__lte=100),
                name="job_hours_between_0_and_100",
            ),
            models.CheckConstraint(
                condition=Q(employer__isnull=False) | Q(contract_type="self_employed"),
                name="job_has_employer_unless_self_employed",
            ),
        ]
        indexes = [
            models.Index(fields=["service", "start_date"]),
            models.Index(fields=["person", "start_date"]),
            models.Index(fields=["referral", "start_date"]),
            models.Index(fields=["employer"]),
        ]

    def __str__(self) -> str:
        return self.job_title

    @property
    def is_current(self) -> bool:
        return self.end_date is None

    @property
    def hourly_pay(self) -> Decimal:
        return Decimal(self.hourly_pay_pence) / 100

    @property
    def counts_as_job_start(self) -> bool:
        """Competitive, not held at referral, 4 hours worked: ``jobs.rules.JOB_START_FIELDS``
        (IPS Grow v8, docs/metrics.md ``job_starts``). Whether it started on or after the
        referral's access is asked by the metrics, which have the access date."""
        return rules.meets_job_start_fields(self)


class PayChange(models.Model):
    """A later change of pay or hours. It never changes whether the job was competitive."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="pay_changes")
    effective_on = models.DateField()
    hourly_pay_pence = models.PositiveIntegerField()
    hours_per_week = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    recorded_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_on", "-pk"]

    def __str__(self) -> str:
        return f"Pay change from {self.effective_on:%d/%m/%Y}"


class JobCorrection(models.Model):
    """A correction of details recorded wrongly when the job was entered (a mistyped pay,
    the wrong start date), with the reason. Kept as the job's history: the job row holds the
    corrected values, this row what they were before.

    Not a change of pay or hours from a date (that is a ``PayChange``): a correction says the
    job was never as first recorded, so the competitive-job decision is made again on the
    corrected facts at the start, and every figure built on it follows.
    """

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="corrections")
    reason = models.TextField("why the details were wrong")
    # [{"field": name, "label": label, "before": text, "after": text}, ...] in form order.
    changes = models.JSONField(default=list)
    competitive_before = models.BooleanField()
    competitive_after = models.BooleanField()
    recorded_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="job_correction_has_reason"),
        ]

    def __str__(self) -> str:
        return f"Correction of {self.job} on {self.recorded_at:%d/%m/%Y}"


class SupportCheckInQuerySet(models.QuerySet):
    def visible_to(self, staff: StaffMember) -> "SupportCheckInQuerySet":
        return self.filter(service_id=staff.service_id, person__in=Person.objects.visible_to(staff))


class SupportCheckIn(models.Model):
    """A scheduled in-work support contact (fidelity item 23: time-unlimited follow-along).

    Created when a job starts and when it ends; met by the first direct contact with the
    person, or an in-work support visit to their employer, on or after ``opens_on``.
    """

    class Kind(models.TextChoices):
        FIRST = "first", "First contact around the start"
        WEEKLY = "weekly", "Weekly check-in (first month)"
        MONTHLY = "monthly", "Monthly check-in"
        AFTER_END = "after_end", "Contact after the job ended"

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="check_ins")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="check_ins")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    opens_on = models.DateField()
    due_on = models.DateField()
    met_on = models.DateField(null=True, blank=True)
    cancelled = models.BooleanField(default=False)

    objects = SupportCheckInQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["person", "met_on", "due_on"]),
            models.Index(fields=["service", "met_on", "due_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.due_on:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.met_on is None and not self.cancelled


class ReturnToWorkPlan(models.Model):
    """Job retention: the plan for returning to the job held at referral.

    For example phased hours rising from 12 to 30 over eight weeks, a workplace buddy,
    time off for appointments and an Access to Work application for mentoring.
    """

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="return_to_work_plans"
    )
    job = models.ForeignKey(Job, on_delete=models.PROTECT, related_name="return_to_work_plans")
    version = models.PositiveIntegerField()
    planned_return_on = models.DateField()
    phased_hours = models.JSONField(
        "hours a week, week by week", default=list, help_text="A list of weekly hours."
    )
    adjustments = models.TextField("workplace adjustments agreed", blank=True)
    notes = models.TextField(blank=True)
    review_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "version"], name="rtw_plan_version_unique")
        ]

    def __str__(self) -> str:
        return f"Return-to-work plan version {self.version}"


class ReminderSent(models.Model):
    """One reminder email to one specialist on one day: the guard against sending twice."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    items = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["staff", "sent_on"], name="one_reminder_a_day")
        ]

    def __str__(self) -> str:
        return f"Reminder on {self.sent_on:%d/%m/%Y}"


class EducationQuerySet(models.QuerySet):
    def visible_to(self, staff: StaffMember) -> "EducationQuerySet":
        """Education and training of the people this staff member may see."""
        return self.filter(service_id=staff.service_id, person__in=Person.objects.visible_to(staff))


class EducationOrTraining(models.Model):
    """A course, qualification or training a person starts while IPS supports them.

    IPS supported education (early intervention in psychosis teams especially: young people
    want to study as well as, or before, working; Bond, Drake and Luciano 2015) helps people
    into courses as IPS helps them into jobs. It is its own outcome, counted by the
    ``education_starts`` and ``education_completions`` metrics and never as a job start:
    nothing in ``jobs.rules`` or the referral facts reads this table.

    Two things that can look like training are not recorded here. An apprenticeship is paid
    work under a contract of employment, so it is a job (``Job`` with the apprenticeship
    contract type), whether or not it leads to a qualification. Volunteering is neither paid
    work nor education; it belongs in the vocational profile and the contacts.
    """

    class Kind(models.TextChoices):
        FURTHER_EDUCATION = "further", "Further education (college, sixth form, adult education)"
        HIGHER_EDUCATION = "higher", "Higher education (university degree or similar)"
        VOCATIONAL = "vocational", "Vocational training or qualification"
        SHORT_COURSE = "short", "Short course"

    class Level(models.TextChoices):
        """Regulated Qualifications Framework levels (England and Northern Ireland)."""

        ENTRY = "entry", "Entry level"
        LEVEL_1 = "1", "Level 1"
        LEVEL_2 = "2", "Level 2 (GCSE grades 9 to 4)"
        LEVEL_3 = "3", "Level 3 (A level)"
        LEVEL_4 = "4", "Level 4"
        LEVEL_5 = "5", "Level 5"
        LEVEL_6 = "6", "Level 6 (bachelor's degree)"
        LEVEL_7 = "7", "Level 7 (master's degree)"
        LEVEL_8 = "8", "Level 8 (doctorate)"

    class Outcome(models.TextChoices):
        ONGOING = "ongoing", "Ongoing"
        COMPLETED = "completed", "Completed"
        LEFT_EARLY = "left_early", "Left early"

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="education")
    referral = models.ForeignKey(
        Referral,
        on_delete=models.PROTECT,
        related_name="education",
        help_text="The referral (episode) during which the course started.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    provider_name = models.CharField("college, university or training provider", max_length=200)
    course_title = models.CharField(max_length=200)
    level = models.CharField(max_length=10, choices=Level.choices, blank=True)
    started_on = models.DateField()
    planned_end_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.ONGOING)
    hours_per_week = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    recorded_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = EducationQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = "education or training"
        verbose_name_plural = "education and training"
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="education_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(planned_end_on__isnull=True)
                | Q(planned_end_on__gte=models.F("started_on")),
                name="education_planned_end_after_start",
            ),
            # Ongoing until it ends; an ending is either a completion or leaving early.
            models.CheckConstraint(
                condition=(Q(ended_on__isnull=True) & Q(outcome="ongoing"))
                | (Q(ended_on__isnull=False) & Q(outcome__in=["completed", "left_early"])),
                name="education_end_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True)
                | (Q(hours_per_week__gt=0) & Q(hours_per_week__lte=100)),
                name="education_hours_between_0_and_100",
            ),
        ]
        indexes = [
            models.Index(fields=["service", "started_on"]),
            models.Index(fields=["service", "ended_on"]),
            models.Index(fields=["person", "started_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.course_title} at {self.provider_name}"

    @property
    def is_ongoing(self) -> bool:
        return self.ended_on is None
