"""The competitive-job wage rule and the sustainment dates, tested at their boundaries."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipsworks.jobs import rules

D = dt.date


def _check(start, pence, born, **kwargs):
    values = {
        "self_employed": False,
        "apprenticeship": False,
        "open_labour_market": True,
        "reserved_for_disabled": False,
    }
    values.update(kwargs)
    return rules.check_competitive(
        start_date=start, hourly_pay_pence=pence, date_of_birth=born, **values
    )


@pytest.mark.parametrize(
    ("start", "born", "minimum"),
    [
        (D(2026, 4, 1), D(1990, 1, 1), 1271),  # National Living Wage from 1 April 2026
        (D(2026, 3, 31), D(1990, 1, 1), 1221),  # the day before: the 2025 rate
        (D(2025, 4, 1), D(1990, 1, 1), 1221),
        (D(2024, 4, 1), D(2003, 4, 1), 1144),  # 21 on the start date: adult rate since 2024
        (D(2024, 4, 1), D(2003, 4, 2), 860),  # 20 for one more day: 18 to 20 rate
        (D(2023, 4, 1), D(2001, 1, 1), 1018),  # 22 in 2023: the 21 to 22 rate
        (D(2023, 4, 1), D(2000, 1, 1), 1042),  # 23 in 2023: NLW applied from 23
        (D(2020, 4, 1), D(1996, 1, 1), 820),  # 24 in 2020: NLW applied from 25
        (D(2026, 6, 1), D(2009, 1, 1), 800),  # 17: the 16 to 17 rate
    ],
)
def test_minimum_wage_by_age_on_the_start_date(start, born, minimum):
    assert rules.minimum_wage_pence(on=start, date_of_birth=born) == minimum


def test_a_start_on_the_21st_birthday_takes_the_adult_rate():
    born = D(2005, 6, 15)
    assert rules.minimum_wage_pence(on=D(2026, 6, 14), date_of_birth=born) == 1085
    assert rules.minimum_wage_pence(on=D(2026, 6, 15), date_of_birth=born) == 1271


def test_a_penny_under_the_rate_is_not_competitive_and_the_rate_itself_is():
    born = D(1990, 1, 1)
    assert not _check(D(2026, 4, 1), 1270, born).competitive
    assert _check(D(2026, 4, 1), 1271, born).competitive
    assert "under the legal minimum of £12.71" in _check(D(2026, 4, 1), 1270, born).reasons[0]


def test_without_a_date_of_birth_the_adult_rate_is_required():
    assert rules.minimum_wage_pence(on=D(2026, 5, 1), date_of_birth=None) == 1271


def test_self_employment_has_no_minimum_wage():
    check = _check(D(2026, 5, 1), 500, D(1990, 1, 1), self_employed=True)
    assert check.competitive
    assert check.minimum_pence is None


def test_apprentices_start_on_the_apprentice_rate():
    assert _check(D(2026, 5, 1), 800, D(1990, 1, 1), apprenticeship=True).competitive


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [({"open_labour_market": False}, "not open"), ({"reserved_for_disabled": True}, "set aside")],
)
def test_sheltered_or_reserved_jobs_are_not_competitive(kwargs, reason):
    check = _check(D(2026, 5, 1), 2000, D(1990, 1, 1), **kwargs)
    assert not check.competitive
    assert reason in check.reasons[0]


def test_no_rate_is_known_before_april_2020():
    with pytest.raises(rules.NoRateKnown):
        rules.minimum_wage_pence(on=D(2020, 3, 31), date_of_birth=None)


@given(
    st.dates(min_value=D(2020, 4, 1), max_value=D(2030, 12, 31)),
    st.dates(min_value=D(1950, 1, 1), max_value=D(2010, 12, 31)),
    st.integers(min_value=1, max_value=5000),
)
def test_paying_more_never_makes_a_job_less_competitive(start, born, pence):
    lower = _check(start, pence, born).competitive
    higher = _check(start, pence + 1, born).competitive
    assert higher or not lower


@given(
    st.dates(min_value=D(2020, 4, 1), max_value=D(2030, 12, 31)),
    st.dates(min_value=D(1950, 1, 1), max_value=D(2008, 12, 31)),
)
def test_older_workers_never_have_a_lower_minimum(start, born):
    older = born - dt.timedelta(days=365 * 3)
    assert rules.minimum_wage_pence(on=start, date_of_birth=older) >= rules.minimum_wage_pence(
        on=start, date_of_birth=born
    )


def test_the_wage_table_starts_each_period_on_1_april():
    for period in rules.wage_table():
        assert (period.starts_on.month, period.starts_on.day) == (4, 1)


@pytest.mark.parametrize(("weeks", "days"), [(13, 91), (26, 182), (52, 364)])
def test_sustainment_is_held_n_weeks_after_the_start_and_not_on_the_end_date(weeks, days):
    start = D(2026, 1, 5)
    milestone = start + dt.timedelta(days=days)
    far_future = D(2030, 1, 1)
    assert rules.sustained_on(start, weeks) == milestone
    assert rules.is_sustained(start, None, weeks, far_future)
    assert not rules.is_sustained(start, milestone, weeks, far_future)  # ended on the day
    assert rules.is_sustained(start, milestone + dt.timedelta(days=1), weeks, far_future)
    assert not rules.is_sustained(start, None, weeks, milestone - dt.timedelta(days=1))


@given(st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 1, 1)), st.integers(0, 800))
def test_a_job_is_held_from_its_start_up_to_but_not_on_its_end(start, length):
    end = start + dt.timedelta(days=length)
    assert rules.in_work_on(start, end, start) == (length > 0)
    assert not rules.in_work_on(start, end, end)
    assert not rules.in_work_on(start, end, start - dt.timedelta(days=1))


@given(st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 1, 1)))
def test_support_plan_covers_the_first_month_then_monthly(start):
    plan = rules.initial_support_plan(start)
    assert [p.kind for p in plan] == ["first", "weekly", "weekly", "weekly", "weekly", "monthly"]
    assert plan[0].due_on == start + dt.timedelta(days=3)
    assert [p.due_on for p in plan[1:5]] == [start + dt.timedelta(days=7 * w) for w in (1, 2, 3, 4)]
    for planned in plan:
        assert planned.opens_on <= planned.due_on
