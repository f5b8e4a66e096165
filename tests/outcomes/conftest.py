"""Every hand-built outcome test also checks the referral facts on the records it built."""

import datetime as dt

import pytest

from ipsworks.outcomes import metrics
from ipsworks.outcomes.periods import Period, financial_year, quarter
from tests.outcomes.facts_check import assert_facts_agree, assert_facts_current

# The quarters and financial years the tests in this folder build their records in.
_PERIODS = [
    quarter(dt.date(2025, 4, 1)),
    quarter(dt.date(2025, 7, 1)),
    quarter(dt.date(2026, 4, 1)),
    financial_year(dt.date(2025, 4, 1)),
    Period(dt.date(2025, 5, 10), dt.date(2025, 5, 10), "one day"),
]


@pytest.fixture(autouse=True)
def facts_agree_with_the_records(request):
    """After each test that built a ``world``: the stored facts equal a fresh computation,
    and ``referral_figures`` equals the single metrics, by service, team and specialist, for
    every quarter and year the tests use (so each boundary case here is a case for both)."""
    if "world" not in request.fixturenames:
        yield
        return
    world = request.getfixturevalue("world")  # set up first, so it is torn down after this
    yield
    service_ids = [world.service.pk, world.other_service.pk]
    assert_facts_current()
    for period in _PERIODS:
        for by in metrics.GROUPINGS:
            assert_facts_agree(service_ids, period, by)
