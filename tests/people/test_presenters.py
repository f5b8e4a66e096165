"""The closing form's starting point, asked of the presenter directly (no request)."""

from decimal import Decimal

import pytest

from ipsworks.people import presenters
from ipsworks.people.codes import EmploymentStatus, WeeklyHoursWorked
from ipsworks.people.models import Referral
from ipsworks.people.rules import EXCLUDED_REASONS
from tests import factories as f

pytestmark = pytest.mark.django_db


def _fresh(referral) -> Referral:
    return Referral.objects.get(pk=referral.pk)  # with or without its episode, as loaded


def test_someone_seen_and_working_is_offered_employed_at_their_hours_band(world):
    f.EpisodeFactory(referral=world.referral_a)

    page = presenters.close_referral_page(_fresh(world.referral_a), hours_now=Decimal("15.5"))

    assert page.has_episode
    assert page.initial == {
        "employment_status_at_discharge": EmploymentStatus.EMPLOYED,
        "weekly_hours_at_discharge": WeeklyHoursWorked.HOURS_5_15,
    }
    assert page.excluded == EXCLUDED_REASONS


def test_nothing_is_offered_without_a_job_or_without_an_episode(world):
    f.EpisodeFactory(referral=world.referral_a)

    seen_not_working = presenters.close_referral_page(_fresh(world.referral_a), hours_now=None)
    never_seen = presenters.close_referral_page(_fresh(world.referral_b), hours_now=Decimal(30))

    assert seen_not_working.has_episode
    assert seen_not_working.initial == {}
    assert not never_seen.has_episode
    assert never_seen.initial == {}
