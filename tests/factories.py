"""One factory per model. Identifiers are synthetic: NHS numbers from the 999 test range."""

import datetime as dt
import itertools
from decimal import Decimal

import factory
import nhs_number
from django.contrib.auth import get_user_model

from ipsworks.access.roles import Role
from ipsworks.activity.models import Contact, TeamMeeting
from ipsworks.organisations.models import Service, StaffMember, Team
from ipsworks.people.models import (
    DisclosurePlan,
    Episode,
    Person,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    VocationalProfile,
)

_nhs_counter = itertools.count(1)


def synthetic_nhs_number() -> str:
    """The next valid NHS number in the 999 synthetic range."""
    while True:
        stem = f"999{next(_nhs_counter):06d}"
        check = nhs_number.calculate_checksum(stem)
        if check is not None and check != 10:
            return f"{stem}{check}"


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Test IPS Service {n}")
    short_name = factory.Sequence(lambda n: f"test-service-{n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    service = factory.SubFactory(ServiceFactory)
    name = factory.Sequence(lambda n: f"Test CMHT {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Tester{n}")
    last_name = "Example"
    password = factory.django.Password("a-long-test-password")


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    service = factory.SubFactory(ServiceFactory)
    role = Role.EMPLOYMENT_SPECIALIST
    fte = Decimal("1.00")

    @factory.post_generation
    def teams(self, create, extracted, **kwargs):
        if create and extracted:
            self.teams.set(extracted)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    service = factory.SubFactory(ServiceFactory)
    nhs_number = factory.LazyFunction(synthetic_nhs_number)
    given_name = factory.Iterator(["Alex", "Sam", "Jo", "Rowan", "Kit", "Morgan"])
    family_name = factory.Sequence(lambda n: f"Testperson{n}")
    date_of_birth = dt.date(1990, 5, 17)
    postcode = "ZZ99 3VZ"


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral with its 'received' history row, as services.create_referral writes it."""

    class Meta:
        model = Referral
        skip_postgeneration_save = True

    service = factory.LazyAttribute(lambda o: o.person.service)
    person = factory.SubFactory(PersonFactory)
    team = None
    source = Referral.Source.INTERNAL
    received_on = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=30))
    employment_status_at_referral = "02"
    weekly_hours_at_referral = "98"
    status = ReferralStatus.RECEIVED

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        if create:
            ReferralStatusChange.objects.create(
                referral=self, status=ReferralStatus.RECEIVED, effective_on=self.received_on
            )


class EpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Episode

    referral = factory.SubFactory(ReferralFactory)
    service = factory.LazyAttribute(lambda o: o.referral.service)
    person = factory.LazyAttribute(lambda o: o.referral.person)
    access_date = factory.LazyAttribute(lambda o: o.referral.received_on)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    referral = factory.SubFactory(ReferralFactory)
    service = factory.LazyAttribute(lambda o: o.referral.service)
    person = factory.LazyAttribute(lambda o: o.referral.person)
    staff = factory.SubFactory(StaffFactory)
    contact_date = factory.LazyAttribute(lambda o: o.referral.received_on)
    with_whom = Contact.With.PERSON
    mode = Contact.Mode.FACE_TO_FACE
    place = Contact.Place.COMMUNITY
    outcome = Contact.Outcome.COMPLETED
    duration_minutes = 45


class VocationalProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VocationalProfile

    person = factory.SubFactory(PersonFactory)
    version = 1
    recorded_by = factory.SubFactory(StaffFactory)
    kinds_of_work = "Warehouse or delivery work"


class DisclosurePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisclosurePlan

    person = factory.SubFactory(PersonFactory)
    version = 1
    recorded_by = factory.SubFactory(StaffFactory)
    decision = DisclosurePlan.Decision.PARTIAL


class TeamMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMeeting

    team = factory.SubFactory(TeamFactory)
    service = factory.LazyAttribute(lambda o: o.team.service)
    staff = factory.SubFactory(StaffFactory)
    meeting_date = factory.LazyFunction(dt.date.today)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "employers.Employer"

    service = factory.SubFactory(ServiceFactory)
    name = factory.Sequence(lambda n: f"Test Employer {n} Ltd")
    sector = "logistics"
    size_band = "medium"
    postcode = "ZZ99 3VZ"


class EmployerContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "employers.EmployerContactPerson"

    employer = factory.SubFactory(EmployerFactory)
    name = factory.Sequence(lambda n: f"Morgan Testcontact{n}")
    job_title = "Store manager"


class EducationFactory(factory.django.DjangoModelFactory):
    """An ongoing course on a referral, recorded by whoever the test says."""

    class Meta:
        model = "jobs.EducationOrTraining"

    referral = factory.SubFactory(ReferralFactory)
    service = factory.LazyAttribute(lambda o: o.referral.service)
    person = factory.LazyAttribute(lambda o: o.referral.person)
    kind = "further"
    provider_name = "Test College of Further Education"
    course_title = factory.Sequence(lambda n: f"Access to Nursing {n}")
    started_on = factory.LazyAttribute(lambda o: o.referral.received_on)
    recorded_by = factory.SubFactory(StaffFactory)
