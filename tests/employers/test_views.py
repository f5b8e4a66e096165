import datetime as dt

import pytest
from django.urls import reverse

from ipsworks.employers.models import (
    AccessToWorkApplication,
    Employer,
    EmployerContact,
    EmployerSupport,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


def _date(prefix, day):
    return {
        f"{prefix}[day]": str(day.day),
        f"{prefix}[month]": str(day.month),
        f"{prefix}[year]": str(day.year),
    }


@pytest.fixture
def employer(world):
    return f.EmployerFactory(service=world.service, name="Riverside Distribution")


def _allow_employer_contact(world, person):
    f.DisclosurePlanFactory(person=person, recorded_by=world.es_a, employer_contact_allowed=True)


def test_specialist_adds_an_employer(world, as_staff):
    response = as_staff(world.es_a).post(
        reverse("employer_new"),
        {
            "name": "Greenway Garden Centre",
            "sector": "land",
            "size_band": "small",
            "postcode": "ls1 4ap",
            "contact_name": "Morgan Testowner",
        },
    )
    employer = Employer.objects.get(name="Greenway Garden Centre")
    assert response["Location"] == reverse("employer_detail", args=[employer.pk])
    assert (employer.service, employer.postcode) == (world.service, "LS1 4AP")
    assert employer.people.get().name == "Morgan Testowner"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Enter the employer"),
        ({"postcode": "NOPE"}, "real UK postcode"),
        ({"size_band": ""}, "Select the size"),
    ],
)
def test_bad_employer_details_are_refused(world, as_staff, overrides, message):
    data = {"name": "Greenway", "sector": "land", "size_band": "small", **overrides}
    response = as_staff(world.es_a).post(reverse("employer_new"), data)
    assert message in response.content.decode()
    assert not Employer.objects.filter(name="Greenway").exists()


def test_a_duplicate_employer_is_refused(world, as_staff, employer):
    data = {
        "name": employer.name.upper(),
        "sector": "logistics",
        "size_band": "medium",
        "postcode": employer.postcode,
    }
    response = as_staff(world.es_a).post(reverse("employer_new"), data)
    assert "already recorded" in response.content.decode()


def test_recording_a_face_to_face_contact_presenting_someone_who_agreed(
    world, as_staff, employer, today
):
    _allow_employer_contact(world, world.person_a)
    response = as_staff(world.es_a).post(
        reverse("employer_contact_new", args=[employer.pk]),
        {
            **_date("contact_date", today),
            "mode": "face_to_face",
            "purpose": "present_person",
            "person": str(world.person_a.pk),
            "outcome": "Wants reliable afternoon staff",
        },
    )
    assert response.status_code == 302
    contact = EmployerContact.objects.get()
    assert (contact.staff, contact.person, contact.is_face_to_face) == (
        world.es_a,
        world.person_a,
        True,
    )


def test_presenting_someone_without_their_agreement_is_refused(world, as_staff, employer, today):
    response = as_staff(world.es_a).post(
        reverse("employer_contact_new", args=[employer.pk]),
        {
            **_date("contact_date", today),
            "mode": "face_to_face",
            "purpose": "present_person",
            "person": str(world.person_a.pk),
        },
    )
    assert "has not agreed to you speaking to employers" in response.content.decode()
    assert not EmployerContact.objects.exists()


def test_only_my_own_caseload_can_be_chosen_on_an_employer_contact(
    world, as_staff, employer, today
):
    _allow_employer_contact(world, world.person_a2)
    response = as_staff(world.es_a).post(
        reverse("employer_contact_new", args=[employer.pk]),
        {
            **_date("contact_date", today),
            "mode": "face_to_face",
            "purpose": "present_person",
            "person": str(world.person_a2.pk),
        },
    )
    assert "Select a valid choice" in response.content.decode()
    assert not EmployerContact.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {
                "mode": "face_to_face",
                "purpose": "learn_needs",
                **_date("contact_date", dt.date.today() + dt.timedelta(days=1)),
            },
            "today or in the past",
        ),
        (
            {"mode": "", "purpose": "learn_needs", **_date("contact_date", dt.date.today())},
            "Select how the contact happened",
        ),
        (
            {
                "mode": "face_to_face",
                "purpose": "present_person",
                **_date("contact_date", dt.date.today()),
            },
            "Select the person you presented",
        ),
    ],
)
def test_bad_employer_contacts_are_refused(world, as_staff, employer, data, message):
    response = as_staff(world.es_a).post(reverse("employer_contact_new", args=[employer.pk]), data)
    assert message in response.content.decode()
    assert not EmployerContact.objects.exists()


