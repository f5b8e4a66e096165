"""The object rules of people and referrals, added to ``access.rules.may`` by PeopleConfig.

* Changing a person's record or recording a contact (``CASELOAD_PERMISSIONS``) is for the
  specialist the person's open referral is allocated to; colleagues in the team read only.
* A referral is decided (accepted, allocated, closed) by the specialist it is allocated to
  or by someone in the team it was referred to.

A manager passes both (``may`` answers for them before any object rule).
"""

from ipsworks.access.roles import Permission
from ipsworks.access.rules import CASELOAD_PERMISSIONS
from ipsworks.organisations.models import StaffMember
from ipsworks.people.models import Person, Referral


def is_on_caseload(staff: StaffMember, person: Person) -> bool:
    """Whether the person has an open referral allocated to this staff member."""
    return person.referrals.open().filter(allocated_to=staff).exists()


def person_rule(staff: StaffMember, permission: Permission, person: Person) -> bool:
    return permission not in CASELOAD_PERMISSIONS or is_on_caseload(staff, person)


def referral_rule(staff: StaffMember, permission: Permission, referral: Referral) -> bool:
    if permission != Permission.DECIDE_REFERRAL:
        return True
    return referral.allocated_to_id == staff.pk or referral.team_id in staff.team_ids()
