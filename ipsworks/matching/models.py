"""Vacancies, job search (applications and targets) and the postcode centroids for distance.

Vacancies belong with employers (ARCHITECTURE.md lists them under ``employers/``); they live
in this app so that matching owns its data and its migrations. A vacancy is shared by the
whole service, like its employer.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from ipsworks.core.models import AppendOnlyModel
from ipsworks.employers.models import Employer
from ipsworks.jobs.models import SocMajorGroup
from ipsworks.organisations.models import Service, StaffMember
from ipsworks.people.models import Person, TimeOfDay

_HOURS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class Vacancy(models.Model):
    """A job an employer is recruiting for, added by hand or imported from a CSV file.

    ``times_of_day`` uses the same values as the vocational profile's unsuitable times, so
    a clash is computed, not judged. ``dedupe_key`` is what makes a re-import harmless: the
    employer, title, workplace postcode, closing date and advert reference, normalised.
    """

    class Source(models.TextChoices):
        EMPLOYER_CONTACT = "employer_contact", "Employer contact"
        JOB_BOARD = "job_board", "Job board or advert"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        FILLED = "filled", "Filled"
        CLOSED = "closed", "Closed"

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="vacancies")
    title = models.CharField("job title", max_length=200)
    soc_major_group = models.CharField(
        "kind of work (SOC 2020 major group)", max_length=1, choices=SocMajorGroup.choices
    )
    hours_min = models.DecimalField(
        "hours a week (fewest)", max_digits=5, decimal_places=2, validators=_HOURS
    )
    hours_max = models.DecimalField(
        "hours a week (most)", max_digits=5, decimal_places=2, validators=_HOURS
    )
    shift_pattern = models.CharField(max_length=200, blank=True)
    times_of_day = models.JSONField("times of day worked", default=list, blank=True)
    hourly_pay_pence = models.PositiveIntegerField("hourly pay (pence)", null=True, blank=True)
    # The yearly salary as advertised, when the advert gave one; ``hourly_pay_pence`` is then
    # worked out from it (rules.hourly_from_annual) for matching and the minimum wage.
    annual_pay_pence = models.PositiveIntegerField(
        "yearly salary as advertised (pence)", null=True, blank=True
    )
    postcode = models.CharField("workplace postcode", max_length=8)
    closing_date = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices)
    reference = models.CharField("advert reference", max_length=100, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    dedupe_key = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "vacancies"
        constraints = [
            models.UniqueConstraint(
                fields=["service", "dedupe_key"], name="vacancy_unique_in_service"
            ),
            models.CheckConstraint(
                condition=Q(hours_min__gte=0)
                & Q(hours_max__lte=100)
                & Q(hours_max__gt=0)
                & Q(hours_min__lte=models.F("hours_max")),
                name="vacancy_hours_between_0_and_100",
            ),
            models.CheckConstraint(
                condition=Q(hourly_pay_pence__isnull=True) | Q(hourly_pay_pence__gt=0),
                name="vacancy_pay_above_zero",
            ),
            models.CheckConstraint(
                condition=Q(annual_pay_pence__isnull=True)
                | (Q(annual_pay_pence__gt=0) & Q(hourly_pay_pence__isnull=False)),
                name="vacancy_annual_pay_has_hourly",
            ),
        ]
        indexes = [
            models.Index(fields=["service", "status", "closing_date"]),
            models.Index(fields=["service", "updated_at"]),
            models.Index(fields=["employer", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} at {self.employer}" if self.employer_id else self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def hours_are_fixed(self) -> bool:
        return self.hours_min == self.hours_max

    def time_of_day_labels(self) -> list[str]:
        return [TimeOfDay(value).label for value in self.times_of_day if value in TimeOfDay]


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", "Applied"
    INTERVIEW = "interview", "Invited to interview"
    OFFER = "offer", "Offered the job"
    ACCEPTED = "accepted", "Accepted the offer"
    REJECTED = "rejected", "Not successful"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Application(models.Model):
    """A person's application for a vacancy: job search with the specialist's help.

    ``status`` and ``status_on`` cache the latest :class:`ApplicationStatusChange`, written
    only by ``matching.services`` in the same transaction as the history row.
    """

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="applications")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="applications")
    applied_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.APPLIED
    )
    status_on = models.DateField()
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-applied_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "vacancy"], name="one_application_a_job"),
            models.CheckConstraint(
                condition=Q(status_on__gte=models.F("applied_on")),
                name="application_status_after_applying",
            ),
        ]
        indexes = [
            models.Index(fields=["service", "applied_on"]),
            models.Index(fields=["person", "applied_on"]),
        ]

    def __str__(self) -> str:
        return f"Application on {self.applied_on:%d/%m/%Y}"


class ApplicationStatusChange(AppendOnlyModel):
    """One move of an application (interview, offer, accepted...). Never changed."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="status_changes"
    )
    status = models.CharField(max_length=10, choices=ApplicationStatus.choices)
    effective_on = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_on", "recorded_at", "pk"]
        indexes = [models.Index(fields=["application", "recorded_at"])]

    def __str__(self) -> str:
        return f"{self.get_status_display()} on {self.effective_on:%d/%m/%Y}"


class JobSearchTarget(models.Model):
    """An employer, or one of its vacancies, the person wants to aim for.

    Target employers lift that employer's vacancies in the person's ranking (fidelity
    item 16: job search follows the person's preferences). Removing a target keeps the row.
    """

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="job_search_targets")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="+")
    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    note = models.CharField(max_length=300, blank=True)
    added_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-added_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "employer"],
                condition=Q(vacancy__isnull=True, removed_at__isnull=True),
                name="one_active_employer_target",
            ),
            models.UniqueConstraint(
                fields=["person", "vacancy"],
                condition=Q(vacancy__isnull=False, removed_at__isnull=True),
                name="one_active_vacancy_target",
            ),
        ]
        indexes = [models.Index(fields=["person", "removed_at"])]

    def __str__(self) -> str:
        return f"Target: {self.employer}"


class PostcodeCentroid(models.Model):
    """Where a postcode is: its centroid from the ONS Postcode Directory (WGS84 degrees).

    Public reference data, not case data. Loaded by ``manage.py load_postcode_centroids``.
    """

    postcode = models.CharField(max_length=8, primary_key=True)
    latitude = models.FloatField()
    longitude = models.FloatField()

    def __str__(self) -> str:
        return self.postcode


class CentroidDataset(models.Model):
    """One load of the centroid table. Its id is part of the matching features' stamp."""

    loaded_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=300)
    rows = models.PositiveIntegerField()
    terminated_skipped = models.PositiveIntegerField(default=0)
    synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["-loaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.rows} postcodes from {self.source}"
