"""One function answers "may this staff member do X (to this object)?".

Role permissions come from :mod:`ipsworks.access.roles`. Object rules narrow them: an
employment specialist may change the record only of people on their own caseload, and
may decide only referrals from their own teams or allocated to them. Those rules belong
to the apps whose models they are about and are added with :func:`add_object_rule` from
``AppConfig.ready`` (people's are in :mod:`ipsworks.people.permissions`), so access
imports no case model. Scope (whether the object is visible at all) is checked before
this, by each model's ``visible_to`` (:mod:`ipsworks.access.scoping`).
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied

from ipsworks.access.roles import REFERS_FROM_OWN_TEAM, Permission, Role, permissions_for
from ipsworks.organisations.models import StaffMember

# What only the person's own specialist (or a manager) may do to their record.
CASELOAD_PERMISSIONS = frozenset({Permission.EDIT_PERSON_RECORD, Permission.RECORD_CONTACT})

# rule(staff, permission, obj) -> bool, asked of a staff member who is not a manager and
# whose role has the permission, about an object of their own service.
ObjectRule = Callable[[StaffMember, Permission, Any], bool]
_OBJECT_RULES: dict[type, ObjectRule] = {}


def add_object_rule(model: type, rule: ObjectRule) -> None:
    """Narrow :func:`may` for objects of ``model`` (called from the app's ``ready``)."""
    _OBJECT_RULES[model] = rule


def object_rules() -> dict[type, ObjectRule]:
    return dict(_OBJECT_RULES)


def has_role_permission(staff: StaffMember | None, permission: Permission) -> bool:
    return staff is not None and permission in permissions_for(staff.role)


def may(staff: StaffMember | None, permission: Permission, obj: object = None) -> bool:
    if not has_role_permission(staff, permission):
        return False
    assert staff is not None
    if obj is None:
        return True
    if getattr(obj, "service_id", staff.service_id) != staff.service_id:
        return False
    if staff.role == Role.MANAGER:
        return True
    rule = _OBJECT_RULES.get(type(obj))
    return True if rule is None else rule(staff, permission, obj)


def refers_from_own_team(staff: StaffMember) -> bool:
    """Whether this staff member's referrals come from their own clinical team (a clinician)."""
    return Role(staff.role) in REFERS_FROM_OWN_TEAM


def has_own_caseload(staff: StaffMember) -> bool:
    """Whether referrals they accept are theirs by default (they hold a caseload)."""
    return has_role_permission(staff, Permission.VIEW_CASELOAD)


def sees_people(staff: StaffMember) -> bool:
    """Whether their role reads person records, so lists may show names and NHS numbers."""
    return has_role_permission(staff, Permission.VIEW_PERSON_RECORD)


NOT_YOURS = "Only the person's employment specialist or a manager can do this"


def require(staff: StaffMember | None, permission: Permission, *objects: object) -> None:
    """Refuse (403, saying why) unless ``may(staff, permission, obj)`` for every object.

    The one hand-written refusal: pages use :func:`ipsworks.people.pages.person_page`,
    which calls this; API operations call it once they have loaded what they act on.
    """
    if not all(may(staff, permission, obj) for obj in objects or (None,)):
        raise PermissionDenied(NOT_YOURS)


def reason_needed(staff: StaffMember, person: Any) -> bool:
    """A manager opening someone outside their own teams must say why (the reason is logged).

    A manager with no teams set manages the whole service and is never asked.
    """
    if staff.role != Role.MANAGER or not staff.team_ids():
        return False
    return not person.referrals.filter(team_id__in=staff.team_ids()).exists()


def write_scope(staff: StaffMember | None) -> int | None:
    """The service whose kept pages a staff member's writes can change (ADR 0009), or None
    when it could be any: a commissioner's or reviewer's work spans services."""
    if staff is None or staff.service_id is None:
        return None
    if staff.role in (Role.COMMISSIONER, Role.FIDELITY_REVIEWER):
        return None
    return staff.service_id
