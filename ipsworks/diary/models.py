"""The specialist's diary: appointments with a person, an employer, a clinical team meeting
or their own time, the secret-address calendar feed that shows the diary in Outlook, and
tasks (things to do for a person, by a day or whenever).

An appointment is a plan. What happened is recorded from it in one step (``services``):
a person's appointment becomes a contact (or a did-not-attend), an employer's an employer
contact, a team meeting a team meeting; the record it made is linked back, so the diary and
the case notes never disagree about whether it took place.
"""

from django.db import models
from django.db.models import Q

from ipsworks.access.roles import Permission
from ipsworks.access.rules import has_role_permission
from ipsworks.activity.models import Contact, TeamMeeting
from ipsworks.employers.models import Employer, EmployerContact
from ipsworks.organisations.models import Service, StaffMember, Team
from ipsworks.people.models import Person, Referral


class AppointmentQuerySet(models.QuerySet):
    def visible_to(self, staff: StaffMember) -> "AppointmentQuerySet":
        """Appointments whose diary the staff member may open: their own, their team
        colleagues' (to see when they are busy), and, for a manager, every diary in the
        service, as a manager opens any specialist's caseload. Who the appointment is with
        is shown only where the person is in the viewer's own scope (``presenters``)."""
        if staff.service_id is None or not has_role_permission(staff, Permission.KEEP_DIARY):
            return self.none()
        in_service = self.filter(service_id=staff.service_id)
        if has_role_permission(staff, Permission.VIEW_SERVICE_OVERVIEW):
            return in_service
        colleagues = StaffMember.objects.filter(
            service_id=staff.service_id, teams__in=staff.team_ids()
        ).values("pk")
        return in_service.filter(Q(staff_id=staff.pk) | Q(staff_id__in=colleagues))

    def in_diary(self, owner_ids, start, end) -> "AppointmentQuerySet":
        """Those in these diaries that overlap [start, end), earliest first."""
        return self.filter(staff_id__in=owner_ids, starts_at__lt=end, ends_at__gt=start).order_by(
            "starts_at", "pk"
        )


