"""Scoping: who may see which case data, as conditions each model's QuerySet applies.

Every query that reaches a person, referral, episode, contact or plan starts from
``Model.objects.visible_to(staff)``: the model's own QuerySet (in its app) applies the
conditions written here, so the rules live in one place while access imports no case
model. The rules follow ARCHITECTURE.md ("Who uses it"):

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
The conditions are on a Referral row (``prefix`` reaches one from another model);
``None`` means the whole service and :data:`NOTHING` means no row.
"""

from django.db.models import Q, QuerySet

from ipsworks.access.roles import Role
from ipsworks.organisations.models import Service, StaffMember

NOTHING = Q(pk__in=[])
_SEES_TEAM_PEOPLE = {Role.EMPLOYMENT_SPECIALIST, Role.CLINICIAN}
_WORKS_WITH_EMPLOYERS = {Role.EMPLOYMENT_SPECIALIST, Role.MANAGER}


def referral_condition(staff: StaffMember) -> Q | None:
    """The condition on a Referral row that puts it in this staff member's scope."""
    if staff.service_id is None:
        return NOTHING
    if staff.role == Role.MANAGER:
        return None
    if staff.role in _SEES_TEAM_PEOPLE:
        condition = Q(team_id__in=staff.team_ids())
        if staff.role == Role.EMPLOYMENT_SPECIALIST:
            condition |= Q(allocated_to=staff)
        return condition
    return NOTHING


def record_condition(staff: StaffMember) -> Q | None:
    """The condition on a Referral row that opens the person's whole record to this staff
    member: an allocated referral among those they see (see the module notes)."""
    condition = referral_condition(staff)
    if condition is None or staff.role not in _SEES_TEAM_PEOPLE:
        return condition
    return condition & Q(allocated_to__isnull=False)


def works_with_employers(staff: StaffMember) -> bool:
    """Employers are shared across a service, seen by its specialists and managers."""
    return staff.role in _WORKS_WITH_EMPLOYERS and staff.service_id is not None


def own_team_meetings(staff: StaffMember) -> Q | None:
    """Team meetings: a manager sees the service's, a specialist their own, others none."""
    if staff.role == Role.MANAGER:
        return None
    if staff.role == Role.EMPLOYMENT_SPECIALIST:
        return Q(staff=staff)
    return NOTHING


def fidelity_review_condition(staff: StaffMember) -> Q:
    """Fidelity reviews this staff member may open.

    A manager: every review of their own service. A fidelity reviewer (internal or external):
    only the reviews they are named on, and through them only aggregates and de-identified
    records for the review's period. Everyone else: none.
    """
    if staff.role == Role.MANAGER and staff.service_id is not None:
        return Q(service_id=staff.service_id)
    if staff.role == Role.FIDELITY_REVIEWER:
        return Q(reviewers=staff)
    return NOTHING


def staff_for(staff: StaffMember) -> QuerySet[StaffMember]:
    """Colleagues this staff member may see listed (their own service only)."""
    if staff.service_id is None:
        return StaffMember.objects.none()
    return StaffMember.objects.filter(service_id=staff.service_id)


def services_for_aggregates(staff: StaffMember) -> QuerySet[Service]:
    """Services whose aggregate figures this staff member may see."""
    if staff.role == Role.COMMISSIONER:
        return staff.commissioned_services.all()
    if staff.role in (Role.MANAGER, Role.FIDELITY_REVIEWER) and staff.service_id:
        return Service.objects.filter(pk=staff.service_id)
    return Service.objects.none()


def fidelity_reviewer_choices(staff: StaffMember) -> QuerySet[StaffMember]:
    """Who a manager may name as reviewers: managers and fidelity reviewers of their own
    service, and external fidelity reviewers (who belong to no service)."""
    if staff.role != Role.MANAGER or staff.service_id is None:
        return StaffMember.objects.none()
    own = Q(service_id=staff.service_id, role__in=[Role.MANAGER, Role.FIDELITY_REVIEWER])
    external = Q(service__isnull=True, role=Role.FIDELITY_REVIEWER)
    return StaffMember.objects.filter(own | external, user__is_active=True)
