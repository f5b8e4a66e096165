"""Fidelity reviews on the IPS-25 scale: item ratings with their evidence, and action plans.

A review rates a service (or some of its clinical teams) over a period against one version
of the scale (``fidelity/scales/``). Each of the 25 items gets an :class:`ItemRating` holding
the evidence IPS Works computed (a snapshot, so a finished review keeps the figures it was
scored on), the proposed rating, and the reviewer's final rating, which may differ only with
a written reason. A finished review is locked; a later change is made on a new version,
which copies it (``services.new_version``).
"""

from django.db import models
from django.db.models import F, Q

from ipsworks.access import scoping
from ipsworks.organisations.models import Service, StaffMember, Team


class FidelityReviewQuerySet(models.QuerySet):
    def visible_to(self, staff: StaffMember) -> "FidelityReviewQuerySet":
        """The reviews this staff member may open (ipsworks.access.scoping)."""
        return self.filter(scoping.fidelity_review_condition(staff))


class FidelityReview(models.Model):
    class Kind(models.TextChoices):
        SELF_ASSESSMENT = "self_assessment", "Self-assessment by the team leader"
        EXTERNAL = "external", "External review"

    class Status(models.TextChoices):
        DRAFT = "draft", "In progress"
        FINISHED = "finished", "Finished"

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    teams = models.ManyToManyField(
        Team,
        blank=True,
        related_name="+",
        help_text="The clinical teams reviewed; none means the whole service.",
    )
    period_start = models.DateField()
    period_end = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reviewers = models.ManyToManyField(StaffMember, blank=True, related_name="fidelity_reviews")
    scale_version = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        help_text="The finished version this one was made from.",
    )
    evidence_computed_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FidelityReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "-version", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="fidelity_review_period_ends_after_start",
            ),
            models.CheckConstraint(
                condition=(Q(status="finished") & Q(locked_at__isnull=False))
                | (Q(status="draft") & Q(locked_at__isnull=True)),
                name="fidelity_review_finished_is_locked",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="fidelity_review_version_from_1"
            ),
        ]
        indexes = [models.Index(fields=["service", "period_end"])]

    def __str__(self) -> str:
        return (
            f"Fidelity review {self.period_start:%d/%m/%Y} to {self.period_end:%d/%m/%Y} "
            f"(version {self.version})"
        )

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.FINISHED

    @property
    def reference(self) -> str:
        return f"FR-{self.service_id}-{self.pk}-v{self.version}"


class ItemRating(models.Model):
    """One item of a review: the evidence, the proposed rating and the final rating."""

    review = models.ForeignKey(FidelityReview, on_delete=models.CASCADE, related_name="ratings")
    item = models.PositiveSmallIntegerField()
    evidence = models.JSONField(
        default=dict, blank=True, help_text="The figures as computed, kept as they were."
    )
    entered_value = models.DecimalField(
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="A figure the reviewer enters where IPS Works holds no data (item 2).",
    )
    elements = models.JSONField(
        default=list, blank=True, help_text="Ids of the checklist elements found in place."
    )
    proposed_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    final_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.TextField("why the final rating differs from the proposed one", blank=True)
    notes = models.TextField(blank=True)
    recommendation = models.TextField(blank=True)
    rated_by = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["review", "item"]
        constraints = [
            models.UniqueConstraint(fields=["review", "item"], name="one_rating_per_item"),
            models.CheckConstraint(
                condition=Q(item__gte=1) & Q(item__lte=25), name="fidelity_item_1_to_25"
            ),
            models.CheckConstraint(
                condition=Q(proposed_rating__isnull=True)
                | (Q(proposed_rating__gte=1) & Q(proposed_rating__lte=5)),
                name="fidelity_proposed_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(final_rating__isnull=True)
                | (Q(final_rating__gte=1) & Q(final_rating__lte=5)),
                name="fidelity_final_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(final_rating__isnull=True)
                | Q(proposed_rating__isnull=True)
                | Q(final_rating=F("proposed_rating"))
                | ~Q(reason=""),
                name="fidelity_changed_rating_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Item {self.item}"

    @property
    def differs(self) -> bool:
        return (
            self.final_rating is not None
            and self.proposed_rating is not None
            and self.final_rating != self.proposed_rating
        )


class ActionPlanItem(models.Model):
    """One action agreed from a review: what, for which item, who, by when, how far along."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    review = models.ForeignKey(FidelityReview, on_delete=models.CASCADE, related_name="actions")
    item = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The scale item the action is for; blank for general."
    )
    action = models.TextField()
    owner = models.CharField(max_length=200)
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(item__isnull=True) | (Q(item__gte=1) & Q(item__lte=25)),
                name="fidelity_action_item_1_to_25",
            )
        ]

    def __str__(self) -> str:
        return self.action[:60]