class Appointment(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "With a person on the caseload"
        EMPLOYER = "employer", "With an employer"
        TEAM_MEETING = "team_meeting", "Clinical team meeting"
        OWN_TIME = "own_time", "My own time (admin, training, travel, leave)"

    class Place(models.TextChoices):
        COMMUNITY = "community", "In the community (for example a café or library)"
        HOME = "home", "At the person's home"
        WORKPLACE = "workplace", "At a workplace"
        OFFICE = "office", "At a clinic or office"
        PHONE = "phone", "By phone"
        VIDEO = "video", "By video call"

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        TOOK_PLACE = "took_place", "Took place"
        DID_NOT_ATTEND = "dna", "Did not attend"
        CANCELLED_BY_PERSON = "cancelled_person", "Cancelled by the person or employer"
        CANCELLED_BY_SERVICE = "cancelled_service", "Cancelled by us"

    CANCELLED = frozenset({Status.CANCELLED_BY_PERSON, Status.CANCELLED_BY_SERVICE})
    REMOTE_PLACES = frozenset({Place.PHONE, Place.VIDEO})

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+", db_index=False)
    staff = models.ForeignKey(
        StaffMember,
        on_delete=models.PROTECT,
        related_name="appointments",
        db_index=False,
        help_text="Whose diary it is in.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="appointments",
        null=True,
        blank=True,
        db_index=False,
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="appointments", null=True, blank=True
    )
    employer_purpose = models.CharField(
        max_length=20, choices=EmployerContact.Purpose.choices, blank=True
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="appointments", null=True, blank=True
    )
    title = models.CharField("what it is for", max_length=120, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=20, choices=Place.choices)
    with_whom = models.CharField("who else is coming", max_length=200, blank=True)
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BOOKED)
    # What recording the outcome wrote, so the diary links to it and it is written once.
    contact = models.OneToOneField(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="appointment"
    )
    employer_contact = models.OneToOneField(
        EmployerContact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointment",
    )
    team_meeting = models.OneToOneField(
        TeamMeeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="appointment"
    )
    created_by = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="appointment_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=~Q(kind="person") | Q(person__isnull=False),
                name="appointment_with_a_person_names_them",
            ),
            models.CheckConstraint(
                condition=~Q(kind="employer") | Q(employer__isnull=False),
                name="appointment_with_an_employer_names_it",
            ),
            models.CheckConstraint(
                condition=~Q(kind="team_meeting") | Q(team__isnull=False),
                name="team_meeting_appointment_names_the_team",
            ),
        ]
        indexes = [
            models.Index(fields=["staff", "starts_at"]),
            models.Index(fields=["service", "starts_at"]),
            models.Index(fields=["person", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.starts_at:%H:%M on %d/%m/%Y}"

    @property
    def is_booked(self) -> bool:
        return self.status == self.Status.BOOKED

    @property
    def is_cancelled(self) -> bool:
        return self.status in self.CANCELLED

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class DiaryFeed(models.Model):
    """A specialist's calendar subscription: a secret address, of which only a hash is
    kept (as for API tokens), so a copy of the database cannot read anyone's diary.
    Revoking deletes it; a new one has a new address."""

    staff = models.OneToOneField(StaffMember, on_delete=models.CASCADE, related_name="diary_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_read_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Diary feed of staff member {self.staff_id}"


class TaskQuerySet(models.QuerySet):
    def visible_to(self, staff: StaffMember) -> "TaskQuerySet":
        """Tasks the staff member may read: their own, and, for a manager, every task in
        the service (as a manager reads every caseload). A task outlives a move of the
        person to another team, so whether its person is named is a separate question
        (:meth:`about_people_in_scope`, and ``tasks.presenters``)."""
        if staff.service_id is None or not has_role_permission(staff, Permission.KEEP_DIARY):
            return self.none()
        in_service = self.filter(service_id=staff.service_id)
        if has_role_permission(staff, Permission.VIEW_SERVICE_OVERVIEW):
            return in_service
        return in_service.filter(owner_id=staff.pk)

    def about_people_in_scope(self, staff: StaffMember) -> "TaskQuerySet":
        """Only those about people whose record the staff member may open."""
        return self.filter(person__in=Person.objects.visible_to(staff))

    def open(self) -> "TaskQuerySet":
        return self.filter(done_at__isnull=True)


class Task(models.Model):
    """Something a member of staff has to do for a person, by a day or whenever they can.

    It replaces the referral's single "next action" (``Referral.next_action``, kept for
    the records written before tasks and no longer written): a person may have several,
    each with its owner, and the caseload's "needs attention" and "My tasks" read them.
    Done is a date and who, so a task wrongly ticked off can be reopened and still shows
    that it once was done.
    """

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+", db_index=False)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="tasks", db_index=False
    )
    referral = models.ForeignKey(
        Referral,
        on_delete=models.PROTECT,
        related_name="tasks",
        null=True,
        blank=True,
        help_text="The referral it was set on, when it came from a contact on one.",
    )
    owner = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="tasks", db_index=False
    )
    title = models.CharField("what needs doing", max_length=200)
    due_on = models.DateField("due by", null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_by = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = [models.F("due_on").asc(nulls_last=True), "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_at__isnull=True, done_by__isnull=True)
                | Q(done_at__isnull=False, done_by__isnull=False),
                name="task_done_says_when_and_by_whom",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="task_has_a_title"),
        ]
        indexes = [
            models.Index(fields=["owner", "done_at", "due_on"]),
            models.Index(fields=["person", "done_at", "due_on"]),
            models.Index(fields=["service", "done_at"]),
        ]

    def __str__(self) -> str:
        return f"Task {self.pk}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
