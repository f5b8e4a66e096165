"""The generator's employers, jobs and in-work support: consistent with the rules, realistic.

Rows are written by the generator itself (no mocks) and checked against the rules and services
that own each fact: ``jobs.rules.check_competitive`` for the competitive flag, a replay of
``jobs.services`` for the in-work support check-ins, the disclosure plan for employer contacts
made for a person, and the outcome metrics for the rates.
"""

import random
from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ipsworks.access.roles import Role
from ipsworks.activity.models import Contact
from ipsworks.activity.services import ContactDetails, record_contact
from ipsworks.benefits.models import BetterOffCalculation
from ipsworks.benefits.rates import supported_tax_years
from ipsworks.demo import synthetic
from ipsworks.demo.synthetic import Options, support_check_ins
from ipsworks.employers.models import (
    AccessToWorkApplication,
    Employer,
    EmployerContact,
    EmployerSupport,
)
from ipsworks.employers.services import EmployerContactDetails, record_employer_contact
from ipsworks.jobs import rules
from ipsworks.jobs.models import Job, PayChange, ReturnToWorkPlan, SupportCheckIn
from ipsworks.jobs.services import JobDetails, end_job, record_job
from ipsworks.organisations.models import Service, StaffMember
from ipsworks.outcomes import metrics
from ipsworks.outcomes.periods import Period
from ipsworks.people.codes import EmploymentStatus
from ipsworks.people.models import DisclosurePlan, Episode, Referral, ReferralTeamMove
from tests import factories as f
from tests.outcomes.facts_check import assert_facts_agree, assert_facts_current

TODAY = timezone.localdate()
NOW = timezone.now()


def _options(**overrides) -> Options:
    values = {"services": 2, "people": 300, "seed": 21, "years": 2, "today": TODAY, "now": NOW}
    return Options(**(values | overrides))


@pytest.fixture
def generated(db):
    return synthetic.generate(_options())


def _local_date(moment) -> date:
    return timezone.localtime(moment).date()


# --- jobs ------------------------------------------------------------------------------------


def test_the_competitive_flag_is_what_the_rules_say_on_the_start_date(generated):
    jobs = list(Job.objects.select_related("person"))
    assert len(jobs) > 50
    for job in jobs:
        check = rules.check_competitive(
            start_date=job.start_date,
            hourly_pay_pence=job.hourly_pay_pence,
            date_of_birth=job.person.date_of_birth,
            self_employed=job.contract_type == Job.ContractType.SELF_EMPLOYED,
            apprenticeship=job.contract_type == Job.ContractType.APPRENTICESHIP,
            open_labour_market=job.open_labour_market,
            reserved_for_disabled=job.reserved_for_disabled,
        )
        assert (job.competitive, job.minimum_wage_pence) == (check.competitive, check.minimum_pence)
        assert (job.employer_id is None) == (job.contract_type == Job.ContractType.SELF_EMPLOYED)
        if job.employer_id is not None:
            assert job.employer.service_id == job.service_id == job.person.service_id


def test_a_new_job_starts_on_or_after_access_and_a_held_job_before_the_referral(generated):
    jobs = list(Job.objects.select_related("referral__episode"))
    assert any(job.held_at_referral for job in jobs)
    for job in jobs:
        referral = job.referral
        assert job.person_id == referral.person_id
        if job.held_at_referral:
            assert referral.pathway == Referral.Pathway.JOB_RETENTION
            assert job.start_date <= referral.received_on
        else:
            assert job.start_date >= referral.episode.access_date
        assert job.start_date <= TODAY
        assert job.end_date is None or job.start_date <= job.end_date <= TODAY
        if referral.closed_on is not None:
            assert job.start_date <= referral.closed_on
            assert job.end_date is None or job.end_date <= referral.closed_on
        assert _local_date(job.recorded_at) >= min(job.start_date, referral.episode.access_date)


def test_each_job_retention_referral_with_access_has_its_job_and_nobody_else_does(generated):
    accessed = Referral.objects.filter(episode__isnull=False)
    retention = accessed.filter(pathway=Referral.Pathway.JOB_RETENTION)
    assert retention.exists()
    for referral in retention:
        assert referral.jobs.filter(held_at_referral=True).count() == 1
    held = Job.objects.filter(held_at_referral=True)
    assert not held.exclude(referral__pathway=Referral.Pathway.JOB_RETENTION).exists()


