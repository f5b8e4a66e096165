"""The retention job keeps the promises of the public privacy notice, in years from settings."""

import datetime as dt
import io
import json
import zipfile
from html import unescape

import pytest
from django.core.management import call_command
from django.urls import reverse

from ipsworks.access.models import AccessLogEntry
from ipsworks.core.dates import local_today
from ipsworks.employers.models import Employer, EmployerContactPerson
from ipsworks.people.models import Person
from ipsworks.people.privacy import years_before
from ipsworks.public.models import EmployerEnquiry, PublicPage
from tests import factories as f

pytestmark = pytest.mark.django_db


def _self_referral(world, received_on, **referral):
    person = f.PersonFactory(service=world.service, family_name="Formonly")
    f.ReferralFactory(person=person, team=world.team_a, source="B1", received_on=received_on)
    if referral:
        person.referrals.update(**referral)
    return person


def _retain():
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    return out.getvalue()


def test_an_unaccepted_self_referral_is_anonymised_after_two_years_and_not_before(world):
    today = local_today()
    old = _self_referral(world, years_before(today, 2) - dt.timedelta(days=1))
    recent = _self_referral(world, years_before(today, 2) + dt.timedelta(days=1))
    output = _retain()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.given_name, old.phone, old.anonymised_on) == ("Anonymised", "", today)
    assert old.referrals.get().work_interests == ""
    assert recent.anonymised_on is None
    assert "1 self-referred people who never started were anonymised" in output
    entry = AccessLogEntry.objects.get(action="anonymise", person_id=old.pk)
    assert "never started" in entry.reason


def test_a_self_referral_closed_without_first_contact_follows_the_setting(world, settings):
    settings.IPS_NOT_STARTED_RETENTION_YEARS = 3
    today = local_today()
    received = years_before(today, 2) - dt.timedelta(days=30)
    person = _self_referral(
        world,
        received,
        status="closed",
        closed_on=received + dt.timedelta(days=20),
        closure_reason="not_contactable",
    )
    _retain()
    person.refresh_from_db()
    assert person.anonymised_on is None  # 2 years old, the service keeps forms for 3
    settings.IPS_NOT_STARTED_RETENTION_YEARS = 2
    _retain()
    person.refresh_from_db()
    assert person.anonymised_on == today


def test_people_who_started_or_were_referred_by_their_team_are_kept(world):
    long_ago = years_before(local_today(), 3)
    started = _self_referral(world, long_ago, status="first_contact")
    f.EpisodeFactory(referral=started.referrals.get(), access_date=long_ago)
    accepted = _self_referral(world, long_ago, status="accepted")
    clinical = _self_referral(world, long_ago, source="P1")
    _retain()
    assert not Person.objects.filter(
        pk__in=[started.pk, accepted.pk, clinical.pk], anonymised_on__isnull=False
    ).exists()


def _enquiry(world, employer, contact, days_ago):
    enquiry = EmployerEnquiry.objects.create(
        service=world.service,
        employer=employer,
        contact_person=contact,
        contact_name="Bea Testowner",
        phone="01632 960 555",
        message="We are hiring kitchen staff",
        interests=["recruiting"],
    )
    at = dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago)
    EmployerEnquiry.objects.filter(pk=enquiry.pk).update(received_at=at)
    return enquiry


def test_an_employer_enquiry_loses_its_contact_details_after_two_years(world):
    only_enquiries = f.EmployerFactory(service=world.service, name="The Corner Café")
    contact = EmployerContactPerson.objects.create(
        employer=only_enquiries, name="Bea Testowner", phone="01632 960 555"
    )
    old = _enquiry(world, only_enquiries, contact, days_ago=2 * 366 + 1)
    output = _retain()
    assert not EmployerEnquiry.objects.filter(pk=old.pk).exists()
    assert not EmployerContactPerson.objects.filter(pk=contact.pk).exists()
    assert not Employer.objects.filter(pk=only_enquiries.pk).exists()
    assert "1 employer enquiries were deleted" in output
    entry = AccessLogEntry.objects.get(action="anonymise", object_type="EmployerEnquiry")
    assert entry.object_id == old.pk


def test_an_employer_with_other_activity_is_kept_and_a_recent_enquiry_stays(world):
    from ipsworks.employers.models import EmployerSupport

    employer = f.EmployerFactory(service=world.service, name="Riverside Bakery")
    EmployerSupport.objects.create(
        service=world.service,
        employer=employer,
        staff=world.es_a,
        kind="awareness_session",
        attendees=8,
        delivered_on=dt.date(2024, 5, 1),
    )
    old = _enquiry(world, employer, None, days_ago=800)
    recent = _enquiry(world, employer, None, days_ago=700)
    _retain()
    assert not EmployerEnquiry.objects.filter(pk=old.pk).exists()
    assert EmployerEnquiry.objects.filter(pk=recent.pk).exists()
    assert Employer.objects.filter(pk=employer.pk).exists()


