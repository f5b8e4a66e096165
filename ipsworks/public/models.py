"""A service's public page settings and the enquiries employers send through it."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ipsworks.employers.models import Employer, EmployerContactPerson
from ipsworks.organisations.models import Service, StaffMember


class PublicPage(models.Model):
    """What the public page of one service says, and where its submissions are sent.

    A service without a row, or with ``is_enabled`` off, has no public page (404). Blank
    text fields fall back to the standard wording in :mod:`ipsworks.public.content`.
    """

    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="public_page")
    is_enabled = models.BooleanField("public page switched on", default=False)
    about_text = models.TextField("what IPS is and who it is for", blank=True)
    next_steps_text = models.TextField("what happens after someone gets in touch", blank=True)
    contact_text = models.TextField("how to contact the service", blank=True)
    about_text_cy = models.TextField("what IPS is and who it is for, in Welsh", blank=True)
    next_steps_text_cy = models.TextField("what happens next, in Welsh", blank=True)
    contact_text_cy = models.TextField("how to contact the service, in Welsh", blank=True)
    reply_within_days = models.PositiveSmallIntegerField(
        "working days to first reply",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    contact_phone = models.CharField(max_length=20, blank=True)
    contact_email = models.EmailField(blank=True)
    duty_inbox_email = models.EmailField(
        blank=True, help_text="Told when a self-referral or employer enquiry arrives."
    )
    welsh_enabled = models.BooleanField("Welsh switched on", default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            # A page that takes referrals must tell someone when one arrives.
            models.CheckConstraint(
                condition=Q(is_enabled=False) | ~Q(duty_inbox_email=""),
                name="public_page_enabled_has_duty_inbox",
            ),
            models.CheckConstraint(
                condition=Q(reply_within_days__gte=1) & Q(reply_within_days__lte=20),
                name="public_page_reply_within_1_to_20_days",
            ),
        ]

    def __str__(self) -> str:
        return f"Public page of {self.service}"

    def clean(self) -> None:
        if self.is_enabled and not self.duty_inbox_email:
            raise ValidationError(
                {"duty_inbox_email": "Enter the duty inbox email address before switching on"}
            )
        if self.is_enabled and not (self.contact_phone or self.contact_email):
            raise ValidationError(
                {"contact_phone": "Enter a phone number or email address the public can use"}
            )


class Interest(models.TextChoices):
    """What an employer asks the service about (IPS employer engagement)."""

    # Labels are shown on the public form, so they are translated.
    RECRUITING = "recruiting", _("Recruiting new staff")
    SUPPORTING_EMPLOYEE = "supporting_employee", _("Supporting someone who works for you")
    AWARENESS_TRAINING = "awareness_training", _("Mental health awareness training for your staff")
    ACCESS_TO_WORK = "access_to_work", _("Access to Work")
    REASONABLE_ADJUSTMENTS = "reasonable_adjustments", _("Reasonable adjustments at work")
    OTHER = "other", _("Something else")


class EmployerEnquiry(models.Model):
    """An employer's request for help, sent through the public page. Someone must answer it."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="enquiries")
    contact_person = models.ForeignKey(
        EmployerContactPerson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enquiries",
    )
    contact_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    interests = models.JSONField(default=list, help_text="Keys of Interest.")
    message = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField("what was done", blank=True)

    class Meta:
        ordering = ["received_at", "pk"]
        verbose_name_plural = "employer enquiries"
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, answered_by__isnull=True)
                | Q(answered_at__isnull=False, answered_by__isnull=False),
                name="enquiry_answered_has_who_and_when",
            ),
            models.CheckConstraint(
                condition=~Q(phone="") | ~Q(email=""),
                name="enquiry_has_phone_or_email",
            ),
        ]
        indexes = [models.Index(fields=["service", "answered_at", "received_at"])]

    def __str__(self) -> str:
        return f"Enquiry from {self.employer} received {self.received_at:%d/%m/%Y}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    def interest_labels(self) -> list[str]:
        known = dict(Interest.choices)
        return [str(known[key]) for key in self.interests if key in known]

    def clean(self) -> None:
        known = set(Interest.values)
        if not self.interests or not set(self.interests) <= known:
            raise ValidationError({"interests": "Select what the employer is interested in"})


class DutyInboxNotice(models.Model):
    """One email owed to a service's duty inbox, and whether it went: the guard that stops
    a task enqueued again after its worker died (operations/reaper.py) sending it twice.

    Made in the transaction that records the submission, so an email is owed for every
    submission saved and for no submission rolled back. It holds no personal details.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.kind} notice made {self.created_at:%d/%m/%Y %H:%M}"
