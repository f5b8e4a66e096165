"""Starting, rating, finishing and versioning reviews; bad input refused with nothing saved."""

import datetime as dt
import json
import shutil
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ipsworks.access.models import AccessLogEntry
from ipsworks.access.roles import Role
from ipsworks.fidelity import scale as scales
from ipsworks.fidelity import services
from ipsworks.fidelity.models import ActionPlanItem, FidelityReview, ItemRating
from tests import factories as f
from tests.fidelity.builders import FY, TODAY, Builder

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def b():
    return Builder()


def _start(b, **overrides):
    kwargs = {
        "service": b.service,
        "period_start": FY.start,
        "period_end": FY.end,
        "kind": "self_assessment",
        "teams": [],
        "reviewers": [],
        "by": b.manager,
        "today": TODAY,
    }
    kwargs.update(overrides)
    return services.start_review(**kwargs)


def _rate_all(review, by, rating=3):
    """Rate every item 3, giving a reason wherever that differs from the proposal."""
    for r in review.ratings.all():
        item = scales.load().item(r.item)
        proposed = item.rating_for_elements(0) if item.is_checklist else r.proposed_rating
        reason = "" if proposed in (None, rating) else "Seen at the review"
        services.rate_item(review=review, item=r.item, final_rating=rating, reason=reason, by=by)


def test_starting_a_review_computes_evidence_and_proposes_ratings(b):
    es = b.es()
    for _ in range(21):
        referral = b.referral(es, received=D(2025, 6, 1), access=D(2025, 6, 2))
        b.contact(referral, FY.end - dt.timedelta(days=3))
    review = _start(b)
    ratings = {r.item: r for r in review.ratings.all()}
    assert len(ratings) == 25
    assert ratings[1].proposed_rating == 4
    assert ratings[1].evidence["value"] == "21.0"
    assert ratings[1].evidence["headline"].startswith("21.0 active people")
    assert ratings[5].proposed_rating is None  # checklist: not assessed yet
    assert ratings[6].proposed_rating is None  # judgement
    assert all(r.final_rating is None for r in ratings.values())
    assert review.status == "draft"
    assert review.version == 1
    assert AccessLogEntry.objects.filter(action="create", object_type="FidelityReview").exists()


def test_a_period_ending_before_it_starts_is_refused_and_nothing_saved(b):
    with pytest.raises(ValidationError) as problem:
        _start(b, period_start=D(2026, 3, 31), period_end=D(2026, 3, 30))
    assert "must be the same as or after its start" in str(problem.value)
    assert FidelityReview.objects.count() == 0


def test_teams_and_reviewers_must_be_allowed(b, world):
    with pytest.raises(ValidationError, match="teams from your own service"):
        _start(b, teams=[world.team_a])
    with pytest.raises(ValidationError, match="reviewers from the list"):
        _start(b, reviewers=[world.es_a])
    assert FidelityReview.objects.count() == 0


@pytest.mark.parametrize("rating", [0, 6, -1, None])
def test_a_rating_outside_1_to_5_is_refused_and_nothing_saved(b, rating):
    review = _start(b)
    with pytest.raises(ValidationError, match="from 1 to 5"):
        services.rate_item(review=review, item=6, final_rating=rating, by=b.manager)
    assert ItemRating.objects.get(review=review, item=6).final_rating is None


def test_a_rating_different_from_the_proposed_one_needs_a_reason(b):
    es = b.es()
    for _ in range(20):
        referral = b.referral(es, received=D(2025, 6, 1), access=D(2025, 6, 2))
        b.contact(referral, FY.end)
    review = _start(b)
    with pytest.raises(ValidationError, match="differs from the proposed rating of 5"):
        services.rate_item(review=review, item=1, final_rating=4, reason="  ", by=b.manager)
    assert ItemRating.objects.get(review=review, item=1).final_rating is None
    saved = services.rate_item(
        review=review, item=1, final_rating=4, reason="Two people wait weeks", by=b.manager
    )
    assert (saved.final_rating, saved.reason) == (4, "Two people wait weeks")
    same = services.rate_item(review=review, item=1, final_rating=5, reason="stale", by=b.manager)
    assert same.reason == ""  # no reason is kept when the rating agrees


