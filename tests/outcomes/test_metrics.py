"""Metrics on small hand-built records with exact expected numbers (metric-definitions.md)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipsworks.outcomes import metrics
from ipsworks.outcomes.periods import Period, financial_year, month, quarter
from ipsworks.outcomes.suppression import (
    PRIMARY,
    SECONDARY,
    suppress_line,
    suppress_table,
    suppressed_rate,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

Q = Period(dt.date(2026, 4, 1), dt.date(2026, 6, 30), "Q1")


def _referral(world, received, **kwargs):
    return f.ReferralFactory(
        person=f.PersonFactory(service=world.service),
        team=world.team_a,
        received_on=received,
        **kwargs,
    )


def test_referrals_received_counts_received_dates_in_the_period_including_re_referrals(world):
    person = f.PersonFactory(service=world.service)
    f.ReferralFactory(
        person=person,
        received_on=dt.date(2026, 4, 1),
        status="closed",
        closed_on=dt.date(2026, 4, 20),
        closure_reason="moved_away",
    )
    f.ReferralFactory(person=person, received_on=dt.date(2026, 6, 30))
    _referral(world, dt.date(2026, 3, 31))
    _referral(world, dt.date(2026, 7, 1))
    assert metrics.referrals_received([world.service.pk], Q) == {world.service.pk: 2}


def test_access_is_counted_in_the_period_of_the_first_direct_contact(world):
    inside = _referral(world, dt.date(2026, 3, 20))
    f.EpisodeFactory(referral=inside, access_date=dt.date(2026, 4, 2))
    before = _referral(world, dt.date(2026, 3, 1))
    f.EpisodeFactory(referral=before, access_date=dt.date(2026, 3, 31))
    assert metrics.accesses([world.service.pk], Q) == {world.service.pk: 1}


def test_waits_fall_into_the_mhs116_bands_at_their_edges(world):
    for wait in (0, 7, 8, 30, 31):
        referral = _referral(world, dt.date(2026, 4, 1))
        f.EpisodeFactory(
            referral=referral, access_date=dt.date(2026, 4, 1) + dt.timedelta(days=wait)
        )
    bands = metrics.wait_to_access([world.service.pk], Q)[world.service.pk]
    assert bands == {"7 days or less": 2, "8 to 30 days": 2, "Over 30 days": 1}


def test_open_caseload_on_a_date_needs_a_direct_contact_and_excludes_closure_that_day(world):
    day = dt.date(2026, 6, 30)
    open_with_contact = _referral(world, dt.date(2026, 5, 1))
    f.ContactFactory(referral=open_with_contact, contact_date=dt.date(2026, 5, 2), staff=world.es_a)
    never_contacted = _referral(world, dt.date(2026, 5, 1))
    only_attempted = _referral(world, dt.date(2026, 5, 1))
    f.ContactFactory(
        referral=only_attempted,
        outcome="attempted",
        mode="phone",
        place="",
        duration_minutes=None,
        staff=world.es_a,
    )
    closed_that_day = _referral(
        world, dt.date(2026, 5, 1), status="closed", closed_on=day, closure_reason="moved_away"
    )
    f.ContactFactory(referral=closed_that_day, contact_date=dt.date(2026, 5, 3), staff=world.es_a)
    closed_after = _referral(
        world,
        dt.date(2026, 5, 1),
        status="closed",
        closed_on=day + dt.timedelta(days=1),
        closure_reason="moved_away",
    )
    f.ContactFactory(referral=closed_after, contact_date=dt.date(2026, 5, 3), staff=world.es_a)
    contact_after_day = _referral(world, dt.date(2026, 5, 1))
    f.ContactFactory(
        referral=contact_after_day, contact_date=day + dt.timedelta(days=1), staff=world.es_a
    )
    assert never_contacted.pk
    assert metrics.open_caseload([world.service.pk], day) == {world.service.pk: 2}


def test_metrics_never_mix_services(world):
    f.ReferralFactory(
        person=f.PersonFactory(service=world.other_service), received_on=dt.date(2026, 4, 5)
    )
    assert metrics.referrals_received([world.service.pk], Q) == {}


def test_every_metric_declares_its_definition_and_source():
    for metric in metrics.REGISTRY.values():
        assert metric.definition
        assert metric.source
        assert metric.period_rule
        assert metric.checked_on <= dt.date.today()


@pytest.mark.parametrize(
    ("day", "fy", "q", "m"),
    [
        (dt.date(2026, 4, 1), "2026-27", "Q1 2026-27", (dt.date(2026, 4, 1), dt.date(2026, 4, 30))),
        (
            dt.date(2027, 3, 31),
            "2026-27",
            "Q4 2026-27",
            (dt.date(2027, 3, 1), dt.date(2027, 3, 31)),
        ),
        (
            dt.date(2026, 12, 31),
            "2026-27",
            "Q3 2026-27",
            (dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
        ),
        (
            dt.date(2028, 2, 29),
            "2027-28",
            "Q4 2027-28",
            (dt.date(2028, 2, 1), dt.date(2028, 2, 29)),
        ),
    ],
)
def test_periods_follow_the_uk_financial_year(day, fy, q, m):
    assert financial_year(day).label == fy
    assert quarter(day).label == q
    assert quarter(day).start <= day <= quarter(day).end
    assert (month(day).start, month(day).end) == m


@given(st.dates(min_value=dt.date(2016, 1, 1), max_value=dt.date(2040, 12, 31)))
def test_quarters_tile_the_financial_year(day):
    q = quarter(day)
    assert q.start <= day <= q.end
    assert 90 <= q.days <= 92
    assert financial_year(q.start) == financial_year(q.end)


def test_small_counts_are_hidden_and_a_lone_hidden_cell_takes_a_partner():
    cells = suppress_line([3, 0, 12, 40])
    assert [c.shown for c in cells] == [PRIMARY, SECONDARY, "10", "40"]


def test_no_secondary_suppression_when_two_cells_are_already_hidden():
    assert [c.shown for c in suppress_line([3, 2, 12])] == [PRIMARY, PRIMARY, "10"]


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, "0"), (4, PRIMARY), (5, "5"), (7, "5"), (8, "10"), (12, "10"), (13, "15"), (1003, "1005")],
)
def test_counts_outside_the_service_are_rounded_to_the_nearest_five(count, shown):
    # NHS England's MHSDS practice below England level: under 5 suppressed, others to
    # the nearest 5 (MHSDS STAGING_CDP_I_IPS.sql, step 5).
    assert suppress_line([count, 50])[0].shown == shown


def test_the_number_published_is_the_rounded_one_and_none_where_suppressed():
    assert [c.published for c in suppress_line([3, 0, 12, 41])] == [None, None, 10, 40]


def test_rates_with_a_hidden_part_are_not_shown():
    assert suppressed_rate(3, 40) == "Not shown"
    assert suppressed_rate(10, 40) == "25%"


@given(
    st.lists(st.lists(st.integers(0, 30), min_size=2, max_size=5), min_size=2, max_size=5).filter(
        lambda rows: len({len(r) for r in rows}) == 1
    )
)
def test_no_row_or_column_is_left_with_exactly_one_hidden_cell(rows):
    grid = suppress_table(rows)
    lines = [list(r) for r in grid] + [list(c) for c in zip(*grid, strict=True)]
    for line in lines:
        hidden = [c for c in line if c.suppressed]
        assert len(hidden) != 1 or len(line) == 1 or all(c.suppressed for c in line)
    for row, cells in zip(rows, grid, strict=True):
        for value, cell in zip(row, cells, strict=True):
            if 1 <= value <= 4:
                assert cell.shown == PRIMARY