def test_discharge_status_says_in_work_exactly_when_a_job_was_held_on_the_closing_day(generated):
    closed = Episode.objects.filter(referral__closed_on__isnull=False).select_related("referral")
    assert closed.count() > 20
    for episode in closed:
        closed_on = episode.referral.closed_on
        held = [
            job
            for job in episode.referral.jobs.all()
            if rules.in_work_on(job.start_date, job.end_date, closed_on)
        ]
        if held:
            assert episode.employment_status_at_discharge == EmploymentStatus.EMPLOYED
            assert episode.weekly_hours_at_discharge in ("01", "02", "03", "04")
        else:
            assert episode.employment_status_at_discharge != EmploymentStatus.EMPLOYED
            assert episode.weekly_hours_at_discharge == "98"


def test_pay_changes_fall_inside_their_job_and_return_to_work_plans_belong_to_held_jobs(
    generated,
):
    changes = list(PayChange.objects.select_related("job"))
    assert changes
    for change in changes:
        job = change.job
        assert job.start_date < change.effective_on <= TODAY
        assert job.end_date is None or change.effective_on < job.end_date
        assert change.hourly_pay_pence >= job.hourly_pay_pence
    plans = list(ReturnToWorkPlan.objects.select_related("job", "referral"))
    assert plans
    versions = defaultdict(list)
    for plan in plans:
        assert plan.job.held_at_referral
        assert plan.job.referral_id == plan.referral_id
        assert plan.referral.pathway == Referral.Pathway.JOB_RETENTION
        assert max(plan.phased_hours) <= plan.job.hours_per_week
        versions[plan.referral_id].append(plan.version)
    for numbers in versions.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))


# --- in-work support -------------------------------------------------------------------------


def _support_days(person_ids) -> dict[int, set[date]]:
    days = defaultdict(set)
    direct = Contact.objects.filter(person_id__in=person_ids, is_direct=True)
    for person, day in direct.values_list("person_id", "contact_date"):
        days[person].add(day)
    visits = EmployerContact.objects.filter(
        person_id__in=person_ids, purpose=EmployerContact.Purpose.IN_WORK_SUPPORT
    )
    for person, day in visits.values_list("person_id", "contact_date"):
        days[person].add(day)
    return days


def test_check_ins_are_exactly_what_the_jobs_services_would_hold(generated):
    jobs_by_person = defaultdict(list)
    for job in Job.objects.order_by("start_date", "pk"):
        jobs_by_person[job.person_id].append(job)
    days = _support_days(list(jobs_by_person))
    held = Counter()
    for job, kind, opens, due, met, cancelled in SupportCheckIn.objects.values_list(
        "job_id", "kind", "opens_on", "due_on", "met_on", "cancelled"
    ):
        held[(job, kind, opens, due, met, cancelled)] += 1
    expected = Counter()
    for person, jobs in jobs_by_person.items():
        replayed = support_check_ins(
            [(j.start_date, j.end_date, j.held_at_referral) for j in jobs], days[person]
        )
        for c in replayed:
            expected[(jobs[c.job].pk, c.kind, c.opens_on, c.due_on, c.met_on, c.cancelled)] += 1
    assert held == expected
    assert sum(1 for key in held if key[4] is not None) > 100
    assert not SupportCheckIn.objects.filter(met_on__gt=TODAY).exists()


def test_support_never_stops_while_a_job_lasts(generated):
    current = Job.objects.filter(end_date__isnull=True, held_at_referral=False)
    assert current.exists()
    for job in current:
        assert job.check_ins.filter(met_on__isnull=True, cancelled=False).exists()


