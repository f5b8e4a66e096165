"""The history pages of the vocational profile and the disclosure plan (issue 2).

Every version is kept (IPS fidelity item 14: the profile is updated after each job), so a
specialist can see what an answer said before and who changed it.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ipsworks.access.models import AccessLogEntry
from tests import factories as f

pytestmark = pytest.mark.django_db


def _profile(world, version, recorded_by=None, **answers):
    return f.VocationalProfileFactory(
        person=world.person_a, version=version, recorded_by=recorded_by or world.es_a, **answers
    )


def _plan(world, version, recorded_by=None, **answers):
    return f.DisclosurePlanFactory(
        person=world.person_a, version=version, recorded_by=recorded_by or world.es_a, **answers
    )


def _three_profiles(world):
    _profile(world, 1, kinds_of_work="Retail", hours_min=10, hours_max=20, goals="A job")
    _profile(
        world,
        2,
        kinds_of_work="Retail\nWarehouse work",
        hours_min=16,
        hours_max=20,
        goals="A job",
        unsuitable_times=["early_morning", "weekend"],
        change_reason="After the first interview",
    )
    _profile(
        world,
        3,
        kinds_of_work="Retail\nWarehouse work",
        hours_min=16,
        hours_max=25,
        goals="A job",
        unsuitable_times=["early_morning", "weekend"],
        travel_max_miles=5,
        change_reason="Started at the depot",
    )


def _history(world, kind="profile"):
    return reverse(f"{kind}_history", args=[world.person_a.pk])


def test_profile_history_shows_every_version_newest_first_with_old_and_new_answers(world, as_staff):
    _three_profiles(world)
    response = as_staff(world.es_a).get(_history(world))
    assert response.status_code == 200
    page = response.content.decode()
    v3, v2, v1 = (page.index(f'id="version-{n}"') for n in (3, 2, 1))
    assert v3 < v2 < v1
    assert '<a href="#version-3">Version 3</a>' in page
    version_3, version_2, version_1 = page[v3:v2], page[v2:v1], page[v1:]
    # Version 3: most hours 20 -> 25, furthest travel added; the others are counted.
    assert "Started at the depot" in version_3
    assert "20 hours a week" in version_3
    assert "25 hours a week" in version_3
    assert "Not recorded" in version_3
    assert "5 miles" in version_3
    assert "10 other answers unchanged" in version_3
    assert "Fewest hours" not in version_3
    # Version 2: lists and times read as words, not as stored values.
    assert "After the first interview" in version_2
    assert "10 hours a week" in version_2
    assert "16 hours a week" in version_2
    assert "Retail<br>Warehouse work" in version_2
    assert "Early morning (before 8am), Weekends" in version_2
    assert "early_morning" not in page
    assert "9 other answers unchanged" in version_2
    # Version 1: what it started with.
    assert "The first version" in version_1
    assert "A job" in version_1
    assert world.es_a.display_name in version_1


def test_disclosure_history_shows_what_the_plan_said_before(world, as_staff):
    _plan(world, 1, decision="undecided")
    _plan(
        world,
        2,
        decision="partial",
        who_to_tell="The manager only",
        pros_and_cons_discussed=True,
        review_on=dt.date(2026, 3, 3),
    )
    response = as_staff(world.es_a).get(_history(world, "disclosure"))
    assert response.status_code == 200
    page = response.content.decode()
    version_2 = page[page.index('id="version-2"') : page.index('id="version-1"')]
    assert "Not decided yet" in version_2
    assert "Tell some people only (for example the manager)" in version_2
    assert "The manager only" in version_2
    assert "Not yet" in version_2
    assert "Yes" in version_2
    assert "No date set" in version_2
    assert "3 March 2026" in version_2
    assert "2 other answers unchanged" in version_2


def test_a_team_colleague_may_read_the_history(world, as_staff):
    _three_profiles(world)
    assert as_staff(world.colleague_a).get(_history(world)).status_code == 200


def test_history_with_nothing_saved_says_so(world, as_staff):
    response = as_staff(world.es_a).get(_history(world, "disclosure"))
    assert response.status_code == 200
    assert "Nothing saved yet" in response.content.decode()


def test_history_pages_send_anonymous_visitors_to_sign_in(world, client):
    _three_profiles(world)
    for kind in ("profile", "disclosure"):
        response = client.get(_history(world, kind))
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


@pytest.mark.parametrize("persona", ["es_b", "outsider"])
def test_history_of_someone_out_of_scope_is_not_found(world, as_staff, persona):
    _three_profiles(world)
    for kind in ("profile", "disclosure"):
        assert as_staff(getattr(world, persona)).get(_history(world, kind)).status_code == 404
    assert not AccessLogEntry.objects.filter(action="view_person").exists()


@pytest.mark.parametrize("persona", ["clinician", "commissioner", "admin"])
def test_roles_without_the_full_record_may_not_see_the_history(world, as_staff, persona):
    _three_profiles(world)
    for kind in ("profile", "disclosure"):
        response = as_staff(getattr(world, persona)).get(_history(world, kind))
        assert response.status_code == 403
        assert "Warehouse work" not in response.content.decode()


def test_history_pages_answer_get_only(world, as_staff):
    assert as_staff(world.es_a).post(_history(world)).status_code == 405


def test_the_person_page_links_to_each_version_from_the_timeline_and_the_sections(world, as_staff):
    _three_profiles(world)
    _plan(world, 1)
    _plan(world, 2, decision="none")
    page = (
        as_staff(world.es_a)
        .get(reverse("person_detail", args=[world.person_a.pk]))
        .content.decode()
    )
    profile, disclosure = _history(world), _history(world, "disclosure")
    assert f'<a href="{profile}#version-2">Vocational profile updated (version 2)</a>' in page
    assert f'<a href="{profile}#version-1">Vocational profile started</a>' in page
    assert f'href="{disclosure}#version-2"' in page
    assert f'<a href="{profile}">See earlier versions</a>' in page
    assert f'<a href="{disclosure}">See earlier versions</a>' in page


def test_no_earlier_versions_link_for_a_first_version(world, as_staff):
    _profile(world, 1)
    page = (
        as_staff(world.es_a)
        .get(reverse("person_detail", args=[world.person_a.pk]))
        .content.decode()
    )
    assert "See earlier versions" not in page


@pytest.mark.parametrize("kind", ["profile", "disclosure"])
def test_history_query_count_does_not_grow_with_the_versions(
    world, as_staff, django_assert_num_queries, kind
):
    add = _profile if kind == "profile" else _plan
    client = as_staff(world.es_a)
    url = _history(world, kind)
    # Made first: a new staff member is a change to who is signed in (ADR 0010), which
    # would make the next request read the user again.
    recorders = [f.StaffFactory(service=world.service) for _ in range(6)]
    for version in (1, 2):
        add(world, version, recorded_by=recorders[version - 1])
    client.get(url)  # the first request of a session also writes the session row
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    for version in (3, 4, 5, 6):
        add(world, version, recorded_by=recorders[version - 1])
    with django_assert_num_queries(len(two)):
        response = client.get(url)
    assert response.content.decode().count('<a href="#version-') == 6
