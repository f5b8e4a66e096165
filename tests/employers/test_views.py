import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ipsworks.access.models import AccessLogEntry
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


def test_access_to_work_logs_a_new_application_as_created_and_an_edit_as_changed(
    world, as_staff, employer, today
):
    from ipsworks.access.models import AccessLogEntry

    client = as_staff(world.es_a)
    fields = {"person": str(world.person_a.pk), "support_type": "mhss", "status": "preparing"}
    client.post(reverse("access_to_work_new", args=[employer.pk]), fields)
    application = AccessToWorkApplication.objects.get()
    client.post(
        reverse("access_to_work_edit", args=[employer.pk, application.pk]),
        {**fields, "status": "submitted", **_date("submitted_on", today)},
    )
    logged = AccessLogEntry.objects.filter(
        object_type="AccessToWorkApplication", object_id=application.pk
    )
    assert list(logged.order_by("pk").values_list("action", flat=True)) == ["create", "change"]


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


# --- Changing an employer and the people the service deals with there --------------------

_EMPLOYER_DATA = {
    "name": "Riverside Distribution",
    "sector": "logistics",
    "size_band": "large",
    "address": "Unit 4, Canal Road",
    "postcode": "ls1 4ap",
    "phone": "01632 960 001",
    "email": "jobs@example.com",
    "notes": "Recruits in spring",
}


def test_specialist_changes_an_employers_details_and_it_is_audited(world, as_staff, employer):
    from ipsworks.access.models import AccessLogEntry

    response = as_staff(world.es_b).post(
        reverse("employer_edit", args=[employer.pk]), _EMPLOYER_DATA
    )
    assert response["Location"] == reverse("employer_detail", args=[employer.pk])
    employer.refresh_from_db()
    assert (employer.size_band, employer.postcode, employer.address) == (
        "large",
        "LS1 4AP",
        "Unit 4, Canal Road",
    )
    assert AccessLogEntry.objects.filter(
        action="change", object_type="Employer", object_id=employer.pk, user=world.es_b.user
    ).exists()


def test_the_change_page_shows_the_current_details(world, as_staff, employer):
    page = as_staff(world.es_a).get(reverse("employer_edit", args=[employer.pk])).content.decode()
    assert 'value="Riverside Distribution"' in page
    assert "contact_name" not in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Enter the employer"),
        ({"postcode": "NOPE"}, "real UK postcode"),
        ({"size_band": ""}, "Select the size"),
        ({"email": "not-an-email"}, "Enter an email address like name@example.com"),
    ],
)
def test_bad_changes_to_an_employer_are_refused_and_nothing_is_saved(
    world, as_staff, employer, overrides, message
):
    before = Employer.objects.values().get(pk=employer.pk)
    response = as_staff(world.es_a).post(
        reverse("employer_edit", args=[employer.pk]), {**_EMPLOYER_DATA, **overrides}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "There is a problem" in body
    assert Employer.objects.values().get(pk=employer.pk) == before


def test_an_employer_cannot_be_renamed_to_one_already_recorded_at_that_postcode(
    world, as_staff, employer
):
    f.EmployerFactory(service=world.service, name="Oakfield Bakery", postcode="LS1 4AP")
    response = as_staff(world.es_a).post(
        reverse("employer_edit", args=[employer.pk]),
        {**_EMPLOYER_DATA, "name": "OAKFIELD bakery"},
    )
    assert "already recorded at that postcode" in response.content.decode()
    employer.refresh_from_db()
    assert employer.name == "Riverside Distribution"


def test_saving_an_employer_unchanged_is_not_a_duplicate_of_itself(world, as_staff, employer):
    data = {**_EMPLOYER_DATA, "postcode": employer.postcode, "size_band": employer.size_band}
    response = as_staff(world.es_a).post(reverse("employer_edit", args=[employer.pk]), data)
    assert response.status_code == 302


def test_the_employer_page_has_change_links_and_lists_the_people(world, as_staff, employer):
    person = f.EmployerContactPersonFactory(
        employer=employer, name="Morgan Testcontact", phone="01632 960 002"
    )
    page = as_staff(world.es_a).get(reverse("employer_detail", args=[employer.pk])).content.decode()
    assert reverse("employer_edit", args=[employer.pk]) + "#address" in page
    assert "Morgan Testcontact" in page
    assert "01632 960 002" in page
    assert reverse("contact_person_edit", args=[employer.pk, person.pk]) in page
    assert reverse("contact_person_remove", args=[employer.pk, person.pk]) in page
    assert reverse("contact_person_new", args=[employer.pk]) in page


def test_specialist_adds_a_second_person_at_an_employer(world, as_staff, employer):
    from ipsworks.employers.models import EmployerContactPerson

    f.EmployerContactPersonFactory(employer=employer, name="Morgan Testcontact")
    response = as_staff(world.es_a).post(
        reverse("contact_person_new", args=[employer.pk]),
        {
            "name": "Sam Testhr",
            "job_title": "HR adviser",
            "phone": "07700 900 982",
            "email": "sam@example.com",
        },
    )
    assert response["Location"] == reverse("employer_detail", args=[employer.pk])
    assert sorted(EmployerContactPerson.objects.values_list("name", flat=True)) == [
        "Morgan Testcontact",
        "Sam Testhr",
    ]
    added = EmployerContactPerson.objects.get(name="Sam Testhr")
    assert (added.employer, added.job_title, added.email) == (
        employer,
        "HR adviser",
        "sam@example.com",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "  "}, "Enter their name"),
        ({"name": "Sam Testhr", "email": "sam@"}, "Enter an email address like name@example.com"),
        ({"name": "Sam Testhr", "phone": "call me"}, "Enter a phone number"),
    ],
)
def test_bad_contact_people_are_refused_and_nothing_is_saved(
    world, as_staff, employer, data, message
):
    from ipsworks.employers.models import EmployerContactPerson

    response = as_staff(world.es_a).post(reverse("contact_person_new", args=[employer.pk]), data)
    body = response.content.decode()
    assert message in body
    assert "There is a problem" in body
    assert not EmployerContactPerson.objects.exists()


