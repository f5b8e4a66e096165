import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ipsworks.access.models import AccessLogEntry
from ipsworks.activity.models import Contact
from ipsworks.core.dates import add_working_days, local_today
from ipsworks.people import presenters
from ipsworks.people.models import DisclosurePlan, Person, Referral, VocationalProfile
from tests import factories as f

pytestmark = pytest.mark.django_db


def _date(prefix, day):
    return {
        f"{prefix}[day]": str(day.day),
        f"{prefix}[month]": str(day.month),
        f"{prefix}[year]": str(day.year),
    }


def _referral_post(world, **overrides):
    data = {
        "given_name": "Robin",
        "family_name": "Testcase",
        "nhs_number": "",
        "postcode": "ls1 4ap",
        "gender_identity": "X",
        "ethnic_category": "99",
        "source": "P1",
        "team": str(world.team_a.pk),
        "pathway": "job_seeking",
        "employment_status_at_referral": "02",
        "weekly_hours_at_referral": "98",
        **_date("received_on", dt.date.today()),
    }
    data.update(overrides)
    return data


def test_clinician_refers_someone_in_one_page(world, as_staff):
    nhs = f.synthetic_nhs_number()
    response = as_staff(world.clinician).post(
        reverse("referral_new"), _referral_post(world, nhs_number=f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}")
    )
    person = Person.objects.get(nhs_number=nhs)
    assert response.status_code == 302
    assert response["Location"] == reverse("person_detail", args=[person.pk])
    assert person.postcode == "LS1 4AP"
    referral = person.referrals.get()
    assert (referral.referred_by, referral.team, referral.status) == (
        world.clinician,
        world.team_a,
        "received",
    )


def test_a_referrer_who_does_not_know_the_employment_status_can_say_so(world, as_staff):
    # "Not known yet" is kept blank: MHSDS ZZ would say the person declined to answer.
    page = as_staff(world.clinician).get(reverse("referral_new")).content.decode()
    assert "Not known yet" in page
    response = as_staff(world.clinician).post(
        reverse("referral_new"), _referral_post(world, employment_status_at_referral="")
    )
    assert response.status_code == 302
    referral = Person.objects.get(family_name="Testcase").referrals.get()
    assert referral.employment_status_at_referral == ""


@pytest.mark.parametrize("persona", ["clinician", "es_a"])
def test_a_referral_with_no_team_does_not_send_the_referrer_to_a_page_they_cannot_open(
    world, as_staff, persona
):
    client = as_staff(getattr(world, persona))
    response = client.post(reverse("referral_new"), _referral_post(world, team=""), follow=True)
    page = response.content.decode()
    person = Person.objects.get(family_name="Testcase")
    assert response.status_code == 200
    assert reverse("person_detail", args=[person.pk]) not in [
        url for url, _ in response.redirect_chain
    ]
    assert "Referral sent" in page
    assert "What happens next" in page
    assert reverse("person_detail", args=[person.pk]) not in page


def test_the_referrer_is_told_what_happens_next_and_by_when(world, as_staff, settings):
    settings.IPS_ALLOCATE_WITHIN_WORKING_DAYS = 2
    settings.IPS_FIRST_SEEN_WITHIN_DAYS = 7
    client = as_staff(world.clinician)
    response = client.post(reverse("referral_new"), _referral_post(world, team=""))
    referral = Person.objects.get(family_name="Testcase").referrals.get()
    assert response["Location"] == reverse("referral_sent", args=[referral.pk])
    page = client.get(response["Location"]).content.decode()
    steps = presenters.next_steps(referral)
    assert steps.allocated_by == add_working_days(max(referral.received_on, local_today()), 2)
    assert steps.seen_by == referral.received_on + dt.timedelta(days=7)
    for day in (steps.allocated_by, steps.seen_by):
        assert f"{day.day} {day:%B %Y}" in page
    # Only the referrer is told: anyone else, even in the same service, gets nothing.
    for persona in ("es_a", "manager", "admin"):
        other = as_staff(getattr(world, persona)).get(response["Location"])
        assert other.status_code in (403, 404)