def test_the_database_refuses_a_changed_rating_without_a_reason(b):
    review = _start(b)
    rating = ItemRating.objects.get(review=review, item=1)
    rating.proposed_rating, rating.final_rating, rating.reason = 5, 3, ""
    with pytest.raises(IntegrityError), transaction.atomic():
        rating.save()


def test_checklist_ratings_follow_the_elements_ticked(b):
    review = _start(b)
    four = ["weekly_meetings", "shared_decisions", "shared_record", "co_located"]
    saved = services.rate_item(review=review, item=5, final_rating=4, elements=four, by=b.manager)
    assert (saved.proposed_rating, saved.final_rating, saved.elements) == (4, 4, four)
    with pytest.raises(ValidationError, match="differs from the proposed rating of 4"):
        services.rate_item(review=review, item=5, final_rating=5, elements=four, by=b.manager)
    with pytest.raises(ValidationError, match="elements from the list"):
        services.rate_item(
            review=review, item=5, final_rating=1, elements=["made_up"], by=b.manager
        )


@pytest.mark.parametrize(("entered", "proposed"), [("96", 5), ("95.9", 4), ("60", 2), ("59.9", 1)])
def test_time_on_employment_work_is_rated_from_the_figure_entered(b, entered, proposed):
    review = _start(b)
    saved = services.rate_item(
        review=review,
        item=2,
        final_rating=proposed,
        entered_value=Decimal(entered),
        by=b.manager,
    )
    assert saved.proposed_rating == proposed


def test_an_entered_share_over_100_is_refused(b):
    review = _start(b)
    with pytest.raises(ValidationError, match="from 0 to 100"):
        services.rate_item(
            review=review, item=2, final_rating=1, entered_value=Decimal(101), by=b.manager
        )


def test_finishing_needs_every_item_rated(b):
    review = _start(b)
    services.rate_item(review=review, item=6, final_rating=3, by=b.manager)
    with pytest.raises(ValidationError, match="Not rated yet: items 1, 2, 3, 4, 5, 7"):
        services.finish_review(review=review, by=b.manager)
    assert FidelityReview.objects.get(pk=review.pk).status == "draft"


def test_a_finished_review_is_locked_against_every_change(b):
    review = _start(b)
    _rate_all(review, b.manager)
    services.add_action(
        review=review,
        item=1,
        action="Cap caseloads",
        owner="Team leader",
        due_on=TODAY,
        by=b.manager,
    )
    services.finish_review(review=review, by=b.manager)
    review.refresh_from_db()
    assert review.is_locked
    assert review.locked_at is not None
    attempts = [
        lambda: services.rate_item(review=review, item=6, final_rating=5, reason="x", by=b.manager),
        lambda: services.refresh_evidence(review=review, by=b.manager),
        lambda: services.add_action(
            review=review, item=None, action="More", owner="Me", due_on=TODAY, by=b.manager
        ),
        lambda: services.finish_review(review=review, by=b.manager),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="finished and locked"):
            attempt()
    assert ItemRating.objects.get(review=review, item=6).final_rating == 3
    assert review.actions.count() == 1


def test_progress_on_actions_can_be_recorded_after_finishing(b):
    review = _start(b)
    _rate_all(review, b.manager)
    action = services.add_action(
        review=review,
        item=17,
        action="Weekly job development",
        owner="ES team",
        due_on=TODAY,
        by=b.manager,
    )
    services.finish_review(review=review, by=b.manager)
    services.set_action_status(action=action, status="done", by=b.manager)
    assert ActionPlanItem.objects.get(pk=action.pk).status == "done"
    with pytest.raises(ValidationError):
        services.set_action_status(action=action, status="abandoned", by=b.manager)


