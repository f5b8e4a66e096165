"""Who may change an appointment: the diary's owner (a manager passes every object rule in
its service, ``access.rules.may``). Colleagues see a team diary but change nothing in it."""

from ipsworks.access.roles import Permission
from ipsworks.organisations.models import StaffMember


def appointment_rule(staff: StaffMember, permission: Permission, appointment) -> bool:
    return appointment.staff_id == staff.pk
