"""The synthetic data generator and the demo: the invariants pages and metrics rely on.

Every test writes real rows through the generator (no mocks), at sizes that take well under a
second, so the same suite checks SQLite and PostgreSQL (where the generator uses COPY).
"""

import io
import itertools
import re
import statistics
from collections import Counter, defaultdict
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from ipsworks.access.roles import Role
from ipsworks.activity.models import Contact, TeamMeeting
from ipsworks.benefits.models import BetterOffCalculation
from ipsworks.core.dates import is_working_day
from ipsworks.core.validators import normalise_nhs_number, normalise_postcode
from ipsworks.demo import synthetic
from ipsworks.demo.synthetic import DEMO_PASSWORD, Options
from ipsworks.employers.models import Employer, EmployerContact
from ipsworks.jobs.models import Job, SupportCheckIn
from ipsworks.organisations.models import Service, StaffMember, Team
from ipsworks.people.models import (
    ClosureReason,
    DisclosurePlan,
    Episode,
    Person,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    ReferralTeamMove,
    VocationalProfile,
)
from ipsworks.people.rules import TRANSITIONS

TODAY = timezone.localdate()
NOW = timezone.now()


def _small(**overrides) -> Options:
    values = {"services": 2, "people": 150, "seed": 11, "years": 2, "today": TODAY, "now": NOW}
    return Options(**(values | overrides))


@pytest.fixture
def generated(db):
    return synthetic.generate(_small())


def _person_key(prefix: str = "") -> list[str]:
    """Fields that identify a person without their database id."""
    return [f"{prefix}{name}" for name in ("nhs_number", "given_name", "family_name", "email")]


def _snapshot() -> dict[str, list]:
    """Everything generated, without database ids, so two runs can be compared."""
    person = _person_key("person__")
    referral = [*_person_key("referral__person__"), "referral__received_on"]
    queries = {
        "people": Person.objects.values_list(
            *_person_key(), "date_of_birth", "postcode", "phone", "service__short_name"
        ),
        "referrals": Referral.objects.values_list(
            *person,
            "received_on",
            "team__name",
            "allocated_to__user__username",
            "status",
            "closed_on",
            "closure_reason",
            "pathway",
            "employment_status_at_referral",
            "next_action_on",
        ),
        "status_changes": ReferralStatusChange.objects.values_list(
            *referral, "status", "effective_on", "recorded_at", "reason"
        ),
        "episodes": Episode.objects.values_list(*referral, "access_date"),
        "contacts": Contact.objects.values_list(
            *referral, "contact_date", "mode", "place", "outcome", "duration_minutes", "is_direct"
        ),
        "profiles": VocationalProfile.objects.values_list(*person, "version", "recorded_at"),
        "disclosure": DisclosurePlan.objects.values_list(*person, "version", "decision"),
        "meetings": TeamMeeting.objects.values_list("staff__user__username", "meeting_date"),
        "staff": StaffMember.objects.values_list("user__username", "role", "fte"),
        "employers": Employer.objects.values_list("name", "sector", "size_band", "postcode"),
        "employer_contacts": EmployerContact.objects.values_list(
            "employer__name",
            "staff__user__username",
            *_person_key("person__"),
            "contact_date",
            "mode",
            "purpose",
            "duration_minutes",
        ),
        "jobs": Job.objects.values_list(
            *referral,
            "employer__name",
            "job_title",
            "start_date",
            "end_date",
            "hours_per_week",
            "hourly_pay_pence",
            "competitive",
            "held_at_referral",
        ),
        "check_ins": SupportCheckIn.objects.values_list(
            *person, "job__start_date", "kind", "opens_on", "due_on", "met_on", "cancelled"
        ),
        "better_off": BetterOffCalculation.objects.values_list(
            *person, "recorded_at", "tax_year", "inputs"
        ),
        "team_moves": ReferralTeamMove.objects.values_list(*referral, "effective_on"),
    }
    return {name: sorted(query, key=repr) for name, query in queries.items()}


