"""Contacts with and about a person, and the team meetings employment specialists attend."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from ipsworks.access import scoping
from ipsworks.activity.codes import (
    DIRECT_CONTACT,
    AttendedOrDidNotAttend,
    ConsultationMedium,
    contact_codes,
    is_direct_contact,
)
from ipsworks.organisations.models import Service, StaffMember, Team
from ipsworks.people.models import Person, Referral


class ContactQuerySet(models.QuerySet):
    def visible_to(self, staff: StaffMember) -> "ContactQuerySet":
        """Contacts on people in scope. Clinicians never reach contact notes (see rules)."""
        return self.filter(
            service_id=staff.service_id, person_id__in=Person.objects.visible_to(staff).values("pk")
        )

    def in_services(self, service_ids) -> "ContactQuerySet":
        """Every contact of services already in scope, for aggregates only."""
        return self.filter(service_id__in=service_ids)


class Contact(models.Model):
    """A contact, or an attempt at one, recorded against a referral.

    A *direct* contact is NHS England's (``Der_DirectContact``, metric-definitions.md):
    MHSDS ATTENDED OR DID NOT ATTEND 5 or 6 by CONSULTATION MEDIUM USED 01, 02, 04 or 11.
    Both codes are derived from the answers on the form (:mod:`ipsworks.activity.codes`),
    and ``is_direct`` is that rule stored (a database constraint keeps it so), because
    access, caseloads and the NHS England measures filter on it through an index. Only
    direct contacts give access and count as "last contact" on a caseload.
    """

    class With(models.TextChoices):
        PERSON = "person", "The person"
        FAMILY = "family", "Their family, carer or supporter"
        CLINICAL_TEAM = "clinical_team", "Their clinical team"

    class Mode(models.TextChoices):
        FACE_TO_FACE = "face_to_face", "Face to face"
        VIDEO = "video", "Video call"
        PHONE = "phone", "Phone call"
        TEXT_OR_EMAIL = "text_email", "Text, email or letter"

    class Place(models.TextChoices):
        COMMUNITY = "community", "In the community (for example a café or library)"
        HOME = "home", "At the person's home"
        WORKPLACE = "workplace", "At a workplace"
        OFFICE = "office", "At a clinic or office"
        REMOTE = "remote", "Remote (phone or video from a base)"

    class Outcome(models.TextChoices):
        COMPLETED = "completed", "Took place"
        ATTEMPTED = "attempted", "Tried but could not reach them"
        DID_NOT_ATTEND = "dna", "Did not attend an arranged meeting"

    DIRECT_MODES = frozenset({Mode.FACE_TO_FACE, Mode.VIDEO, Mode.PHONE})
    COMMUNITY_PLACES = frozenset({Place.COMMUNITY, Place.HOME, Place.WORKPLACE})

    # No single-column index on these keys: each leads one of the two-column indexes below,
    # which serve the same look-ups. The extra ones cost every insert and, at a million
    # people, misled PostgreSQL into reading all of a service's contacts to find a quarter.
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+", db_index=False)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="contacts", db_index=False
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="contacts", db_index=False
    )
    staff = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="contacts", db_index=False
    )
    contact_date = models.DateField()
    with_whom = models.CharField(max_length=20, choices=With.choices, default=With.PERSON)
    mode = models.CharField(max_length=20, choices=Mode.choices)
    place = models.CharField(max_length=20, choices=Place.choices, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.COMPLETED)
    duration_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(600)]
    )
    note = models.TextField(blank=True)
    consultation_medium = models.CharField(
        "consultation medium used (MHSDS)",
        max_length=2,
        choices=ConsultationMedium.choices,
        help_text="Set from how the contact happened on save; a finer code that agrees is kept.",
    )
    attended_or_dna = models.CharField(
        "attended or did not attend (MHSDS)",
        max_length=1,
        choices=AttendedOrDidNotAttend.choices,
        blank=True,
        help_text="Blank for activity without the person (family only, clinical team).",
    )
    is_direct = models.BooleanField(
        default=False,
        editable=False,
        help_text="NHS England direct contact: attended (5, 6) by medium 01, 02, 04 or 11.",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["-contact_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True)
                | (Q(duration_minutes__gt=0) & Q(duration_minutes__lte=600)),
                name="contact_duration_positive_and_sensible",
            ),
            models.CheckConstraint(
                condition=(Q(is_direct=True) & DIRECT_CONTACT)
                | (Q(is_direct=False) & ~DIRECT_CONTACT),
                name="contact_is_direct_follows_nhs_england_rule",
            ),
        ]
        indexes = [
            models.Index(fields=["referral", "is_direct", "contact_date"]),
            models.Index(fields=["person", "contact_date"]),
            models.Index(fields=["service", "contact_date"]),
            models.Index(fields=["staff", "contact_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} contact on {self.contact_date:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        self.apply_codes()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "consultation_medium",
                "attended_or_dna",
                "is_direct",
            }
        super().save(*args, **kwargs)

    def full_clean(self, *args, **kwargs):
        self.apply_codes()  # the codes follow the answers, so they are there to validate
        super().full_clean(*args, **kwargs)

    def apply_codes(self) -> None:
        """Set the MHSDS codes from the answers, and ``is_direct`` from the codes."""
        self.consultation_medium, self.attended_or_dna = contact_codes(
            with_whom=self.with_whom,
            mode=self.mode,
            outcome=self.outcome,
            held_medium=self.consultation_medium,
            held_attendance=self.attended_or_dna,
        )
        self.is_direct = self.compute_is_direct()

    def clean(self):
        errors = {}
        spoken = self.mode in self.DIRECT_MODES
        if spoken and self.outcome == self.Outcome.COMPLETED:
            if not self.place:
                errors["place"] = "Select where the contact took place"
            if not self.duration_minutes:
                errors["duration_minutes"] = "Enter how long the contact lasted, in minutes"
        if self.mode == self.Mode.FACE_TO_FACE and self.place == self.Place.REMOTE:
            errors["place"] = "A face-to-face contact cannot be remote: select where you met"
        if self.mode == self.Mode.TEXT_OR_EMAIL and self.place:
            errors["place"] = "Leave the place empty for a text, email or letter"
        if errors:
            raise ValidationError(errors)

    def compute_is_direct(self) -> bool:
        return is_direct_contact(self.consultation_medium, self.attended_or_dna)


class TeamMeetingQuerySet(models.QuerySet):
    def visible_to(self, staff: StaffMember) -> "TeamMeetingQuerySet":
        queryset = self.filter(service_id=staff.service_id)
        condition = scoping.own_team_meetings(staff)
        return queryset if condition is None else queryset.filter(condition)


class TeamMeeting(models.Model):
    """A clinical team meeting an employment specialist attended (integration, fidelity item 5)."""

    class Kind(models.TextChoices):
        MDT = "mdt", "Multidisciplinary team meeting"
        REFERRALS = "referrals", "Referral or allocation meeting"
        CASE_REVIEW = "case_review", "Case review"
        OTHER = "other", "Other team meeting"

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="meetings")
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="team_meetings")
    meeting_date = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MDT)
    people_discussed = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(200)]
    )
    note = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = TeamMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-meeting_date", "-pk"]
        indexes = [models.Index(fields=["staff", "meeting_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.meeting_date:%d/%m/%Y}"
