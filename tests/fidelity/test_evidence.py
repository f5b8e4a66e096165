"""Each computed IPS-25 item at its threshold boundaries, on hand-built records.

Ratings come from the scale file (ips25-uk-v1.json); these tests pin the figures IPS Works
computes and the rating the file's bands give them.
"""

import datetime as dt
from decimal import Decimal

import pytest

from ipsworks.outcomes import metrics
from ipsworks.outcomes.periods import Period
from tests.fidelity.builders import FY, TODAY, Builder

pytestmark = pytest.mark.django_db

D = dt.date
END = FY.end


@pytest.fixture
def b():
    return Builder()


# (counted, not counted, figure, rating) on each side of the lower boundaries of a percentage
# item banded 90 / 75 / 50 / 25 (items 12, 16, 23): 75 and just under, 50 and just under, 25
# and just under. Denominators are the smallest that put the figure within 1 of the boundary.
LOWER_PERCENT_BOUNDARIES = [
    (3, 1, "75.0", 4),
    (20, 7, "74.1", 3),
    (1, 1, "50.0", 3),
    (24, 25, "49.0", 2),
    (1, 3, "25.0", 2),
    (6, 19, "24.0", 1),
]


def _active_people(b, es, n, *, team=None, last_contact=END - dt.timedelta(days=5)):
    for _ in range(n):
        referral = b.referral(es, team=team, received=D(2025, 6, 1), access=D(2025, 6, 2))
        b.contact(referral, last_contact)


# --- item 1: caseload size ------------------------------------------------------------------


def test_caseload_of_20_active_per_full_time_specialist_is_rated_5(b):
    es = b.es()
    _active_people(b, es, 20)
    assert b.proposed(1) == (Decimal("20.0"), 5)


def test_caseload_of_21_active_per_full_time_specialist_is_rated_4(b):
    es = b.es()
    _active_people(b, es, 21)
    assert b.proposed(1) == (Decimal("21.0"), 4)


def test_caseload_is_per_full_time_equivalent(b):
    es = b.es(fte="0.50")
    _active_people(b, es, 10)
    assert b.proposed(1) == (Decimal("20.0"), 5)
    _active_people(b, es, 1)
    assert b.proposed(1) == (Decimal("22.0"), 4)


@pytest.mark.parametrize(
    ("active", "rating"), [(25, 4), (26, 3), (30, 3), (31, 2), (40, 2), (41, 1)]
)
def test_caseload_bands_at_each_boundary(b, active, rating):
    es = b.es(fte="1.00")
    _active_people(b, es, active)
    assert b.proposed(1) == (Decimal(active), rating)


def test_active_means_a_direct_contact_in_the_28_days_to_the_period_end(b):
    es = b.es()
    _active_people(b, es, 1, last_contact=END - dt.timedelta(days=28))
    _active_people(b, es, 1, last_contact=END - dt.timedelta(days=29))
    closed = b.referral(es, received=D(2025, 6, 1), access=D(2025, 6, 2), closed=END)
    b.contact(closed, END - dt.timedelta(days=3))
    found = b.evidence(1)
    assert found.value == Decimal("1.0")
    assert dict(found.figures)["Open caseload"] == "2"
    assert [row.counted for row in found.tables[1].rows] == [True]


def test_caseload_counts_only_specialists_in_post_at_the_period_end(b):
    es = b.es()
    b.es(left=END - dt.timedelta(days=1))  # left before the last day: not counted
    _active_people(b, es, 20)
    assert b.proposed(1) == (Decimal("20.0"), 5)


def test_caseload_with_no_specialists_proposes_nothing(b):
    assert b.proposed(1) == (None, None)


# --- item 2: time on employment work (not recorded) -------------------------------------------


def test_time_on_employment_work_is_left_to_the_reviewer(b):
    b.es()
    found = b.evidence(2)
    assert found.value is None
    assert "does not record" in found.notes[0]


# --- item 4: integration via team assignment --------------------------------------------------


def _caseload_from(b, es, team, n):
    for _ in range(n):
        b.referral(es, team=team, received=D(2025, 5, 1), access=D(2025, 5, 2))


def test_90_percent_of_caseload_from_own_teams_is_rated_5(b):
    es = b.es(teams=[b.team_a, b.team_b])
    _caseload_from(b, es, b.team_a, 5)
    _caseload_from(b, es, b.team_b, 4)
    _caseload_from(b, es, b.team_c, 1)
    assert b.proposed(4) == (Decimal("90.0"), 5)


