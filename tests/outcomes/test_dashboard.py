import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ipsworks.core import page_cache
from ipsworks.outcomes import presenters
from ipsworks.outcomes.periods import quarter
from tests import factories as f

pytestmark = pytest.mark.django_db


def _accessed(world, service=None, team=None, on=None):
    service = service or world.service
    on = on or dt.date.today()
    referral = f.ReferralFactory(person=f.PersonFactory(service=service), team=team, received_on=on)
    f.EpisodeFactory(referral=referral, access_date=on)
    # The direct contact the access date comes from: NHS England's financial-year measure
    # is counted from the contacts.
    f.ContactFactory(referral=referral, staff=world.es_a, contact_date=on)
    return referral


def test_manager_dashboard_shows_the_services_figures_for_the_chosen_period(world, as_staff, today):
    for _ in range(3):
        _accessed(world, team=world.team_a)
    _accessed(world, service=world.other_service)
    page = as_staff(world.manager).get(reverse("service_dashboard")).content.decode()
    assert "People accessing IPS (NHS England: accessed in the financial year)" in page
    assert "Accessed for the first time" in page
    assert world.team_a.name in page
    assert "The last 8 quarters" in page
    assert "<svg" in page
    last_year = quarter(today - dt.timedelta(days=365))
    older = as_staff(world.manager).get(
        reverse("service_dashboard"), {"period": f"q:{last_year.start.isoformat()}"}
    )
    assert last_year.label in older.content.decode()


def test_an_unknown_period_falls_back_to_the_current_quarter(world, as_staff, today):
    page = (
        as_staff(world.manager)
        .get(reverse("service_dashboard"), {"period": "q:1999-01-01"})
        .content.decode()
    )
    assert quarter(today).label in page


def test_dashboard_query_count_does_not_grow_with_the_data(world, as_staff):
    client = as_staff(world.manager)
    url = reverse("service_dashboard")
    client.get(url)
    page_cache.moved_on(None)  # the page as drawn, not as kept (ADR 0009)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(15):
        _accessed(world, team=world.team_b)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_commissioner_table_suppresses_small_counts_with_a_partner_in_the_column(
    world, as_staff, today
):
    big = f.ServiceFactory(name="Big IPS")
    small = f.ServiceFactory(name="Small IPS")
    world.commissioner.commissioned_services.set([big, small])
    for _ in range(12):
        _accessed(world, service=big)
    for _ in range(2):
        _accessed(world, service=small)
    rows, total = presenters.commissioner_table([big, small], quarter(today))
    accesses = presenters.COMMISSIONER_COLUMNS.index(("accessed_fy", "People accessing IPS"))
    assert [r.cells[accesses].shown for r in rows] == ["*", "<5"]
    assert total.cells[accesses].shown == "15"  # 14, rounded to the nearest 5
    page = as_staff(world.commissioner).get(reverse("outcomes_overview")).content.decode()
    assert "&lt;5" in page
    assert "Big IPS" in page
    assert world.service.name not in page