def test_specialist_changes_a_contact_persons_details(world, as_staff, employer):
    person = f.EmployerContactPersonFactory(employer=employer, name="Morgan Testcontact")
    url = reverse("contact_person_edit", args=[employer.pk, person.pk])
    client = as_staff(world.es_a)
    assert 'value="Morgan Testcontact"' in client.get(url).content.decode()
    response = client.post(
        url, {"name": "Morgan Testcontact", "job_title": "Area manager", "email": "m@example.com"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.job_title, person.email) == ("Area manager", "m@example.com")
    bad = client.post(url, {"name": "", "job_title": "Owner"})
    assert "Enter their name" in bad.content.decode()
    person.refresh_from_db()
    assert person.job_title == "Area manager"


def test_removing_a_contact_needs_confirming(world, as_staff, employer):
    person = f.EmployerContactPersonFactory(employer=employer)
    url = reverse("contact_person_remove", args=[employer.pk, person.pk])
    response = as_staff(world.es_a).post(url, {})
    assert "Confirm that they are no longer a contact" in response.content.decode()
    assert employer.people.filter(pk=person.pk, removed_at__isnull=True).exists()


def test_removing_a_contact_nothing_refers_to_deletes_them(world, as_staff, employer):
    from ipsworks.access.models import AccessLogEntry

    person = f.EmployerContactPersonFactory(employer=employer, name="Morgan Testcontact")
    response = as_staff(world.es_a).post(
        reverse("contact_person_remove", args=[employer.pk, person.pk]), {"confirm": "on"}
    )
    assert response["Location"] == reverse("employer_detail", args=[employer.pk])
    assert not employer.people.exists()
    assert AccessLogEntry.objects.filter(
        object_type="EmployerContactPerson", object_id=person.pk, reason="removed: record deleted"
    ).exists()


def test_removing_a_contact_who_made_an_enquiry_keeps_them_as_no_longer_a_contact(
    world, as_staff, employer
):
    from ipsworks.public.models import EmployerEnquiry

    person = f.EmployerContactPersonFactory(employer=employer, name="Morgan Testcontact")
    enquiry = EmployerEnquiry.objects.create(
        service=world.service,
        employer=employer,
        contact_person=person,
        contact_name=person.name,
        email="morgan@example.com",
        interests=["recruiting"],
    )
    client = as_staff(world.es_a)
    response = client.post(
        reverse("contact_person_remove", args=[employer.pk, person.pk]), {"confirm": "on"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.removed_at is not None
    enquiry.refresh_from_db()
    assert enquiry.contact_person == person
    page = client.get(reverse("employer_detail", args=[employer.pk])).content.decode()
    assert '<dt class="nhsuk-summary-list__key">Morgan Testcontact</dt>' not in page
    assert "Nobody recorded yet" in page
    for name in ("contact_person_edit", "contact_person_remove"):
        assert client.get(reverse(name, args=[employer.pk, person.pk])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("es_a", 200),
        ("es_b", 200),
        ("manager", 200),
        ("clinician", 403),
        ("commissioner", 403),
        ("admin", 403),
    ],
)
def test_employer_change_pages_by_role(world, as_staff, employer, persona, status):
    person = f.EmployerContactPersonFactory(employer=employer)
    client = as_staff(getattr(world, persona))
    urls = [
        reverse("employer_edit", args=[employer.pk]),
        reverse("contact_person_new", args=[employer.pk]),
        reverse("contact_person_edit", args=[employer.pk, person.pk]),
        reverse("contact_person_remove", args=[employer.pk, person.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == status, url
    if status == 403:
        for url in urls:
            assert client.post(url, {**_EMPLOYER_DATA, "confirm": "on"}).status_code == 403
        employer.refresh_from_db()
        assert employer.size_band == "medium"
        assert employer.people.get() == person


def test_employer_change_pages_send_anonymous_visitors_to_sign_in(world, employer):
    from django.test import Client

    person = f.EmployerContactPersonFactory(employer=employer)
    for url in (
        reverse("employer_edit", args=[employer.pk]),
        reverse("contact_person_new", args=[employer.pk]),
        reverse("contact_person_edit", args=[employer.pk, person.pk]),
        reverse("contact_person_remove", args=[employer.pk, person.pk]),
    ):
        response = Client().post(url, {**_EMPLOYER_DATA, "confirm": "on"})
        assert response.status_code == 302, url
        assert "sign-in" in response["Location"], url
    assert employer.people.get() == person


def test_another_services_employer_and_its_people_are_not_found(world, as_staff, employer):
    other = f.EmployerFactory(service=world.other_service)
    theirs = f.EmployerContactPersonFactory(employer=other)
    client = as_staff(world.es_a)
    for url in (
        reverse("employer_edit", args=[other.pk]),
        reverse("contact_person_new", args=[other.pk]),
        reverse("contact_person_edit", args=[other.pk, theirs.pk]),
        reverse("contact_person_remove", args=[other.pk, theirs.pk]),
        # Someone at another employer is not found through this one.
        reverse("contact_person_edit", args=[employer.pk, theirs.pk]),
        reverse("contact_person_remove", args=[employer.pk, theirs.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {**_EMPLOYER_DATA, "confirm": "on"}).status_code == 404, url
    other.refresh_from_db()
    assert other.people.get() == theirs
    assert other.name != _EMPLOYER_DATA["name"]


def test_employer_change_pages_refuse_other_methods(world, as_staff, employer):
    client = as_staff(world.es_a)
    assert client.delete(reverse("employer_edit", args=[employer.pk])).status_code == 405
    assert client.put(reverse("contact_person_new", args=[employer.pk])).status_code == 405


def _former_contact(world, employer, name="Morgan Testcontact"):
    from ipsworks.public.models import EmployerEnquiry

    person = f.EmployerContactPersonFactory(employer=employer, name=name)
    EmployerEnquiry.objects.create(
        service=world.service,
        employer=employer,
        contact_person=person,
        contact_name=person.name,
        email="morgan@example.com",
        interests=["recruiting"],
    )
    person.removed_at = timezone.now()
    person.save(update_fields=["removed_at"])
    return person


def test_someone_no_longer_a_contact_can_be_made_a_contact_again(world, as_staff, employer):
    person = _former_contact(world, employer)
    client = as_staff(world.es_a)
    page = client.get(reverse("employer_detail", args=[employer.pk])).content.decode()
    assert "No longer contacts (1)" in page
    url = reverse("contact_person_restore", args=[employer.pk, person.pk])
    assert f'action="{url}"' in page
    assert client.get(url).status_code == 405  # a change is a POST
    response = client.post(url, follow=True)
    assert "Morgan Testcontact is a contact again" in response.content.decode()
    person.refresh_from_db()
    assert person.removed_at is None
    page = client.get(reverse("employer_detail", args=[employer.pk])).content.decode()
    assert '<dt class="nhsuk-summary-list__key">Morgan Testcontact</dt>' in page
    assert "No longer contacts" not in page
    assert AccessLogEntry.objects.filter(
        object_type="EmployerContactPerson", object_id=person.pk, reason="a contact again"
    ).exists()
    # A current contact is not "restored" again: not found.
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("persona", ["clinician", "commissioner", "admin"])
def test_only_people_who_work_with_employers_may_restore_a_contact(
    world, as_staff, employer, persona
):
    person = _former_contact(world, employer)
    client = as_staff(getattr(world, persona))
    url = reverse("contact_person_restore", args=[employer.pk, person.pk])
    assert client.post(url).status_code == 403
    person.refresh_from_db()
    assert person.removed_at is not None


def test_another_services_former_contact_is_not_found(world, as_staff, employer):
    other = f.EmployerFactory(service=world.other_service)
    theirs = f.EmployerContactPersonFactory(employer=other)
    theirs.removed_at = timezone.now()
    theirs.save(update_fields=["removed_at"])
    client = as_staff(world.es_a)
    for url in (
        reverse("contact_person_restore", args=[other.pk, theirs.pk]),
        reverse("contact_person_restore", args=[employer.pk, theirs.pk]),
    ):
        assert client.post(url).status_code == 404, url
    theirs.refresh_from_db()
    assert theirs.removed_at is not None