@pytest.mark.parametrize("seed", range(10))
def test_the_replay_matches_the_jobs_services_themselves(db, seed):
    """Record jobs, contacts and endings through the real services, in date order (jobs
    sometimes entered days after they started), and compare with the replay."""
    rng = random.Random(seed)
    service = f.ServiceFactory()
    team = f.TeamFactory(service=service)
    es = f.StaffFactory(role=Role.EMPLOYMENT_SPECIALIST, service=service, teams=[team])
    employer = f.EmployerFactory(service=service)
    received = TODAY - timedelta(days=300)
    retention = seed % 3 == 0
    referral = f.ReferralFactory(
        service=service,
        person=f.PersonFactory(service=service),
        team=team,
        allocated_to=es,
        received_on=received,
        status="accepted",
        pathway=Referral.Pathway.JOB_RETENTION if retention else Referral.Pathway.JOB_SEEKING,
    )
    plan: list[tuple[date, int, str, object]] = []  # (day, order, what, detail)
    jobs: list[tuple[date, date | None, bool]] = []
    if retention:
        end = received + timedelta(days=rng.randint(20, 200)) if rng.random() < 0.5 else None
        jobs.append((received - timedelta(days=400), end, True))
    for _ in range(rng.randint(1, 3)):
        start = received + timedelta(days=rng.randint(10, 280))
        end = start + timedelta(days=rng.randint(0, 120)) if rng.random() < 0.5 else None
        jobs.append((start, end if end is None or end <= TODAY else None, False))
    for n, (start, end, held) in enumerate(jobs):
        entered = received if held else min(TODAY, start + timedelta(days=rng.choice([0, 0, 4])))
        plan.append((entered, 0, "job", n))
        if end is not None:
            plan.append((max(end, entered), 1, "end", n))
    meetings = {received + timedelta(days=5)}
    meetings |= {received + timedelta(days=rng.randint(5, 300)) for _ in range(25)}
    visits = {received + timedelta(days=rng.randint(10, 300)) for _ in range(4)}
    plan += [(day, 2, "contact", day) for day in meetings]
    plan += [(day, 2, "visit", day) for day in visits]
    recorded: dict[int, Job] = {}
    for _, _, what, detail in sorted(plan, key=lambda p: (p[0], p[1], repr(p[3]))):
        if what == "job":
            start, _, held = jobs[detail]
            recorded[detail] = record_job(
                referral=referral,
                details=JobDetails(
                    employer=employer,
                    job_title="Cleaner",
                    soc_major_group="9",
                    contract_type=Job.ContractType.PERMANENT,
                    start_date=start,
                    hours_per_week=Decimal(16),
                    hourly_pay_pence=2000,
                    held_at_referral=held,
                    four_hours_worked=True,
                ),
                by=es,
            )
        elif what == "end":
            end_job(job=recorded[detail], end_date=jobs[detail][1], end_reason="resigned", by=es)
        elif what == "contact":
            record_contact(
                referral=referral,
                details=ContactDetails(
                    contact_date=detail,
                    with_whom=Contact.With.PERSON,
                    mode=Contact.Mode.PHONE,
                    outcome=Contact.Outcome.COMPLETED,
                    place=Contact.Place.REMOTE,
                    duration_minutes=15,
                ),
                by=es,
            )
        else:
            record_employer_contact(
                employer=employer,
                details=EmployerContactDetails(
                    contact_date=detail,
                    mode=EmployerContact.Mode.FACE_TO_FACE,
                    purpose=EmployerContact.Purpose.IN_WORK_SUPPORT,
                    duration_minutes=30,
                ),
                person=referral.person,
                by=es,
            )
    position = {job.pk: n for n, job in recorded.items()}
    by_services = sorted(
        (position[c.job_id], c.kind, c.opens_on, c.due_on, c.met_on, c.cancelled)
        for c in SupportCheckIn.objects.all()
    )
    replayed = sorted(
        (c.job, c.kind, c.opens_on, c.due_on, c.met_on, c.cancelled)
        for c in support_check_ins(jobs, meetings | visits)
    )
    assert by_services == replayed
    kinds = Counter(c[1] for c in by_services)
    assert kinds["first"] == len([j for j in jobs if not j[2]])
    assert kinds["monthly"]
    assert kinds["after_end"] == len([j for j in jobs if j[1] is not None])


# --- employers and employer contacts ---------------------------------------------------------


def test_employer_contacts_for_a_person_follow_their_disclosure_plan(generated):
    plans = defaultdict(list)
    for person, recorded_at, allowed in DisclosurePlan.objects.order_by("version").values_list(
        "person_id", "recorded_at", "employer_contact_allowed"
    ):
        plans[person].append((_local_date(recorded_at), allowed))
    access = defaultdict(list)
    for person, day, closed in Episode.objects.values_list(
        "person_id", "access_date", "referral__closed_on"
    ):
        access[person].append((day, closed))
    presented = EmployerContact.objects.filter(purpose=EmployerContact.Purpose.PRESENT_PERSON)
    assert presented.count() > 100
    for person, day in presented.values_list("person_id", "contact_date"):
        current = [allowed for on, allowed in plans[person] if on <= day]
        assert current, "presented before any disclosure plan"
        assert current[-1], "presented without their agreement"
    for person, day in EmployerContact.objects.exclude(person=None).values_list(
        "person_id", "contact_date"
    ):
        assert any(
            start <= day and (closed is None or day <= closed) for start, closed in access[person]
        )


