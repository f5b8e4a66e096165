"""Scoping: the only road from a signed-in staff member to case data.

Every query that reaches a person, referral, episode, contact or plan starts here. The
rules follow ARCHITECTURE.md ("Who uses it"):

* a manager sees everything in their own service;
* an employment specialist sees the people on their own caseload and, read-only, the people
  referred from the clinical teams they work in;
* a clinician sees the people referred from their clinical teams (summary only: the views
  decide how much, through :mod:`ipsworks.access.rules`);
* a referral nobody is allocated to yet opens only itself: its team sees the referral
  (to accept and allocate it), not the person's record. The record, with its earlier
  referrals, episodes and contacts, opens once a referral of theirs in the team is
  allocated (to the staff member or to a colleague). Otherwise whoever may refer could open
  anyone's history by referring them again;
* commissioners, fidelity reviewers and administrators see no person at all.

Tenancy is enforced first: nothing here ever leaves the staff member's own service.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from ipsworks.access.roles import Role
from ipsworks.activity.models import Contact, TeamMeeting
from ipsworks.organisations.models import StaffMember
from ipsworks.people.models import DisclosurePlan, Episode, Person, Referral, VocationalProfile

_SEES_TEAM_PEOPLE = {Role.EMPLOYMENT_SPECIALIST, Role.CLINICIAN}


def _referral_visibility(staff: StaffMember) -> Q | None:
    """The condition on a Referral row that puts it in this staff member's scope.

    ``None`` means the whole service; ``Q(pk__in=[])`` means nothing.
    """
    if staff.service_id is None:
        return Q(pk__in=[])
    if staff.role == Role.MANAGER:
        return None
    if staff.role in _SEES_TEAM_PEOPLE:
        condition = Q(team_id__in=staff.team_ids())
        if staff.role == Role.EMPLOYMENT_SPECIALIST:
            condition |= Q(allocated_to=staff)
        return condition
    return Q(pk__in=[])


def _record_visibility(staff: StaffMember) -> Q | None:
    """The condition on a Referral row that opens the person's whole record to this staff
    member: an allocated referral among those they see (see the module notes)."""
    condition = _referral_visibility(staff)
    if condition is None or staff.role not in _SEES_TEAM_PEOPLE:
        return condition
    return condition & Q(allocated_to__isnull=False)


def referrals_for(staff: StaffMember) -> QuerySet[Referral]:
    """Referrals this staff member may see."""
    queryset = Referral.objects.filter(service_id=staff.service_id)
    condition = _referral_visibility(staff)
    return queryset if condition is None else queryset.filter(condition)


def people_for(staff: StaffMember) -> QuerySet[Person]:
    """People whose record this staff member may see: an allocated referral in scope."""
    return _people_with(staff, _record_visibility(staff))


def people_referred_to(staff: StaffMember) -> QuerySet[Person]:
    """People with a referral in scope, record open or not: the referrals list's people.

    Of those outside :func:`people_for`, show only :func:`new_referrals_of`.
    """
    return _people_with(staff, _referral_visibility(staff))


def new_referrals_of(staff: StaffMember, person: Person) -> QuerySet[Referral]:
    """The referrals in scope of a person whose record is not open to this staff member."""
    return referrals_for(staff).filter(person=person)


def _people_with(staff: StaffMember, condition: Q | None) -> QuerySet[Person]:
    queryset = Person.objects.filter(service_id=staff.service_id)
    if condition is None:
        return queryset
    visible = Referral.objects.filter(condition, person_id=OuterRef("pk"))
    return queryset.filter(Exists(visible))


def episodes_for(staff: StaffMember) -> QuerySet[Episode]:
    return Episode.objects.filter(referral__in=referrals_for(staff))


def contacts_for(staff: StaffMember) -> QuerySet[Contact]:
    """Contacts on people in scope. Clinicians never reach contact notes (see rules)."""
    return Contact.objects.filter(
        service_id=staff.service_id, person_id__in=people_for(staff).values("pk")
    )


def profiles_for(staff: StaffMember) -> QuerySet[VocationalProfile]:
    return VocationalProfile.objects.filter(person__in=people_for(staff))


def disclosure_plans_for(staff: StaffMember) -> QuerySet[DisclosurePlan]:
    return DisclosurePlan.objects.filter(person__in=people_for(staff))


def team_meetings_for(staff: StaffMember) -> QuerySet[TeamMeeting]:
    queryset = TeamMeeting.objects.filter(service_id=staff.service_id)
    if staff.role == Role.MANAGER:
        return queryset
    if staff.role == Role.EMPLOYMENT_SPECIALIST:
        return queryset.filter(staff=staff)
    return queryset.none()


def staff_for(staff: StaffMember) -> QuerySet[StaffMember]:
    """Colleagues this staff member may see listed (their own service only)."""
    if staff.service_id is None:
        return StaffMember.objects.none()
    return StaffMember.objects.filter(service_id=staff.service_id)


def services_for_aggregates(staff: StaffMember):
    """Services whose aggregate figures this staff member may see."""
    from ipsworks.organisations.models import Service

    if staff.role == Role.COMMISSIONER:
        return staff.commissioned_services.all()
    if staff.role in (Role.MANAGER, Role.FIDELITY_REVIEWER) and staff.service_id:
        return Service.objects.filter(pk=staff.service_id)
    return Service.objects.none()


def referrals_in_services(service_ids) -> QuerySet[Referral]:
    """All referrals of services already established as in scope, for aggregate metrics only.

    Only ``outcomes.metrics`` calls this, with ids from :func:`services_for_aggregates`;
    what leaves it is counts, never rows.
    """
    return Referral.objects.filter(service_id__in=service_ids)


def episodes_in_services(service_ids) -> QuerySet[Episode]:
    return Episode.objects.filter(service_id__in=service_ids)


def contacts_in_services(service_ids) -> QuerySet[Contact]:
    return Contact.objects.filter(service_id__in=service_ids)


# --- Employers and jobs --------------------------------------------------------------------
_WORKS_WITH_EMPLOYERS = {Role.EMPLOYMENT_SPECIALIST, Role.MANAGER}


def employers_for(staff: StaffMember):
    """Employers are shared across a service, seen by its specialists and managers."""
    from ipsworks.employers.models import Employer

    if staff.role not in _WORKS_WITH_EMPLOYERS or staff.service_id is None:
        return Employer.objects.none()
    return Employer.objects.filter(service_id=staff.service_id)


def employer_contacts_for(staff: StaffMember):
    from ipsworks.employers.models import EmployerContact

    if staff.role not in _WORKS_WITH_EMPLOYERS or staff.service_id is None:
        return EmployerContact.objects.none()
    return EmployerContact.objects.filter(service_id=staff.service_id)


def jobs_for(staff: StaffMember):
    """Jobs of the people this staff member may see (clinicians included: employment status)."""
    from ipsworks.jobs.models import Job

    return Job.objects.filter(service_id=staff.service_id, person__in=people_for(staff))


def check_ins_for(staff: StaffMember):
    from ipsworks.jobs.models import SupportCheckIn

    return SupportCheckIn.objects.filter(service_id=staff.service_id, person__in=people_for(staff))


# --- Fidelity reviews (IPS-25) -------------------------------------------------------------


def fidelity_reviews_for(staff: StaffMember):
    """Fidelity reviews this staff member may open.

    A manager: every review of their own service. A fidelity reviewer (internal or external):
    only the reviews they are named on, and through them only aggregates and de-identified
    records for the review's period. Everyone else: none.
    """
    from ipsworks.fidelity.models import FidelityReview

    if staff.role == Role.MANAGER and staff.service_id is not None:
        return FidelityReview.objects.filter(service_id=staff.service_id)
    if staff.role == Role.FIDELITY_REVIEWER:
        return FidelityReview.objects.filter(reviewers=staff)
    return FidelityReview.objects.none()


def fidelity_reviewer_choices(staff: StaffMember) -> QuerySet[StaffMember]:
    """Who a manager may name as reviewers: managers and fidelity reviewers of their own
    service, and external fidelity reviewers (who belong to no service)."""
    if staff.role != Role.MANAGER or staff.service_id is None:
        return StaffMember.objects.none()
    own = Q(service_id=staff.service_id, role__in=[Role.MANAGER, Role.FIDELITY_REVIEWER])
    external = Q(service__isnull=True, role=Role.FIDELITY_REVIEWER)
    return StaffMember.objects.filter(own | external, user__is_active=True)
