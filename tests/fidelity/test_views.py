"""Every fidelity page, every persona; bad input on the pages; exports; query counts.

The review belongs to the world's service 1 and names one external fidelity reviewer. Another
fidelity reviewer, not named on it, and the other service's manager must get 404 for it; the
roles without fidelity permissions get 403; anonymous visitors are sent to sign in.
"""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ipsworks.access.models import AccessLogEntry
from ipsworks.access.roles import Role
from ipsworks.employers.models import EmployerContact
from ipsworks.fidelity import services
from ipsworks.fidelity.models import ActionPlanItem, FidelityReview, ItemRating
from tests import factories as f

pytestmark = pytest.mark.django_db

D = dt.date
START, END = D(2025, 4, 1), D(2026, 3, 31)


def _date(prefix, day):
    return {
        f"{prefix}[day]": str(day.day),
        f"{prefix}[month]": str(day.month),
        f"{prefix}[year]": str(day.year),
    }


@pytest.fixture
def people(world):
    """The world, plus reviewers and a manager in the other service."""
    world.reviewer = f.StaffFactory(role=Role.FIDELITY_REVIEWER, service=None)
    world.other_reviewer = f.StaffFactory(role=Role.FIDELITY_REVIEWER, service=None)
    world.other_manager = f.StaffFactory(role=Role.MANAGER, service=world.other_service)
    # person_a is active on the last day of the period: item 1's records list them.
    world.referral_a.received_on = D(2025, 5, 1)
    world.referral_a.save()
    f.EpisodeFactory(referral=world.referral_a, access_date=D(2025, 5, 2))
    f.ContactFactory(referral=world.referral_a, staff=world.es_a, contact_date=D(2026, 3, 20))
    return world


@pytest.fixture
def review(people):
    return services.start_review(
        service=people.service,
        period_start=START,
        period_end=END,
        kind="external",
        teams=[people.team_a],
        reviewers=[people.reviewer],
        by=people.manager,
    )


def _review_urls(review):
    pk = review.pk
    return {
        "fidelity_review": reverse("fidelity_review", args=[pk]),
        "fidelity_item": reverse("fidelity_item", args=[pk, 1]),
        "fidelity_records": reverse("fidelity_records", args=[pk, 1]),
        "fidelity_finish": reverse("fidelity_finish", args=[pk]),
        "fidelity_actions": reverse("fidelity_actions", args=[pk]),
        "fidelity_history": reverse("fidelity_history", args=[pk]),
        "fidelity_export_xlsx": reverse("fidelity_export_xlsx", args=[pk]),
        "fidelity_export_pdf": reverse("fidelity_export_pdf", args=[pk]),
    }


def _post_urls(review, action):
    pk = review.pk
    return [
        reverse("fidelity_refresh", args=[pk]),
        reverse("fidelity_new_version", args=[pk]),
        reverse("fidelity_action_status", args=[pk, action.pk]),
    ]


@pytest.fixture
def action(review, people):
    return services.add_action(
        review=review,
        item=1,
        action="Review caseloads",
        owner="Team leader",
        due_on=END,
        by=people.manager,
    )


# --- who gets what -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["manager", "reviewer"])
def test_manager_and_named_reviewer_open_every_review_page(people, review, as_staff, persona):
    client = as_staff(getattr(people, persona))
    assert client.get(reverse("fidelity_reviews")).status_code == 200
    for name, url in _review_urls(review).items():
        assert client.get(url).status_code == 200, name


@pytest.mark.parametrize("persona", ["other_reviewer", "other_manager"])
def test_out_of_scope_reviewers_and_managers_get_404(people, review, action, as_staff, persona):
    client = as_staff(getattr(people, persona))
    for name, url in _review_urls(review).items():
        assert client.get(url).status_code == 404, name
    for url in _post_urls(review, action):
        assert client.post(url).status_code == 404, url
    page = client.get(reverse("fidelity_reviews")).content.decode()
    assert reverse("fidelity_review", args=[review.pk]) not in page


