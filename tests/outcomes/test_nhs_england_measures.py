"""NHS England's IPS dashboard measures for a month and the financial year to date, with
hand-worked figures (nhsengland/MHSDS, IPS Dashboard; issue 17)."""

import datetime as dt

import pytest
from django.urls import reverse

from ipsworks.activity.models import Contact
from ipsworks.outcomes.metrics import nhs_england
from ipsworks.outcomes.periods import Period, month
from tests import factories as f

pytestmark = pytest.mark.django_db

D = dt.date
NOVEMBER = month(D(2026, 11, 1))


def _referral(world, received, *, status="02", closed=None, reason="does_not_want_work"):
    extra = {"status": "closed", "closed_on": closed, "closure_reason": reason} if closed else {}
    return f.ReferralFactory(
        person=f.PersonFactory(service=world.nov),
        team=world.nov_team,
        received_on=received,
        employment_status_at_referral=status,
        **extra,
    )


def _seen(world, referral, on, mode=Contact.Mode.FACE_TO_FACE, **outcome):
    return f.ContactFactory(
        referral=referral, staff=world.es_a, contact_date=on, mode=mode, **outcome
    )


@pytest.fixture
def service(world):
    """A service of its own, so the shared world's referrals stay out of the figures."""
    world.nov = f.ServiceFactory(name="November IPS")
    world.nov_team = f.TeamFactory(service=world.nov, name="November CMHT")
    world.nov_manager = f.StaffFactory(role="manager", service=world.nov)
    return world


@pytest.fixture
def november(service):
    """Six referrals around November 2026 (each described where it is made)."""
    world = service
    # A: carried over from March, in the caseload; seen in November face to face and by video.
    a = _referral(world, D(2026, 3, 20))
    f.EpisodeFactory(referral=a, access_date=D(2026, 3, 25))
    _seen(world, a, D(2026, 3, 25))
    _seen(world, a, D(2026, 11, 3))
    _seen(world, a, D(2026, 11, 20), mode=Contact.Mode.VIDEO)
    # B: new, unemployed at referral, first seen by phone three days later.
    b = _referral(world, D(2026, 11, 2))
    f.EpisodeFactory(referral=b, access_date=D(2026, 11, 5))
    _seen(world, b, D(2026, 11, 5), mode=Contact.Mode.PHONE)
    # C: seen in October, closed on the last day of November in work for 16 to 29 hours.
    c = _referral(
        world, D(2026, 10, 1), status="", closed=D(2026, 11, 30), reason="settled_in_work"
    )
    f.EpisodeFactory(
        referral=c,
        access_date=D(2026, 10, 20),
        employment_status_at_discharge="01",
        weekly_hours_at_discharge="02",
    )
    _seen(world, c, D(2026, 10, 20))
    # D: new, employed at referral; a text and a missed meeting are not direct contacts.
    d = _referral(world, D(2026, 11, 10), status="01")
    _seen(world, d, D(2026, 11, 12), mode=Contact.Mode.TEXT_OR_EMAIL)
    _seen(world, d, D(2026, 11, 13), outcome=Contact.Outcome.DID_NOT_ATTEND)
    # E: never seen, closed in November after 198 days.
    _referral(world, D(2026, 5, 1), closed=D(2026, 11, 15), reason="moved_away")
    # G: closed in October, so not in November's figures at all.
    _referral(world, D(2026, 4, 1), closed=D(2026, 10, 31), reason="moved_away")
    # Another service's referral is never counted.
    elsewhere = f.ReferralFactory(
        person=f.PersonFactory(service=world.other_service), received_on=D(2026, 11, 2)
    )
    _seen(world, elsewhere, D(2026, 11, 4))
    return world


EXPECTED_NOVEMBER = {
    "NewReferrals": 2,  # B, D
    "OpenReferrals": 3,  # A, B, D
    "ClosedReferrals": 2,  # C, E
    "Caseload": 2,  # A, B
    "AccessedFirstTimeEver": 1,  # B
    "AccessedInFinancialYear": 2,  # A (first this year on 3 November), B
    "SeenIn7": 1,
    "SeenIn8To30": 0,
    "SeenInOver30": 0,
    "TotalContacts": 3,
    "TotalContactsF2F": 1,
    "TotalContactsTelephone": 1,
    "TotalContactsVideo": 1,
    "EmployedAtReferral": 1,  # D
    "NotEmployedAtReferral": 1,  # B
    "UnknownEmployedAtReferral": 0,
    "EmployedAtDischarge": 1,  # C
    "NotEmployedAtDischarge": 0,
    "UnknownEmployedAtDischarge": 1,  # E, never seen
    "EmployedAtDischarge30Hours": 0,
    "EmployedAtDischarge16to29Hours": 1,
    "EmployedAtDischarge15OrLess": 0,
    "EmployedAtDischargeHoursMissing": 0,
    "LengthOfReferral0To90": 1,  # C: 60 days
    "LengthOfReferral91To180": 0,
    "LengthOfReferralOver180": 1,  # E: 198 days
    "TimeInCaseload0To90": 1,  # C: 41 days from first contact
    "TimeInCaseload91To180": 0,
    "TimeInCaseloadOver180": 0,
}


def _service_only(world):
    return [world.nov.pk]


def test_a_month_of_measures_by_hand(november):
    measures = nhs_england.month_measures(_service_only(november), NOVEMBER)
    assert measures.values == EXPECTED_NOVEMBER