def test_a_new_version_copies_the_finished_review_and_leaves_it_as_it_was(b):
    review = _start(b)
    _rate_all(review, b.manager)
    services.rate_item(
        review=review, item=6, final_rating=4, notes="Monthly JCP meetings", by=b.manager
    )
    services.add_action(
        review=review, item=6, action="Meet JCP monthly", owner="Lead", due_on=TODAY, by=b.manager
    )
    services.finish_review(review=review, by=b.manager)
    copy = services.new_version(review=review, by=b.manager)
    assert (copy.version, copy.previous_id, copy.status) == (2, review.pk, "draft")
    assert copy.ratings.get(item=6).notes == "Monthly JCP meetings"
    assert copy.actions.get().action == "Meet JCP monthly"
    services.rate_item(review=copy, item=6, final_rating=5, by=b.manager)
    assert ItemRating.objects.get(review=review, item=6).final_rating == 4
    with pytest.raises(ValidationError, match="newer version"):
        services.new_version(review=review, by=b.manager)


def test_a_draft_cannot_be_versioned(b):
    review = _start(b)
    with pytest.raises(ValidationError, match="still in progress"):
        services.new_version(review=review, by=b.manager)


def test_refreshing_evidence_asks_again_for_ratings_that_no_longer_agree(b):
    es = b.es()
    review = _start(b)
    services.rate_item(review=review, item=1, final_rating=5, by=b.manager)  # nothing proposed
    for _ in range(21):
        referral = b.referral(es, received=D(2025, 6, 1), access=D(2025, 6, 2))
        b.contact(referral, FY.end)
    cleared = services.refresh_evidence(review=review, by=b.manager, today=TODAY)
    rating = ItemRating.objects.get(review=review, item=1)
    assert (cleared, rating.proposed_rating, rating.final_rating) == (1, 4, None)


def test_thresholds_come_from_the_scale_file(b, tmp_path, monkeypatch):
    raw = json.loads((scales.SCALES_DIR / "ips25-uk-v1.json").read_text())
    raw["id"] = "ips25-test"
    raw["items"][0]["measure"]["bands"] = [
        {"rating": 5, "at_most": 10},
        {"rating": 4, "above": 10, "at_most": 25},
        {"rating": 3, "above": 25, "at_most": 30},
        {"rating": 2, "above": 30, "at_most": 40},
        {"rating": 1, "above": 40},
    ]
    for path in scales.SCALES_DIR.glob("*.json"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "ips25-test.json").write_text(json.dumps(raw))
    monkeypatch.setattr(scales, "SCALES_DIR", tmp_path)
    scales.load.cache_clear()
    es = b.es()
    for _ in range(12):
        referral = b.referral(es, received=D(2025, 6, 1), access=D(2025, 6, 2))
        b.contact(referral, FY.end)
    try:
        current = _start(b)
        test = _start(b, scale_version="ips25-test")
    finally:
        scales.load.cache_clear()
    assert current.ratings.get(item=1).proposed_rating == 5
    assert test.ratings.get(item=1).proposed_rating == 4


def test_reviewer_choices_are_own_managers_and_reviewers_and_external_reviewers(b, world):
    from ipsworks.access import scoping

    own = f.StaffFactory(role=Role.FIDELITY_REVIEWER, service=b.service)
    external = f.StaffFactory(role=Role.FIDELITY_REVIEWER, service=None)
    elsewhere = f.StaffFactory(role=Role.FIDELITY_REVIEWER, service=world.service)
    choices = set(scoping.fidelity_reviewer_choices(b.manager))
    assert {own, external, b.manager} <= choices
    assert elsewhere not in choices
    assert world.manager not in choices
    assert not scoping.fidelity_reviewer_choices(own).exists()