@pytest.mark.parametrize("persona", ["es_a", "clinician", "commissioner", "admin", "outsider"])
def test_roles_without_fidelity_permissions_get_403(people, review, action, as_staff, persona):
    client = as_staff(getattr(people, persona))
    urls = [reverse("fidelity_reviews"), reverse("fidelity_review_new")]
    for url in urls + list(_review_urls(review).values()):
        response = client.get(url)
        assert response.status_code == 403, url
        assert people.person_a.family_name not in response.content.decode()
    for url in _post_urls(review, action):
        assert client.post(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_sign_in(review, action):
    client = Client()
    urls = [reverse("fidelity_reviews"), reverse("fidelity_review_new")]
    for url in urls + list(_review_urls(review).values()):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))
    for url in _post_urls(review, action):
        assert client.post(url).status_code == 302


def test_a_reviewer_cannot_start_a_review(people, as_staff):
    assert as_staff(people.reviewer).get(reverse("fidelity_review_new")).status_code == 403


@pytest.mark.parametrize("home", ["in_service", "external"])
def test_a_reviewer_sees_aggregates_only_through_their_reviews_evidence(
    people, review, as_staff, home
):
    """The issue: "A fidelity reviewer role sees aggregates and the de-identified drill-down
    for the review period only", so no outcome pages or exports, whichever period."""
    reviewer = people.reviewer
    if home == "in_service":
        reviewer = f.StaffFactory(role=Role.FIDELITY_REVIEWER, service=people.service)
        review.reviewers.add(reviewer)
    client = as_staff(reviewer)
    for url in [
        reverse("outcomes_overview"),
        reverse("outcomes_overview") + "?period=2023-24",
        reverse("exports"),
        reverse("export_status", args=[1]),
        reverse("export_download", args=[1]),
    ]:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("exports"), {"kind": "commissioner_csv"}).status_code == 403
    assert (
        reverse("outcomes_overview") not in client.get(reverse("fidelity_reviews")).content.decode()
    )
    for name, url in _review_urls(review).items():
        assert client.get(url).status_code == 200, name


def test_wrong_methods_get_405(people, review, action, as_staff):
    client = as_staff(people.manager)
    get_only = [
        reverse("fidelity_reviews"),
        *(
            url
            for name, url in _review_urls(review).items()
            if name not in ("fidelity_item", "fidelity_finish", "fidelity_actions")
        ),
    ]
    for url in get_only:
        assert client.post(url).status_code == 405, url
    for url in _post_urls(review, action):
        assert client.get(url).status_code == 405, url
    for url in _review_urls(review).values():
        assert client.delete(url).status_code == 405, url
    assert client.put(reverse("fidelity_review_new")).status_code == 405


# --- de-identification -------------------------------------------------------------------------


def test_a_reviewer_sees_references_not_names(people, review, as_staff):
    person = people.person_a
    reference = f"IPS-{people.service.pk}-{people.referral_a.pk}"
    for persona in ("reviewer",):
        client = as_staff(getattr(people, persona))
        pages = [client.get(url) for url in _review_urls(review).values()]
        records = client.get(reverse("fidelity_records", args=[review.pk, 1])).content.decode()
        assert reference in records
        for response in pages:
            body = response.content
            for secret in (person.family_name, person.given_name + " " + person.family_name):
                assert secret.encode() not in body
            assert person.nhs_number.encode() not in body
            assert person.postcode.encode() not in body
            assert b"17 May 1990" not in body