def test_89_percent_of_caseload_from_own_teams_is_rated_4(b):
    es = b.es(teams=[b.team_a])
    _caseload_from(b, es, b.team_a, 8)
    _caseload_from(b, es, b.team_b, 1)
    assert b.proposed(4) == (Decimal("88.9"), 4)


@pytest.mark.parametrize(
    ("own", "other", "value", "rating"),
    # Item 4 has no band for rating 1 (a separate vocational programme is judged, not
    # computed): everything under 50% is rated 2.
    [(o, n, v, max(r, 2)) for o, n, v, r in LOWER_PERCENT_BOUNDARIES],
)
def test_team_assignment_bands_at_each_lower_boundary(b, own, other, value, rating):
    es = b.es(teams=[b.team_a])
    _caseload_from(b, es, b.team_a, own)
    _caseload_from(b, es, b.team_b, other)
    assert b.proposed(4) == (Decimal(value), rating)


def test_a_specialist_attached_to_three_teams_is_not_integrated(b):
    es = b.es(teams=[b.team_a, b.team_b, b.team_c])
    _caseload_from(b, es, b.team_a, 4)
    found = b.evidence(4)
    assert found.value == Decimal("0.0")
    assert b.proposed(4)[1] == 2
    assert dict(found.figures)["Specialists attached to three or more teams"] == "1"


def test_team_assignment_uses_the_team_on_the_last_day(b):
    from ipsworks.people.models import ReferralTeamMove

    es = b.es(teams=[b.team_a])
    referral = b.referral(es, team=b.team_a, received=D(2025, 5, 1), access=D(2025, 5, 2))
    # It moved to team A after the period: on the last day it was in team B.
    ReferralTeamMove.objects.create(
        referral=referral, from_team=b.team_b, to_team=b.team_a, effective_on=D(2026, 5, 1)
    )
    assert b.proposed(4) == (Decimal("0.0"), 2)


# --- item 12: benefits planning before job start -----------------------------------------------


def _starts_with_calculations(b, es, planned, unplanned):
    for i in range(planned + unplanned):
        referral = b.referral(es, received=D(2025, 4, 1), access=D(2025, 4, 2))
        start = D(2025, 9, 1)
        b.job(referral, start, employer=b.employer(f"E{i}"))
        if i < planned:
            b.calculation(referral.person, start)  # on the start date counts
        else:
            b.calculation(referral.person, start + dt.timedelta(days=1))  # after: does not


def test_benefits_planning_before_90_percent_of_starts_is_rated_5(b):
    _starts_with_calculations(b, b.es(), 9, 1)
    assert b.proposed(12) == (Decimal("90.0"), 5)


def test_benefits_planning_before_89_percent_of_starts_is_rated_4(b):
    _starts_with_calculations(b, b.es(), 8, 1)
    assert b.proposed(12) == (Decimal("88.9"), 4)


@pytest.mark.parametrize(("planned", "unplanned", "value", "rating"), LOWER_PERCENT_BOUNDARIES)
def test_benefits_planning_bands_at_each_lower_boundary(b, planned, unplanned, value, rating):
    _starts_with_calculations(b, b.es(), planned, unplanned)
    assert b.proposed(12) == (Decimal(value), rating)


def test_benefits_planning_with_no_job_starts_proposes_nothing(b):
    b.es()
    assert b.proposed(12) == (None, None)


# --- item 15: rapid job search ------------------------------------------------------------------


def _first_employer_contact_after(b, days):
    es = b.es()
    access = D(2025, 6, 2)
    referral = b.referral(es, received=D(2025, 6, 1), access=access)
    b.employer_contact(es, access + dt.timedelta(days=days), person=referral.person)
    b.employer_contact(  # later contacts and phone calls do not change the first
        es, access + dt.timedelta(days=days - 1), person=referral.person, mode="phone"
    )
    return referral


def test_first_employer_contact_at_day_30_is_rated_5(b):
    _first_employer_contact_after(b, 30)
    assert b.proposed(15) == (Decimal("30.0"), 5)


def test_first_employer_contact_at_day_31_is_rated_4(b):
    _first_employer_contact_after(b, 31)
    assert b.proposed(15) == (Decimal("31.0"), 4)


