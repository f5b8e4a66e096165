"""People referred to IPS, their referrals and episodes, profiles, disclosure and action plans."""

from django.db import models
from django.db.models import Q

from ipsworks.access import scoping
from ipsworks.core.formatting import uk_date
from ipsworks.core.models import AppendOnlyModel
from ipsworks.core.validators import validate_nhs_number
from ipsworks.organisations.models import Service, StaffMember, Team
from ipsworks.people.codes import (
    Disability,
    EmploymentStatus,
    EthnicCategory,
    GenderIdentity,
    ReligionOrBelief,
    SexualOrientation,
    SourceOfReferral,
    WeeklyHoursWorked,
)


class PersonQuerySet(models.QuerySet):
    def visible_to(self, staff: StaffMember) -> "PersonQuerySet":
        """People whose record this staff member may see: an allocated referral in scope."""
        return self._with(staff, scoping.record_condition(staff))

    def referred_to(self, staff: StaffMember) -> "PersonQuerySet":
        """People with a referral in scope, record open or not: the referrals list's people.

        Of those outside :meth:`visible_to`, show only their referrals in scope.
        """
        return self._with(staff, scoping.referral_condition(staff))

    def _with(self, staff: StaffMember, condition: Q | None) -> "PersonQuerySet":
        queryset = self.filter(service_id=staff.service_id)
        if condition is None:
            return queryset
        visible = Referral.objects.filter(condition, person_id=models.OuterRef("pk"))
        return queryset.filter(models.Exists(visible))


class Person(models.Model):
    """Someone referred to an IPS service. One row per person per service."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="people")
    nhs_number = models.CharField(
        "NHS number", max_length=10, null=True, blank=True, validators=[validate_nhs_number]
    )
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    contact_preferences = models.CharField(
        "how and when to get in touch", max_length=300, blank=True
    )
    gender_identity = models.CharField(
        max_length=1, choices=GenderIdentity.choices, default=GenderIdentity.NOT_KNOWN
    )
    ethnic_category = models.CharField(
        max_length=2, choices=EthnicCategory.choices, default=EthnicCategory.NOT_KNOWN
    )
    sexual_orientation = models.CharField(
        max_length=1, choices=SexualOrientation.choices, default=SexualOrientation.NOT_KNOWN
    )
    disability = models.CharField(
        "disability or long-term condition",
        max_length=1,
        choices=Disability.choices,
        default=Disability.NOT_KNOWN,
    )
    religion_or_belief = models.CharField(
        max_length=10, choices=ReligionOrBelief.choices, default=ReligionOrBelief.NOT_KNOWN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    anonymised_on = models.DateField(
        null=True, blank=True, editable=False, help_text="Set by the retention job."
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "nhs_number"],
                condition=Q(nhs_number__isnull=False),
                name="person_nhs_number_unique_in_service",
            )
        ]
        indexes = [models.Index(fields=["service", "family_name", "given_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class PersonChange(AppendOnlyModel):
    """One corrected field of a person's details, with the value before and after.

    Rectification (UK GDPR article 16) goes through the normal pages; this keeps the history.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="changes")
    field = models.CharField(max_length=50)
    old_value = models.CharField(max_length=300, blank=True)
    new_value = models.CharField(max_length=300, blank=True)
    changed_by = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="+", null=True
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["person", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.field} changed"


class ReferralStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    ACCEPTED = "accepted", "Accepted"
    FIRST_CONTACT = "first_contact", "In contact"
    CLOSED = "closed", "Closed"


