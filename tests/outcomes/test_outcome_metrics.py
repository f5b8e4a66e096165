"""Every outcome metric on small hand-built records, with exact expected numbers.

Covers the cases metric-definitions.md settles: a job spanning a period boundary, a
re-referral, two jobs for one person, a job starting before access, a person who moves team.
"""

import datetime as dt
from decimal import Decimal

import pytest

from ipsworks.outcomes import metrics
from ipsworks.outcomes.periods import Period
from ipsworks.people.models import ReferralTeamMove
from tests import factories as f

pytestmark = pytest.mark.django_db

D = dt.date
Q1 = Period(D(2025, 4, 1), D(2025, 6, 30), "Q1 2025-26")
Q2 = Period(D(2025, 7, 1), D(2025, 9, 30), "Q2 2025-26")
FY = Period(D(2025, 4, 1), D(2026, 3, 31), "2025-26")


class Builder:
    def __init__(self, world):
        self.w = world
        self.employer = f.EmployerFactory(service=world.service)

    def referral(
        self,
        *,
        received,
        access=None,
        team=None,
        es=None,
        person=None,
        status="02",
        pathway="job_seeking",
        closed=None,
    ):
        person = person or f.PersonFactory(service=self.w.service, date_of_birth=D(1990, 1, 1))
        kwargs = {}
        if closed:
            kwargs = {"status": "closed", "closed_on": closed, "closure_reason": "moved_away"}
        referral = f.ReferralFactory(
            person=person,
            team=team or self.w.team_a,
            allocated_to=es or self.w.es_a,
            received_on=received,
            employment_status_at_referral=status,
            pathway=pathway,
            **kwargs,
        )
        if access:
            f.EpisodeFactory(referral=referral, access_date=access)
            f.ContactFactory(referral=referral, staff=referral.allocated_to, contact_date=access)
        return referral

    def job(
        self, referral, start, end=None, *, competitive=True, four_hours=True, held=False, hours=20
    ):
        from ipsworks.jobs.models import Job

        return Job.objects.create(
            service=referral.service,
            person=referral.person,
            referral=referral,
            employer=self.employer,
            job_title="Job",
            soc_major_group="9",
            contract_type="permanent",
            start_date=start,
            end_date=end,
            end_reason="resigned" if end else "",
            hours_per_week=Decimal(hours),
            hourly_pay_pence=1300,
            competitive=competitive,
            four_hours_worked=four_hours,
            held_at_referral=held,
            recorded_by=self.w.es_a,
        )


@pytest.fixture
def b(world):
    return Builder(world)


def _svc(world, result):
    return result.get(world.service.pk, 0)


def test_job_starts_count_second_jobs_and_exclude_the_rest(world, b):
    r = b.referral(received=D(2025, 3, 1), access=D(2025, 3, 10))
    b.job(r, D(2025, 4, 1))  # first day of the period
    b.job(r, D(2025, 6, 30))  # second job, last day: both count
    b.job(r, D(2025, 7, 1))  # next quarter
    b.job(r, D(2025, 5, 1), competitive=False)
    b.job(r, D(2025, 5, 2), four_hours=False)
    before = b.referral(received=D(2025, 4, 1), access=D(2025, 5, 10))
    b.job(before, D(2025, 5, 1))  # started before access: not a job start
    never = b.referral(received=D(2025, 4, 1))
    b.job(never, D(2025, 5, 1))  # no access at all
    retention = b.referral(
        received=D(2025, 4, 2), access=D(2025, 4, 3), status="01", pathway="job_retention"
    )
    b.job(retention, D(2020, 1, 1), held=True)
    assert _svc(world, metrics.job_starts([world.service.pk], Q1)) == 2
    assert _svc(world, metrics.job_starts([world.service.pk], Q2)) == 1


def test_people_into_work_counts_the_first_start_of_each_referral_once(world, b):
    r = b.referral(received=D(2025, 3, 1), access=D(2025, 3, 2))
    b.job(r, D(2025, 3, 20))  # first start before the period: not into work in Q1
    b.job(r, D(2025, 5, 1))
    two = b.referral(received=D(2025, 4, 1), access=D(2025, 4, 2))
    b.job(two, D(2025, 5, 1))
    b.job(two, D(2025, 5, 15))  # two jobs for one person: one person into work
    assert _svc(world, metrics.people_into_work([world.service.pk], Q1)) == 1
    assert _svc(world, metrics.job_starts([world.service.pk], Q1)) == 3


def test_a_re_referred_person_can_come_into_work_again(world, b):
    first = b.referral(received=D(2024, 1, 1), access=D(2024, 1, 5), closed=D(2024, 12, 1))
    b.job(first, D(2024, 2, 1), D(2024, 11, 1))
    again = b.referral(received=D(2025, 4, 1), access=D(2025, 4, 8), person=first.person)
    b.job(again, D(2025, 6, 1))
    assert _svc(world, metrics.people_into_work([world.service.pk], Q1)) == 1
    assert _svc(world, metrics.referrals_received([world.service.pk], Q1)) == 1