@pytest.mark.parametrize(
    ("days", "rating"), [(60, 4), (61, 3), (150, 3), (151, 2), (270, 2), (271, 1)]
)
def test_rapid_job_search_bands_at_each_boundary(b, days, rating):
    _first_employer_contact_after(b, days)
    assert b.proposed(15) == (Decimal(days), rating)


def test_rapid_job_search_rows_agree_with_the_outcome_metric(b):
    _first_employer_contact_after(b, 10)
    _first_employer_contact_after(b, 41)
    b.referral(b.es(), received=D(2025, 7, 1), access=D(2025, 7, 2))  # none yet
    registry = metrics.days_to_employer_contact([b.service.pk], FY)[b.service.pk]
    found = b.evidence(15)
    assert found.value == registry.mean == Decimal("25.5")
    assert dict(found.figures)["With none yet"] == "1"


def test_rapid_job_search_counts_only_the_reviewed_teams(b):
    es = b.es(teams=[b.team_a, b.team_b])
    for team, days in ((b.team_a, 20), (b.team_b, 200)):
        referral = b.referral(es, team=team, received=D(2025, 6, 1), access=D(2025, 6, 2))
        b.employer_contact(es, D(2025, 6, 2) + dt.timedelta(days=days), person=referral.person)
    assert b.proposed(15, teams=[b.team_a]) == (Decimal("20.0"), 5)
    assert b.proposed(15, teams=[b.team_b]) == (Decimal("200.0"), 2)
    assert b.proposed(15) == (Decimal("110.0"), 3)


# --- item 16: individualised job search --------------------------------------------------------


def _contacts_matching(b, matching, other):
    es = b.es()
    warehouse = b.employer("Depot", sector="logistics")
    cafe = b.employer("Cafe", sector="hospitality")
    for i in range(matching + other):
        referral = b.referral(es, received=D(2025, 4, 1), access=D(2025, 4, 2))
        b.profile(referral.person, D(2025, 4, 10), kinds="Warehouse or delivery work")
        employer = warehouse if i < matching else cafe
        b.employer_contact(es, D(2025, 5, 1), person=referral.person, employer=employer)


def test_90_percent_of_employer_contacts_matching_preferences_is_rated_5(b):
    _contacts_matching(b, 9, 1)
    assert b.proposed(16) == (Decimal("90.0"), 5)


def test_89_percent_of_employer_contacts_matching_preferences_is_rated_4(b):
    _contacts_matching(b, 8, 1)
    assert b.proposed(16) == (Decimal("88.9"), 4)


def test_a_contact_before_the_profile_existed_does_not_match(b):
    es = b.es()
    referral = b.referral(es, received=D(2025, 4, 1), access=D(2025, 4, 2))
    b.profile(referral.person, D(2025, 6, 1), kinds="warehouse")
    b.employer_contact(es, D(2025, 5, 1), person=referral.person, employer=b.employer("Depot"))
    b.employer_contact(es, D(2025, 6, 2), person=referral.person, employer=b.employer("Depot"))
    found = b.evidence(16)
    assert found.value == Decimal("50.0")
    assert [r.cells[3] for r in found.tables[0].rows] == ["No profile yet", "Yes: 'warehouse'"]


def test_in_work_support_visits_are_not_job_search(b):
    es = b.es()
    referral = b.referral(es, received=D(2025, 4, 1), access=D(2025, 4, 2))
    b.employer_contact(es, D(2025, 5, 1), person=referral.person, purpose="in_work_support")
    assert b.proposed(16) == (None, None)


def _job_search(b, matching, other):
    """One person with a warehouse profile; job search for them, half employer contacts and
    half applications on each side of the count."""
    es = b.es()
    referral = b.referral(es, received=D(2025, 4, 1), access=D(2025, 4, 2))
    person = referral.person
    b.profile(person, D(2025, 4, 10), kinds="Warehouse or delivery work")
    warehouse = b.employer("Depot", sector="logistics")
    cafe = b.employer("Cafe", sector="hospitality")
    for i in range(matching):
        if i % 2:
            b.application(es, person, D(2025, 5, 1), fits=True)
        else:
            b.employer_contact(es, D(2025, 5, 1), person=person, employer=warehouse)
    for i in range(other):
        if i % 2:
            b.application(es, person, D(2025, 5, 1), fits=False)
        else:
            b.employer_contact(es, D(2025, 5, 1), person=person, employer=cafe)
    return es, person