class ClosureReason(models.TextChoices):
    """The only reasons zero exclusion allows a referral to close (IPS fidelity item 9)."""

    DOES_NOT_WANT_WORK = "does_not_want_work", "Does not want, or no longer wants, help with work"
    NOT_CONTACTABLE = "not_contactable", "Could not be contacted after documented attempts"
    NOT_IN_SECONDARY_MH = "not_in_secondary_mh", "Not in secondary mental health services"
    MOVED_AWAY = "moved_away", "Moved out of the area"
    DIED = "died", "Died"
    # Support that ended well: the person is working and has said they no longer need us.
    # Until this existed such a closure could only be recorded as "does not want help".
    SETTLED_IN_WORK = "settled_in_work", "Settled in work and no longer needs support"


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, staff: StaffMember) -> "ReferralQuerySet":
        """Referrals this staff member may see (ipsworks.access.scoping)."""
        queryset = self.filter(service_id=staff.service_id)
        condition = scoping.referral_condition(staff)
        return queryset if condition is None else queryset.filter(condition)

    def open(self) -> "ReferralQuerySet":
        """Referrals not closed (received, accepted or in progress)."""
        return self.exclude(status=ReferralStatus.CLOSED)

    def in_services(self, service_ids) -> "ReferralQuerySet":
        """All referrals of services already established as in scope, for aggregates only.

        Called with ids from ``scoping.services_for_aggregates``; what leaves the caller is
        counts, never rows.
        """
        return self.filter(service_id__in=service_ids)