def test_an_awareness_session_needs_its_attendees(world, as_staff, employer, today):
    url = reverse("employer_support_new", args=[employer.pk])
    response = as_staff(world.es_a).post(
        url, {"kind": "awareness_session", **_date("delivered_on", today)}
    )
    assert "Enter how many people attended" in response.content.decode()
    response = as_staff(world.es_a).post(
        url, {"kind": "awareness_session", "attendees": "14", **_date("delivered_on", today)}
    )
    assert response.status_code == 302
    assert EmployerSupport.objects.get().attendees == 14


def test_access_to_work_moves_from_preparing_to_approved(world, as_staff, employer, today):
    client = as_staff(world.es_a)
    client.post(
        reverse("access_to_work_new", args=[employer.pk]),
        {"person": str(world.person_a.pk), "support_type": "mhss", "status": "preparing"},
    )
    application = AccessToWorkApplication.objects.get()
    response = client.post(
        reverse("access_to_work_edit", args=[employer.pk, application.pk]),
        {
            "person": str(world.person_a.pk),
            "support_type": "mhss",
            "status": "approved",
            **_date("submitted_on", today - dt.timedelta(days=20)),
            **_date("decided_on", today),
            "amount": "1,250.00",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.amount_pence) == ("approved", 125000)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "approved"}, "Enter the date the application was submitted"),
        (
            {
                "status": "submitted",
                **_date("submitted_on", dt.date.today()),
                **_date("decided_on", dt.date.today()),
            },
            "Select approved or declined",
        ),
        (
            {
                "status": "approved",
                **_date("submitted_on", dt.date.today()),
                **_date("decided_on", dt.date.today() - dt.timedelta(days=3)),
            },
            "cannot be before the application was submitted",
        ),
        (
            {"status": "submitted", **_date("submitted_on", dt.date(1900, 1, 1))},
            "The date submitted must be on or after 1 January 2000",
        ),
        (
            {
                "status": "submitted",
                **_date("submitted_on", dt.date.today() + dt.timedelta(days=1)),
            },
            "The date submitted must be today or in the past",
        ),
        (
            {
                "status": "approved",
                **_date("submitted_on", dt.date.today()),
                **_date("decided_on", dt.date.today() + dt.timedelta(days=1)),
            },
            "The decision date must be today or in the past",
        ),
        ({"status": "preparing", "amount": "-5"}, "cannot be negative"),
        (
            {"status": "submitted", **_date("submitted_on", dt.date.today()), "amount": "100"},
            "Only an approved application has an amount",
        ),
    ],
)
def test_bad_access_to_work_updates_are_refused(world, as_staff, employer, data, message):
    response = as_staff(world.es_a).post(
        reverse("access_to_work_new", args=[employer.pk]),
        {"person": str(world.person_a.pk), "support_type": "mhss", **data},
    )
    assert message in response.content.decode()
    assert not AccessToWorkApplication.objects.exists()


def test_employer_timeline_hides_people_the_viewer_may_not_see(world, as_staff, employer, today):
    f.DisclosurePlanFactory(
        person=world.person_b, recorded_by=world.es_b, employer_contact_allowed=True
    )
    EmployerContact.objects.create(
        service=world.service,
        employer=employer,
        staff=world.es_b,
        person=world.person_b,
        contact_date=today,
        mode="face_to_face",
        purpose="present_person",
    )
    page = as_staff(world.es_a).get(reverse("employer_detail", args=[employer.pk])).content.decode()
    assert "Someone on another caseload" in page
    assert world.person_b.family_name not in page
    manager_page = (
        as_staff(world.manager).get(reverse("employer_detail", args=[employer.pk])).content.decode()
    )
    assert world.person_b.full_name in manager_page


def test_employer_list_searches_by_name_and_logs_the_search(world, as_staff, employer):
    f.EmployerFactory(service=world.service, name="Oakfield Bakery")
    page = as_staff(world.es_a).get(reverse("employer_list"), {"q": "riverside"}).content.decode()
    assert "Riverside Distribution" in page
    assert "Oakfield Bakery" not in page


EMPLOYER_PAGES = ["employer_list", "employer_new"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("es_a", 200), ("manager", 200), ("clinician", 403), ("commissioner", 403), ("admin", 403)],
)
def test_employer_pages_by_role(world, as_staff, employer, persona, status):
    client = as_staff(getattr(world, persona))
    for url in [reverse(name) for name in EMPLOYER_PAGES] + [
        reverse("employer_detail", args=[employer.pk]),
        reverse("employer_contact_new", args=[employer.pk]),
        reverse("employer_support_new", args=[employer.pk]),
        reverse("access_to_work_new", args=[employer.pk]),
    ]:
        assert client.get(url).status_code == status, url


def test_another_services_employer_is_not_found(world, as_staff):
    other = f.EmployerFactory(service=world.other_service)
    client = as_staff(world.es_a)
    for name in (
        "employer_detail",
        "employer_contact_new",
        "employer_support_new",
        "access_to_work_new",
    ):
        assert client.get(reverse(name, args=[other.pk])).status_code == 404
