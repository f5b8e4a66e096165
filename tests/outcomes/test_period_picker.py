"""The period picker: offered periods, custom dates, and custom dates that are refused."""

import datetime as dt
import re

import pytest
from django.http import QueryDict
from django.urls import reverse

from ipsworks.outcomes import presenters
from ipsworks.outcomes.models import ExportFile
from ipsworks.outcomes.periods import quarter
from tests import factories as f

pytestmark = pytest.mark.django_db

D = dt.date


def _custom(start: D | None, end: D | None, **extra) -> dict:
    data = {"period": "custom", **extra}
    for name, day in (("start", start), ("end", end)):
        if day:
            data |= {
                f"{name}[day]": day.day,
                f"{name}[month]": day.month,
                f"{name}[year]": day.year,
            }
    return data


def _query(data: dict) -> QueryDict:
    q = QueryDict(mutable=True)
    for key, value in data.items():
        q[key] = str(value)
    return q


def test_custom_dates_make_a_period_labelled_with_them():
    chosen = presenters.parse_period(_query(_custom(D(2025, 4, 1), D(2025, 6, 30))), D(2026, 1, 1))
    assert (chosen.period.start, chosen.period.end) == (D(2025, 4, 1), D(2025, 6, 30))
    assert chosen.period.label == "1 April 2025 to 30 June 2025"


def test_nothing_chosen_or_an_old_link_shows_the_current_quarter():
    today = D(2026, 1, 15)
    assert presenters.parse_period(QueryDict(), today).period == quarter(today)
    old = presenters.parse_period(_query({"period": "q:1999-01-01"}), today)
    assert old.period == quarter(today)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_custom(D(2025, 6, 30), D(2025, 4, 1)), "The end date must be the same as or after"),
        (_custom(D(2020, 4, 1), D(2025, 4, 1)), "A custom period can be at most 5 years long"),
        (_custom(None, D(2025, 4, 1)), "Enter the start date of the custom period"),
        (_custom(None, None), "Enter the end date of the custom period"),
        (
            {"period": "custom", "start[day]": "31", "start[month]": "2", "start[year]": "2025"}
            | {"end[day]": "1", "end[month]": "3", "end[year]": "2025"},
            "The start date must be a real date",
        ),
        (
            {"period": "custom", "start[day]": "1", "start[month]": "4"}
            | {"end[day]": "1", "end[month]": "3", "end[year]": "2026"},
            "The start date must include a year",
        ),
    ],
)
def test_bad_custom_dates_are_refused_not_replaced(data, message):
    chosen = presenters.parse_period(_query(data), D(2026, 1, 1))
    assert chosen.period is None
    assert any(message in item["text"] for item in chosen.form.error_list())


def test_a_custom_period_of_five_years_less_a_day_is_allowed():
    chosen = presenters.parse_period(_query(_custom(D(2020, 4, 1), D(2025, 3, 31))), D(2026, 1, 1))
    assert chosen.period is not None
    assert chosen.period.days == 1826


def test_dashboard_shows_a_custom_period_in_its_heading_and_counts_within_it(world, as_staff):
    for on in (D(2025, 5, 1), D(2025, 5, 2), D(2025, 7, 1)):
        referral = f.ReferralFactory(
            person=f.PersonFactory(service=world.service), team=world.team_a, received_on=on
        )
        f.EpisodeFactory(referral=referral, access_date=on)
        f.ContactFactory(referral=referral, staff=world.es_a, contact_date=on)
    response = as_staff(world.manager).get(
        reverse("service_dashboard"), _custom(D(2025, 4, 1), D(2025, 6, 30))
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Outcomes: 1 April 2025 to 30 June 2025" in page
    assert 'value="1"' in page
    assert 'name="start[day]"' in page
    for heading in (r"People accessing IPS \(NHS England[^<]*", "Accessed for the first time"):
        counted = re.search(heading + r"</dt>\s*<dd[^>]*>(\d+)<", page)
        assert counted, heading
        assert counted.group(1) == "2"


def test_dashboard_with_reversed_dates_shows_an_error_summary_and_no_figures(world, as_staff):
    response = as_staff(world.manager).get(
        reverse("service_dashboard"), _custom(D(2025, 6, 30), D(2025, 4, 1))
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The end date must be the same as or after the start date" in page
    assert 'href="#end-day"' in page
    assert "Headline figures" not in page


def test_commissioner_overview_takes_custom_dates(world, as_staff):
    client = as_staff(world.commissioner)
    page = client.get(
        reverse("outcomes_overview"), _custom(D(2025, 1, 1), D(2025, 12, 31))
    ).content.decode()
    assert "Outcomes: 1 January 2025 to 31 December 2025" in page
    refused = client.get(
        reverse("outcomes_overview"), _custom(D(2019, 1, 1), D(2025, 12, 31))
    ).content.decode()
    assert "A custom period can be at most 5 years long" in refused


def test_an_export_can_be_built_for_custom_dates(world, as_staff):
    client = as_staff(world.manager)
    data = _custom(D(2025, 4, 1), D(2025, 9, 30), kind="ips_grow_csv")
    assert client.post(reverse("exports"), data).status_code == 302
    export = ExportFile.objects.get()
    assert (export.period_start, export.period_end) == (D(2025, 4, 1), D(2025, 9, 30))
    assert export.period_label == "1 April 2025 to 30 September 2025"
    bad = client.post(
        reverse("exports"), _custom(D(2025, 9, 30), D(2025, 4, 1), kind="ips_grow_csv")
    )
    assert "The end date must be the same as or after the start date" in bad.content.decode()
    assert ExportFile.objects.count() == 1


def test_outside_the_service_custom_dates_are_whole_months():
    today = D(2026, 12, 7)
    whole = _query(_custom(D(2026, 1, 1), D(2026, 11, 30)))
    assert presenters.parse_period(whole, today, whole_months=True).period is not None
    day_short = _query(_custom(D(2026, 1, 1), D(2026, 11, 29)))
    refused = presenters.parse_period(day_short, today, whole_months=True)
    assert refused.period is None
    assert refused.form.errors["end"] == [
        "Figures shared outside the service end on the last day of a month"
    ]
    # Inside the providing service any days may be chosen.
    assert presenters.parse_period(day_short, today).period is not None


def test_the_commissioner_page_refuses_a_period_that_is_not_whole_months(world, as_staff):
    data = _custom(D(2026, 1, 2), D(2026, 11, 30))
    page = as_staff(world.commissioner).get(reverse("outcomes_overview"), data).content.decode()
    assert "Figures shared outside the service start on the first of a month" in page


def test_a_commissioner_return_needs_whole_months_whoever_asks(world, as_staff):
    data = {"kind": "commissioner_csv", **_custom(D(2026, 1, 1), D(2026, 11, 29))}
    page = as_staff(world.manager).post(reverse("exports"), data).content.decode()
    assert "end on the last day of a month" in page
    client_level = {"kind": "ips_grow_csv", **_custom(D(2026, 1, 1), D(2026, 11, 29))}
    assert as_staff(world.manager).post(reverse("exports"), client_level).status_code == 302