def test_item_16_records_list_applications_by_reference_with_kinds_of_work(
    people, review, as_staff
):
    from tests.matching.factories import ApplicationFactory, VacancyFactory

    person = people.person_a
    f.VocationalProfileFactory(
        person=person, recorded_by=people.es_a, kinds_of_work="Bicycle repair work"
    )
    vacancy = VacancyFactory(
        employer=f.EmployerFactory(service=people.service, name="Spokes Ltd"),
        title="Cycle mechanic",
        created_by=people.es_a,
    )
    ApplicationFactory(
        vacancy=vacancy, person=person, created_by=people.es_a, applied_on=D(2025, 6, 1)
    )
    reference = f"IPS-{people.service.pk}-{people.referral_a.pk}"
    body = (
        as_staff(people.reviewer)
        .get(reverse("fidelity_records", args=[review.pk, 16]))
        .content.decode()
    )
    assert "Job applications" in body
    assert "Cycle mechanic" in body
    assert "Bicycle repair work" in body
    assert reference in body
    assert person.family_name not in body
    assert person.nhs_number not in body


def test_a_manager_sees_names_in_the_records_and_the_read_is_logged(people, review, as_staff):
    page = as_staff(people.manager).get(reverse("fidelity_records", args=[review.pk, 1]))
    body = page.content.decode()
    assert people.person_a.full_name in body
    assert f"IPS-{people.service.pk}-{people.referral_a.pk}" in body
    entry = AccessLogEntry.objects.get(action="view_person_summary", object_type="FidelityReview")
    assert entry.reason == "fidelity item 1 records"


def test_records_stay_in_the_review_teams(people, review, as_staff):
    f.EpisodeFactory(referral=people.referral_b, access_date=D(2025, 5, 2))
    f.ContactFactory(referral=people.referral_b, staff=people.es_b, contact_date=D(2026, 3, 20))
    page = as_staff(people.manager).get(reverse("fidelity_records", args=[review.pk, 1]))
    assert people.person_b.full_name not in page.content.decode()


# --- starting and rating on the pages --------------------------------------------------------


def _start_post(world, **overrides):
    data = {"kind": "self_assessment", **_date("period_start", START), **_date("period_end", END)}
    data.update(overrides)
    return data


