"""Correcting a vacancy: who may, the same rules as adding one (but a closing date that has
passed may be kept), nothing saved on bad input, and matching follows the new details."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ipsworks.access.models import AccessLogEntry
from ipsworks.access.roles import ROLE_PERMISSIONS, Permission, Role
from ipsworks.matching import features, queries, rules, services
from ipsworks.matching.models import Vacancy
from tests import factories as f
from tests.matching.factories import VacancyFactory

pytestmark = pytest.mark.django_db

_FIELDS = (
    "employer_id",
    "title",
    "soc_major_group",
    "hours_min",
    "hours_max",
    "shift_pattern",
    "times_of_day",
    "hourly_pay_pence",
    "postcode",
    "closing_date",
    "source",
    "reference",
    "status",
    "dedupe_key",
    "updated_at",
)


def _date(prefix, day):
    return {
        f"{prefix}[day]": str(day.day),
        f"{prefix}[month]": str(day.month),
        f"{prefix}[year]": str(day.year),
    }


def _snapshot(vacancy):
    vacancy.refresh_from_db()
    return {name: getattr(vacancy, name) for name in _FIELDS}


@pytest.fixture
def vacancy(world):
    """A warehouse job at Riverside Distribution, added by Alex (es_a) a while ago."""
    employer = f.EmployerFactory(service=world.service, name="Riverside Distribution")
    return VacancyFactory(
        employer=employer,
        title="Warehouse oprative",
        soc_major_group="9",
        hours_min=Decimal("16"),
        hours_max=Decimal("20"),
        hourly_pay_pence=1271,
        postcode="AA1 1AB",
        created_by=world.es_a,
    )


def _form(vacancy, **changes):
    """What the edit page posts back when nothing is changed, with ``changes`` applied."""
    data = {
        "employer": str(vacancy.employer_id),
        "title": vacancy.title,
        "soc_major_group": vacancy.soc_major_group,
        "hours_min": "16",
        "hours_max": "20",
        "shift_pattern": vacancy.shift_pattern,
        "times_of_day": list(vacancy.times_of_day),
        "hourly_pay": "12.71",
        "postcode": vacancy.postcode,
        "source": vacancy.source,
        "reference": vacancy.reference,
        **_date("closing_date", vacancy.closing_date),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _url(vacancy):
    return reverse("vacancy_edit", args=[vacancy.pk])


# --- Happy path ----------------------------------------------------------------------------


def test_the_edit_page_is_filled_in_with_the_vacancy(world, vacancy, as_staff):
    page = as_staff(world.es_a).get(_url(vacancy)).content.decode()
    assert 'value="Warehouse oprative"' in page
    assert 'value="16"' in page
    assert 'value="20"' in page
    assert 'value="12.71"' in page
    assert 'value="AA1 1AB"' in page
    assert f'value="{vacancy.closing_date.year}"' in page
    assert f'value="{vacancy.employer_id}" selected' in page
    assert "Save changes" in page


def test_a_specialist_corrects_a_typo_and_new_hours(world, vacancy, as_staff):
    created_by, created_at = vacancy.created_by, vacancy.created_at
    response = as_staff(world.es_a).post(
        _url(vacancy),
        _form(vacancy, title="Warehouse operative", hours_min="25", hours_max="30"),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("vacancy_detail", args=[vacancy.pk])
    vacancy.refresh_from_db()
    assert (vacancy.title, vacancy.hours_min, vacancy.hours_max) == (
        "Warehouse operative",
        Decimal("25"),
        Decimal("30"),
    )
    assert (vacancy.created_by, vacancy.created_at, vacancy.status) == (
        created_by,
        created_at,
        "open",
    )
    assert vacancy.dedupe_key == rules.dedupe_key(
        employer_id=vacancy.employer_id,
        title="Warehouse operative",
        postcode=vacancy.postcode,
        closing_date=vacancy.closing_date,
        reference="",
    )
    event = AccessLogEntry.objects.get(
        action=AccessLogEntry.Action.CHANGE, object_type="Vacancy", object_id=vacancy.pk
    )
    assert event.reason == "changed title, hours_min, hours_max"


def _details(vacancy):
    return services.VacancyDetails(
        employer=vacancy.employer,
        title=vacancy.title,
        soc_major_group=vacancy.soc_major_group,
        hours_min=vacancy.hours_min,
        hours_max=vacancy.hours_max,
        source=vacancy.source,
        postcode=vacancy.postcode,
        closing_date=vacancy.closing_date,
    )


def test_a_manager_may_change_any_vacancy_in_the_service(world, vacancy, as_staff):
    response = as_staff(world.manager).post(_url(vacancy), _form(vacancy, hourly_pay="13.50"))
    assert response.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.hourly_pay_pence == 1350


def test_saving_without_changes_writes_nothing(world, vacancy, as_staff):
    before = _snapshot(vacancy)
    response = as_staff(world.es_a).post(_url(vacancy), _form(vacancy))
    assert response.status_code == 302
    assert _snapshot(vacancy) == before
    assert not AccessLogEntry.objects.filter(action=AccessLogEntry.Action.CHANGE).exists()


def test_the_vacancy_page_links_to_the_change_page(world, vacancy, as_staff):
    page = as_staff(world.es_a).get(reverse("vacancy_detail", args=[vacancy.pk]))
    assert f'href="{_url(vacancy)}"' in page.content.decode()
    assert 'Change<span class="nhsuk-u-visually-hidden"> job title</span>' in (
        page.content.decode()
    )


def test_someone_who_may_see_but_not_add_vacancies_gets_no_change_link(
    world, vacancy, as_staff, monkeypatch
):
    """No role has that mix today; the link follows the permission, not the role's name."""
    reader = ROLE_PERMISSIONS[Role.MANAGER] - {Permission.WORK_WITH_EMPLOYERS}
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.MANAGER, reader)
    client = as_staff(world.manager)
    page = client.get(reverse("vacancy_detail", args=[vacancy.pk]))
    assert page.status_code == 200
    assert _url(vacancy) not in page.content.decode()
    assert client.get(_url(vacancy)).status_code == 403