class Referral(models.Model):
    """A referral to the IPS service. Re-referral after closure is a new row.

    ``status``, ``closed_on`` and ``closure_reason`` are a cache of the latest
    :class:`ReferralStatusChange`, written only by ``people.services`` in the same
    transaction as the history row, so lists can filter on them with an index.
    """

    #: SOURCE OF REFERRAL FOR MENTAL HEALTH, the MHSDS code list (``people.codes``).
    Source = SourceOfReferral

    class Pathway(models.TextChoices):
        JOB_SEEKING = "job_seeking", "Looking for work"
        JOB_RETENTION = "job_retention", "Job retention (in work but off sick or at risk)"

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="referrals",
        null=True,
        blank=True,
        help_text="The person's clinical team, when known.",
    )
    source = models.CharField(
        "source of referral (MHSDS SourceOfReferralMH)", max_length=2, choices=Source.choices
    )
    referrer_name = models.CharField(max_length=200, blank=True)
    referred_by = models.ForeignKey(
        StaffMember,
        on_delete=models.PROTECT,
        related_name="referrals_made",
        null=True,
        blank=True,
    )
    received_on = models.DateField()
    pathway = models.CharField(max_length=20, choices=Pathway.choices, default=Pathway.JOB_SEEKING)
    employment_status_at_referral = models.CharField(
        max_length=2,
        choices=EmploymentStatus.choices,
        blank=True,
        default="",
        help_text="Blank: not recorded yet. ZZ means they were asked and declined to say.",
    )
    weekly_hours_at_referral = models.CharField(
        max_length=2, choices=WeeklyHoursWorked.choices, default=WeeklyHoursWorked.NOT_KNOWN
    )
    work_interests = models.TextField("what work interests them", blank=True)
    allocated_to = models.ForeignKey(
        StaffMember,
        on_delete=models.PROTECT,
        related_name="caseload",
        null=True,
        blank=True,
    )
    status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.RECEIVED
    )
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=30, choices=ClosureReason.choices, blank=True)
    is_new = models.BooleanField(
        default=True, help_text="Not yet looked at by the service (self-referrals especially)."
    )
    next_action = models.CharField(max_length=200, blank=True)
    next_action_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("received_on")),
                name="referral_closes_after_received",
            ),
            models.CheckConstraint(
                condition=(Q(status="closed") & Q(closed_on__isnull=False) & ~Q(closure_reason=""))
                | (~Q(status="closed") & Q(closed_on__isnull=True) & Q(closure_reason="")),
                name="referral_closed_has_date_and_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["service", "status", "received_on"]),
            models.Index(fields=["allocated_to", "status"]),
            models.Index(fields=["team", "status"]),
            models.Index(fields=["person", "received_on"]),
            models.Index(fields=["service", "received_on"]),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk} received {self.received_on:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.status != ReferralStatus.CLOSED

    @property
    def is_job_retention(self) -> bool:
        return self.pathway == self.Pathway.JOB_RETENTION


class ReferralStatusChange(AppendOnlyModel):
    """One move of a referral through its statuses: who, when, and why. Never changed."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="status_changes")
    status = models.CharField(max_length=20, choices=ReferralStatus.choices)
    effective_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=30, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        indexes = [models.Index(fields=["referral", "recorded_at"])]


class SelfReferralRepeat(AppendOnlyModel):
    """The public self-referral form sent again while the person's referral was still open.

    No second referral is made (``public.services.submit_self_referral``), but what they
    wrote this time is kept here, so the service reads it, not only the first message.
    """

    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="self_referral_repeats"
    )
    received_at = models.DateTimeField(auto_now_add=True)
    work_interests = models.TextField("what they wrote about the work they want", blank=True)

    class Meta:
        ordering = ["received_at", "pk"]
        indexes = [models.Index(fields=["referral", "received_at"])]

    def __str__(self) -> str:
        return f"Self-referral sent again for referral {self.referral_id}"


class ReferralTeamMove(AppendOnlyModel):
    """A referral moving from one clinical team to another (the person changed team).

    Only moves are stored: a referral's team on a date is the ``from_team`` of the first move
    after that date, or its current team if it has not moved since. Outcome breakdowns by
    team use the team on the date of the event (access, job start), so a move does not
    rewrite history.
    """

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="team_moves")
    from_team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    to_team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    effective_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["effective_on", "pk"]
        indexes = [models.Index(fields=["referral", "effective_on"])]

    def __str__(self) -> str:
        return f"Team move on {self.effective_on:%d/%m/%Y}"


class EpisodeQuerySet(models.QuerySet):
    def visible_to(self, staff: StaffMember) -> "EpisodeQuerySet":
        return self.filter(referral__in=Referral.objects.visible_to(staff))

    def in_services(self, service_ids) -> "EpisodeQuerySet":
        """Every episode of services already in scope, for aggregates only."""
        return self.filter(service_id__in=service_ids)


class Episode(models.Model):
    """A period of IPS support. It starts at access: the first direct contact after referral.

    The access date is derived from the contacts (NHS England MHS116), never typed.
    Discharge is the referral's closure; the episode keeps the employment status at
    discharge that MHSDS table MHS004 reports.
    """

    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="episode")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="episodes")
    access_date = models.DateField()
    employment_status_at_discharge = models.CharField(
        max_length=2, choices=EmploymentStatus.choices, blank=True
    )
    weekly_hours_at_discharge = models.CharField(
        max_length=2, choices=WeeklyHoursWorked.choices, blank=True
    )

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["service", "access_date"]),
            models.Index(fields=["person", "access_date"]),
        ]

    def __str__(self) -> str:
        return f"Episode from {self.access_date:%d/%m/%Y}"


class TimeOfDay(models.TextChoices):
    EARLY_MORNING = "early_morning", "Early morning (before 8am)"
    MORNING = "morning", "Morning (8am to midday)"
    AFTERNOON = "afternoon", "Afternoon (midday to 5pm)"
    EVENING = "evening", "Evening (5pm to 10pm)"
    NIGHT = "night", "Night (after 10pm)"
    WEEKEND = "weekend", "Weekends"


class VocationalProfile(AppendOnlyModel):
    """One version of a person's vocational profile. Each change is a new version.

    IPS builds the profile over several meetings and updates it after every job
    (fidelity item 14), so earlier versions are kept to show how it changed.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="profiles")
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="profiles", null=True, blank=True
    )
    version = models.PositiveIntegerField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    change_reason = models.CharField("why it changed", max_length=200, blank=True)

    work_history = models.TextField(blank=True)
    education_and_training = models.TextField(blank=True)
    skills_and_strengths = models.TextField(blank=True)
    kinds_of_work = models.TextField("kinds of work they want", blank=True)
    jobs_not_to_repeat = models.TextField("past jobs they do not want to repeat", blank=True)
    hours_min = models.PositiveSmallIntegerField("fewest hours a week", null=True, blank=True)
    hours_max = models.PositiveSmallIntegerField("most hours a week", null=True, blank=True)
    unsuitable_times = models.JSONField("times of day that do not suit", default=list, blank=True)
    unsuitable_times_reason = models.CharField(max_length=300, blank=True)
    travel_max_miles = models.PositiveSmallIntegerField(
        "furthest they will travel, in miles", null=True, blank=True
    )
    places = models.CharField("places or areas they would like to work", max_length=300, blank=True)
    goals = models.TextField(blank=True)

    class Meta:
        ordering = ["person", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["person", "version"], name="profile_version_unique"),
            models.CheckConstraint(
                condition=Q(hours_min__isnull=True)
                | Q(hours_max__isnull=True)
                | Q(hours_min__lte=models.F("hours_max")),
                name="profile_hours_min_not_above_max",
            ),
            models.CheckConstraint(
                condition=Q(hours_max__isnull=True) | Q(hours_max__lte=100),
                name="profile_hours_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        return f"Vocational profile version {self.version}"

    def unsuitable_time_labels(self) -> list[str]:
        return [TimeOfDay(value).label for value in self.unsuitable_times if value in TimeOfDay]


class DisclosurePlan(AppendOnlyModel):
    """One version of the person's plan for telling employers about their mental health.

    IPS fidelity item 13: disclosure is never required; the pros and cons are discussed
    before any employer contact; the wording is planned; the plan is revisited.
    """

    class Decision(models.TextChoices):
        UNDECIDED = "undecided", "Not decided yet"
        FULL = "full", "Tell the employer"
        PARTIAL = "partial", "Tell some people only (for example the manager)"
        NONE = "none", "Do not tell the employer"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="disclosure_plans")
    version = models.PositiveIntegerField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    change_reason = models.CharField("why it changed", max_length=200, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    who_to_tell = models.CharField(max_length=300, blank=True)
    what_to_say = models.TextField("the words they want to use", blank=True)
    employer_contact_allowed = models.BooleanField(
        "the employment specialist may speak to employers for them", default=False
    )
    pros_and_cons_discussed = models.BooleanField(default=False)
    review_on = models.DateField("review the plan by", null=True, blank=True)

    class Meta:
        ordering = ["person", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["person", "version"], name="disclosure_version_unique")
        ]

    def __str__(self) -> str:
        return f"Disclosure plan version {self.version}"