def test_employment_rate_numerator_and_denominator(world, b):
    into_work = b.referral(received=D(2025, 3, 1), access=D(2025, 3, 5))
    b.job(into_work, D(2025, 5, 1))
    b.referral(received=D(2025, 3, 1), access=D(2025, 6, 30))  # accessed on the last day
    b.referral(received=D(2025, 3, 1), access=D(2025, 3, 5), closed=D(2025, 4, 2))  # open 1 April
    b.referral(
        received=D(2025, 3, 1), access=D(2025, 3, 5), closed=D(2025, 4, 1)
    )  # closed on day 1
    b.referral(received=D(2025, 5, 1))  # never accessed
    in_work = b.referral(received=D(2025, 3, 1), access=D(2025, 3, 5), status="01")
    b.job(in_work, D(2025, 5, 1))
    b.referral(received=D(2025, 3, 1), access=D(2025, 3, 5), status="ZZ")
    b.referral(received=D(2025, 3, 1), access=D(2025, 3, 5), status="01", pathway="job_retention")
    b.referral(received=D(2025, 3, 1), access=D(2025, 7, 1))  # accessed after the period
    assert metrics.employment_rate([world.service.pk], Q1)[world.service.pk] == (1, 3)
    assert metrics.rate(1, 3) == Decimal("33.3")


def test_a_job_spanning_the_period_boundary_is_sustained_when_the_milestone_falls(world, b):
    r = b.referral(received=D(2025, 1, 1), access=D(2025, 1, 2))
    job = b.job(r, D(2025, 3, 1), D(2025, 8, 1))  # starts in 2024-25, 13 weeks on 31 May 2025
    assert metrics.sustained([world.service.pk], Q1, 13)[world.service.pk] == 1
    assert metrics.sustained([world.service.pk], Q2, 26) == {}  # ended before 26 weeks (30 Aug)
    assert job.start_date + dt.timedelta(days=91) == D(2025, 5, 31)


@pytest.mark.parametrize(("end", "sustained"), [(D(2025, 5, 31), 0), (D(2025, 6, 1), 1), (None, 1)])
def test_a_job_is_not_held_on_its_end_date(world, b, end, sustained):
    r = b.referral(received=D(2025, 1, 1), access=D(2025, 1, 2))
    b.job(r, D(2025, 3, 1), end)
    assert _svc(world, metrics.sustained([world.service.pk], Q1, 13)) == sustained


def test_a_person_who_moves_team_counts_for_the_team_on_the_date_of_each_event(world, b):
    r = b.referral(received=D(2025, 4, 1), access=D(2025, 4, 10), team=world.team_a)
    ReferralTeamMove.objects.create(
        referral=r, from_team=world.team_a, to_team=world.team_b, effective_on=D(2025, 5, 1)
    )
    r.team = world.team_b
    r.save()
    b.job(r, D(2025, 6, 1))
    by_team = metrics.BY_TEAM
    assert metrics.referrals_received([world.service.pk], Q1, by_team) == {world.team_a.pk: 1}
    assert metrics.accesses([world.service.pk], Q1, by_team) == {world.team_a.pk: 1}
    assert metrics.job_starts([world.service.pk], Q1, by_team) == {world.team_b.pk: 1}
    assert metrics.open_caseload([world.service.pk], D(2025, 4, 30), by_team) == {
        world.team_a.pk: 1
    }
    assert metrics.open_caseload([world.service.pk], D(2025, 6, 30), by_team) == {
        world.team_b.pk: 1
    }


def test_breakdown_by_specialist(world, b):
    b.referral(received=D(2025, 4, 1), access=D(2025, 4, 2), es=world.es_a)
    b.referral(received=D(2025, 4, 1), access=D(2025, 4, 2), es=world.es_b)
    b.referral(received=D(2025, 4, 1), access=D(2025, 4, 3), es=world.es_b)
    result = metrics.accesses([world.service.pk], Q1, metrics.BY_SPECIALIST)
    assert result == {world.es_a.pk: 1, world.es_b.pk: 2}


def test_job_retention_share_on_the_last_day(world, b):
    b.referral(received=D(2025, 4, 1), access=D(2025, 4, 2))
    b.referral(received=D(2025, 4, 1), access=D(2025, 4, 2))
    b.referral(received=D(2025, 4, 1), access=D(2025, 4, 2), status="01", pathway="job_retention")
    b.referral(received=D(2025, 4, 1), status="01", pathway="job_retention")  # no contact yet
    assert metrics.job_retention_share([world.service.pk], Q1.end)[world.service.pk] == (1, 3)


