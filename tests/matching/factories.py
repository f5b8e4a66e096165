"""Factories for the matching app (one per model)."""

import datetime as dt
from decimal import Decimal

import factory

from ipsworks.matching import rules
from ipsworks.matching.models import (
    Application,
    ApplicationStatus,
    ApplicationStatusChange,
    JobSearchTarget,
    PostcodeCentroid,
    Vacancy,
)
from tests import factories as f


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy

    employer = factory.SubFactory(f.EmployerFactory)
    service = factory.LazyAttribute(lambda o: o.employer.service)
    title = factory.Sequence(lambda n: f"Warehouse operative {n}")
    soc_major_group = "9"
    hours_min = Decimal("16")
    hours_max = Decimal("20")
    shift_pattern = "Monday to Friday, 12pm to 4pm"
    times_of_day = factory.LazyFunction(lambda: ["afternoon"])
    hourly_pay_pence = 1271
    postcode = "AA1 1AB"
    closing_date = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=30))
    source = Vacancy.Source.EMPLOYER_CONTACT
    created_by = factory.SubFactory(f.StaffFactory)
    dedupe_key = factory.LazyAttribute(
        lambda o: rules.dedupe_key(
            employer_id=o.employer.pk,
            title=o.title,
            postcode=o.postcode,
            closing_date=o.closing_date,
            reference="",
        )
    )


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application with its 'applied' history row, as services.record_application writes."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    vacancy = factory.SubFactory(VacancyFactory)
    person = factory.SubFactory(f.PersonFactory)
    service = factory.LazyAttribute(lambda o: o.person.service)
    applied_on = factory.LazyFunction(dt.date.today)
    status = ApplicationStatus.APPLIED
    status_on = factory.LazyAttribute(lambda o: o.applied_on)
    created_by = factory.SubFactory(f.StaffFactory)

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        if create:
            ApplicationStatusChange.objects.create(
                application=self,
                status=ApplicationStatus.APPLIED,
                effective_on=self.applied_on,
                recorded_by=self.created_by,
            )


class JobSearchTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobSearchTarget

    person = factory.SubFactory(f.PersonFactory)
    service = factory.LazyAttribute(lambda o: o.person.service)
    employer = factory.SubFactory(f.EmployerFactory)
    added_by = factory.SubFactory(f.StaffFactory)


class PostcodeCentroidFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostcodeCentroid
        django_get_or_create = ("postcode",)

    postcode = "AA1 1AB"
    latitude = 54.0
    longitude = -2.0
