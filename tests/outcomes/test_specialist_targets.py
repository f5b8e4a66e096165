"""Specialists against the IPS Grow targets, and the equality breakdowns, on hand-built
records with exact expected numbers.

IPS Grow v8 (ips-reference.md §2): "year 1 at least 35 unemployed people (pro-rated...);
year 2 at least 40", "At least 40% start work", "At least 65% of those are still working
beyond 13 weeks". The shares are of the people accessed in the period (the cohort).
"""

import datetime as dt
from decimal import Decimal

import pytest

from ipsworks.outcomes import metrics
from ipsworks.outcomes.periods import Period
from ipsworks.people.models import ReferralTeamMove
from tests import factories as f
from tests.outcomes.test_outcome_metrics import Builder

pytestmark = pytest.mark.django_db

D = dt.date
FY = Period(D(2025, 4, 1), D(2026, 3, 31), "2025-26")  # 365 days
AFTER = D(2026, 6, 1)


@pytest.fixture
def b(world):
    return Builder(world)


def _row(world, staff, today=AFTER, period=FY):
    rows = metrics.specialist_targets([world.service.pk], period, today=today)
    return next(row for row in rows if row.staff == staff)


def test_shares_are_of_the_people_accessed_in_the_period(world, b):
    es = world.es_a
    started = b.referral(received=D(2025, 4, 20), access=D(2025, 5, 1))
    b.job(started, D(2025, 6, 1))  # in work, held 13 weeks
    b.referral(received=D(2025, 4, 20), access=D(2025, 5, 1))  # accessed, no job
    earlier = b.referral(received=D(2025, 1, 20), access=D(2025, 2, 1))
    b.job(earlier, D(2025, 6, 1))  # accessed last year: not in this year's cohort
    in_work = b.referral(received=D(2025, 4, 20), access=D(2025, 5, 1), status="01")
    b.job(in_work, D(2025, 6, 1))  # in work at referral: not counted
    row = _row(world, es)
    assert (row.accesses, row.into_work, row.into_work_rate) == (2, 1, Decimal("50.0"))
    assert (row.sustained, row.could_sustain, row.sustained_rate) == (1, 1, Decimal("100.0"))


def test_a_job_start_needs_91_days_before_the_end_to_count_towards_13_weeks(world, b):
    # FY ends 31 March 2026: 30 December 2025 is 91 days before, 31 December 90 days.
    ninety_one = b.referral(received=D(2025, 4, 20), access=D(2025, 6, 1))
    b.job(ninety_one, D(2025, 12, 30), end=D(2026, 2, 1))  # had the chance, ended early
    ninety = b.referral(received=D(2025, 4, 20), access=D(2025, 6, 1))
    b.job(ninety, D(2025, 12, 31))  # still inside its first 13 weeks: left out
    held = b.referral(received=D(2025, 4, 20), access=D(2025, 6, 1))
    b.job(held, D(2025, 12, 30))  # reaches 13 weeks on the last day
    row = _row(world, world.es_a)
    assert (row.accesses, row.into_work) == (3, 3)
    assert (row.sustained, row.could_sustain, row.sustained_rate) == (1, 2, Decimal("50.0"))


def test_a_running_year_counts_13_weeks_to_today(world, b):
    r = b.referral(received=D(2025, 4, 20), access=D(2025, 5, 1))
    b.job(r, D(2025, 6, 1))
    assert _row(world, world.es_a, today=D(2025, 8, 30)).could_sustain == 0  # 90 days
    assert _row(world, world.es_a, today=D(2025, 8, 31)).could_sustain == 1  # 91 days


def test_a_person_who_moves_team_counts_once_for_their_specialist(world, b):
    r = b.referral(received=D(2025, 4, 1), access=D(2025, 4, 10), team=world.team_a)
    ReferralTeamMove.objects.create(
        referral=r, from_team=world.team_a, to_team=world.team_b, effective_on=D(2025, 5, 1)
    )
    r.team = world.team_b
    r.save()
    b.job(r, D(2025, 6, 1))
    row = _row(world, world.es_a)
    assert (row.accesses, row.into_work, row.sustained, row.could_sustain) == (1, 1, 1, 1)
    assert _row(world, world.es_b).accesses == 0


def test_into_work_never_exceeds_the_people_accessed(world, b):
    for _ in range(4):
        earlier = b.referral(received=D(2025, 1, 2), access=D(2025, 1, 10))
        b.job(earlier, D(2025, 5, 1))
    b.referral(received=D(2025, 4, 2), access=D(2025, 4, 10))
    row = _row(world, world.es_a)
    assert (row.accesses, row.into_work, row.into_work_rate) == (1, 0, Decimal("0.0"))


@pytest.mark.parametrize(
    ("started_on", "left_on", "fte", "target"),
    [
        (None, None, "1.00", 40),  # no start date: 40 for the whole year
        (D(2020, 1, 1), None, "1.00", 40),
        (D(2025, 4, 1), None, "0.50", 18),  # 35 x 0.5 = 17.5, halves up
        (D(2024, 10, 1), None, "1.00", 37),  # 183 days at 35, 182 at 40: 37.49
        (D(2025, 10, 1), None, "1.00", 17),  # in post 182 days, first year: 17.45
        (None, D(2025, 9, 30), "1.00", 20),  # left after 183 days: 20.05
    ],
)
def test_access_target_is_pro_rated_by_fte_and_days_in_post(
    world, started_on, left_on, fte, target
):
    es = world.es_a
    es.started_on, es.left_on, es.fte = started_on, left_on, Decimal(fte)
    es.save()
    row = _row(world, es)
    assert row.access_target == target
    assert row.start_date_known is (started_on is not None)


