"""The administrator's page settings and the managers' list of employer enquiries."""

import pytest
from django.urls import reverse

from ipsworks.access.models import AccessLogEntry
from ipsworks.public import queries
from ipsworks.public.models import EmployerEnquiry, PublicPage
from tests import factories as f

pytestmark = pytest.mark.django_db

SETTINGS = reverse("public_page_settings", kwargs={"short_name": "north-county"})
OTHER_SETTINGS = reverse("public_page_settings", kwargs={"short_name": "riverside"})


def _settings_data(**overrides):
    data = {
        "is_enabled": "on",
        "about_text": "",
        "next_steps_text": "",
        "reply_within_days": "3",
        "contact_text": "Open Monday to Friday, 9am to 5pm",
        "contact_phone": "01632 960 001",
        "contact_email": "ips@north-county.invalid",
        "duty_inbox_email": "duty@north-county.invalid",
        "about_text_cy": "",
        "next_steps_text_cy": "",
        "contact_text_cy": "",
    }
    data.update(overrides)
    return data


# --- Page settings: the service administrator only ---------------------------------------------


def test_the_administrator_switches_the_page_on_and_writes_its_text(world, as_staff, public):
    client = as_staff(world.admin)
    assert client.get(SETTINGS).status_code == 200

    response = client.post(SETTINGS, _settings_data(welsh_enabled="on"))

    assert response.status_code == 302
    page = PublicPage.objects.get(service=world.service)
    assert (page.is_enabled, page.welsh_enabled, page.reply_within_days) == (True, True, 3)
    assert page.updated_by == world.admin
    assert AccessLogEntry.objects.filter(object_type="PublicPage", object_id=page.pk).exists()
    html = public.get(reverse("public_service", kwargs={"short_name": "north-county"}))
    assert "Open Monday to Friday, 9am to 5pm" in html.content.decode()
    assert "within 3 working days" in html.content.decode()


def test_the_standard_wording_is_shown_to_the_administrator(world, as_staff):
    html = as_staff(world.admin).get(SETTINGS).content.decode()
    assert "You do not have to be ready first." in html
    assert "The page is switched off" in html


def test_the_navigation_takes_the_administrator_to_their_own_page(world, as_staff):
    response = as_staff(world.admin).get(reverse("public_page_settings_home"))
    assert response["Location"] == SETTINGS


def test_switching_on_needs_a_duty_inbox_and_a_public_contact(world, as_staff):
    client = as_staff(world.admin)
    response = client.post(SETTINGS, _settings_data(duty_inbox_email=""))
    assert "Enter the duty inbox email address before switching on" in response.content.decode()
    response = client.post(SETTINGS, _settings_data(contact_phone="", contact_email=""))
    assert "Enter a phone number or email address the public can use" in (response.content.decode())
    assert not PublicPage.objects.filter(service=world.service).exists()


@pytest.mark.parametrize(
    "persona", ["manager", "es_a", "clinician", "commissioner"], ids=lambda p: p
)
def test_other_roles_may_not_edit_the_public_page(world, as_staff, persona):
    client = as_staff(getattr(world, persona))
    assert client.get(SETTINGS).status_code == 403
    assert client.post(SETTINGS, _settings_data()).status_code == 403
    assert not PublicPage.objects.exists()


def test_another_services_page_is_not_found_for_an_administrator(world, as_staff):
    other_admin = f.StaffFactory(role="admin", service=world.other_service)
    client = as_staff(other_admin)
    assert client.get(SETTINGS).status_code == 404
    assert client.post(SETTINGS, _settings_data()).status_code == 404
    assert as_staff(world.admin).get(OTHER_SETTINGS).status_code == 404
    assert not PublicPage.objects.exists()


def test_the_settings_page_needs_sign_in(world, public):
    response = public.get(SETTINGS)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_settings_page_refuses_other_methods(world, as_staff):
    assert as_staff(world.admin).put(SETTINGS).status_code == 405


# --- Employer enquiries: the managers' list --------------------------------------------------