class ActionPlan(AppendOnlyModel):
    """One version of the person's employment action plan. Each change is a new version.

    The IPS vocational action plan (IPS Grow, "the employment plan"; fidelity item 14 asks
    for one that is individualised and updated): the person's goals in their own words,
    the steps towards them with who takes each one and by when, agreed with the person and
    given to them. Reviewed as work goes on, so earlier versions are kept as they were,
    each with its own steps (:class:`ActionStep`).
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="action_plans")
    version = models.PositiveIntegerField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    change_reason = models.CharField("why it changed", max_length=200, blank=True)
    goals = models.TextField("goals, in the person's words")
    review_on = models.DateField("review the plan by", null=True, blank=True)

    class Meta:
        ordering = ["person", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["person", "version"], name="action_plan_version_unique")
        ]

    def __str__(self) -> str:
        return f"Employment action plan version {self.version}"

    @property
    def steps_in_words(self) -> str:
        """Every step on one line each, as the history page compares versions (reads the
        steps prefetched with the plan)."""
        return "\n".join(step.in_words() for step in self.steps.all())


class ActionStep(AppendOnlyModel):
    """One step of one version of an action plan: what, who takes it, by when, and whether
    it is done. A new version of the plan has steps of its own, so ticking one off never
    changes what an earlier version said."""

    class Owner(models.TextChoices):
        PERSON = "person", "The person"
        SPECIALIST = "specialist", "Employment specialist"
        CLINICAL_TEAM = "clinical_team", "Clinical team"
        FAMILY = "family", "Family, carer or supporter"
        OTHER = "other", "Someone else"

    plan = models.ForeignKey(ActionPlan, on_delete=models.PROTECT, related_name="steps")
    position = models.PositiveSmallIntegerField()
    text = models.CharField("the step", max_length=300)
    owner = models.CharField("who does it", max_length=20, choices=Owner.choices)
    due_on = models.DateField("by when", null=True, blank=True)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="action_step_position_unique")
        ]

    def __str__(self) -> str:
        return self.text

    def in_words(self) -> str:
        due = f", by {uk_date(self.due_on)}" if self.due_on else ""
        done = " (done)" if self.done else ""
        return f"{self.text}: {self.get_owner_display()}{due}{done}"
