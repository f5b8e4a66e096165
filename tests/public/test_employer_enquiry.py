"""An employer asks for help: the enquiry links to an employer record and waits for an answer."""

from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from ipsworks.employers.models import Employer, EmployerContactPerson
from ipsworks.public.models import EmployerEnquiry
from tests import factories as f
from tests.public.conftest import DUTY_INBOX, enquiry_data

pytestmark = pytest.mark.django_db

ENQUIRE = reverse("public_employer_enquiry", kwargs={"short_name": "north-county"})


def test_an_enquiry_from_a_new_employer_creates_the_employer_and_contact(world, page, public):
    response = public.post(ENQUIRE, enquiry_data(postcode="ls2 7ew"))

    assert response["Location"] == reverse(
        "public_employer_enquiry_sent", kwargs={"short_name": "north-county"}
    )
    employer = Employer.objects.get(name="The Corner Café")
    assert (employer.service, employer.postcode) == (world.service, "LS2 7EW")
    assert (employer.size_band, employer.sector) == ("micro", "hospitality")
    contact = employer.people.get()
    assert (contact.name, contact.job_title, contact.email) == (
        "Bea Testowner",
        "Owner",
        "bea@corner-cafe.invalid",
    )
    enquiry = EmployerEnquiry.objects.get()
    assert (enquiry.service, enquiry.employer, enquiry.contact_person) == (
        world.service,
        employer,
        contact,
    )
    assert enquiry.interests == ["recruiting", "awareness_training"]
    assert not enquiry.is_answered


def test_an_enquiry_links_to_the_employer_already_recorded_at_that_postcode(world, page, public):
    existing = f.EmployerFactory(
        service=world.service,
        name="The Corner Café",
        postcode="LS2 7EW",
        sector="hospitality",
        size_band="small",
    )
    existing.people.create(name="Bea Testowner", phone="0113 496 1111")

    public.post(ENQUIRE, enquiry_data(organisation="the corner café", size_band="large"))

    assert Employer.objects.filter(service=world.service).count() == 1
    enquiry = EmployerEnquiry.objects.get()
    assert enquiry.employer == existing
    assert enquiry.contact_person == existing.people.get()
    existing.refresh_from_db()
    assert existing.size_band == "small"  # the public form never changes a record
    assert existing.people.get().phone == "0113 496 1111"


def test_the_same_name_elsewhere_is_another_employer(world, page, public):
    f.EmployerFactory(service=world.service, name="The Corner Café", postcode="LS1 4AP")
    public.post(ENQUIRE, enquiry_data(postcode="LS2 7EW"))
    assert Employer.objects.filter(name="The Corner Café").count() == 2


def test_an_employer_of_another_service_is_never_linked(world, page, public):
    theirs = f.EmployerFactory(
        service=world.other_service, name="The Corner Café", postcode="LS2 7EW"
    )
    public.post(ENQUIRE, enquiry_data())
    enquiry = EmployerEnquiry.objects.get()
    assert enquiry.employer != theirs
    assert enquiry.employer.service == world.service


def test_a_new_contact_at_a_known_employer_is_added(world, page, public):
    existing = f.EmployerFactory(service=world.service, name="The Corner Café", postcode="LS2 7EW")
    existing.people.create(name="Someone Else")
    public.post(ENQUIRE, enquiry_data())
    assert sorted(existing.people.values_list("name", flat=True)) == [
        "Bea Testowner",
        "Someone Else",
    ]


def test_someone_taken_off_the_contacts_who_enquires_again_is_a_current_contact(
    world, page, public
):
    from django.utils import timezone

    existing = f.EmployerFactory(service=world.service, name="The Corner Café", postcode="LS2 7EW")
    removed = existing.people.create(name="Bea Testowner", removed_at=timezone.now())
    public.post(ENQUIRE, enquiry_data())
    current = existing.people.get(removed_at__isnull=True)
    assert current != removed
    assert EmployerEnquiry.objects.get().contact_person == current


def test_an_unknown_kind_of_business_is_recorded_as_other(world, page, public):
    public.post(ENQUIRE, enquiry_data(sector=""))
    assert Employer.objects.get(name="The Corner Café").sector == "other"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"organisation": ""}, "Enter the name of your organisation"),
        ({"contact_name": ""}, "Enter your name"),
        ({"size_band": ""}, "Select how many people work for you"),
        ({"phone": "", "email": ""}, "Enter a phone number or an email address"),
        ({"email": "bea at cafe"}, "Enter an email address like name@example.com"),
        ({"interests": []}, "Select what you would like help with"),
        ({"interests": ["world_domination"]}, "Select a valid choice"),
        ({"postcode": "ZZZ"}, "Enter a real UK postcode, like LS1 4AP"),
    ],
)
def test_bad_enquiries_are_refused_and_nothing_is_stored(world, page, public, overrides, message):
    response = public.post(ENQUIRE, enquiry_data(**overrides))
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "There is a problem" in html
    assert message in html
    assert not EmployerEnquiry.objects.exists()
    assert not Employer.objects.filter(name="The Corner Café").exists()
    assert not EmployerContactPerson.objects.filter(name="Bea Testowner").exists()


def test_the_duty_inbox_is_told_an_enquiry_arrived_without_the_details(
    world, page, public, django_capture_on_commit_callbacks, immediate_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        public.post(ENQUIRE, enquiry_data())
    (email,) = mail.outbox
    assert email.to == [DUTY_INBOX]
    assert reverse("enquiry_list") in email.body
    text = (email.subject + email.body).lower()
    for detail in ("corner", "bea", "testowner", "0113", "corner-cafe", "ls2", "spring"):
        assert detail not in text


def test_the_confirmation_says_when_they_will_hear(world, page, public):
    html = public.get(
        reverse("public_employer_enquiry_sent", kwargs={"short_name": "north-county"})
    ).content.decode()
    assert "We have your enquiry" in html
    assert "will contact you by" in html