def test_employer_contacts_are_timed_dated_and_within_the_service(generated):
    contacts = EmployerContact.objects.all()
    assert not contacts.filter(contact_date__gt=TODAY).exists()
    assert not contacts.filter(recorded_at__gt=NOW).exists()
    timed = contacts.filter(mode__in=EmployerContact.TIMED_MODES)
    assert not timed.filter(duration_minutes=None).exists()
    assert (
        not contacts.filter(mode=EmployerContact.Mode.EMAIL).exclude(duration_minutes=None).exists()
    )
    for service, employer_service, staff_service in contacts.values_list(
        "service_id", "employer__service_id", "staff__service_id"
    ).distinct():
        assert service == employer_service == staff_service
    assert set(contacts.values_list("staff__role", flat=True)) == {Role.EMPLOYMENT_SPECIALIST}


def test_employer_services_and_access_to_work_keep_their_dates_in_order(generated):
    assert EmployerSupport.objects.filter(kind=EmployerSupport.Kind.AWARENESS_SESSION).exists()
    assert not EmployerSupport.objects.filter(delivered_on__gt=TODAY).exists()
    applications = list(AccessToWorkApplication.objects.all())
    assert applications
    for application in applications:
        assert _local_date(application.recorded_at) <= TODAY
        if application.decided_on:
            assert application.submitted_on <= application.decided_on <= TODAY
        if application.status == AccessToWorkApplication.Status.APPROVED:
            assert application.amount_pence


def test_better_off_calculations_keep_their_inputs_and_come_before_most_job_starts(generated):
    calculations = list(BetterOffCalculation.objects.all())
    assert calculations
    for calculation in calculations:
        assert calculation.tax_year in supported_tax_years()
        assert calculation.inputs["tax_year"] == calculation.tax_year
        assert "better_off_weekly" in calculation.results
        assert _local_date(calculation.recorded_at) <= TODAY
    service_ids = list(Service.objects.values_list("pk", flat=True))
    year = Period(TODAY - timedelta(days=730), TODAY, "two years")
    planned, starts = metrics.benefits_planning_before_start(service_ids, year)
    assert 0.45 <= planned / starts <= 0.85


def test_team_moves_keep_the_team_before_and_after(generated):
    moves = list(ReferralTeamMove.objects.select_related("referral"))
    assert moves
    for move in moves:
        referral = move.referral
        assert move.to_team_id == referral.team_id != move.from_team_id
        assert referral.received_on <= move.effective_on <= (referral.closed_on or TODAY)


def _sums(figures: dict) -> tuple:
    """Add up {group: (numerator, denominator)} over the groups."""
    return tuple(sum(parts) for parts in zip(*figures.values(), strict=True))


# --- rates -----------------------------------------------------------------------------------