class _RollBack(Exception):
    pass


def test_the_same_seed_gives_the_same_data_whatever_the_chunk_size(db):
    try:
        with transaction.atomic():
            synthetic.generate(_small(chunk_people=1000))
            first = _snapshot()
            raise _RollBack
    except _RollBack:
        pass
    assert Person.objects.count() == 0

    synthetic.generate(_small(chunk_people=7))

    assert _snapshot() == first
    assert len(first["contacts"]) > 500
    assert len(first["jobs"]) > 10
    assert len(first["check_ins"]) > 50


def test_a_different_seed_gives_different_people(db):
    synthetic.generate(_small(people=40))
    synthetic.generate(_small(people=40, seed=12))
    by_service = defaultdict(list)
    for service, given, family in Person.objects.values_list(
        "service__short_name", "given_name", "family_name"
    ):
        by_service[service.split("-")[1]].append((given, family))
    assert sorted(by_service["11"]) != sorted(by_service["12"])


def test_every_referral_caches_its_latest_status_change_and_moves_only_legally(generated):
    referrals = Referral.objects.prefetch_related("status_changes")
    assert referrals.count() >= 150
    for referral in referrals:
        changes = sorted(referral.status_changes.all(), key=lambda c: (c.recorded_at, c.pk))
        latest = changes[-1]
        assert referral.status == latest.status
        assert changes[0].status == ReferralStatus.RECEIVED
        assert changes[0].effective_on == referral.received_on
        for before, after in itertools.pairwise(changes):
            assert after.status in TRANSITIONS[before.status]
            assert after.effective_on >= before.effective_on
        if referral.status == ReferralStatus.CLOSED:
            assert referral.closed_on == latest.effective_on
            assert referral.closure_reason == latest.reason
            assert referral.closure_reason in ClosureReason.values
        else:
            assert referral.closed_on is None
            assert referral.closure_reason == ""


def test_access_date_is_the_first_direct_contact_on_or_after_referral(generated):
    first_direct = defaultdict(lambda: None)
    for contact in Contact.objects.select_related("referral"):
        assert contact.is_direct == contact.compute_is_direct()
        if contact.is_direct and contact.contact_date >= contact.referral.received_on:
            current = first_direct[contact.referral_id]
            if current is None or contact.contact_date < current:
                first_direct[contact.referral_id] = contact.contact_date
    episodes = {e.referral_id: e for e in Episode.objects.all()}
    assert episodes
    for referral in Referral.objects.all():
        expected = first_direct[referral.pk]
        if expected is None:
            assert referral.pk not in episodes
        else:
            assert episodes[referral.pk].access_date == expected
            assert episodes[referral.pk].person_id == referral.person_id
            assert referral.status in (ReferralStatus.FIRST_CONTACT, ReferralStatus.CLOSED)


def test_nothing_is_dated_in_the_future_or_before_its_referral(generated):
    contacts = Contact.objects.all()
    assert not contacts.filter(contact_date__gt=TODAY).exists()
    assert not contacts.filter(contact_date__lt=F("referral__received_on")).exists()
    assert not contacts.filter(referral__closed_on__lt=F("contact_date")).exists()
    assert not Referral.objects.filter(received_on__gt=TODAY).exists()
    assert not Episode.objects.filter(access_date__lt=F("referral__received_on")).exists()
    assert not TeamMeeting.objects.filter(meeting_date__gt=TODAY).exists()
    for model in (ReferralStatusChange, VocationalProfile, DisclosurePlan, Contact):
        assert not model.objects.filter(recorded_at__gt=NOW).exists()


def test_a_person_has_at_most_one_open_referral_and_is_re_referred_only_after_closure(db):
    synthetic.generate(_small(people=600, services=1))
    by_person = defaultdict(list)
    for referral in Referral.objects.order_by("received_on"):
        by_person[referral.person_id].append(referral)
    assert any(len(referrals) > 1 for referrals in by_person.values())
    for referrals in by_person.values():
        assert sum(r.status != ReferralStatus.CLOSED for r in referrals) <= 1
        for earlier, later in itertools.pairwise(referrals):
            assert earlier.closed_on is not None
            assert later.received_on > earlier.closed_on