@pytest.mark.parametrize(
    ("matching", "other", "value", "rating"),
    [(9, 1, "90.0", 5), (8, 1, "88.9", 4), *LOWER_PERCENT_BOUNDARIES],
)
def test_individualised_search_bands_count_contacts_and_applications(
    b, matching, other, value, rating
):
    _job_search(b, matching, other)
    assert b.proposed(16) == (Decimal(value), rating)


def test_applications_alone_are_job_search_for_item_16(b):
    es = b.es()
    referral = b.referral(es, received=D(2025, 4, 1), access=D(2025, 4, 2))
    b.profile(referral.person, D(2025, 4, 10), kinds="Warehouse or delivery work")
    b.application(es, referral.person, D(2025, 5, 1), fits=True)
    b.application(es, referral.person, D(2025, 5, 2), fits=False)
    b.application(es, referral.person, D(2024, 5, 2), fits=True)  # before the period
    found = b.evidence(16)
    assert found.value == Decimal("50.0")
    figures = dict(found.figures)
    assert figures["Employer contacts for a particular person"] == "0"
    assert figures["Job applications"] == "2"
    assert figures["Of them, fitting the person's preferences"] == "1"
    table = found.tables[1]
    assert table.columns == [
        "Applied",
        "Job",
        "Employer",
        "Kinds of work",
        "Fits their preferences",
    ]
    assert [(r.cells[3], r.cells[4], r.counted) for r in table.rows] == [
        ("Warehouse or delivery work", "Yes", True),
        ("Warehouse or delivery work", "No", False),
    ]
    assert {r.referral_id for r in table.rows} == {referral.pk}


def test_applications_recorded_outside_the_reviewed_specialists_do_not_count(b):
    es = b.es()
    other = b.es(teams=[b.team_b])
    referral = b.referral(es, received=D(2025, 4, 1), access=D(2025, 4, 2))
    b.profile(referral.person, D(2025, 4, 10), kinds="Warehouse or delivery work")
    b.application(es, referral.person, D(2025, 5, 1), fits=True)
    b.application(other, referral.person, D(2025, 5, 2), fits=False)
    assert b.proposed(16, teams=[b.team_a]) == (Decimal("100.0"), 5)
    assert b.proposed(16) == (Decimal("50.0"), 3)


def test_someone_with_no_profile_has_applications_that_do_not_fit(b):
    es = b.es()
    referral = b.referral(es, received=D(2025, 4, 1), access=D(2025, 4, 2))
    b.application(es, referral.person, D(2025, 5, 1), fits=True)
    found = b.evidence(16)
    assert found.value == Decimal("0.0")
    assert found.tables[1].rows[0].cells[3] == "No profile"


# --- item 17: employer contacts per full-time specialist a week ---------------------------------

FOUR_WEEKS = Period(D(2026, 3, 1), D(2026, 3, 28), "Four weeks")


def _employer_contacts(b, es, n, mode="face_to_face"):
    for i in range(n):
        b.employer_contact(es, D(2026, 3, 1) + dt.timedelta(days=i % 28), mode=mode)


def test_six_face_to_face_employer_contacts_a_week_is_rated_5(b):
    _employer_contacts(b, b.es(), 24)
    assert b.proposed(17, period=FOUR_WEEKS) == (Decimal("6.0"), 5)


def test_just_under_six_a_week_is_rated_4(b):
    es = b.es()
    _employer_contacts(b, es, 23)
    _employer_contacts(b, es, 10, mode="phone")  # phone calls do not count
    assert b.proposed(17, period=FOUR_WEEKS) == (Decimal("5.8"), 4)


@pytest.mark.parametrize(
    ("contacts", "rating"), [(20, 4), (19, 3), (16, 3), (15, 2), (8, 2), (7, 1)]
)
def test_employer_contact_bands_at_each_boundary(b, contacts, rating):
    _employer_contacts(b, b.es(), contacts)
    assert b.proposed(17, period=FOUR_WEEKS)[1] == rating


def test_employer_contacts_are_per_full_time_equivalent_week(b):
    _employer_contacts(b, b.es(fte="0.50"), 12)
    assert b.proposed(17, period=FOUR_WEEKS) == (Decimal("6.0"), 5)


# --- items 19 and 20: diversity of job types and employers ---------------------------------------