def test_the_financial_year_adds_months_and_keeps_end_of_month_snapshots(november):
    ids = _service_only(november)
    year = nhs_england.months_of(Period(D(2026, 4, 1), D(2026, 11, 30), ""))
    months = [nhs_england.month_measures(ids, m) for m in year]
    to_date = nhs_england.year_measures(months, year[-1])
    assert to_date.values["NewReferrals"] == 5  # G in April, E in May, C, B, D
    assert to_date.values["ClosedReferrals"] == 3  # G, C, E
    assert to_date.values["AccessedInFinancialYear"] == 3  # C in October, A and B in November
    assert to_date.values["Caseload"] == EXPECTED_NOVEMBER["Caseload"]
    assert to_date.values["OpenReferrals"] == EXPECTED_NOVEMBER["OpenReferrals"]


@pytest.mark.parametrize(
    ("hours", "measure"),
    [
        ("01", "EmployedAtDischarge30Hours"),
        ("02", "EmployedAtDischarge16to29Hours"),
        ("03", "EmployedAtDischarge15OrLess"),
        ("04", "EmployedAtDischarge15OrLess"),
        ("97", "EmployedAtDischargeHoursMissing"),
        ("99", "EmployedAtDischargeHoursMissing"),
    ],
)
def test_employed_at_discharge_by_weekly_hours(service, hours, measure):
    world = service
    # WEEKLY HOURS WORKED 01 is 30 or more, 02 is 16 to 29, 03 is 5 to 15 and 04 is 1 to 4.
    referral = _referral(world, D(2026, 10, 1), closed=D(2026, 11, 30), reason="settled_in_work")
    f.EpisodeFactory(
        referral=referral,
        access_date=D(2026, 10, 2),
        employment_status_at_discharge="01",
        weekly_hours_at_discharge=hours,
    )
    values = nhs_england.month_measures([world.nov.pk], NOVEMBER).values
    hour_measures = [k for k in values if k.startswith("EmployedAtDischarge") and k[19:]]
    assert {k: values[k] for k in hour_measures} == {k: int(k == measure) for k in hour_measures}


def test_the_page_shows_the_month_and_the_year_to_date_to_the_manager_only(november, as_staff):
    url = reverse("nhs_england_measures")
    page = as_staff(november.nov_manager).get(url, {"month": "2026-11-01"}).content.decode()
    assert "NHS England IPS measures: November 2026" in page
    assert "Accessed in the financial year" in page
    caseload = page.split("Caseload at the end")[1].split("</tr>")[0]
    assert ">2</td>" in caseload.replace("\n", "")
    for persona in ("es_a", "clinician", "commissioner", "admin"):
        assert as_staff(getattr(november, persona)).get(url).status_code == 403, persona
    # Another service's manager sees only their own service: none of these referrals.
    theirs = as_staff(november.manager).get(url, {"month": "2026-11-01"}).content.decode()
    row = theirs.split("Caseload at the end")[1].split("</tr>")[0]
    assert ">2</td>" not in row.replace("\n", "")


def test_a_month_reads_the_first_and_last_status_recorded_in_it(service):
    """NHS England takes the month's first MHS004 status as "at referral" and its last as "at
    discharge". A referral received and closed in one month with only the status at
    discharge recorded (asked for when it closed) counts that status both ways; one with
    only the status at referral counts it at discharge too, hours and all."""
    world = service
    only_discharge = _referral(
        world, D(2026, 11, 2), status="", closed=D(2026, 11, 27), reason="settled_in_work"
    )
    f.EpisodeFactory(
        referral=only_discharge,
        access_date=D(2026, 11, 3),
        employment_status_at_discharge="01",
        weekly_hours_at_discharge="01",
    )
    _seen(world, only_discharge, D(2026, 11, 3))
    only_referral = _referral(world, D(2026, 11, 4), status="01", closed=D(2026, 11, 30))
    only_referral.weekly_hours_at_referral = "03"
    only_referral.save()
    # Received in October: its October status is not November's, so at discharge it is unknown.
    earlier = _referral(world, D(2026, 10, 30), status="01", closed=D(2026, 11, 30))
    values = nhs_england.month_measures(_service_only(world), NOVEMBER).values
    assert values["EmployedAtReferral"] == 2  # only_discharge (its one status), only_referral
    assert values["EmployedAtDischarge"] == 2  # only_discharge, only_referral
    assert values["EmployedAtDischarge30Hours"] == 1  # only_discharge
    assert values["EmployedAtDischarge15OrLess"] == 1  # only_referral: 5 to 15 hours
    assert values["UnknownEmployedAtDischarge"] == 1  # earlier
    assert earlier.closed_on == D(2026, 11, 30)


@pytest.mark.parametrize(
    ("hours", "measure"),
    [
        (15, "EmployedAtDischarge15OrLess"),
        (16, "EmployedAtDischarge16to29Hours"),
        (29, "EmployedAtDischarge16to29Hours"),
        (30, "EmployedAtDischarge30Hours"),
    ],
)
def test_hours_in_work_at_discharge_fall_in_the_dashboards_bands(service, hours, measure):
    """15 hours is "15 or less", 16 and 29 are "16 to 29", 30 is "30 or more"."""
    from decimal import Decimal

    from ipsworks.people import services
    from ipsworks.people.codes import WeeklyHoursWorked

    world = service
    referral = _referral(world, D(2026, 10, 1))
    f.EpisodeFactory(referral=referral, access_date=D(2026, 10, 2))
    services.close_referral(
        referral=referral,
        reason="settled_in_work",
        on=D(2026, 11, 30),
        by=world.nov_manager,
        employment_status_at_discharge="01",
        weekly_hours_at_discharge=WeeklyHoursWorked.for_hours(Decimal(hours)),
    )
    values = nhs_england.month_measures([world.nov.pk], NOVEMBER).values
    assert values[measure] == 1
    assert values["EmployedAtDischarge"] == 1