def test_an_answered_enquiry_counts_from_the_answer(world):
    employer = f.EmployerFactory(service=world.service)
    enquiry = _enquiry(world, employer, None, days_ago=800)
    answered = dt.datetime.now(dt.UTC) - dt.timedelta(days=300)
    EmployerEnquiry.objects.filter(pk=enquiry.pk).update(
        answered_at=answered, answered_by=world.manager
    )
    _retain()
    assert EmployerEnquiry.objects.filter(pk=enquiry.pk).exists()


@pytest.fixture
def public_page(world):
    return PublicPage.objects.create(
        service=world.service,
        is_enabled=True,
        duty_inbox_email="duty@example.invalid",
        contact_phone="01632 960 000",
    )


def _privacy_notice(client, **query) -> str:
    url = reverse("public_privacy", kwargs={"short_name": world_short_name()})
    return unescape(client.get(url, query).content.decode())


def world_short_name():
    return "north-county"


def test_the_privacy_notice_states_the_configured_years(world, public_page, client, settings):
    html = _privacy_notice(client)
    assert "we keep your record for 20 years after our last contact with you." in html
    assert "NHS records code" in html
    assert "we keep your form for 2 years, then delete it." in html
    assert "We keep an employer's enquiry for 2 years after our last contact." in html

    settings.IPS_RETENTION_YEARS = 25
    settings.IPS_NOT_STARTED_RETENTION_YEARS = 1
    settings.IPS_EMPLOYER_ENQUIRY_RETENTION_YEARS = 3
    html = _privacy_notice(client)
    assert "we keep your record for 25 years after our last contact with you." in html
    assert "NHS records code" not in html  # the code says 20: it is not cited for 25
    assert "we keep your form for 1 year, then delete it." in html
    assert "We keep an employer's enquiry for 3 years after our last contact." in html


def test_the_welsh_privacy_notice_states_the_configured_years(world, public_page, client):
    public_page.welsh_enabled = True
    public_page.save()
    html = _privacy_notice(client, lang="cy")
    assert "byddwn yn cadw eich cofnod am 20 mlynedd ar ôl i ni gysylltu â chi ddiwethaf." in html
    assert "byddwn yn cadw eich ffurflen am 2 flynedd, ac yna'n ei dileu." in html
    assert "Rydyn ni'n cadw ymholiad cyflogwr am 2 flynedd ar ôl i ni gysylltu ddiwethaf." in html


def test_the_subject_access_export_holds_applications_targets_and_employer_support(world, as_staff):
    from tests.people.test_privacy import _free_text_about

    _free_text_about(world, world.person_a, world.referral_a)
    response = as_staff(world.manager).post(reverse("subject_access", args=[world.person_a.pk]))
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("record.json"))
    assert data["job_applications"][0]["note"] == "Sam applied with my help"
    assert data["employers_to_approach"][0]["note"] == "Sam's cousin works here"
    assert data["employer_support_about_them"][0]["note"].startswith("Talked to the manager")
    assert len(data["better_off_calculations"]) == 1


def test_the_subject_access_pdf_has_a_section_for_each_kind_of_record(world):
    from django.template.loader import render_to_string
    from django.utils import timezone

    from ipsworks.people.privacy import subject_access_data

    data = subject_access_data(world.person_a)
    html = render_to_string(
        "people/subject_access.jinja",
        {"person": world.person_a, "data": data, "produced": timezone.localtime()},
    )
    for heading in ("Job applications", "Employers to approach", "Employer support about them"):
        assert f"<h2>{heading} (" in html


def test_an_anonymised_person_imported_again_is_a_new_person(world):
    from ipsworks.imports import services
    from ipsworks.imports.models import ImportedReferral
    from ipsworks.people.services import anonymise
    from tests.imports.conftest import as_csv, row

    data = as_csv([row(source_reference="R1", received_on="03/03/2020")])
    first = services.run_import(
        services.request_import(filename="a.csv", data=data, by=world.manager).pk
    )
    assert first.status == "done", first.problems
    person = Person.objects.get(family_name="Importtest")
    nhs_number = person.nhs_number
    anonymise(person, today=local_today())
    key = ImportedReferral.objects.get(referral__person=person)
    assert nhs_number not in key.nhs_number
    assert key.source_reference == ""
    again = services.run_import(
        services.request_import(filename="a.csv", data=data, by=world.manager).pk
    )
    assert (first.referrals_created, again.status, again.people_created) == (1, "done", 1)
    assert Person.objects.get(nhs_number=nhs_number).pk != person.pk