def _jobs(b, total, repeats, *, vary="type"):
    es = b.es()
    for i in range(total):
        referral = b.referral(es, received=D(2025, 4, 1), access=D(2025, 4, 2))
        n = 0 if i < repeats + 1 else i  # the first of the repeated ones counts as different
        if vary == "type":
            b.job(referral, D(2025, 8, 1), title=f"Role {n}", employer=b.employer(f"E{i}"))
        else:
            b.job(referral, D(2025, 8, 1), employer=b.employer(f"E{n}"))


def test_15_percent_of_jobs_repeating_a_type_is_rated_5(b):
    _jobs(b, 20, 3)
    assert b.proposed(19) == (Decimal("85.0"), 5)


def test_16_percent_of_jobs_repeating_a_type_is_rated_4(b):
    _jobs(b, 25, 4)
    assert b.proposed(19) == (Decimal("84.0"), 4)


def test_15_percent_of_jobs_with_one_employer_already_counted_is_rated_5(b):
    _jobs(b, 20, 3, vary="employer")
    assert b.proposed(20) == (Decimal("85.0"), 5)


def test_16_percent_of_jobs_with_one_employer_already_counted_is_rated_4(b):
    _jobs(b, 25, 4, vary="employer")
    assert b.proposed(20) == (Decimal("84.0"), 4)


@pytest.mark.parametrize(
    ("total", "repeats", "rating"), [(10, 3, 4), (10, 4, 3), (10, 5, 2), (10, 6, 1)]
)
def test_job_type_bands_at_each_boundary(b, total, repeats, rating):
    _jobs(b, total, repeats)
    assert b.proposed(19)[1] == rating


def test_job_types_ignore_capitals_and_spaces_but_not_the_kind_of_work(b):
    es = b.es()
    for title, soc in (
        ("Warehouse Operative", "9"),
        ("warehouse  operative", "9"),
        ("Warehouse operative", "8"),
    ):
        referral = b.referral(es, received=D(2025, 4, 1), access=D(2025, 4, 2))
        b.job(referral, D(2025, 8, 1), title=title, soc=soc)
    assert b.evidence(19).value == Decimal("66.7")


def test_each_self_employment_is_an_employer_of_its_own(b):
    es = b.es()
    for _ in range(2):
        referral = b.referral(es, received=D(2025, 4, 1), access=D(2025, 4, 2))
        b.job(referral, D(2025, 8, 1), self_employed=True)
    assert b.evidence(20).value == Decimal("100.0")


def test_jobs_obtained_leave_out_jobs_before_access_unworked_or_held_at_referral(b):
    es = b.es()
    referral = b.referral(es, received=D(2025, 4, 1), access=D(2025, 5, 1))
    b.job(referral, D(2025, 4, 20))  # before access
    b.job(referral, D(2025, 6, 1), four_hours=False)
    b.job(referral, D(2026, 4, 1))  # after the period
    b.job(referral, D(2025, 6, 2), competitive=False)  # counted for 19 to 21
    assert metrics.jobs_obtained([b.service.pk], FY).count() == 1


# --- item 21: competitive jobs -------------------------------------------------------------------


def _competitive(b, permanent, other):
    es = b.es()
    for i in range(permanent + other):
        referral = b.referral(es, received=D(2025, 4, 1), access=D(2025, 4, 2))
        if i < permanent:
            b.job(referral, D(2025, 8, 1))
        elif i % 2:
            b.job(referral, D(2025, 8, 1), contract="temporary")
        else:
            b.job(referral, D(2025, 8, 1), competitive=False)


def test_95_percent_permanent_competitive_jobs_is_rated_5(b):
    _competitive(b, 19, 1)
    assert b.proposed(21) == (Decimal("95.0"), 5)


def test_94_percent_permanent_competitive_jobs_is_rated_4(b):
    _competitive(b, 47, 3)
    assert b.proposed(21) == (Decimal("94.0"), 4)


@pytest.mark.parametrize(
    ("permanent", "other", "rating"),
    [(17, 3, 4), (16, 4, 3), (15, 5, 3), (14, 6, 2), (13, 7, 2), (12, 8, 1)],
)
def test_competitive_job_bands_at_each_boundary(b, permanent, other, rating):
    _competitive(b, permanent, other)
    assert b.proposed(21)[1] == rating


def test_self_employment_counts_as_permanent(b):
    es = b.es()
    referral = b.referral(es, received=D(2025, 4, 1), access=D(2025, 4, 2))
    b.job(referral, D(2025, 8, 1), self_employed=True)
    b.job(referral, D(2025, 8, 2), contract="apprenticeship")
    assert b.evidence(21).value == Decimal("50.0")


