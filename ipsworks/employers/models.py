"""Employers and the job development work done with them (IPS fidelity items 15 to 18)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from ipsworks.access import scoping
from ipsworks.organisations.models import Service, StaffMember
from ipsworks.people.models import Person


class EmployerQuerySet(models.QuerySet):
    def visible_to(self, staff: StaffMember) -> "EmployerQuerySet":
        """The service's employers, for its specialists and managers (access.scoping)."""
        if not scoping.works_with_employers(staff):
            return self.none()
        return self.filter(service_id=staff.service_id)


class Employer(models.Model):
    """An employer the service works with. Shared by everyone in the service."""

    class Sector(models.TextChoices):
        RETAIL = "retail", "Retail"
        HOSPITALITY = "hospitality", "Hospitality and catering"
        LOGISTICS = "logistics", "Warehousing, logistics and delivery"
        HEALTH_CARE = "health_care", "Health and social care"
        MANUFACTURING = "manufacturing", "Manufacturing"
        CONSTRUCTION = "construction", "Construction and trades"
        OFFICE = "office", "Office, finance and business services"
        PUBLIC = "public", "Public sector and education"
        CHARITY = "charity", "Charity and community"
        CREATIVE = "creative", "Creative, media and digital"
        LAND = "land", "Agriculture, horticulture and animal care"
        OTHER = "other", "Other"

    class SizeBand(models.TextChoices):
        MICRO = "micro", "Micro (1 to 9 staff)"
        SMALL = "small", "Small (10 to 49 staff)"
        MEDIUM = "medium", "Medium (50 to 249 staff)"
        LARGE = "large", "Large (250 staff or more)"

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="employers")
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    size_band = models.CharField(max_length=10, choices=SizeBand.choices)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EmployerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "name", "postcode"], name="employer_unique_in_service"
            )
        ]
        indexes = [models.Index(fields=["service", "name"])]

    def __str__(self) -> str:
        return self.name


class EmployerContactPerson(models.Model):
    """Someone at the employer the service deals with (a manager, HR, an owner).

    Removing someone deletes them, unless an employer enquiry names them: then they are
    kept, marked no longer a contact (``removed_at``), so the enquiry still says who made it.
    """

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    removed_at = models.DateTimeField(
        null=True, blank=True, help_text="When they stopped being a contact (kept for enquiries)."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EmployerContactQuerySet(models.QuerySet):
    def visible_to(self, staff: StaffMember) -> "EmployerContactQuerySet":
        if not scoping.works_with_employers(staff):
            return self.none()
        return self.filter(service_id=staff.service_id)


class EmployerContact(models.Model):
    """One contact with an employer by an employment specialist: the employer contact log.

    Face-to-face contacts are what fidelity item 17 counts (at least 6 a week per full-time
    specialist); a contact for a particular person with the purpose of presenting them is
    what "days from access to first employer contact" measures (item 15).
    """

    class Mode(models.TextChoices):
        FACE_TO_FACE = "face_to_face", "Face to face"
        PHONE = "phone", "Phone call"
        VIDEO = "video", "Video call"
        EMAIL = "email", "Email or letter"

    class Purpose(models.TextChoices):
        LEARN_NEEDS = "learn_needs", "Learn about the employer's business and needs"
        PRESENT_PERSON = "present_person", "Present a particular person's strengths"
        FOLLOW_UP = "follow_up", "Follow up an earlier contact or application"
        IN_WORK_SUPPORT = "in_work_support", "In-work support or workplace visit"
        OTHER = "other", "Other"

    # Each key leads one of the two- or three-column indexes below, which serve the same
    # look-ups, so none has a single-column index of its own (see activity.Contact).
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+", db_index=False)
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="contacts", db_index=False
    )
    staff = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="employer_contacts", db_index=False
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="employer_contacts",
        db_index=False,
        null=True,
        blank=True,
        help_text="The person the contact was for, if any.",
    )
    contact_date = models.DateField()
    mode = models.CharField(max_length=20, choices=Mode.choices)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    outcome = models.TextField("what happened", blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text="For the share of contact time spent in the community (fidelity item 24).",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    # A face-to-face employer contact happens at the employer's workplace; phone, video and
    # email happen from wherever the specialist is. (metric-definitions.md, community share)
    COMMUNITY_MODES = frozenset({Mode.FACE_TO_FACE})
    TIMED_MODES = frozenset({Mode.FACE_TO_FACE, Mode.PHONE, Mode.VIDEO})

    objects = EmployerContactQuerySet.as_manager()

    class Meta:
        ordering = ["-contact_date", "-pk"]
        indexes = [
            models.Index(fields=["staff", "contact_date"]),
            models.Index(fields=["service", "contact_date"]),
            models.Index(fields=["person", "mode", "contact_date"]),
            models.Index(fields=["employer", "contact_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} with {self.employer} on {self.contact_date:%d/%m/%Y}"

    @property
    def is_face_to_face(self) -> bool:
        return self.mode == self.Mode.FACE_TO_FACE


class EmployerSupport(models.Model):
    """A service given to an employer: awareness training or advice on adjustments."""

    class Kind(models.TextChoices):
        AWARENESS_SESSION = "awareness_session", "Mental health awareness session"
        ADJUSTMENT_ADVICE = "adjustment_advice", "Advice on reasonable adjustments"

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="supports")
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    delivered_on = models.DateField()
    attendees = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-delivered_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="awareness_session") | Q(attendees__isnull=False),
                name="awareness_session_has_attendees",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.delivered_on:%d/%m/%Y}"


class AccessToWorkApplication(models.Model):
    """An Access to Work application the service helped a person make (DWP scheme)."""

    class SupportType(models.TextChoices):
        MENTAL_HEALTH_SUPPORT = "mhss", "Mental Health Support Service"
        SUPPORT_WORKER = "support_worker", "Support worker or job coach"
        TRAVEL = "travel", "Travel to work"
        EQUIPMENT = "equipment", "Specialist equipment or adaptations"
        COMMUNICATION = "communication", "Communication support"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        PREPARING = "preparing", "Being prepared"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="access_to_work")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="access_to_work")
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    support_type = models.CharField(max_length=20, choices=SupportType.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREPARING)
    submitted_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    amount_pence = models.PositiveIntegerField("amount awarded (pence)", null=True, blank=True)
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True)
                | (Q(submitted_on__isnull=False) & Q(decided_on__gte=models.F("submitted_on"))),
                name="atw_decided_after_submitted",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "declined"]) | Q(decided_on__isnull=False),
                name="atw_decision_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Access to Work: {self.get_support_type_display()}"