def test_nhs_numbers_are_valid_test_numbers_unique_in_their_service(generated):
    numbers = list(Person.objects.exclude(nhs_number=None).values_list("service", "nhs_number"))
    assert len(numbers) > 100
    for _, number in numbers:
        assert normalise_nhs_number(number) == number
        assert number.startswith("999")
    assert len(set(numbers)) == len(numbers)


def test_check_digit_ten_is_never_used():
    # The modulus 11 sum of 999 000 000 leaves a check digit of 10: no valid number has it.
    assert synthetic.nhs_check_digit("999000000") is None
    assert synthetic.nhs_check_digit("999000001") == 8
    assert normalise_nhs_number("9990000018") == "9990000018"


def test_contact_details_are_from_reserved_synthetic_ranges(generated):
    drama = re.compile(r"^(07700 900\d{3}|01632 960\d{3})$")
    for postcode, phone, email in Person.objects.values_list("postcode", "phone", "email"):
        assert normalise_postcode(postcode) == postcode
        assert postcode.startswith("AA")
        assert phone == "" or drama.match(phone)
        assert email == "" or email.endswith("@example.com")
    for phone in StaffMember.objects.values_list("phone", flat=True):
        assert drama.match(phone)
    for email in StaffMember.objects.values_list("user__email", flat=True):
        assert email.endswith("@example.com")


def test_not_contactable_closures_follow_the_required_attempts(generated):
    minimum = settings.IPS_MIN_CONTACT_ATTEMPTS_BEFORE_CLOSURE
    closed = Referral.objects.filter(closure_reason=ClosureReason.NOT_CONTACTABLE)
    assert closed.exists()
    for referral in closed:
        attempts = referral.contacts.filter(outcome=Contact.Outcome.ATTEMPTED)
        assert attempts.filter(contact_date__lte=referral.closed_on).count() >= minimum


def test_profile_and_disclosure_versions_count_up_from_one_per_person(generated):
    for model in (VocationalProfile, DisclosurePlan):
        versions = defaultdict(list)
        for person, version in model.objects.values_list("person", "version"):
            versions[person].append(version)
        assert versions
        for numbers in versions.values():
            assert sorted(numbers) == list(range(1, len(numbers) + 1))


def test_rates_follow_the_ips_figures(db):
    synthetic.generate(_small(people=2000, services=2, years=2))
    old_enough = Referral.objects.filter(received_on__lte=TODAY - timedelta(days=120))
    accessed = old_enough.filter(episode__isnull=False).count()
    assert 0.72 <= accessed / old_enough.count() <= 0.84

    waits = [
        (e.access_date - e.referral.received_on).days
        for e in Episode.objects.select_related("referral")
    ]
    assert 0.42 <= sum(w <= 7 for w in waits) / len(waits) <= 0.58
    assert 0.10 <= sum(w > 30 for w in waits) / len(waits) <= 0.24

    referrals = Referral.objects.all()
    retention = referrals.filter(pathway=Referral.Pathway.JOB_RETENTION)
    assert 0.06 <= retention.count() / referrals.count() <= 0.14
    assert set(retention.values_list("employment_status_at_referral", flat=True)) == {"01"}
    seeking = Counter(
        referrals.exclude(pathway=Referral.Pathway.JOB_RETENTION).values_list(
            "employment_status_at_referral", flat=True
        )
    )
    assert "01" not in seeking
    assert seeking.most_common(2)[0][0] in ("02", "04")

    open_caseloads = Counter(
        referrals.exclude(status=ReferralStatus.CLOSED)
        .exclude(allocated_to=None)
        .values_list("allocated_to", flat=True)
    )
    assert 15 <= statistics.median(open_caseloads.values()) <= 22

    direct = Contact.objects.filter(is_direct=True)
    face_to_face = direct.filter(mode=Contact.Mode.FACE_TO_FACE)
    assert face_to_face.count() > direct.count() / 2
    community = face_to_face.filter(place__in=Contact.COMMUNITY_PLACES).count()
    assert community / face_to_face.count() >= 0.65