# --- Who may -------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(vacancy):
    before = _snapshot(vacancy)
    client = Client()
    for response in (
        client.get(_url(vacancy)),
        client.post(_url(vacancy), _form(vacancy, title="Changed")),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert _snapshot(vacancy) == before


def test_another_services_specialist_gets_not_found_and_no_data(world, vacancy, as_staff):
    before = _snapshot(vacancy)
    client = as_staff(world.outsider)
    page = client.get(_url(vacancy))
    assert page.status_code == 404
    assert "Warehouse oprative" not in page.content.decode()
    assert "Riverside Distribution" not in page.content.decode()
    response = client.post(_url(vacancy), _form(vacancy, title="Changed"))
    assert response.status_code == 404
    assert "Riverside Distribution" not in response.content.decode()
    assert _snapshot(vacancy) == before


@pytest.mark.parametrize("persona", ["clinician", "commissioner", "admin"])
def test_roles_that_may_not_add_vacancies_are_refused(world, vacancy, as_staff, persona):
    before = _snapshot(vacancy)
    client = as_staff(getattr(world, persona))
    assert client.get(_url(vacancy)).status_code == 403
    assert client.post(_url(vacancy), _form(vacancy, title="Changed")).status_code == 403
    assert _snapshot(vacancy) == before


def test_vacancies_are_the_services_so_another_team_may_correct_them(world, vacancy, as_staff):
    assert as_staff(world.es_b).get(_url(vacancy)).status_code == 200


def test_wrong_methods_are_refused(world, vacancy, as_staff):
    client = as_staff(world.es_a)
    assert client.put(_url(vacancy)).status_code == 405
    assert client.delete(_url(vacancy)).status_code == 405


def test_the_service_refuses_a_vacancy_from_another_service(world, vacancy):
    with pytest.raises(ValidationError):
        services.update_vacancy(vacancy=vacancy, details=_details(vacancy), by=world.outsider)


# --- Bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"hours_min": "101"}, "Hours a week must be between 0 and 100"),
        ({"hours_min": "-2"}, "Hours a week must be between 0 and 100"),
        ({"hours_max": "120"}, "Hours a week must be between 0 and 100"),
        ({"hours_max": "8"}, "cannot be fewer than the fewest"),
        ({"hourly_pay": "-3.00"}, "Hourly pay cannot be negative"),
        ({"postcode": "NOPE"}, "real UK postcode"),
        ({"title": ""}, "Enter the job title"),
        (_date("closing_date", dt.date.today() - dt.timedelta(days=1)), "today or in the future"),
    ],
)
def test_bad_details_are_refused_and_nothing_is_saved(world, vacancy, as_staff, changes, message):
    before = _snapshot(vacancy)
    data = _form(vacancy, title="Warehouse operative")  # a good change alongside the bad one
    data.update(changes)
    response = as_staff(world.es_a).post(_url(vacancy), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page  # the NHS.UK error summary
    assert message in page
    assert _snapshot(vacancy) == before


def test_a_correction_that_duplicates_another_vacancy_is_refused(world, vacancy, as_staff):
    VacancyFactory(
        employer=vacancy.employer,
        title="Warehouse operative",
        postcode=vacancy.postcode,
        closing_date=vacancy.closing_date,
        created_by=world.es_a,
    )
    before = _snapshot(vacancy)
    response = as_staff(world.es_a).post(_url(vacancy), _form(vacancy, title="Warehouse operative"))
    assert "Another vacancy is already recorded" in response.content.decode()
    assert _snapshot(vacancy) == before


def test_an_employer_from_another_service_cannot_be_chosen(world, vacancy, as_staff):
    elsewhere = f.EmployerFactory(service=world.other_service)
    before = _snapshot(vacancy)
    response = as_staff(world.es_a).post(_url(vacancy), _form(vacancy, employer=str(elsewhere.pk)))
    assert "Select a valid choice" in response.content.decode()
    assert _snapshot(vacancy) == before


# --- Closing dates that have passed --------------------------------------------------------


@pytest.fixture
def closed_last_week(vacancy, today):
    Vacancy.objects.filter(pk=vacancy.pk).update(closing_date=today - dt.timedelta(days=7))
    vacancy.refresh_from_db()
    return vacancy


def test_a_passed_closing_date_left_alone_does_not_block_a_correction(
    world, closed_last_week, as_staff
):
    vacancy = closed_last_week
    response = as_staff(world.es_a).post(_url(vacancy), _form(vacancy, title="Warehouse operative"))
    assert response.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.title == "Warehouse operative"


def test_a_closing_date_moved_to_another_past_date_is_refused(
    world, closed_last_week, as_staff, today
):
    vacancy = closed_last_week
    before = _snapshot(vacancy)
    data = _form(vacancy, **_date("closing_date", today - dt.timedelta(days=3)))
    response = as_staff(world.es_a).post(_url(vacancy), data)
    assert "The closing date must be today or in the future" in response.content.decode()
    assert _snapshot(vacancy) == before


def test_a_passed_closing_date_may_be_moved_on_or_removed(world, closed_last_week, as_staff, today):
    vacancy = closed_last_week
    client = as_staff(world.es_a)
    later = today + dt.timedelta(days=14)
    assert client.post(_url(vacancy), _form(vacancy, **_date("closing_date", later))).status_code
    vacancy.refresh_from_db()
    assert vacancy.closing_date == later
    blank = _form(vacancy, **{"closing_date[day]": "", "closing_date[month]": ""})
    blank["closing_date[year]"] = ""
    assert client.post(_url(vacancy), blank).status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.closing_date is None


def test_the_service_applies_the_same_closing_date_rule(world, closed_last_week, today):
    vacancy = closed_last_week
    details = _details(vacancy)
    services.update_vacancy(
        vacancy=vacancy,
        details=services.VacancyDetails(**{**details.__dict__, "title": "Warehouse operative"}),
        by=world.es_a,
    )
    assert vacancy.title == "Warehouse operative"
    moved = services.VacancyDetails(
        **{**details.__dict__, "closing_date": today - dt.timedelta(days=1)}
    )
    with pytest.raises(ValidationError) as refused:
        services.update_vacancy(vacancy=vacancy, details=moved, by=world.es_a)
    assert "closing_date" in refused.value.message_dict


# --- Matching follows the correction -------------------------------------------------------


def test_a_persons_ranking_follows_the_corrected_hours_and_kind_of_work(world, vacancy, as_staff):
    """Sam wants 16 to 20 hours of warehouse work. The cached features are built before the
    correction; the next ranking must use the new hours and kind of work."""
    f.VocationalProfileFactory(
        person=world.person_a,
        recorded_by=world.es_a,
        kinds_of_work="Warehouse or delivery work",
        hours_min=16,
        hours_max=20,
        unsuitable_times=[],
        jobs_not_to_repeat="",
        travel_max_miles=None,
    )
    longer = VacancyFactory(
        employer=vacancy.employer,
        title="Stock assistant",
        soc_major_group="9",
        hours_min=Decimal("30"),
        hours_max=Decimal("37.5"),
        created_by=world.es_a,
    )

    def ranked():
        return [m.vacancy.pk for m in queries.matched_vacancies(world.es_a, world.person_a).rows]

    assert ranked() == [vacancy.pk, longer.pk]
    cached = features.vacancy_features(world.service.pk)
    response = as_staff(world.es_a).post(
        _url(vacancy),
        _form(vacancy, title="Finance officer", soc_major_group="4", hours_min="40", hours_max=""),
    )
    assert response.status_code == 302

    table = features.vacancy_features(world.service.pk)
    assert table is not cached
    row = list(table.ids).index(vacancy.pk)
    assert (table.hours_min[row], table.hours_max[row], table.soc[row]) == (40.0, 40.0, 4)
    assert ranked() == [longer.pk, vacancy.pk]
    page = as_staff(world.es_a).get(reverse("job_search", args=[world.person_a.pk]))
    text = page.content.decode()
    assert text.index("Stock assistant") < text.index("Finance officer")
