"""The apps above people add to a person's record by registering, and a mistake in that
registration fails loudly instead of one part silently hiding another."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from ipsworks.activity import queries as activity_queries
from ipsworks.jobs import queries as job_queries
from ipsworks.jobs.record import WORK
from ipsworks.people import progress, record
from ipsworks.people.presenters import person_record
from ipsworks.people.record import Section
from tests import factories as f


@pytest.fixture
def sections(monkeypatch):
    """The registered sections, in a copy this test may change."""
    copy = dict(record._sections)
    monkeypatch.setattr(record, "_sections", copy)
    return copy


def test_the_person_record_has_the_sections_the_apps_above_register():
    assert [section.name for section in record.sections()] == ["jobs.work", "diary.tasks"]


def test_registering_the_same_section_twice_fails_loudly(sections):
    # What JobsConfig.ready does once; a second time is a mistake, not a no-op.
    with pytest.raises(ImproperlyConfigured, match=r"already has a section named 'jobs\.work'"):
        record.add_section(WORK)
    with pytest.raises(ImproperlyConfigured, match=r"'jobs\.work'"):
        record.add_section(Section(name="jobs.work", values=lambda view: {}))
    assert sections["jobs.work"] is WORK


def test_a_section_may_not_give_a_name_another_part_of_the_page_gives(world, sections, today):
    record.add_section(Section(name="tests.clash", values=lambda view: {"jobs": []}))
    with pytest.raises(ImproperlyConfigured, match=r"'tests\.clash' gives 'jobs'.*'jobs\.work'"):
        person_record(world.es_a, world.person_a, full_record=True, today=today)
    del sections["tests.clash"]
    record.add_section(Section(name="tests.clash", values=lambda view: {"referral": None}))
    with pytest.raises(ImproperlyConfigured, match=r"gives 'referral'.*the person's page"):
        person_record(world.es_a, world.person_a, full_record=True, today=today)


def test_sections_are_asked_in_the_order_they_were_added(world, sections, today):
    asked = []
    for name in ("tests.first", "tests.second"):
        record.add_section(
            Section(name=name, values=lambda view, name=name: asked.append(name) or {})
        )
    person_record(world.es_a, world.person_a, full_record=False, today=today)
    assert asked == ["tests.first", "tests.second"]
    assert [s.name for s in record.sections()] == [
        "jobs.work",
        "diary.tasks",
        "tests.first",
        "tests.second",
    ]


def test_the_work_tab_and_in_work_now_come_from_the_registered_section(
    world, as_staff, sections, settings
):
    """people's template draws what jobs registered, and names none of it itself."""
    settings.IPS_PAGE_CACHE = False
    url = reverse("person_detail", args=[world.person_a.pk])
    page = as_staff(world.es_a).get(url).content.decode()
    assert 'href="#work">Work</a>' in page
    assert "In work now" in page
    sections.clear()
    page = as_staff(world.es_a).get(url).content.decode()
    assert 'href="#work"' not in page
    assert "In work now" not in page
    assert 'href="#timeline">Timeline</a>' in page


def test_a_section_is_told_whether_the_viewer_sees_the_full_record(world, as_staff, sections):
    seen = []
    record.add_section(Section(name="tests.seen", values=lambda view: seen.append(view) or {}))
    as_staff(world.clinician).get(reverse("person_detail", args=[world.person_a.pk]))
    as_staff(world.es_a).get(reverse("person_detail", args=[world.person_a.pk]))
    assert [(v.staff, v.full_record, v.can_edit) for v in seen] == [
        (world.clinician, False, False),
        (world.es_a, True, True),
    ]


@pytest.fixture
def progress_registry(monkeypatch):
    monkeypatch.setattr(progress, "_annotations", dict(progress._annotations))
    monkeypatch.setattr(progress, "_contact_attempts", progress._contact_attempts)
    monkeypatch.setattr(progress, "_hours_worked", progress._hours_worked)


def test_a_caseload_column_or_an_answer_registered_twice_fails_loudly(progress_registry):
    # What ActivityConfig.ready and JobsConfig.ready registered, registered again.
    with pytest.raises(ImproperlyConfigured, match="'last_contact_on' is registered twice"):
        progress.add_annotation("last_contact_on", activity_queries.last_direct_contact)
    with pytest.raises(ImproperlyConfigured, match="'in_work' is registered twice"):
        progress.add_annotation("in_work", job_queries.in_work)
    with pytest.raises(ImproperlyConfigured, match="Failed contact attempts are answered twice"):
        progress.answer_contact_attempts(activity_queries.failed_contact_attempts)
    with pytest.raises(ImproperlyConfigured, match="Hours worked are answered twice"):
        progress.answer_hours_worked(job_queries.hours_worked_on)


def test_a_caseload_column_nobody_registered_is_an_error_not_a_missing_flag(today):
    with pytest.raises(LookupError, match="support_overdue_twice"):
        progress.annotations(today, "in_work", "support_overdue_twice")


def test_unanswered_questions_say_which_app_answers_them(progress_registry, world, today):
    progress._contact_attempts = None
    progress._hours_worked = None
    with pytest.raises(LookupError, match="activity registers it"):
        progress.contact_attempts(world.referral_a)
    with pytest.raises(LookupError, match="jobs registers it"):
        progress.hours_worked_on(world.person_a, today)


def test_failed_contact_attempts_are_counted_by_activity_for_the_referral(world):
    # Hours worked are answered by jobs: tests/people/test_hours_at_discharge.py.
    f.ContactFactory(referral=world.referral_a, outcome="attempted", mode="phone")
    f.ContactFactory(referral=world.referral_a, outcome="dna")
    f.ContactFactory(referral=world.referral_a)  # took place
    f.ContactFactory(referral=world.referral_a2, outcome="attempted", mode="phone")
    assert progress.contact_attempts(world.referral_a) == 2