def test_specialists_work_in_one_or_two_teams_and_attend_their_meetings(generated):
    specialists = StaffMember.objects.filter(role=Role.EMPLOYMENT_SPECIALIST)
    assert specialists.exists()
    for member in specialists.prefetch_related("teams"):
        assert 1 <= member.teams.count() <= 2
        assert 0.6 <= float(member.fte) <= 1.0
        met = set(member.team_meetings.values_list("team", flat=True))
        assert met == {t.pk for t in member.teams.all()}
    commissioners = StaffMember.objects.filter(role=Role.COMMISSIONER)
    assert commissioners.filter(service=None, commissioned_services__isnull=False).exists()


def test_generating_the_same_seed_twice_is_refused(db):
    call_command("generate_synthetic", people=20, services=1, seed=5, stdout=io.StringIO())
    with pytest.raises(CommandError, match="already"):
        call_command("generate_synthetic", people=20, services=1, seed=5, stdout=io.StringIO())


# --- The demo --------------------------------------------------------------------------------


@pytest.fixture
def demo(db):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def _member(username: str) -> StaffMember:
    return StaffMember.objects.select_related("service").get(user__username=username)


def _team(service: str, position: int) -> Team:
    return Team.objects.filter(service__short_name=service).order_by("pk")[position]


def test_demo_accounts_have_their_roles_teams_and_the_demo_password(demo):
    es = _member("es.demo")
    assert (es.role, es.service.short_name, float(es.fte)) == (
        Role.EMPLOYMENT_SPECIALIST,
        "north-county",
        1.0,
    )
    assert list(es.teams.all()) == [_team("north-county", 0)]
    es2 = _member("es2.demo")
    assert es2.role == Role.EMPLOYMENT_SPECIALIST
    assert list(es2.teams.all()) == [_team("north-county", 1)]
    assert _member("manager.demo").role == Role.MANAGER
    assert _member("manager.demo").service.short_name == "north-county"
    clinician = _member("clinician.demo")
    assert clinician.role == Role.CLINICIAN
    assert list(clinician.teams.all()) == [_team("north-county", 0)]
    commissioner = _member("commissioner.demo")
    assert commissioner.role == Role.COMMISSIONER
    assert commissioner.service is None
    assert [s.short_name for s in commissioner.commissioned_services.all()] == ["north-county"]
    admin = _member("admin.demo")
    assert (admin.role, admin.service.short_name) == (Role.ADMINISTRATOR, "north-county")
    other = _member("es.other")
    assert (other.role, other.service.short_name) == (Role.EMPLOYMENT_SPECIALIST, "riverside")

    for account in synthetic.DEMO_ACCOUNTS:
        user = get_user_model().objects.get(username=account.username)
        assert user.check_password(DEMO_PASSWORD), account.username
        assert user.first_name
        assert user.last_name
        assert account.username in demo
    request = RequestFactory().post("/sign-in/")
    signed_in = authenticate(request, username="es.demo", password=DEMO_PASSWORD)
    assert signed_in == get_user_model().objects.get(username="es.demo")
    assert not get_user_model().objects.get(username="es.demo").check_password("wrong-password")
    assert "http://127.0.0.1:8000" in demo