def test_a_clinician_is_offered_only_their_own_team_and_it_is_chosen_for_them(world, as_staff):
    page = as_staff(world.clinician).get(reverse("referral_new")).content.decode()
    assert "Team A CMHT" in page
    assert "Team B CMHT" not in page
    assert f'value="{world.team_a.pk}" selected' in page
    response = as_staff(world.clinician).post(
        reverse("referral_new"), _referral_post(world, team=str(world.team_b.pk))
    )
    assert response.status_code == 200
    assert not Person.objects.filter(family_name="Testcase").exists()


def test_an_es_is_offered_every_team_with_none_chosen(world, as_staff):
    page = as_staff(world.es_a).get(reverse("referral_new")).content.decode()
    assert "Team A CMHT" in page
    assert "Team B CMHT" in page
    assert "selected" not in page.split('name="team"')[1].split("</select>")[0]


def test_refer_again_is_offered_once_every_referral_is_closed_and_fills_in_their_details(
    world, as_staff, today
):
    client = as_staff(world.manager)
    page = client.get(reverse("person_detail", args=[world.person_a.pk])).content.decode()
    assert "Refer again" not in page
    world.referral_a.status = "closed"
    world.referral_a.closed_on = today
    world.referral_a.closure_reason = "moved_away"
    world.referral_a.save()
    page = client.get(reverse("person_detail", args=[world.person_a.pk])).content.decode()
    link = f"{reverse('referral_new')}?person={world.person_a.pk}"
    assert link in page
    form = client.get(link).content.decode()
    assert f'value="{world.person_a.family_name}"' in form
    assert f'value="{world.person_a.nhs_number}"' in form


def test_refer_again_is_only_for_people_in_scope(world, as_staff):
    url = f"{reverse('referral_new')}?person={world.person_b.pk}"
    assert as_staff(world.es_a).get(url).status_code == 404