# --- item 23: time-unlimited follow-along --------------------------------------------------------


def _follow_along(b, on_time, late):
    es = b.es()
    for i in range(on_time + late):
        referral = b.referral(es, received=D(2025, 4, 1), access=D(2025, 4, 2))
        job = b.job(referral, D(2025, 8, 1))
        b.check_in(job, D(2025, 8, 4), met=D(2025, 8, 4), kind="first")
        due = D(2025, 9, 1)
        b.check_in(job, due, met=due if i < on_time else due + dt.timedelta(days=1))


def test_90_percent_of_jobs_with_support_on_time_is_rated_5(b):
    _follow_along(b, 9, 1)
    assert b.proposed(23) == (Decimal("90.0"), 5)


def test_89_percent_of_jobs_with_support_on_time_is_rated_4(b):
    _follow_along(b, 8, 1)
    assert b.proposed(23) == (Decimal("88.9"), 4)


@pytest.mark.parametrize(("on_time", "late", "value", "rating"), LOWER_PERCENT_BOUNDARIES)
def test_follow_along_bands_at_each_lower_boundary(b, on_time, late, value, rating):
    _follow_along(b, on_time, late)
    assert b.proposed(23) == (Decimal(value), rating)


def test_check_ins_not_yet_due_or_cancelled_are_not_counted(b):
    es = b.es()
    referral = b.referral(es, received=D(2025, 4, 1), access=D(2025, 4, 2))
    job = b.job(referral, D(2025, 8, 1))
    b.check_in(job, D(2025, 8, 4), met=D(2025, 8, 3))
    b.check_in(job, D(2025, 9, 1), cancelled=True)
    b.check_in(job, TODAY, kind="monthly")  # due today: not late yet
    found = b.evidence(23, period=Period(D(2025, 4, 1), TODAY, "to today"))
    assert found.value == Decimal("100.0")
    assert dict(found.figures)["Check-ins due"] == "1"


# --- item 24: community-based services -----------------------------------------------------------


def _minutes(b, community, office):
    es = b.es()
    referral = b.referral(es, received=D(2025, 4, 1))
    b.contact(referral, D(2025, 5, 1), place="community", minutes=community)
    b.contact(referral, D(2025, 5, 2), place="office", minutes=office)


def test_65_percent_of_time_in_the_community_is_rated_5(b):
    _minutes(b, 65, 35)
    assert b.proposed(24) == (Decimal("65.0"), 5)


def test_64_percent_of_time_in_the_community_is_rated_4(b):
    _minutes(b, 64, 36)
    assert b.proposed(24) == (Decimal("64.0"), 4)


@pytest.mark.parametrize(
    ("community", "rating"), [(50, 4), (49, 3), (40, 3), (39, 2), (30, 2), (29, 1)]
)
def test_community_bands_at_each_lower_boundary(b, community, rating):
    _minutes(b, community, 100 - community)
    assert b.proposed(24) == (Decimal(community), rating)


# --- partial evidence for checklist items -------------------------------------------------------


def test_zero_exclusion_evidence_counts_sources_and_closure_reasons(b):
    es = b.es()
    b.referral(es, source="B1", received=D(2025, 5, 1))
    b.referral(es, source="A1", received=D(2025, 5, 1))
    b.referral(es, received=D(2025, 5, 1), closed=D(2025, 9, 1), reason="does_not_want_work")
    figures = dict(b.evidence(9).figures)
    assert figures["Referrals: Self referral: self"] == "1"
    assert figures["Referrals: Primary health care: general medical practitioner practice"] == "1"
    assert figures["Closed: Does not want, or no longer wants, help with work"] == "1"


def test_assertive_engagement_shows_attempts_before_not_contactable_closures(b, settings):
    settings.IPS_MIN_CONTACT_ATTEMPTS_BEFORE_CLOSURE = 3
    es = b.es()
    enough = b.referral(es, received=D(2025, 5, 1), closed=D(2025, 9, 1), reason="not_contactable")
    for day in (2, 9, 16):
        b.contact(enough, D(2025, 5, day), outcome="attempted")
    b.referral(es, received=D(2025, 5, 1), closed=D(2025, 9, 2), reason="not_contactable")
    found = b.evidence(25)
    figures = dict(found.figures)
    assert figures["Closed as 'could not be contacted'"] == "2"
    assert figures["Of them, with at least 3 attempts recorded"] == "1"
    assert [r.cells[2] for r in found.tables[0].rows] == ["3", "0"]


