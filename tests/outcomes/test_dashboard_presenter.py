"""The service dashboard's figures, asked of the presenter directly (no request, no cache)."""

import datetime as dt

import pytest

from ipsworks.outcomes import presenters
from ipsworks.outcomes.periods import financial_year, quarter
from tests import factories as f

pytestmark = pytest.mark.django_db


def _accessed(world, *, service, team, on):
    referral = f.ReferralFactory(
        person=f.PersonFactory(service=service), team=team, allocated_to=world.es_a, received_on=on
    )
    f.EpisodeFactory(referral=referral, access_date=on)
    f.ContactFactory(referral=referral, staff=world.es_a, contact_date=on)
    return referral


def test_the_dashboard_counts_the_managers_own_service_by_team_and_specialist(world, today):
    period = quarter(today)
    for _ in range(3):
        _accessed(world, service=world.service, team=world.team_a, on=period.start)
    _accessed(world, service=world.other_service, team=world.team_x, on=period.start)

    page = presenters.service_dashboard(world.manager, period, today)

    assert page.f.accesses == 3
    by_team = dict(page.by_team)
    assert by_team[world.team_a.name].accesses == 3
    assert world.team_x.name not in by_team
    assert dict(page.by_specialist)[world.es_a.display_name].accesses == 3
    assert page.accessed_fytd == 3
    assert page.year == financial_year(today)
    assert [m.id for m in page.definitions] == list(presenters.DASHBOARD_DEFINED)
    assert page.context()["f"] is page.f


def test_an_empty_service_shows_zeroes_and_no_rates(world):
    today = dt.date(2026, 5, 1)

    page = presenters.service_dashboard(world.manager, quarter(today), today)

    assert page.f.accesses == 0
    assert page.retention == (0, 0, None)
    assert page.employer_contacts[0] == 0  # the specialists worked weeks but met no employer
    assert page.community is None
    assert page.days is None
    assert page.by_team == []
