"""Writes for fidelity reviews: start, rate, refresh evidence, finish (lock), new version,
action plan. Each runs in one transaction with its audit event.

Rules from the IPS-25 fidelity scale and review practice (Supported Employment Fidelity
Review Manual, 4th edition): every item is rated 1 to 5; IPS Works proposes a rating where the
scale lets it (from computed figures, or from the checklist elements in place) and the
reviewer's final rating may differ from it only with a written reason; a finished review is
locked, and a later change is made on a new version that keeps the old one as it was.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ipsworks.access import scoping
from ipsworks.access.audit import record_event
from ipsworks.access.models import AccessLogEntry
from ipsworks.core.dates import local_today
from ipsworks.fidelity import evidence as evidence_module
from ipsworks.fidelity import scale as scales
from ipsworks.fidelity.models import ActionPlanItem, FidelityReview, ItemRating
from ipsworks.organisations.models import Service, StaffMember, Team

_CREATE = AccessLogEntry.Action.CREATE
_CHANGE = AccessLogEntry.Action.CHANGE

LOCKED_MESSAGE = (
    "This review is finished and locked, so it cannot be changed. Make a new version to change it"
)


def _locked_for_update(review: FidelityReview) -> FidelityReview:
    """Re-read the review with a row lock, and refuse if it has been finished meanwhile."""
    current = FidelityReview.objects.select_for_update().get(pk=review.pk)
    if current.is_locked:
        raise ValidationError(LOCKED_MESSAGE, code="locked")
    return current


def check_period(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise ValidationError(
            {"period_end": "The end of the review period must be the same as or after its start"},
            code="period_order",
        )


def _apply_evidence(review: FidelityReview, ratings: list[ItemRating], today: date) -> int:
    """Compute every item's evidence, store it and the proposed ratings. Returns how many
    final ratings had to be cleared because they now differ from the proposal unexplained."""
    scale = scales.load(review.scale_version)
    computed = evidence_module.compute(evidence_module.scope_of(review, today))
    cleared = 0
    for rating in ratings:
        item = scale.item(rating.item)
        found = computed[rating.item]
        rating.evidence = found.snapshot()
        rating.proposed_rating = _proposed(item, found.value, rating)
        if rating.differs and not rating.reason.strip():
            rating.final_rating = None
            cleared += 1
    return cleared


def _proposed(item: scales.Item, value: Decimal | None, rating: ItemRating) -> int | None:
    if item.is_checklist:
        if rating.final_rating is None and not rating.elements:
            return None  # not assessed yet
        return item.rating_for_elements(len(rating.elements))
    if item.measure is not None:
        if item.entered_by_reviewer:
            return item.measure.rating_for(rating.entered_value)
        return item.measure.rating_for(value)
    return None


@transaction.atomic
def start_review(
    *,
    service: Service,
    period_start: date,
    period_end: date,
    kind: str,
    teams: list[Team],
    reviewers: list[StaffMember],
    by: StaffMember,
    scale_version: str = scales.CURRENT_VERSION,
    today: date | None = None,
) -> FidelityReview:
    """Start a draft review, computing the evidence and proposed ratings for all 25 items."""
    check_period(period_start, period_end)
    if service.pk != by.service_id:
        raise ValidationError("You can only review your own service")
    if any(team.service_id != service.pk for team in teams):
        raise ValidationError({"teams": "Choose teams from your own service"})
    allowed = set(scoping.fidelity_reviewer_choices(by).values_list("pk", flat=True))
    if any(reviewer.pk not in allowed for reviewer in reviewers):
        raise ValidationError({"reviewers": "Choose reviewers from the list"})
    if kind not in FidelityReview.Kind.values:
        raise ValidationError({"kind": "Choose the kind of review"})
    scale = scales.load(scale_version)
    review = FidelityReview.objects.create(
        service=service,
        period_start=period_start,
        period_end=period_end,
        kind=kind,
        scale_version=scale.id,
        created_by=by,
        evidence_computed_at=timezone.now(),
    )
    review.teams.set(teams)
    review.reviewers.set(reviewers)
    ratings = [ItemRating(review=review, item=item.number) for item in scale.items]
    _apply_evidence(review, ratings, today or local_today())
    ItemRating.objects.bulk_create(ratings)
    record_event(by=by, action=_CREATE, obj=review)
    return review


@transaction.atomic
def refresh_evidence(*, review: FidelityReview, by: StaffMember, today: date | None = None) -> int:
    """Recompute the evidence of a draft review from the records as they are now."""
    review = _locked_for_update(review)
    ratings = list(review.ratings.all())
    cleared = _apply_evidence(review, ratings, today or local_today())
    ItemRating.objects.bulk_update(ratings, ["evidence", "proposed_rating", "final_rating"])
    review.evidence_computed_at = timezone.now()
    review.save(update_fields=["evidence_computed_at"])
    record_event(by=by, action=_CHANGE, obj=review, reason="evidence refreshed")
    return cleared


@transaction.atomic
def rate_item(
    *,
    review: FidelityReview,
    item: int,
    final_rating: int | None,
    reason: str = "",
    notes: str = "",
    recommendation: str = "",
    elements: list[str] | None = None,
    entered_value: Decimal | None = None,
    by: StaffMember,
) -> ItemRating:
    """Save the reviewer's rating of one item. Refused, with nothing saved, if the review is
    locked, the rating is not 1 to 5, or it differs from the proposed rating with no reason."""
    review = _locked_for_update(review)
    scale = scales.load(review.scale_version)
    if not 1 <= item <= scales.ITEM_COUNT:
        raise ValidationError(f"There is no item {item} on the scale")
    spec = scale.item(item)
    if final_rating is None or final_rating not in scales.RATINGS:
        raise ValidationError(
            {"final_rating": "Select a final rating: a whole number from 1 to 5"}, code="rating"
        )
    rating = ItemRating.objects.select_for_update().get(review=review, item=item)
    if spec.is_checklist:
        chosen = list(elements or [])
        unknown = set(chosen) - set(spec.element_ids())
        if unknown:
            raise ValidationError({"elements": "Choose elements from the list"})
        rating.elements = [e for e in spec.element_ids() if e in chosen]
    if spec.entered_by_reviewer:
        if entered_value is not None and not Decimal(0) <= entered_value <= Decimal(100):
            raise ValidationError({"entered_value": "Enter a percentage from 0 to 100"})
        rating.entered_value = entered_value
    rating.final_rating = final_rating
    rating.proposed_rating = _proposed(spec, _stored_value(rating), rating)
    reason = reason.strip()
    if rating.differs and not reason:
        raise ValidationError(
            {
                "reason": (
                    f"Explain why your rating of {final_rating} differs from the proposed "
                    f"rating of {rating.proposed_rating}"
                )
            },
            code="reason_needed",
        )
    rating.reason = reason if rating.differs else ""
    rating.notes = notes.strip()
    rating.recommendation = recommendation.strip()
    rating.rated_by = by
    rating.full_clean(exclude=["review"])
    rating.save()
    record_event(by=by, action=_CHANGE, obj=review, reason=f"item {item} rated {final_rating}")
    return rating


def _stored_value(rating: ItemRating) -> Decimal | None:
    value = (rating.evidence or {}).get("value")
    return None if value is None else Decimal(value)


@transaction.atomic
def finish_review(*, review: FidelityReview, by: StaffMember) -> FidelityReview:
    """Finish and lock the review once every item has a final rating."""
    review = _locked_for_update(review)
    missing = list(review.ratings.filter(final_rating__isnull=True).values_list("item", flat=True))
    if missing:
        listed = ", ".join(str(n) for n in missing)
        raise ValidationError(
            f"Rate every item before finishing the review. Not rated yet: "
            f"item{'s' if len(missing) > 1 else ''} {listed}",
            code="incomplete",
        )
    review.status = FidelityReview.Status.FINISHED
    review.locked_at = timezone.now()
    review.finished_by = by
    review.save(update_fields=["status", "locked_at", "finished_by"])
    record_event(by=by, action=_CHANGE, obj=review, reason="finished and locked")
    return review


@transaction.atomic
def new_version(*, review: FidelityReview, by: StaffMember) -> FidelityReview:
    """Copy a finished review into a new draft version; the finished one stays as it was."""
    review = FidelityReview.objects.select_for_update().get(pk=review.pk)
    if not review.is_locked:
        raise ValidationError("This review is still in progress: change it directly")
    if FidelityReview.objects.filter(previous=review).exists():
        raise ValidationError("A newer version of this review already exists")
    copy = FidelityReview.objects.create(
        service_id=review.service_id,
        period_start=review.period_start,
        period_end=review.period_end,
        kind=review.kind,
        scale_version=review.scale_version,
        version=review.version + 1,
        previous=review,
        evidence_computed_at=review.evidence_computed_at,
        created_by=by,
    )
    copy.teams.set(review.teams.all())
    copy.reviewers.set(review.reviewers.all())
    ItemRating.objects.bulk_create(
        ItemRating(
            review=copy,
            item=r.item,
            evidence=r.evidence,
            entered_value=r.entered_value,
            elements=r.elements,
            proposed_rating=r.proposed_rating,
            final_rating=r.final_rating,
            reason=r.reason,
            notes=r.notes,
            recommendation=r.recommendation,
            rated_by=r.rated_by,
        )
        for r in review.ratings.all()
    )
    ActionPlanItem.objects.bulk_create(
        ActionPlanItem(
            review=copy,
            item=a.item,
            action=a.action,
            owner=a.owner,
            due_on=a.due_on,
            status=a.status,
        )
        for a in review.actions.all()
    )
    record_event(by=by, action=_CREATE, obj=copy, reason=f"new version of review {review.pk}")
    return copy


@transaction.atomic
def add_action(
    *,
    review: FidelityReview,
    item: int | None,
    action: str,
    owner: str,
    due_on: date,
    by: StaffMember,
) -> ActionPlanItem:
    review = _locked_for_update(review)
    if item is not None and not 1 <= item <= scales.ITEM_COUNT:
        raise ValidationError({"item": "Choose an item from the list"})
    planned = ActionPlanItem(
        review=review, item=item, action=action.strip(), owner=owner.strip(), due_on=due_on
    )
    planned.full_clean()
    planned.save()
    record_event(by=by, action=_CHANGE, obj=review, reason="action added")
    return planned


@transaction.atomic
def set_action_status(*, action: ActionPlanItem, status: str, by: StaffMember) -> ActionPlanItem:
    """Record progress on an action. Allowed after the review is finished: the ratings and
    the actions agreed stay locked, but how far each action has got is what the plan tracks."""
    if status not in ActionPlanItem.Status.values:
        raise ValidationError({"status": "Choose how far the action has got"})
    action = ActionPlanItem.objects.select_for_update().get(pk=action.pk)
    action.status = status
    action.save(update_fields=["status", "updated_at"])
    record_event(by=by, action=_CHANGE, obj=action.review, reason=f"action {action.pk}: {status}")
    return action
