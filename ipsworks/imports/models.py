"""Bulk imports of referrals from clinical-system exports (docs/import.md).

``ImportMapping``: which column of a service's export holds which field. ``ImportRun``: one
uploaded file, checked and saved by a background task, with its progress and problems.
``ImportedReferral``: the stable key of each referral an import created, so importing the
same rows again creates nothing twice.
"""

from django.db import models

from ipsworks.organisations.models import Service, StaffMember
from ipsworks.people.models import Referral


class ImportMapping(models.Model):
    """A service's column names, by field. Fields not named use the standard column name."""

    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="+")
    columns = models.JSONField(default=dict)
    updated_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Import columns for service {self.service_id}"


class ImportRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        CHECKING = "checking", "Checking rows"
        SAVING = "saving", "Saving"
        DONE = "done", "Imported"
        REJECTED = "rejected", "Not imported: problems to correct"
        FAILED = "failed", "Failed"

    ACTIVE = (Status.QUEUED, Status.CHECKING, Status.SAVING)

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=200)
    kind = models.CharField(max_length=4, choices=[("csv", "CSV"), ("xlsx", "Excel")])
    sha256 = models.CharField(max_length=64)
    # The file is held in the database until the import finishes, then cleared: it holds
    # personal data and is not needed once its rows are saved or refused.
    content = models.BinaryField(null=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    referrals_created = models.PositiveIntegerField(default=0)
    people_created = models.PositiveIntegerField(default=0)
    rows_skipped = models.PositiveIntegerField(
        default=0, help_text="Rows already imported or already recorded: not added twice."
    )
    problem_count = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, help_text="The first problems: row, column, text.")
    error = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    heartbeat_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)
    seconds = models.FloatField(null=True, help_text="Time the last attempt took.")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["service", "created_at"])]

    def __str__(self) -> str:
        return f"Import of {self.filename}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class ImportedReferral(models.Model):
    """The key of a referral an import created: NHS number, date received, source reference."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="referrals")
    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="+")
    nhs_number = models.CharField(max_length=10)
    received_on = models.DateField()
    source_reference = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["service", "nhs_number", "received_on", "source_reference"],
                name="imported_referral_key_unique",
            )
        ]

    def __str__(self) -> str:
        return f"Imported referral {self.referral_id}"
