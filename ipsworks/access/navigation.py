"""What every page's layout needs: the header's navigation for the signed-in role."""

from django.urls import reverse

from ipsworks.access.roles import Permission
from ipsworks.access.rules import has_role_permission

# (permission, label, url name): shown in this order to roles that carry the permission.
_NAVIGATION = [
    (Permission.VIEW_CASELOAD, "My week", "my_week"),
    # The diary and My week lead to My tasks: one more header link would fold a
    # specialist's links under "More" at 1280 px. A manager's diary is on the service page.
    (Permission.KEEP_DIARY, "Diary", "my_diary"),
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


# Pages a manager reaches from the service overview ("Service") instead of the header, so
# the header holds each role's main pages and none of them falls under "More" at 1280 px.
_FROM_SERVICE_PAGE = frozenset(
    {"referral_new", "enquiry_list", "imports", "team_meetings", "my_diary"}
)


def layout(request) -> dict:
    staff = getattr(request, "staff", None)
    if staff is None:
        return {
            "navigation": [],
            "more_pages": [],
            "current_staff": None,
            "can_search_people": False,
        }
    path = request.path
    has_service_page = has_role_permission(staff, Permission.VIEW_SERVICE_OVERVIEW)
    items, more = [], []
    for permission, label, name in _NAVIGATION:
        if has_role_permission(staff, permission):
            href = reverse(name)
            item = {"text": label, "href": href, "current": path == href}
            (more if has_service_page and name in _FROM_SERVICE_PAGE else items).append(item)
    return {
        "navigation": items,
        "more_pages": more,
        "current_staff": staff,
        "can_search_people": has_role_permission(staff, Permission.VIEW_PERSON_SUMMARY),
    }
