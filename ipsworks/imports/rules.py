"""Who may import referrals, and who may change a service's import columns.

An import adds referrals anywhere in the service, so it is for those who see the whole
service and may make referrals: managers. The column mapping is a setting: managers and
service administrators (who hold no case data) may change it.
"""

from ipsworks.access.roles import Permission
from ipsworks.access.rules import has_role_permission
from ipsworks.organisations.models import StaffMember

IMPORT_PERMISSION = Permission.VIEW_SERVICE_OVERVIEW


def may_import(staff: StaffMember | None) -> bool:
    return (
        staff is not None
        and staff.service_id is not None
        and has_role_permission(staff, IMPORT_PERMISSION)
        and has_role_permission(staff, Permission.CREATE_REFERRAL)
    )


def may_edit_mapping(staff: StaffMember | None) -> bool:
    return may_import(staff) or (
        staff is not None
        and staff.service_id is not None
        and has_role_permission(staff, Permission.MANAGE_STAFF)
    )