def test_targets_are_declared_in_the_registry_with_their_source():
    for key in ("specialist_access_target", "specialist_into_work", "specialist_sustained"):
        metric = metrics.REGISTRY[key]
        assert "IPS Grow" in metric.source
    assert "At least 40% start work" in metrics.REGISTRY["specialist_into_work"].definition
    assert "65%" in metrics.REGISTRY["specialist_sustained"].definition


# --- equality of access and job starts ------------------------------------------------------


def test_equality_breakdown_by_age_gender_and_ethnicity_on_the_event_date(world, b):
    Q1 = Period(D(2025, 4, 1), D(2025, 6, 30), "Q1 2025-26")
    young = f.PersonFactory(
        service=world.service,
        date_of_birth=D(2001, 5, 15),  # 23 at access, 24 at the job start
        gender_identity="2",
        ethnic_category="M",
    )
    r = b.referral(received=D(2025, 4, 1), access=D(2025, 4, 10), person=young)
    b.job(r, D(2025, 5, 20))
    older = f.PersonFactory(
        service=world.service,
        date_of_birth=D(2000, 5, 15),  # turns 25 on 15 May
        gender_identity="1",
        ethnic_category="A",
    )
    r = b.referral(received=D(2025, 4, 1), access=D(2025, 5, 14), person=older)
    b.job(r, D(2025, 5, 15))
    b.job(r, D(2025, 7, 1))  # next quarter
    unknown = f.PersonFactory(
        service=world.service, date_of_birth=None, gender_identity="X", ethnic_category="99"
    )
    b.referral(received=D(2025, 4, 1), access=D(2025, 6, 30), person=unknown)

    result = metrics.equality_breakdown([world.service.pk], Q1)
    assert result["age"] == {
        "16 to 24": {"accesses": 2, "job_starts": 1},
        "25 to 34": {"accesses": 0, "job_starts": 1},
        "Not known": {"accesses": 1, "job_starts": 0},
    }
    assert result["gender"] == {
        "Female (including trans woman)": {"accesses": 1, "job_starts": 1},
        "Male (including trans man)": {"accesses": 1, "job_starts": 1},
        "Not known": {"accesses": 1, "job_starts": 0},
    }
    assert result["ethnicity"] == {
        "Black or Black British": {"accesses": 1, "job_starts": 1},
        "White": {"accesses": 1, "job_starts": 1},
        "Not stated or not known": {"accesses": 1, "job_starts": 0},
    }


def test_equality_breakdown_leaves_out_other_services(world, b):
    Q1 = Period(D(2025, 4, 1), D(2025, 6, 30), "Q1 2025-26")
    b.referral(received=D(2025, 4, 1), access=D(2025, 4, 10))
    other = f.ServiceFactory()
    assert metrics.equality_breakdown([other.pk], Q1) == {
        "age": {},
        "gender": {},
        "ethnicity": {},
        "disability": {},
        "sexual_orientation": {},
    }


def test_equality_breakdown_by_disability_and_sexual_orientation(world, b):
    Q1 = Period(D(2025, 4, 1), D(2025, 6, 30), "Q1 2025-26")
    said_yes = f.PersonFactory(service=world.service, disability="Y", sexual_orientation="2")
    r = b.referral(received=D(2025, 4, 1), access=D(2025, 4, 10), person=said_yes)
    b.job(r, D(2025, 5, 20))
    b.job(r, D(2025, 6, 20))  # a second start in the period counts again, as for gender
    said_no = f.PersonFactory(service=world.service, disability="N", sexual_orientation="1")
    r = b.referral(received=D(2025, 4, 1), access=D(2025, 5, 1), person=said_no)
    b.job(r, D(2025, 7, 1))  # next quarter
    declined = f.PersonFactory(service=world.service, disability="Z", sexual_orientation="Z")
    b.referral(received=D(2025, 4, 1), access=D(2025, 6, 1), person=declined)
    never_asked = f.PersonFactory(service=world.service)  # the defaults: not known
    b.referral(received=D(2025, 4, 1), access=D(2025, 6, 2), person=never_asked)
    b.referral(
        received=D(2025, 4, 1),
        access=D(2025, 7, 2),
        person=f.PersonFactory(service=world.service, disability="Y", sexual_orientation="3"),
    )  # accessed next quarter: not counted

    result = metrics.equality_breakdown([world.service.pk], Q1)
    declined_label = "Not stated (person asked but declined to say)"
    assert result["disability"] == {
        "Yes": {"accesses": 1, "job_starts": 2},
        "No": {"accesses": 1, "job_starts": 0},
        declined_label: {"accesses": 1, "job_starts": 0},
        "Not known (not recorded)": {"accesses": 1, "job_starts": 0},
    }
    assert result["sexual_orientation"] == {
        "Gay or lesbian": {"accesses": 1, "job_starts": 2},
        "Heterosexual or straight": {"accesses": 1, "job_starts": 0},
        declined_label: {"accesses": 1, "job_starts": 0},
        "Not known (not recorded)": {"accesses": 1, "job_starts": 0},
    }
