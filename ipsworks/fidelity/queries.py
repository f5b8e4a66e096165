"""Scoped reads of fidelity reviews. Each starts from ``FidelityReview.objects.visible_to``,
so a review outside the staff member's scope is a 404 whether or not it exists."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from ipsworks.fidelity.models import ActionPlanItem, FidelityReview, ItemRating
from ipsworks.organisations.models import StaffMember

HISTORY_REVIEWS = 6


def reviews_for(staff: StaffMember) -> QuerySet[FidelityReview]:
    return (
        FidelityReview.objects.visible_to(staff)
        .select_related("service")
        .prefetch_related("teams")
        .annotate(rated=Count("ratings", filter=Q(ratings__final_rating__isnull=False)))
        .order_by("-period_end", "-version", "-pk")
    )


def review_for(staff: StaffMember, pk: int) -> FidelityReview:
    return get_object_or_404(
        FidelityReview.objects.visible_to(staff)
        .select_related("service", "previous", "created_by__user", "finished_by__user")
        .prefetch_related("teams", "reviewers__user")
        .annotate(has_next=Exists(FidelityReview.objects.filter(previous_id=OuterRef("pk")))),
        pk=pk,
    )


def ratings_of(review: FidelityReview) -> list[ItemRating]:
    return list(review.ratings.order_by("item"))


def rating_of(review: FidelityReview, item: int) -> ItemRating:
    return get_object_or_404(ItemRating.objects.filter(review=review), item=item)


def actions_of(review: FidelityReview) -> list[ActionPlanItem]:
    return list(review.actions.order_by("due_on", "pk"))


def action_for(review: FidelityReview, pk: int) -> ActionPlanItem:
    return get_object_or_404(ActionPlanItem.objects.filter(review=review), pk=pk)


def history_for(staff: StaffMember, review: FidelityReview) -> tuple[list[FidelityReview], dict]:
    """Finished reviews of the same service in the staff member's scope, oldest first (the
    latest finished version of each), and {(review id, item): final rating}."""
    superseded = FidelityReview.objects.filter(
        previous_id=OuterRef("pk"), status=FidelityReview.Status.FINISHED
    )
    finished = (
        FidelityReview.objects.visible_to(staff)
        .filter(service_id=review.service_id, status=FidelityReview.Status.FINISHED)
        .exclude(Exists(superseded))
        .order_by("-period_end", "-version", "-pk")[:HISTORY_REVIEWS]
    )
    reviews = sorted(finished, key=lambda r: (r.period_end, r.version, r.pk))
    ratings = {
        (review_id, item): final
        for review_id, item, final in ItemRating.objects.filter(
            review__in=[r.pk for r in reviews]
        ).values_list("review_id", "item", "final_rating")
    }
    return reviews, ratings