def test_manager_starts_a_review_on_the_page(people, as_staff):
    response = as_staff(people.manager).post(
        reverse("fidelity_review_new"),
        _start_post(people, teams=[str(people.team_a.pk)], reviewers=[str(people.reviewer.pk)]),
    )
    review = FidelityReview.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("fidelity_review", args=[review.pk])
    assert list(review.teams.all()) == [people.team_a]
    assert list(review.reviewers.all()) == [people.reviewer]
    assert review.ratings.count() == 25


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            _date("period_end", START - dt.timedelta(days=1)),
            "must be the same as or after its start",
        ),
        ({"kind": ""}, "Select what kind of review it is"),
        ({"period_end[month]": ""}, "must include a month"),
        (_date("period_end", dt.date.today() + dt.timedelta(days=1)), "today or in the past"),
        ({"teams": ["999999"]}, "Choose teams from the list"),
    ],
)
def test_a_bad_start_is_refused_and_nothing_saved(people, as_staff, overrides, message):
    response = as_staff(people.manager).post(
        reverse("fidelity_review_new"), _start_post(people, **overrides)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert FidelityReview.objects.count() == 0


def _rate(client, review, item, **data):
    return client.post(reverse("fidelity_item", args=[review.pk, item]), data)


def test_rating_an_item_on_the_page_and_going_to_the_next(people, review, as_staff):
    client = as_staff(people.reviewer)
    response = _rate(client, review, 6, final_rating="4", notes="Monthly meetings", next="1")
    assert response.status_code == 302
    assert response["Location"] == reverse("fidelity_item", args=[review.pk, 7])
    rating = ItemRating.objects.get(review=review, item=6)
    assert (rating.final_rating, rating.notes, rating.rated_by) == (
        4,
        "Monthly meetings",
        people.reviewer,
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"final_rating": "6"}, "The rating must be a whole number from 1 to 5"),
        ({"final_rating": "0"}, "The rating must be a whole number from 1 to 5"),
        ({"final_rating": "three"}, "The rating must be a whole number from 1 to 5"),
        ({}, "Select a final rating from 1 to 5"),
        (
            {"final_rating": "5", "elements": ["weekly_meetings"]},
            "differs from the proposed rating of 1",
        ),
    ],
)
def test_bad_ratings_are_refused_on_the_page_and_nothing_saved(
    people, review, as_staff, data, message
):
    response = _rate(as_staff(people.manager), review, 5, **data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    rating = ItemRating.objects.get(review=review, item=5)
    assert (rating.final_rating, rating.elements) == (None, [])


def test_a_changed_computed_rating_needs_a_reason_on_the_page(people, review, as_staff):
    client = as_staff(people.manager)
    proposed = ItemRating.objects.get(review=review, item=1).proposed_rating
    other = 1 if proposed != 1 else 2
    response = _rate(client, review, 1, final_rating=str(other))
    assert f"differs from the proposed rating of {proposed}" in response.content.decode()
    assert ItemRating.objects.get(review=review, item=1).final_rating is None
    response = _rate(client, review, 1, final_rating=str(other), reason="Seen in supervision")
    assert response.status_code == 302
    assert ItemRating.objects.get(review=review, item=1).reason == "Seen in supervision"


def _finish(review, by):
    for r in review.ratings.all():
        reason = "" if r.proposed_rating in (None, 3) else "Agreed at the review"
        if r.item in (3, 5, 7, 8, 9, 10, 11, 13, 14, 18, 22, 25):
            reason = "Agreed at the review"
        services.rate_item(review=review, item=r.item, final_rating=3, reason=reason, by=by)
    return services.finish_review(review=review, by=by)


def test_editing_a_locked_review_is_refused_on_the_page(people, review, as_staff):
    _finish(review, people.manager)
    client = as_staff(people.manager)
    response = _rate(client, review, 6, final_rating="5", reason="Changed my mind")
    assert response.status_code == 409
    assert "finished and locked" in response.content.decode()
    assert ItemRating.objects.get(review=review, item=6).final_rating == 3
    response = client.post(
        reverse("fidelity_actions", args=[review.pk]),
        {"item": "1", "action": "More", "owner": "Me", **_date("due_on", END)},
    )
    assert "finished and locked" in response.content.decode()
    assert not ActionPlanItem.objects.filter(review=review).exists()


def test_finishing_on_the_page_lists_unrated_items_then_locks(people, review, as_staff):
    client = as_staff(people.manager)
    response = client.post(reverse("fidelity_finish", args=[review.pk]))
    assert "Rate every item before finishing" in response.content.decode()
    assert FidelityReview.objects.get(pk=review.pk).status == "draft"
    for r in review.ratings.all():
        reason = "Agreed" if r.item in (3, 5, 7, 8, 9, 10, 11, 13, 14, 18, 22, 25) else ""
        if r.proposed_rating not in (None, 3):
            reason = "Agreed"
        services.rate_item(
            review=review, item=r.item, final_rating=3, reason=reason, by=people.manager
        )
    response = client.post(reverse("fidelity_finish", args=[review.pk]))
    assert response.status_code == 302
    assert FidelityReview.objects.get(pk=review.pk).is_locked
    page = client.get(reverse("fidelity_review", args=[review.pk])).content.decode()
    assert "75 out of 125: Fair fidelity" in page
    assert "Make a new version" in page


def test_making_a_new_version_on_the_page(people, review, as_staff):
    _finish(review, people.manager)
    response = as_staff(people.reviewer).post(reverse("fidelity_new_version", args=[review.pk]))
    copy = FidelityReview.objects.get(previous=review)
    assert response["Location"] == reverse("fidelity_review", args=[copy.pk])
    assert list(copy.reviewers.all()) == [people.reviewer]


def test_action_plan_add_and_progress(people, review, as_staff):
    client = as_staff(people.manager)
    response = client.post(
        reverse("fidelity_actions", args=[review.pk]),
        {
            "item": "17",
            "action": "Six visits a week",
            "owner": "Specialists",
            **_date("due_on", END),
        },
    )
    assert response.status_code == 302
    action = ActionPlanItem.objects.get(review=review)
    assert (action.item, action.status) == (17, "not_started")
    _finish(review, people.manager)
    client.post(reverse("fidelity_action_status", args=[review.pk, action.pk]), {"status": "done"})
    assert ActionPlanItem.objects.get(pk=action.pk).status == "done"
    bad = client.post(
        reverse("fidelity_actions", args=[review.pk]), {"item": "1", "action": "", "owner": ""}
    )
    assert "Enter what will be done" in bad.content.decode()


def test_action_plan_refuses_missing_fields(people, review, as_staff):
    response = as_staff(people.manager).post(
        reverse("fidelity_actions", args=[review.pk]), {"item": "", "action": "", "owner": ""}
    )
    page = response.content.decode()
    for message in (
        "Select the item",
        "Enter what will be done",
        "Enter who will do it",
        "Enter the due date",
    ):
        assert message in page
    assert not ActionPlanItem.objects.exists()


# --- history and exports ---------------------------------------------------------------------


def test_history_shows_finished_reviews_side_by_side(people, review, as_staff):
    _finish(review, people.manager)
    copy = services.new_version(review=review, by=people.manager)
    services.rate_item(review=copy, item=6, final_rating=5, reason="", by=people.manager)
    services.finish_review(review=copy, by=people.manager)
    later = services.start_review(
        service=people.service,
        period_start=D(2026, 4, 1),
        period_end=D(2026, 9, 30),
        kind="self_assessment",
        teams=[],
        reviewers=[],
        by=people.manager,
    )
    _finish(later, people.manager)
    page = (
        as_staff(people.manager).get(reverse("fidelity_history", args=[later.pk])).content.decode()
    )
    assert "Mar 2026 v2" in page  # the superseded version 1 is left out
    assert "Mar 2026 v1" not in page
    assert "Sep 2026 v1" in page
    assert page.count("<rect") >= 50
    assert "<strong>77</strong>" in page  # version 2 of the first review
    assert "<strong>75</strong>" in page


def test_exports_are_the_reviewers_layout_and_name_no_one(people, review, as_staff):
    from openpyxl import load_workbook

    services.rate_item(
        review=review,
        item=6,
        final_rating=4,
        notes="JCP monthly",
        recommendation="Keep going",
        by=people.manager,
    )
    for persona in ("manager", "reviewer"):
        client = as_staff(getattr(people, persona))
        xlsx = client.get(reverse("fidelity_export_xlsx", args=[review.pk]))
        assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "attachment" in xlsx["Content-Disposition"]
        book = load_workbook(io.BytesIO(xlsx.content))
        rows = list(book["Review"].iter_rows(values_only=True))
        assert rows[3][:6] == (
            "Item",
            "Item name",
            "Section",
            "Rating",
            "Proposed rating",
            "Evidence",
        )
        item6 = next(r for r in rows if r[0] == 6)
        assert (item6[3], item6[8]) == (4, "Keep going")
        assert "Action plan" in book.sheetnames
        pdf = client.get(reverse("fidelity_export_pdf", args=[review.pk]))
        assert pdf.content.startswith(b"%PDF")
        for body in (xlsx.content, pdf.content):
            assert people.person_a.family_name.encode() not in body
    assert AccessLogEntry.objects.filter(action="export", object_type="FidelityReview").count() == 4


def test_exports_carry_the_checklist_and_the_entered_value(people, review, as_staff):
    from openpyxl import load_workbook

    from ipsworks.fidelity import exports, presenters, queries

    services.rate_item(
        review=review,
        item=5,
        final_rating=3,
        elements=["weekly_meetings", "shared_record", "co_located"],
        notes="Seen at the Tuesday meeting",
        by=people.manager,
    )
    services.rate_item(
        review=review, item=2, final_rating=4, entered_value=Decimal("92.5"), by=people.manager
    )
    expected_item5 = [
        "Checklist: 3 of 5 elements in place",
        "In place: Specialists attend their clinical teams' meetings at least weekly",
        "Not in place: Specialists take part in shared decision-making",
        "In place: Specialists' notes are kept in the clinical record",
        "In place: Specialists' offices are with, or near, their clinical teams",
        "Not in place: Specialists help the team think about employment",
    ]
    expected_item2 = (
        "Entered by the reviewer: Share of specialists' time spent on employment work: 92.5%"
    )

    xlsx = as_staff(people.reviewer).get(reverse("fidelity_export_xlsx", args=[review.pk]))
    rows = list(load_workbook(io.BytesIO(xlsx.content))["Review"].iter_rows(values_only=True))
    item5 = next(r for r in rows if r[0] == 5)
    item2 = next(r for r in rows if r[0] == 2)
    evidence5 = item5[5].splitlines()
    for line in expected_item5:
        assert any(e.startswith(line) for e in evidence5), line
    assert item5[7] == "Seen at the Tuesday meeting"
    assert expected_item2 in item2[5]
    item8 = next(r for r in rows if r[0] == 8)  # a checklist item not rated yet
    assert "Checklist: not completed yet" in item8[5]

    summary = presenters.summary(review, queries.ratings_of(review))
    html = exports.report_html(review, summary, [])
    for text in [*expected_item5, expected_item2, "Seen at the Tuesday meeting"]:
        assert text.replace("'", "&#39;") in html or text in html, text


def test_item_23_page_says_its_bands_are_ips_works_proxy(people, review, as_staff):
    page = (
        as_staff(people.reviewer)
        .get(reverse("fidelity_item", args=[review.pk, 23]))
        .content.decode()
        .replace("&#39;", "'")
    )
    assert "these bands are IPS Works's proxy, so use your judgement" in page
    assert "Little or no support is given once people start work" in page


# --- query counts ------------------------------------------------------------------------------


def _queries(client, url):
    client.get(url)  # the first request of a session also writes the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _more_records(world, n):
    for _ in range(n):
        referral = f.ReferralFactory(
            person=f.PersonFactory(service=world.service),
            team=world.team_a,
            allocated_to=world.es_a,
            received_on=D(2025, 6, 1),
        )
        f.EpisodeFactory(referral=referral, access_date=D(2025, 6, 2))
        f.ContactFactory(referral=referral, staff=world.es_a, contact_date=D(2026, 3, 25))


def test_review_page_query_count_does_not_grow_with_the_data(people, review, as_staff):
    client = as_staff(people.manager)
    url = reverse("fidelity_review", args=[review.pk])
    few = _queries(client, url)
    _more_records(people, 15)
    services.refresh_evidence(review=review, by=people.manager)
    for item in (2, 6):
        services.rate_item(review=review, item=item, final_rating=3, by=people.manager)
    assert _queries(client, url) == few


@pytest.mark.parametrize("item", [1, 4, 12, 15, 16, 19, 23, 25])
def test_records_page_query_count_does_not_grow_with_the_records(people, review, as_staff, item):
    client = as_staff(people.manager)
    url = reverse("fidelity_records", args=[review.pk, item])
    few = _queries(client, url)
    _more_records(people, 12)
    assert _queries(client, url) == few


def test_working_out_the_evidence_again_on_the_page(people, review, as_staff):
    before = ItemRating.objects.get(review=review, item=15).evidence["headline"]
    EmployerContact.objects.create(
        service=people.service,
        employer=f.EmployerFactory(service=people.service),
        staff=people.es_a,
        person=people.person_a,
        contact_date=D(2025, 5, 12),
        mode="face_to_face",
        purpose="present_person",
    )
    response = as_staff(people.reviewer).post(reverse("fidelity_refresh", args=[review.pk]))
    assert response["Location"] == reverse("fidelity_review", args=[review.pk])
    after = ItemRating.objects.get(review=review, item=15)
    assert before.startswith("No face-to-face employer contacts")
    assert after.evidence["headline"].startswith("On average 10.0 days")
    assert after.proposed_rating == 5
