"""Scoped reads for employers and job development."""

from datetime import date, timedelta

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from ipsworks.employers.models import (
    AccessToWorkApplication,
    Employer,
    EmployerContact,
    EmployerContactPerson,
)
from ipsworks.organisations.models import StaffMember
from ipsworks.people.models import Person


def employer_list_for(staff: StaffMember, search: str = "") -> QuerySet[Employer]:
    employers = Employer.objects.visible_to(staff).annotate(
        last_contact_on=Max("contacts__contact_date"),
        jobs_count=Count("jobs", distinct=True),
    )
    if search:
        employers = employers.filter(Q(name__icontains=search) | Q(postcode__istartswith=search))
    return employers.order_by("name")


def employers_for(staff: StaffMember):
    """The employers this member of staff may choose from, by name."""
    return Employer.objects.visible_to(staff).order_by("name")


def employer_for(staff: StaffMember, pk: int) -> Employer:
    return get_object_or_404(Employer.objects.visible_to(staff), pk=pk)


def current_contact_people(employer: Employer) -> list[EmployerContactPerson]:
    """The people the service deals with at an employer already in scope."""
    return list(employer.people.filter(removed_at__isnull=True).order_by("name", "pk"))


def former_contact_people(employer: Employer) -> list[EmployerContactPerson]:
    """People taken off an employer's contacts but kept because an enquiry names them."""
    return list(employer.people.filter(removed_at__isnull=False).order_by("name", "pk"))


def former_contact_for(employer: Employer, pk: int) -> EmployerContactPerson:
    """Someone no longer a contact at an employer already in scope; anyone else is a 404."""
    return get_object_or_404(employer.people.filter(removed_at__isnull=False), pk=pk)


def contact_person_for(employer: Employer, pk: int) -> EmployerContactPerson:
    """A current contact at an employer already in scope; anyone else is a 404."""
    return get_object_or_404(employer.people.filter(removed_at__isnull=True), pk=pk)


def access_to_work_of(person: Person) -> list[AccessToWorkApplication]:
    """A person's Access to Work applications at any employer, newest first, in one query.

    The person is already in scope (a person page); employers are shared in the service.
    """
    return list(
        AccessToWorkApplication.objects.filter(person=person, service_id=person.service_id)
        .select_related("employer")
        .order_by("-recorded_at", "-pk")
    )


def employer_history(staff: StaffMember, employer: Employer, limit: int = 200):
    """Contacts, employer services, Access to Work, jobs and the people dealt with there,
    current and former, at one employer (7 queries)."""
    visible_people = set(
        Person.objects.visible_to(staff)
        .filter(
            Q(employer_contacts__employer=employer)
            | Q(jobs__employer=employer)
            | Q(access_to_work__employer=employer)
        )
        .values_list("pk", flat=True)
    )
    contacts = list(
        EmployerContact.objects.visible_to(staff)
        .filter(employer=employer)
        .select_related("staff__user", "person")
        .order_by("-contact_date", "-pk")[:limit]
    )
    supports = list(
        employer.supports.select_related("staff__user").order_by("-delivered_on")[:limit]
    )
    access_to_work = list(
        employer.access_to_work.select_related("person").order_by("-recorded_at")[:limit]
    )
    jobs = list(
        employer.jobs.visible_to(staff).select_related("person").order_by("-start_date")[:limit]
    )
    return {
        "visible_people": visible_people,
        "contacts": contacts,
        "supports": supports,
        "access_to_work": access_to_work,
        "jobs": jobs,
        "people": current_contact_people(employer),
        "former_people": former_contact_people(employer),
    }


def face_to_face_contacts(staff: StaffMember, owner: StaffMember, start: date, end: date) -> int:
    return (
        EmployerContact.objects.visible_to(staff)
        .filter(
            staff=owner,
            mode=EmployerContact.Mode.FACE_TO_FACE,
            contact_date__range=(start, end),
        )
        .count()
    )


def week_of(day: date) -> tuple[date, date]:
    """Monday to Sunday containing ``day``."""
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=6)


def access_to_work_for(staff: StaffMember, employer: Employer, pk: int):
    return get_object_or_404(
        AccessToWorkApplication.objects.filter(
            employer=employer, person__in=Person.objects.visible_to(staff)
        ),
        pk=pk,
    )


def first_face_to_face_contact_from(access_date: str) -> Subquery:
    """The date of the person's first face-to-face employer contact on or after the date at
    ``access_date`` (a path on the outer query: the episode's access date). IPS fidelity item
    15, rapid job search: it should come within 30 days of access. The one definition behind
    the measure, its evidence and the caseload's and My tasks' lists."""
    return Subquery(
        EmployerContact.objects.filter(
            person_id=OuterRef("person_id"),
            mode=EmployerContact.Mode.FACE_TO_FACE,
            contact_date__gte=OuterRef(access_date),
        )
        .order_by("contact_date")
        .values("contact_date")[:1]
    )