def test_a_re_referral_with_a_known_number_and_another_name_is_refused_on_the_page(
    world, as_staff, today
):
    world.referral_a.status = "closed"
    world.referral_a.closed_on = today
    world.referral_a.closure_reason = "moved_away"
    world.referral_a.save()
    response = as_staff(world.es_a).post(
        reverse("referral_new"), _referral_post(world, nhs_number=world.person_a.nhs_number)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This referral needs a check by the IPS service" in page
    assert world.person_a.family_name not in page
    assert world.person_a.referrals.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"nhs_number": "999 000 0011"}, "not a valid NHS number"),
        ({"nhs_number": "12345"}, "NHS number must be 10 digits"),
        ({"postcode": "NOT A CODE"}, "Enter a real UK postcode"),
        ({"given_name": ""}, "Enter their first name"),
        ({"source": ""}, "Select where the referral comes from"),
        (
            _date("received_on", dt.date.today() + dt.timedelta(days=1)),
            "must be today or in the past",
        ),
        (
            {"received_on[day]": "31", "received_on[month]": "2", "received_on[year]": "2026"},
            "must be a real date",
        ),
        ({"received_on[month]": ""}, "must include a month"),
        (_date("date_of_birth", dt.date.today() - dt.timedelta(days=365 * 5)), "aged 14 to 100"),
        (
            {"pathway": "job_retention", "employment_status_at_referral": "02"},
            "Job retention is for people who have a job",
        ),
        ({"email": "not-an-email"}, "Enter an email address"),
        ({"phone": "12"}, "Enter a phone number"),
    ],
)
def test_a_bad_referral_shows_the_error_and_saves_nothing(world, as_staff, overrides, message):
    people, referrals = Person.objects.count(), Referral.objects.count()
    response = as_staff(world.es_a).post(
        reverse("referral_new"), _referral_post(world, **overrides)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert (Person.objects.count(), Referral.objects.count()) == (people, referrals)


def test_the_referral_form_asks_no_readiness_diagnosis_or_benefits_questions(world, as_staff):
    page = as_staff(world.clinician).get(reverse("referral_new")).content.decode().lower()
    for word in ("diagnosis", "ready", "substance", "criminal", "benefit"):
        assert f'name="{word}' not in page


def test_closing_for_not_being_ready_is_refused_on_the_page(world, as_staff, today):
    response = as_staff(world.es_a).post(
        reverse("referral_close", args=[world.referral_a.pk]),
        {"reason": "not_ready", **_date("closed_on", today)},
    )
    assert response.status_code == 200
    assert "IPS does not turn anyone away" in response.content.decode()
    assert Referral.objects.get(pk=world.referral_a.pk).status == "accepted"


def test_closing_with_an_allowed_reason_returns_to_the_person(world, as_staff, today):
    response = as_staff(world.es_a).post(
        reverse("referral_close", args=[world.referral_a.pk]),
        {"reason": "moved_away", **_date("closed_on", today)},
    )
    assert response.status_code == 302
    assert Referral.objects.get(pk=world.referral_a.pk).closure_reason == "moved_away"


def test_manager_accepts_and_allocates_a_referral(world, as_staff, today):
    referral = f.ReferralFactory(person=f.PersonFactory(service=world.service), team=world.team_b)
    response = as_staff(world.manager).post(
        reverse("referral_accept", args=[referral.pk]),
        {"allocate_to": str(world.es_b.pk), **_date("accepted_on", today)},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.allocated_to) == ("accepted", world.es_b)


def test_a_referral_cannot_be_allocated_to_someone_outside_the_service(world, as_staff, today):
    referral = f.ReferralFactory(person=f.PersonFactory(service=world.service), team=world.team_b)
    response = as_staff(world.manager).post(
        reverse("referral_accept", args=[referral.pk]),
        {"allocate_to": str(world.outsider.pk), **_date("accepted_on", today)},
    )
    assert response.status_code == 200
    referral.refresh_from_db()
    assert (referral.status, referral.allocated_to) == ("received", None)


def test_opening_a_person_is_written_to_the_access_log(world, as_staff):
    as_staff(world.es_a).get(
        reverse("person_detail", args=[world.person_a.pk]), REMOTE_ADDR="10.1.2.3"
    )
    entry = AccessLogEntry.objects.get(action="view_person")
    assert (entry.user, entry.person_id, entry.ip_address) == (
        world.es_a.user,
        world.person_a.pk,
        "10.1.2.3",
    )


def test_clinician_sees_a_summary_without_case_notes(world, as_staff, today):
    f.ContactFactory(
        referral=world.referral_a, staff=world.es_a, note="Talked about a difficult week"
    )
    f.DisclosurePlanFactory(
        person=world.person_a, recorded_by=world.es_a, who_to_tell="Only the manager"
    )
    page = (
        as_staff(world.clinician)
        .get(reverse("person_detail", args=[world.person_a.pk]))
        .content.decode()
    )
    assert world.person_a.family_name in page
    assert "difficult week" not in page
    assert "Only the manager" not in page
    assert "Record a contact" not in page
    assert AccessLogEntry.objects.get().action == "view_person_summary"


def test_specialist_sees_the_timeline_with_contact_notes(world, as_staff):
    f.ContactFactory(
        referral=world.referral_a, staff=world.es_a, note="Talked about warehouse work"
    )
    page = (
        as_staff(world.es_a)
        .get(reverse("person_detail", args=[world.person_a.pk]))
        .content.decode()
    )
    assert "Talked about warehouse work" in page
    assert "Record a contact" in page


def test_a_team_colleague_reads_but_is_offered_no_changes(world, as_staff):
    page = (
        as_staff(world.colleague_a)
        .get(reverse("person_detail", args=[world.person_a.pk]))
        .content.decode()
    )
    assert world.person_a.family_name in page
    assert "Record a contact" not in page


def test_profile_with_fewest_hours_above_most_is_refused(world, as_staff):
    response = as_staff(world.es_a).post(
        reverse("profile_edit", args=[world.person_a.pk]),
        {"kinds_of_work": "Retail", "hours_min": "30", "hours_max": "16"},
    )
    assert "Most hours must be the same as or more than fewest hours" in response.content.decode()
    assert not VocationalProfile.objects.exists()


def test_profile_update_keeps_the_earlier_version_and_shows_what_changed(world, as_staff):
    client = as_staff(world.es_a)
    url = reverse("profile_edit", args=[world.person_a.pk])
    client.post(url, {"kinds_of_work": "Retail", "hours_min": "10", "hours_max": "20"})
    client.post(
        url,
        {
            "kinds_of_work": "Retail",
            "hours_min": "16",
            "hours_max": "20",
            "unsuitable_times": ["early_morning"],
        },
    )
    assert list(
        VocationalProfile.objects.values_list("version", flat=True).order_by("version")
    ) == [1, 2]
    page = client.get(reverse("person_detail", args=[world.person_a.pk])).content.decode()
    assert "Changed in this version: Fewest hours, Times that do not suit" in page


def test_disclosure_plan_is_saved_as_a_new_version(world, as_staff):
    client = as_staff(world.es_a)
    url = reverse("disclosure_edit", args=[world.person_a.pk])
    response = client.post(
        url,
        {"decision": "partial", "who_to_tell": "The manager only", "pros_and_cons_discussed": "on"},
    )
    assert response.status_code == 302
    plan = DisclosurePlan.objects.get()
    assert (
        plan.version,
        plan.decision,
        plan.pros_and_cons_discussed,
        plan.employer_contact_allowed,
    ) == (1, "partial", True, False)


def _caseload_of(world, size):
    for _ in range(size):
        referral = f.ReferralFactory(
            person=f.PersonFactory(service=world.service),
            team=world.team_a,
            allocated_to=world.es_a,
        )
        f.ContactFactory(referral=referral, staff=world.es_a)
        f.EpisodeFactory(referral=referral)


def _queries(client, url):
    client.get(url)  # the first request of a session also writes the session row
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_caseload_page_query_count_does_not_grow_with_the_caseload(world, as_staff):
    client = as_staff(world.es_a)
    _caseload_of(world, 2)
    small = _queries(client, reverse("caseload"))
    _caseload_of(world, 15)
    assert _queries(client, reverse("caseload")) == small


def test_person_page_query_count_does_not_grow_with_history(world, as_staff):
    client = as_staff(world.es_a)
    url = reverse("person_detail", args=[world.person_a.pk])
    f.ContactFactory(referral=world.referral_a, staff=world.es_a)
    few = _queries(client, url)
    for _ in range(20):
        f.ContactFactory(referral=world.referral_a, staff=world.colleague_a)
    assert _queries(client, url) == few


def test_caseload_lists_only_my_open_referrals_with_attention_flags(world, as_staff, today):
    overdue = f.ReferralFactory(
        person=f.PersonFactory(service=world.service, family_name="Waitingperson"),
        team=world.team_a,
        allocated_to=world.es_a,
        received_on=today - dt.timedelta(days=20),
    )
    page = as_staff(world.es_a).get(reverse("caseload")).content.decode()
    assert overdue.person.family_name in page
    assert "Waiting 20 days for first contact" in page
    assert world.person_a2.family_name not in page
    assert world.person_b.family_name not in page


@pytest.mark.parametrize(
    ("due_in_days", "flag"),
    [
        (-1, "In-work support overdue"),
        (0, "In-work support due"),
        (7, "In-work support due"),
        (8, None),
    ],
)
def test_caseload_flags_in_work_support_due_within_a_week(
    world, as_staff, today, due_in_days, flag
):
    from ipsworks.jobs.models import SupportCheckIn
    from ipsworks.jobs.services import JobDetails, record_job

    job = record_job(
        referral=world.referral_a,
        details=JobDetails(
            employer=f.EmployerFactory(service=world.service),
            job_title="Driver",
            soc_major_group="8",
            contract_type="permanent",
            start_date=today - dt.timedelta(days=7),
            hours_per_week=16,
            hourly_pay_pence=1400,
        ),
        by=world.es_a,
    )
    check_ins = SupportCheckIn.objects.filter(job=job)
    check_ins.update(due_on=today + dt.timedelta(days=100), met_on=None, cancelled=False)
    check_ins.filter(pk=check_ins.first().pk).update(due_on=today + dt.timedelta(days=due_in_days))
    page = as_staff(world.es_a).get(reverse("caseload")).content.decode()
    assert ("In-work support overdue<" in page) == (flag == "In-work support overdue")
    assert ("In-work support due<" in page) == (flag == "In-work support due")


def test_clinician_team_view_lists_team_people_only(world, as_staff):
    page = as_staff(world.clinician).get(reverse("team_people")).content.decode()
    assert world.person_a.family_name in page
    assert world.person_a2.family_name in page
    assert world.person_b.family_name not in page
    assert world.person_other.family_name not in page


def test_service_overview_shows_caseloads_and_unallocated_referrals(world, as_staff, today):
    waiting = f.ReferralFactory(
        person=f.PersonFactory(service=world.service, family_name="Unallocatedperson"),
        team=world.team_b,
        received_on=today - dt.timedelta(days=9),
    )
    other = f.ReferralFactory(
        person=f.PersonFactory(service=world.other_service, family_name="Otherserviceperson"),
        team=world.team_x,
    )
    page = as_staff(world.manager).get(reverse("service_overview")).content.decode()
    assert waiting.person.family_name in page
    assert other.person.family_name not in page
    assert world.es_a.display_name in page
    assert world.outsider.display_name not in page
    assert Contact.objects.count() == 0


def test_manager_opens_a_specialists_caseload_for_supervision(world, as_staff):
    page = as_staff(world.manager).get(reverse("specialist_caseload", args=[world.es_a.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert f"{world.es_a.display_name}’s caseload" in text
    assert "on their caseload" in text
    assert "on your caseload" not in text
    assert world.person_a.family_name in text
    assert world.person_b.family_name not in text


def test_specialist_caseload_is_for_managers_and_their_own_service_only(world, as_staff):
    url = reverse("specialist_caseload", args=[world.es_a.pk])
    assert as_staff(world.es_b).get(url).status_code == 403
    assert as_staff(world.clinician).get(url).status_code == 403
    other = reverse("specialist_caseload", args=[world.outsider.pk])
    assert as_staff(world.manager).get(other).status_code == 404


def test_specialist_corrects_a_persons_details_and_the_change_is_logged(world, as_staff):
    url = reverse("person_edit", args=[world.person_a.pk])
    data = dict.fromkeys(
        ("preferred_name", "nhs_number", "phone", "email", "contact_preferences"), ""
    )
    data.update(given_name="Alexis", family_name=world.person_a.family_name, postcode="ls1 4ap")
    data.update(gender_identity="3", ethnic_category="Z", nhs_number=world.person_a.nhs_number)
    response = as_staff(world.es_a).post(url, data)
    assert response.status_code == 302
    world.person_a.refresh_from_db()
    assert (world.person_a.given_name, world.person_a.postcode) == ("Alexis", "LS1 4AP")
    assert AccessLogEntry.objects.filter(action="change", object_type="Person").exists()


def test_a_duplicate_nhs_number_is_refused_when_correcting_details(world, as_staff):
    data = {
        "given_name": "Alexis",
        "family_name": "Testperson",
        "nhs_number": world.person_a2.nhs_number,
        "gender_identity": "X",
        "ethnic_category": "99",
    }
    response = as_staff(world.es_a).post(reverse("person_edit", args=[world.person_a.pk]), data)
    assert "Another person in this service has this NHS number" in response.content.decode()
    world.person_a.refresh_from_db()
    assert world.person_a.given_name != "Alexis"


@pytest.mark.parametrize(
    ("persona", "status"),
    [("colleague_a", 403), ("es_b", 404), ("clinician", 403), ("commissioner", 403)],
)
def test_only_the_caseload_holder_or_manager_can_change_details(world, as_staff, persona, status):
    url = reverse("person_edit", args=[world.person_a.pk])
    assert as_staff(getattr(world, persona)).get(url).status_code == status


def test_service_overview_flags_unanswered_employer_enquiries(world, as_staff):
    from ipsworks.public.models import EmployerEnquiry

    EmployerEnquiry.objects.create(
        service=world.service,
        employer=f.EmployerFactory(service=world.service),
        contact_name="Morgan Testowner",
        email="morgan@example.com",
        interests=["recruiting"],
    )
    page = as_staff(world.manager).get(reverse("service_overview")).content.decode()
    assert "1 employer enquiry is waiting for an answer" in page


def test_finding_a_person_by_name_or_nhs_number_within_scope_and_logged(world, as_staff):
    # A name unlike the team's "Testperson<n>", which a close-spelling search also finds.
    Person.objects.filter(pk=world.person_b.pk).update(family_name="Okonkwo")
    world.person_b.refresh_from_db()
    client = as_staff(world.es_a)
    page = client.get(reverse("person_search"), {"q": world.person_a.family_name}).content.decode()
    assert world.person_a.full_name in page
    by_number = client.get(
        reverse("person_search"), {"q": world.person_a.nhs_number}
    ).content.decode()
    assert world.person_a.full_name in by_number
    hidden = client.get(
        reverse("person_search"), {"q": world.person_b.family_name}
    ).content.decode()
    assert world.person_b.full_name not in hidden
    assert "Nobody matches" in hidden
    assert AccessLogEntry.objects.filter(action="search").count() == 3


@pytest.mark.parametrize(
    ("persona", "status"), [("commissioner", 403), ("admin", 403), ("clinician", 200)]
)
def test_person_search_by_role(world, as_staff, persona, status):
    response = as_staff(getattr(world, persona)).get(reverse("person_search"), {"q": "Test"})
    assert response.status_code == status


def test_updating_a_disclosure_plan_asks_why_and_keeps_the_reason_with_the_version(world, as_staff):
    client = as_staff(world.es_a)
    url = reverse("disclosure_edit", args=[world.person_a.pk])
    first = client.get(url).content.decode()
    assert "Why are you updating the plan?" not in first  # nothing to update yet
    client.post(url, {"decision": "undecided"})
    assert "Why are you updating the plan?" in client.get(url).content.decode()
    too_long = client.post(url, {"decision": "partial", "change_reason": "x" * 201})
    assert too_long.status_code == 200
    assert "at most 200 characters" in too_long.content.decode()
    assert DisclosurePlan.objects.count() == 1
    response = client.post(
        url, {"decision": "partial", "change_reason": "Started work, wants the manager told"}
    )
    assert response.status_code == 302
    plans = list(DisclosurePlan.objects.order_by("version").values_list("version", "change_reason"))
    assert plans == [(1, ""), (2, "Started work, wants the manager told")]
    person_page = client.get(reverse("person_detail", args=[world.person_a.pk])).content.decode()
    assert "Started work, wants the manager told" in person_page
    history = client.get(reverse("disclosure_history", args=[world.person_a.pk])).content.decode()
    assert "Why it changed: Started work, wants the manager told" in history