def test_days_to_first_face_to_face_employer_contact(world, b):
    from ipsworks.employers.models import EmployerContact

    def contact(person, day, mode="face_to_face"):
        EmployerContact.objects.create(
            service=world.service,
            employer=b.employer,
            staff=world.es_a,
            person=person,
            contact_date=day,
            mode=mode,
            purpose="present_person",
        )

    fast = b.referral(received=D(2025, 4, 1), access=D(2025, 4, 1))
    contact(fast.person, D(2025, 3, 1))  # before access: ignored
    contact(fast.person, D(2025, 4, 11), mode="phone")  # not face to face
    contact(fast.person, D(2025, 4, 21))  # 20 days
    slow = b.referral(received=D(2025, 4, 1), access=D(2025, 5, 1))
    contact(slow.person, D(2025, 6, 10))  # 40 days
    b.referral(received=D(2025, 4, 1), access=D(2025, 5, 1))  # none yet
    result = metrics.days_to_employer_contact([world.service.pk], Q1)[world.service.pk]
    assert (result.accesses, result.with_contact, result.without_contact) == (3, 2, 1)
    assert (result.mean, result.median) == (Decimal("30.0"), Decimal("30"))


def test_employer_contacts_per_fte_week(world, b):
    from ipsworks.employers.models import EmployerContact

    period = Period(D(2025, 4, 7), D(2025, 4, 20), "two weeks")
    # es_a full time all fortnight (2 weeks); es_b half time, left after 7 days (0.5 week).
    world.es_b.fte = Decimal("0.5")
    world.es_b.left_on = D(2025, 4, 13)
    world.es_b.save()
    for es in (world.es_a, world.colleague_a, world.outsider):
        es.started_on = D(2026, 1, 1) if es == world.colleague_a else None
        es.save()
    for day in range(5):
        EmployerContact.objects.create(
            service=world.service,
            employer=b.employer,
            staff=world.es_a,
            contact_date=D(2025, 4, 7 + day),
            mode="face_to_face",
            purpose="learn_needs",
        )
    EmployerContact.objects.create(
        service=world.service,
        employer=b.employer,
        staff=world.es_a,
        contact_date=D(2025, 4, 8),
        mode="phone",
        purpose="learn_needs",
    )
    contacts, weeks = metrics.employer_contacts_per_fte_week([world.service.pk], period)[
        world.service.pk
    ]
    assert (contacts, weeks) == (5, Decimal("2.50"))
    assert metrics.rate(contacts, weeks) == Decimal("200.0")  # per 100: 2 a week


def test_community_share_of_contact_time(world, b):
    from ipsworks.employers.models import EmployerContact

    r = b.referral(received=D(2025, 4, 1))
    f.ContactFactory(
        referral=r,
        staff=world.es_a,
        contact_date=D(2025, 4, 2),
        place="community",
        duration_minutes=60,
    )
    f.ContactFactory(
        referral=r,
        staff=world.es_a,
        contact_date=D(2025, 4, 3),
        place="office",
        duration_minutes=30,
    )
    f.ContactFactory(
        referral=r,
        staff=world.es_a,
        contact_date=D(2025, 4, 4),
        mode="phone",
        place="remote",
        duration_minutes=10,
    )
    f.ContactFactory(
        referral=r,
        staff=world.es_a,
        contact_date=D(2025, 4, 5),
        with_whom="family",
        place="home",
        duration_minutes=20,
    )
    f.ContactFactory(
        referral=r,
        staff=world.es_a,
        contact_date=D(2025, 4, 6),
        with_whom="clinical_team",
        place="office",
        duration_minutes=90,
    )
    f.ContactFactory(
        referral=r,
        staff=world.es_a,
        contact_date=D(2025, 4, 7),
        outcome="dna",
        place="community",
        duration_minutes=45,
    )
    EmployerContact.objects.create(
        service=world.service,
        employer=b.employer,
        staff=world.es_a,
        contact_date=D(2025, 4, 8),
        mode="face_to_face",
        purpose="learn_needs",
        duration_minutes=40,
    )
    EmployerContact.objects.create(
        service=world.service,
        employer=b.employer,
        staff=world.es_a,
        contact_date=D(2025, 4, 8),
        mode="phone",
        purpose="learn_needs",
        duration_minutes=20,
    )
    community, total = metrics.community_share([world.service.pk], Q1)[world.service.pk]
    assert (community, total) == (120, 180)


def test_referrals_received_and_waits_by_team(world, b):
    b.referral(received=D(2025, 4, 1), access=D(2025, 4, 8), team=world.team_a)
    b.referral(received=D(2025, 4, 1), access=D(2025, 4, 9), team=world.team_b)
    waits = metrics.wait_to_access([world.service.pk], Q1, metrics.BY_TEAM)
    assert waits[world.team_a.pk] == {"7 days or less": 1, "8 to 30 days": 0, "Over 30 days": 0}
    assert waits[world.team_b.pk] == {"7 days or less": 0, "8 to 30 days": 1, "Over 30 days": 0}


def test_specialist_weeks_in_a_period_still_running_count_only_to_today(world):
    today = dt.date.today()
    running = Period(today - dt.timedelta(days=6), today + dt.timedelta(days=60), "running")
    world.es_a.started_on = None
    world.es_a.left_on = None
    assert metrics.specialist_weeks(world.es_a, running) == Decimal(1)