def test_demo_caseload_and_queue_have_something_to_show(demo):
    es = _member("es.demo")
    caseload = Referral.objects.filter(allocated_to=es).exclude(status=ReferralStatus.CLOSED)
    assert 12 <= caseload.count() <= 16
    assert caseload.filter(episode__isnull=True, contacts__isnull=True).count() >= 2
    assert caseload.filter(episode__access_date=TODAY - timedelta(days=27)).exists()
    assert caseload.filter(next_action_on__lt=TODAY).exists()
    unallocated = Referral.objects.filter(
        service=es.service, allocated_to=None, status=ReferralStatus.RECEIVED, is_new=True
    )
    assert unallocated.count() >= 2
    assert Service.objects.count() == 2
    assert 750 <= Person.objects.count() <= 850


def test_load_demo_twice_changes_nothing(demo, monkeypatch):
    before = synthetic.row_counts()
    out = io.StringIO()
    monkeypatch.setenv("PORT", "8123")
    call_command("load_demo", stdout=out)
    assert synthetic.row_counts() == before
    assert "already loaded" in out.getvalue()
    assert "http://127.0.0.1:8123" in out.getvalue()
    assert all(a.username in out.getvalue() for a in synthetic.DEMO_ACCOUNTS)


def test_demo_my_week_shows_employer_contacts_seekers_and_support_due(demo):
    from ipsworks.employers import queries as employer_queries
    from ipsworks.jobs import queries as job_queries

    es = _member("es.demo")
    start, end = employer_queries.week_of(TODAY)
    if any(is_working_day(start + timedelta(days=n)) for n in range((TODAY - start).days + 1)):
        assert employer_queries.face_to_face_contacts(es, es, start, end) >= 1
    seekers = [
        (TODAY - r.access_date).days
        for r in job_queries.job_seekers_awaiting_employer_contact(es, es, TODAY)
        if r.first_employer_contact_on is None
    ]
    assert any(days > 30 for days in seekers)  # overdue
    assert any(21 <= days <= 30 for days in seekers)  # due soon
    due = list(job_queries.support_due_for(es, es, TODAY))
    assert any(c.due_on < TODAY for c in due)  # overdue
    assert any(c.due_on >= TODAY for c in due)  # coming up
    client = Client()
    client.force_login(es.user)
    page = client.get(reverse("my_week")).content.decode()
    assert "days overdue" in page
    assert "Overdue" in page


def test_demo_outcomes_have_figures_in_every_one_of_eight_quarters(demo):
    from ipsworks.outcomes import metrics, presenters
    from ipsworks.outcomes.periods import financial_year

    service = _member("manager.demo").service
    ids = [service.pk]
    rows = presenters.trends(ids, TODAY)["rows"]
    assert len(rows) == 8
    for row in rows[:-1]:  # the current quarter may have only just begun
        assert row["accesses"] > 0
        assert row["job_starts"] > 0
        assert row["employment_rate"] > 0
    last_year = financial_year(financial_year(TODAY).start - timedelta(days=1))
    numerator, denominator = metrics.employment_rate(ids, last_year)[service.pk]
    assert 0.2 <= numerator / denominator <= 0.6
    assert metrics.sustained(ids, last_year, 13)[service.pk] > 0
    assert metrics.sustained(ids, last_year, 26)[service.pk] > 0
    days = metrics.days_to_employer_contact(ids, last_year)[service.pk]
    assert days.median <= 30
    contacts, weeks = metrics.employer_contacts_per_fte_week(ids, last_year)[service.pk]
    assert 4 <= contacts / weeks <= 6.5
    client = Client()
    client.force_login(_member("manager.demo").user)
    assert client.get(reverse("service_dashboard")).status_code == 200
    client.force_login(_member("commissioner.demo").user)
    assert client.get(reverse("outcomes_overview")).status_code == 200


def test_demo_contract_lists_claimable_events_and_one_claim_made(demo):
    from ipsworks.outcomes import funding
    from ipsworks.outcomes.models import Contract

    contract = Contract.objects.get(service__short_name="north-county")
    events = funding.claimable_events(contract)
    assert {e.event for e in events} >= {"job_start", "sustained_26"}
    assert contract.claims.count() == 1
    claimed = set(contract.claims.get().items.values_list("event", "referral_id", "job_id"))
    assert claimed
    assert not claimed & {(e.event, e.referral_id, e.job_id) for e in events}


