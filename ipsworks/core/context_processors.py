"""What every page's layout needs: the header's navigation for the signed-in role."""

from django.urls import reverse

from ipsworks.access.roles import Permission
from ipsworks.access.rules import has_role_permission

# (permission, label, url name): shown in this order to roles that carry the permission.
_NAVIGATION = [
    (Permission.VIEW_CASELOAD, "My week", "my_week"),
    (Permission.VIEW_CASELOAD, "My caseload", "caseload"),
    (Permission.VIEW_SERVICE_OVERVIEW, "Service", "service_overview"),
    (Permission.VIEW_REFERRALS, "Referrals", "referral_list"),
    (Permission.VIEW_TEAM_PEOPLE, "Team's people", "team_people"),
    (Permission.CREATE_REFERRAL, "Make a referral", "referral_new"),
    (Permission.VIEW_EMPLOYERS, "Employers", "employer_list"),
    (Permission.VIEW_SERVICE_OVERVIEW, "Enquiries", "enquiry_list"),
    (Permission.VIEW_SERVICE_OVERVIEW, "Imports", "imports"),
    (Permission.VIEW_EMPLOYERS, "Vacancies", "vacancy_list"),
    (Permission.RECORD_TEAM_MEETING, "Team meetings", "team_meetings"),
    (Permission.VIEW_SERVICE_OUTCOMES, "Outcomes", "service_dashboard"),
    (Permission.VIEW_COMMISSIONED_OUTCOMES, "Outcomes", "outcomes_overview"),
    (Permission.VIEW_FIDELITY, "Fidelity", "fidelity_reviews"),
    (Permission.MANAGE_STAFF, "Staff and teams", "staff_list"),
    (Permission.MANAGE_STAFF, "Public page", "public_page_settings_home"),
    (Permission.MANAGE_STAFF, "Import columns", "import_mapping"),
    (Permission.SEARCH_ACCESS_LOG, "Access log", "access_log"),
]


def layout(request) -> dict:
    staff = getattr(request, "staff", None)
    if staff is None:
        return {"navigation": [], "current_staff": None, "can_search_people": False}
    path = request.path
    items = []
    for permission, label, name in _NAVIGATION:
        if has_role_permission(staff, permission):
            href = reverse(name)
            items.append({"text": label, "href": href, "current": path == href})
    return {
        "navigation": items,
        "current_staff": staff,
        "can_search_people": has_role_permission(staff, Permission.VIEW_PERSON_SUMMARY),
    }
