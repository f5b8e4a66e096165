"""NHS England's "people accessing IPS": accessed in the financial year (AccessedInFinancialYear,
CDP_I01), with hand-worked figures (metric-definitions.md; issue 17).

Each referral counts once in every financial year in which it has a direct contact, on the
day of its first direct contact of that year; first-ever access (``accesses``) counts it once.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ipsworks.activity.codes import AttendedOrDidNotAttend, ConsultationMedium
from ipsworks.activity.models import Contact
from ipsworks.outcomes import facts, metrics
from ipsworks.outcomes.metrics.financial_year import financial_year_slices
from ipsworks.outcomes.periods import Period, financial_year, month
from ipsworks.people.models import ClosureReason, ReferralTeamMove
from tests import factories as f

pytestmark = pytest.mark.django_db

D = dt.date
FY_25 = financial_year(D(2025, 4, 1))  # 2025-26
FY_26 = financial_year(D(2026, 4, 1))  # 2026-27


RECEIVED = D(2025, 1, 6)


def _referral(world, received=RECEIVED, person=None, team=None):
    return f.ReferralFactory(
        person=person or f.PersonFactory(service=world.service),
        team=team or world.team_a,
        received_on=received,
    )


def _contact(world, referral, on, **codes):
    return f.ContactFactory(referral=referral, staff=world.es_a, contact_date=on, **codes)


def _fy(world, period, by=metrics.BY_SERVICE):
    return metrics.accessed_in_financial_year([world.service.pk], period, by).get(
        world.service.pk if by == metrics.BY_SERVICE else None, 0
    )


def test_a_referral_carried_over_counts_again_in_the_new_year(world):
    referral = _referral(world)
    for on in (D(2025, 6, 2), D(2025, 9, 1), D(2026, 5, 5), D(2026, 7, 1)):
        _contact(world, referral, on)
    assert _fy(world, FY_25) == 1
    assert _fy(world, FY_26) == 1
    # Counted on its first direct contact of the year: May 2026, not July.
    assert _fy(world, month(D(2026, 5, 1))) == 1
    assert _fy(world, month(D(2026, 7, 1))) == 0


def test_a_contact_on_31_march_and_another_on_1_april_count_in_both_years(world):
    referral = _referral(world)
    _contact(world, referral, D(2026, 3, 31))
    _contact(world, referral, D(2026, 4, 1))
    assert _fy(world, month(D(2026, 3, 1))) == 1
    assert _fy(world, month(D(2026, 4, 1))) == 1
    # A period across the year end counts the referral once in each year it touches.
    assert _fy(world, Period(D(2026, 3, 1), D(2026, 4, 30), "")) == 2


def test_each_referral_of_a_person_counts(world):
    person = f.PersonFactory(service=world.service)
    first = _referral(world, received=D(2026, 4, 1), person=person)
    _contact(world, first, D(2026, 4, 10))
    first.status, first.closed_on = "closed", D(2026, 6, 1)
    first.closure_reason = ClosureReason.DOES_NOT_WANT_WORK
    first.save()
    again = _referral(world, received=D(2026, 8, 1), person=person)
    _contact(world, again, D(2026, 8, 3))
    assert _fy(world, FY_26) == 2


@pytest.mark.parametrize(
    "how",
    [
        {"mode": Contact.Mode.TEXT_OR_EMAIL},
        {"outcome": Contact.Outcome.DID_NOT_ATTEND},
        {"outcome": Contact.Outcome.ATTEMPTED},
        {"with_whom": Contact.With.FAMILY},
        {"with_whom": Contact.With.CLINICAL_TEAM},
        {"mode": Contact.Mode.TEXT_OR_EMAIL, "consultation_medium": ConsultationMedium.EMAIL},
        {
            "mode": Contact.Mode.TEXT_OR_EMAIL,
            "consultation_medium": ConsultationMedium.TEXT_MESSAGE,
        },
        {
            "outcome": Contact.Outcome.DID_NOT_ATTEND,
            "attended_or_dna": AttendedOrDidNotAttend.CANCELLED_BY_PATIENT,
        },
    ],
)
def test_contacts_that_are_not_direct_do_not_count(world, how):
    referral = _referral(world)
    contact = _contact(world, referral, D(2026, 5, 1), **how)
    assert not contact.is_direct
    assert _fy(world, FY_26) == 0


def test_two_direct_contacts_on_the_first_day_count_once(world):
    referral = _referral(world)
    _contact(world, referral, D(2026, 5, 1))
    _contact(world, referral, D(2026, 5, 1), mode=Contact.Mode.PHONE)
    assert _fy(world, FY_26) == 1


def test_the_year_to_date_adds_every_month_since_april(world):
    for on in (D(2026, 4, 2), D(2026, 6, 15), D(2026, 11, 30), D(2026, 12, 1)):
        _contact(world, _referral(world), on)
    november = month(D(2026, 11, 1))
    to_date = metrics.year_to_date(november)
    assert (to_date.start, to_date.end) == (D(2026, 4, 1), D(2026, 11, 30))
    assert _fy(world, november) == 1
    assert _fy(world, to_date) == 3


def test_it_differs_from_first_ever_access_as_nhs_england_says(world):
    # Carried over from 2025-26: first-ever access then, accessed in the year again now.
    carried = _referral(world)
    f.EpisodeFactory(referral=carried, access_date=D(2025, 6, 2))
    _contact(world, carried, D(2025, 6, 2))
    _contact(world, carried, D(2026, 6, 2))
    new = _referral(world, received=D(2026, 5, 1))
    f.EpisodeFactory(referral=new, access_date=D(2026, 5, 4))
    _contact(world, new, D(2026, 5, 4))
    assert metrics.accesses([world.service.pk], FY_26)[world.service.pk] == 1
    assert _fy(world, FY_26) == 2


def test_by_team_the_referral_counts_in_its_team_on_that_day(world):
    referral = _referral(world, team=world.team_a)
    _contact(world, referral, D(2026, 5, 1))
    ReferralTeamMove.objects.create(
        referral=referral, from_team=world.team_a, to_team=world.team_b, effective_on=D(2026, 6, 1)
    )
    referral.team = world.team_b
    referral.save()
    by_team = metrics.accessed_in_financial_year([world.service.pk], FY_26, metrics.BY_TEAM)
    assert by_team == {world.team_a.pk: 1}


def test_by_team_a_move_before_the_first_contact_counts_in_the_new_team(world):
    referral = _referral(world, team=world.team_a)
    ReferralTeamMove.objects.create(
        referral=referral, from_team=world.team_a, to_team=world.team_b, effective_on=D(2026, 4, 20)
    )
    referral.team = world.team_b
    referral.save()
    _contact(world, referral, D(2026, 5, 1))
    by_team = metrics.accessed_in_financial_year([world.service.pk], FY_26, metrics.BY_TEAM)
    assert by_team == {world.team_b.pk: 1}


def test_other_services_are_not_counted(world):
    elsewhere = f.ReferralFactory(person=f.PersonFactory(service=world.other_service))
    _contact(world, elsewhere, D(2026, 5, 1))
    assert metrics.accessed_in_financial_year([world.service.pk], FY_26, "service") == {}


def test_one_query_however_many_financial_years_a_period_touches(world):
    for on in (D(2026, 3, 1), D(2026, 5, 1)):
        _contact(world, _referral(world), on)
    across = Period(D(2025, 4, 1), D(2026, 11, 30), "")
    assert len(financial_year_slices(across)) == 2
    with CaptureQueriesContext(connection) as queries:
        assert metrics.accessed_in_financial_year([world.service.pk], across, "service") == {
            world.service.pk: 2
        }
    assert len(queries) == 1
    quarters = [
        Period(D(2026, 1, 1), D(2026, 3, 31), ""),
        Period(D(2026, 4, 1), D(2026, 6, 30), ""),
    ]
    with CaptureQueriesContext(connection) as queries:
        assert metrics.accessed_in_financial_year_each([world.service.pk], quarters) == [1, 1]
    assert len(queries) == 1


def test_the_kept_first_contacts_follow_every_change_to_the_contacts(world):
    # The rows are a minimum over the contacts (outcomes.facts): an earlier contact, a
    # contact that turns out not to have happened, and a deleted one all move them.
    referral = _referral(world)
    later = _contact(world, referral, D(2026, 6, 1))
    assert _fy(world, month(D(2026, 6, 1))) == 1
    earlier = _contact(world, referral, D(2026, 5, 2))
    assert (_fy(world, month(D(2026, 5, 1))), _fy(world, month(D(2026, 6, 1)))) == (1, 0)
    earlier.outcome = Contact.Outcome.DID_NOT_ATTEND
    earlier.save()
    assert (_fy(world, month(D(2026, 5, 1))), _fy(world, month(D(2026, 6, 1)))) == (0, 1)
    later.delete()
    assert _fy(world, FY_26) == 0
    assert facts.differences([world.service.pk]) == []


def test_the_facts_check_finds_a_first_contact_row_that_is_wrong(world):
    from ipsworks.outcomes.models import ReferralYearAccess

    _contact(world, _referral(world), D(2026, 5, 2))
    ReferralYearAccess.objects.update(first_direct_contact=D(2026, 5, 9))
    assert facts.differences([world.service.pk]) == [
        f"referral {ReferralYearAccess.objects.get().referral_id}, financial year 2026: first "
        "direct contact datetime.date(2026, 5, 9) should be datetime.date(2026, 5, 2)"
    ]
    facts.rebuild([world.service.pk])
    assert facts.differences([world.service.pk]) == []