def test_demo_has_public_pages_vacancies_distances_and_applications(demo):
    from ipsworks.matching.models import Application, PostcodeCentroid, Vacancy
    from ipsworks.public.models import PublicPage

    pages = PublicPage.objects.filter(is_enabled=True)
    assert pages.count() == 2
    assert all(p.duty_inbox_email.endswith("@example.com") for p in pages)
    assert Vacancy.objects.filter(status=Vacancy.Status.OPEN).count() >= 40
    postcodes = set(Person.objects.values_list("postcode", flat=True))
    assert postcodes <= set(PostcodeCentroid.objects.values_list("postcode", flat=True))
    applications = Application.objects.all()
    assert applications.exists()
    for application in applications.select_related("person"):
        assert application.applied_on <= TODAY
        assert application.status_changes.count() >= 1


# --- The demo's fidelity reviews -------------------------------------------------------------


def test_demo_has_an_external_reviewer_named_on_a_finished_review_a_year_ago(demo):
    from ipsworks.fidelity.models import FidelityReview

    reviewer = _member("reviewer.demo")
    assert (reviewer.role, reviewer.service) == (Role.FIDELITY_REVIEWER, None)
    assert "reviewer.demo" in settings.IPS_DEMO_USERNAMES
    assert "reviewer.demo" in demo
    team_a = _team("north-county", 0)
    finished, in_progress = FidelityReview.objects.order_by("period_end")
    assert (finished.status, finished.kind) == ("finished", "external")
    assert list(finished.reviewers.all()) == [reviewer]
    assert list(finished.teams.all()) == [team_a]
    assert finished.locked_at is not None
    assert 300 <= (TODAY - timezone.localdate(finished.locked_at)).days <= 400
    assert not finished.ratings.filter(final_rating__isnull=True).exists()
    assert (in_progress.status, in_progress.kind) == ("draft", "self_assessment")
    assert list(in_progress.teams.all()) == [team_a]
    assert not in_progress.reviewers.exists()
    assert in_progress.period_end < TODAY

    client = Client()
    client.force_login(reviewer.user)
    assert client.get(reverse("fidelity_reviews")).status_code == 200
    assert client.get(reverse("fidelity_review", args=[finished.pk])).status_code == 200
    assert client.get(reverse("fidelity_review", args=[in_progress.pk])).status_code == 404
    assert client.get(reverse("outcomes_overview")).status_code == 403
    manager = Client()
    manager.force_login(_member("manager.demo").user)
    history = manager.get(reverse("fidelity_history", args=[in_progress.pk])).content.decode()
    assert "<rect" in history


def test_load_demo_twice_adds_no_reviewer_or_review(demo):
    from ipsworks.fidelity.models import ActionPlanItem, FidelityReview, ItemRating

    def counts():
        return (
            FidelityReview.objects.count(),
            ItemRating.objects.count(),
            ActionPlanItem.objects.count(),
            StaffMember.objects.filter(role=Role.FIDELITY_REVIEWER).count(),
        )

    before = counts()
    assert before == (2, 50, 1, 1)
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == before


def test_load_demo_adds_the_reviews_to_a_demo_loaded_before_them(db, monkeypatch):
    from ipsworks.demo import fidelity_demo
    from ipsworks.fidelity.models import FidelityReview

    monkeypatch.setattr(fidelity_demo, "add_demo_fidelity", lambda **kwargs: False)
    call_command("load_demo", stdout=io.StringIO())  # as loaded before the reviews existed
    assert not FidelityReview.objects.exists()
    monkeypatch.undo()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Added the fidelity reviewer and reviews" in out.getvalue()
    assert FidelityReview.objects.count() == 2
    assert _member("reviewer.demo").fidelity_reviews.count() == 1
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "nothing was changed" in out.getvalue()
    assert FidelityReview.objects.count() == 2
