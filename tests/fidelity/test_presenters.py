"""One item's page of a review, asked of the presenter directly (no request)."""

import datetime as dt

import pytest

from ipsworks.access.roles import Role
from ipsworks.fidelity import presenters, services
from ipsworks.fidelity import scale as scales
from ipsworks.fidelity.models import FidelityReview, ItemRating
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(world):
    return services.start_review(
        service=world.service,
        period_start=dt.date(2025, 4, 1),
        period_end=dt.date(2026, 3, 31),
        kind="self_assessment",
        teams=[world.team_a],
        reviewers=[],
        by=world.manager,
    )


def _page(staff, review, number):
    rating = ItemRating.objects.get(review=review, item=number)
    return presenters.item_page(
        staff, review, scales.load(review.scale_version).item(number), rating
    )


def test_an_unrated_item_starts_from_the_proposal_and_a_rated_one_from_the_rating(world, review):
    proposed = ItemRating.objects.get(review=review, item=1).proposed_rating
    before = _page(world.manager, review, 1)
    services.rate_item(
        review=review,
        item=1,
        final_rating=3,
        reason="Caseloads were high in winter",
        by=world.manager,
    )
    after = _page(world.manager, review, 1)

    assert before.initial["final_rating"] == proposed
    assert after.initial["final_rating"] == 3
    assert after.initial["reason"] == "Caseloads were high in winter"
    assert after.item.number == 1
    assert after.last_item == scales.ITEM_COUNT
    # Item 1 is computed: five ratings, highest first, each with what earns it.
    assert [r["value"] for r in after.radio_items] == ["5", "4", "3", "2", "1"]
    assert [rating for rating, _band, _anchor in after.bands] == [5, 4, 3, 2, 1]


def test_only_staff_who_score_may_change_an_item_and_nobody_once_the_review_is_finished(
    world, review
):
    reviewer = f.StaffFactory(role=Role.FIDELITY_REVIEWER, service=None)
    assert _page(world.manager, review, 1).can_score
    assert _page(reviewer, review, 1).can_score
    assert not _page(world.es_a, review, 1).can_score
    review.status = FidelityReview.Status.FINISHED  # as finish_review leaves it, unsaved
    assert not _page(world.manager, review, 1).can_score