def test_employer_and_job_rates_follow_the_ips_figures(db):
    synthetic.generate(_options(people=2400, services=3, years=3))
    service_ids = list(Service.objects.values_list("pk", flat=True))
    year = Period(TODAY - timedelta(days=365), TODAY - timedelta(days=1), "last 12 months")

    employers = Counter(Employer.objects.values_list("service_id", flat=True))
    assert all(40 <= n <= 120 for n in employers.values())
    assert len(set(Employer.objects.values_list("sector", flat=True))) >= 8

    contacts, weeks = _sums(metrics.employer_contacts_per_fte_week(service_ids, year))
    assert 4 <= contacts / float(weeks) <= 6.5  # fidelity item 17: 4 to 6 a week per FTE

    waits = metrics.employer_contact_waits(service_ids, year)
    days = sorted(w.days for w in waits if w.days is not None)
    assert len(days) / len(waits) >= 0.6  # most have had one
    assert 12 <= days[len(days) // 2] <= 28  # median about 20
    assert 0.05 <= sum(d > 30 for d in days) / len(days) <= 0.35  # a tail beyond 30

    # About 40% of out-of-work job seekers start work within a year of access (IPS Grow v8).
    first_start = {}
    for referral, start in metrics.qualifying_job_starts(service_ids).values_list(
        "referral_id", "start_date"
    ):
        first_start[referral] = min(start, first_start.get(referral, start))
    cohort = Episode.objects.filter(
        access_date__lte=TODAY - timedelta(days=365),
        referral__pathway=Referral.Pathway.JOB_SEEKING,
        referral__employment_status_at_referral__in=EmploymentStatus.out_of_work(),
    ).values_list("referral_id", "access_date")
    into_work = [r in first_start and (first_start[r] - a).days <= 365 for r, a in cohort]
    assert 0.32 <= sum(into_work) / len(into_work) <= 0.52

    numerator, denominator = _sums(metrics.employment_rate(service_ids, year))
    assert 0.18 <= numerator / denominator <= 0.45

    # About 65% of job starts are still held 13 weeks on (IPS Grow v8).
    started = metrics.qualifying_job_starts(service_ids).filter(
        start_date__lte=TODAY - timedelta(days=91)
    )
    kept = [
        end is None or (end - start).days > 91
        for start, end in started.values_list("start_date", "end_date")
    ]
    assert 0.55 <= sum(kept) / len(kept) <= 0.75

    new_jobs = Job.objects.filter(held_at_referral=False)
    competitive = new_jobs.filter(competitive=True).count() / new_jobs.count()
    assert 0.9 <= competitive < 1  # a few under the minimum wage or set aside
    bands = Counter(
        "30+" if h >= 30 else "16-29" if h >= 16 else "5-15" if h >= 5 else "1-4"
        for h in new_jobs.values_list("hours_per_week", flat=True)
    )
    assert bands.most_common(1)[0][0] == "16-29"
    assert len(bands) == 4
    per_referral = Counter(new_jobs.values_list("referral_id", flat=True))
    assert 0.03 <= sum(n > 1 for n in per_referral.values()) / len(per_referral) <= 0.3

    # In-work support: most check-ins met, most on time.
    due = SupportCheckIn.objects.filter(cancelled=False, due_on__lt=TODAY)
    met = due.exclude(met_on=None)
    on_time = sum(m <= d for d, m in met.values_list("due_on", "met_on"))
    assert met.count() / due.count() >= 0.8
    assert 0.6 <= on_time / met.count() <= 0.95

    retention, caseload = _sums(metrics.job_retention_share(service_ids, TODAY))
    assert 0.05 <= retention / caseload <= 0.15  # IPS Grow: at most about 15%
    assert StaffMember.objects.filter(role=Role.EMPLOYMENT_SPECIALIST).exists()


# --- the outcome registry over generated data ------------------------------------------------


def test_the_registry_s_one_pass_figures_equal_its_period_by_period_ones(generated):
    """trend_counts, starts_and_sustained, accesses_and_waits, into_work_counts and the
    referral-facts figures (fewer queries) against the single metrics they combine; the
    facts the generator wrote equal a fresh computation."""
    from ipsworks.outcomes import presenters

    service_ids = list(Service.objects.values_list("pk", flat=True))
    quarters = presenters.recent_quarters(TODAY)
    for counts in metrics.trend_counts(service_ids, quarters):
        period = counts["period"]
        numerator, denominator = _sums(metrics.employment_rate(service_ids, period)) or (0, 0)
        assert counts == {
            "period": period,
            "accessed_fy": sum(
                metrics.accessed_in_financial_year(service_ids, period, "service").values()
            ),
            "accesses": sum(metrics.accesses(service_ids, period).values()),
            "job_starts": sum(metrics.job_starts(service_ids, period).values()),
            "into_work": sum(metrics.people_into_work(service_ids, period).values()),
            "rate_numerator": numerator,
            "rate_denominator": denominator,
        }
    assert sum(c["job_starts"] for c in metrics.trend_counts(service_ids, quarters)) > 20
    for period in quarters:
        for by in metrics.GROUPINGS:
            combined = metrics.starts_and_sustained(service_ids, period, by)
            started = {k: v["job_starts"] for k, v in combined.items() if v["job_starts"]}
            assert started == metrics.job_starts(service_ids, period, by)
            for weeks in (13, 26, 52):
                single = metrics.sustained(service_ids, period, weeks, by)
                assert {k: v[weeks] for k, v in combined.items() if v[weeks]} == single
            both = metrics.accesses_and_waits(service_ids, period, by)
            assert {k: n for k, (n, _) in both.items()} == metrics.accesses(service_ids, period, by)
            assert {k: w for k, (_, w) in both.items()} == dict(
                metrics.wait_to_access(service_ids, period, by)
            )
            assert_facts_agree(service_ids, period, by)
            if by == metrics.BY_TEAM:
                continue
            rate = metrics.employment_rate(service_ids, period, by)
            into = metrics.into_work_counts(service_ids, period, by)
            assert {k: n for k, (n, _) in into.items()} == metrics.people_into_work(
                service_ids, period, by
            )
            assert {k: o for k, (_, o) in into.items() if o} == {
                k: n for k, (n, _) in rate.items() if n
            }
    assert_facts_current()