def test_disclosure_evidence_looks_at_plans_before_the_first_employer_contact(b):
    es = b.es()
    planned = b.referral(es, received=D(2025, 4, 1), access=D(2025, 4, 2))
    b.disclosure(planned.person, D(2025, 4, 20), wording="I have a health condition")
    b.disclosure(planned.person, D(2025, 6, 20))
    b.employer_contact(es, D(2025, 5, 1), person=planned.person)
    late = b.referral(es, received=D(2025, 4, 1), access=D(2025, 4, 2))
    b.employer_contact(es, D(2025, 5, 1), person=late.person)
    b.disclosure(late.person, D(2025, 5, 2))
    figures = dict(b.evidence(13).figures)
    assert figures["A disclosure plan before their first employer contact in the period"] == "1"
    assert figures["Wording planned"] == "1"
    assert figures["Plan revisited (more than one version)"] == "1"


def test_disclosure_is_judged_at_the_first_employer_contact_in_the_period(b):
    es = b.es()
    other = b.es(teams=[b.team_b])  # not a reviewed specialist when the review is team A's
    earlier = b.referral(es, received=D(2023, 1, 1), access=D(2023, 1, 2), closed=D(2024, 1, 1))
    person = earlier.person
    b.employer_contact(es, D(2023, 2, 1), person=person)  # years before the period
    again = b.referral(es, received=D(2025, 3, 1), access=D(2025, 3, 2), person=person)
    b.employer_contact(other, D(2025, 4, 10), person=person)  # in the period, not reviewed
    b.disclosure(person, D(2025, 4, 20))
    b.employer_contact(es, D(2025, 5, 1), person=person)
    found = b.evidence(13, teams=[b.team_a])
    assert [(r.cells[0], r.cells[1], r.referral_id) for r in found.tables[0].rows] == [
        ("1 May 2025", "Yes", again.pk)
    ]
    assert dict(found.figures)["Pros and cons discussed before it"] == "1"


def test_team_meetings_are_counted_per_specialist(b):
    es = b.es()
    for week in range(4):
        b.meeting(es, D(2026, 3, 2) + dt.timedelta(days=7 * week))
    found = b.evidence(5, period=FOUR_WEEKS)
    assert found.headline.startswith("Specialists attended 1.0 clinical team meetings a week")


def test_item_3_shows_which_phases_of_the_work_each_specialists_records_hold(b):
    from ipsworks.people.models import VocationalProfile
    from tests import factories as f
    from tests.fidelity.builders import _stamp

    every, some = b.es(), b.es()
    mine = b.referral(every, received=D(2025, 4, 1), access=D(2025, 4, 2))  # intake, engagement
    profile = f.VocationalProfileFactory(person=mine.person, version=1, recorded_by=every)
    _stamp(VocationalProfile, profile.pk, D(2025, 4, 10))  # assessment
    b.employer_contact(every, D(2025, 5, 1), purpose="learn_needs")  # job placement
    job = b.job(mine, D(2025, 6, 1))
    b.contact(mine, D(2025, 6, 15))  # job coaching: a direct contact while in work
    b.check_in(job, D(2025, 7, 1), met=D(2025, 7, 1))  # follow-along
    theirs = b.referral(some, received=D(2025, 4, 1), access=D(2025, 4, 3))
    # Outside the period: none of it counts for the year.
    b.employer_contact(some, D(2025, 3, 20), purpose="learn_needs")
    b.contact(theirs, D(2026, 4, 2))

    found = b.evidence(3)
    assert found.headline == "1 of 2 specialists have records of all six phases"
    rows = {row.cells[0]: row.cells[1:] for row in found.tables[0].rows}
    assert rows[every.display_name] == ["Yes"] * 6 + ["6 of 6"]
    assert rows[some.display_name] == ["Yes", "Yes", "No", "No", "No", "No", "2 of 6"]
    figures = dict(found.figures)
    intake = "Intake: specialists who recorded the first direct contact of a referral (its access)"
    coaching = "Job coaching: specialists who had direct contacts with people while in a job"
    assert (figures[intake], figures[coaching]) == ("2 of 2", "1 of 2")
    assert b.evidence(3, teams=[b.team_b]).headline == "No employment specialists in the period"