@pytest.fixture
def enquiry(world):
    employer = f.EmployerFactory(service=world.service, name="The Corner Café")
    return EmployerEnquiry.objects.create(
        service=world.service,
        employer=employer,
        contact_name="Bea Testowner",
        email="bea@corner-cafe.invalid",
        interests=["recruiting", "access_to_work"],
    )


@pytest.fixture
def other_enquiry(world):
    employer = f.EmployerFactory(service=world.other_service, name="Riverside Bakery")
    return EmployerEnquiry.objects.create(
        service=world.other_service,
        employer=employer,
        contact_name="Someone Else",
        phone="01632 960 555",
        interests=["recruiting"],
    )


def test_a_manager_sees_unanswered_enquiries_of_their_own_service(
    world, as_staff, enquiry, other_enquiry
):
    html = as_staff(world.manager).get(reverse("enquiry_list")).content.decode()
    assert "The Corner Café" in html
    assert "Recruiting new staff, Access to Work" in html
    assert "Riverside Bakery" not in html


def test_a_manager_marks_an_enquiry_answered(world, as_staff, enquiry):
    client = as_staff(world.manager)
    url = reverse("enquiry_answer", args=[enquiry.pk])
    assert "bea@corner-cafe.invalid" in client.get(url).content.decode()

    response = client.post(url, {"note": "Called Bea; visit booked for Tuesday"})

    assert response["Location"] == reverse("enquiry_list")
    enquiry.refresh_from_db()
    assert enquiry.answered_by == world.manager
    assert enquiry.answered_at is not None
    assert enquiry.note == "Called Bea; visit booked for Tuesday"
    listing = client.get(reverse("enquiry_list")).content.decode()
    assert "No enquiries are waiting." in listing
    assert "Answered recently" in listing


def test_answering_needs_a_note(world, as_staff, enquiry):
    response = as_staff(world.manager).post(reverse("enquiry_answer", args=[enquiry.pk]), {})
    assert "Enter what you did to answer the enquiry" in response.content.decode()
    enquiry.refresh_from_db()
    assert not enquiry.is_answered


def test_an_answered_enquiry_is_not_answered_again(world, as_staff, enquiry):
    client = as_staff(world.manager)
    url = reverse("enquiry_answer", args=[enquiry.pk])
    client.post(url, {"note": "First"})
    client.post(url, {"note": "Second"})
    enquiry.refresh_from_db()
    assert enquiry.note == "First"


def test_another_services_enquiry_is_not_found(world, as_staff, other_enquiry):
    url = reverse("enquiry_answer", args=[other_enquiry.pk])
    assert as_staff(world.manager).get(url).status_code == 404
    assert as_staff(world.manager).post(url, {"note": "x"}).status_code == 404
    other_enquiry.refresh_from_db()
    assert not other_enquiry.is_answered


@pytest.mark.parametrize("persona", ["es_a", "clinician", "commissioner", "admin"])
def test_other_roles_do_not_see_enquiries(world, as_staff, enquiry, persona):
    client = as_staff(getattr(world, persona))
    assert client.get(reverse("enquiry_list")).status_code == 403
    assert client.get(reverse("enquiry_answer", args=[enquiry.pk])).status_code == 403


def test_the_enquiries_pages_need_sign_in(world, public, enquiry):
    assert public.get(reverse("enquiry_list")).status_code == 302


def test_the_enquiry_list_refuses_other_methods(world, as_staff):
    assert as_staff(world.manager).post(reverse("enquiry_list")).status_code == 405


def test_managers_reach_enquiries_from_the_service_overview(world, as_staff):
    # The header keeps to a manager's main pages; enquiries are linked from "Service".
    html = as_staff(world.manager).get(reverse("service_overview")).content.decode()
    assert f'href="{reverse("enquiry_list")}"' in html


def test_unanswered_enquiry_count_for_the_managers_overview(
    world, enquiry, other_enquiry, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert queries.unanswered_enquiry_count(world.manager) == 1
    enquiry.answered_at, enquiry.answered_by = enquiry.received_at, world.manager
    enquiry.save()
    assert queries.unanswered_enquiry_count(world.manager) == 0
    assert queries.unanswered_enquiry_count(world.es_a) == 0  # not theirs to answer
    assert queries.unanswered_enquiry_count(world.commissioner) == 0
