"""Roles and permissions: the one place that says who may do what.

Roles follow the table in ARCHITECTURE.md ("Who uses it"). A view never checks a role; it
asks :func:`ipsworks.access.rules.may` about a :class:`Permission`.
"""

from django.db import models

from ipsworks.organisations.roles import Role

__all__ = ["HOME_PAGE", "ROLE_DESCRIPTIONS", "Permission", "Role", "permissions_for"]


# Where each role starts (the URL name of the page for the job they open IPS Works to do).
HOME_PAGE: dict[Role, str] = {
    Role.EMPLOYMENT_SPECIALIST: "caseload",
    Role.MANAGER: "service_overview",
    Role.CLINICIAN: "team_people",
    Role.COMMISSIONER: "outcomes_overview",
    Role.FIDELITY_REVIEWER: "fidelity_reviews",
    Role.ADMINISTRATOR: "staff_list",
}

ROLE_DESCRIPTIONS: dict[Role, str] = {
    Role.EMPLOYMENT_SPECIALIST: (
        "Works with the people on their own caseload and records contacts, profiles and "
        "plans for them. Can read, but not change, the records of other people in their teams."
    ),
    Role.MANAGER: (
        "Sees everything in their service: caseloads, referrals and allocation, supervision "
        "and service figures."
    ),
    Role.CLINICIAN: (
        "Refers people and sees a summary of where each person in their clinical team is "
        "with employment support. Cannot read case notes."
    ),
    Role.COMMISSIONER: (
        "Sees outcome figures for the services they commission, with small numbers "
        "suppressed. Never sees a person."
    ),
    Role.FIDELITY_REVIEWER: (
        "Sees aggregates and de-identified samples for the period of each fidelity review "
        "they are named on, through that review's evidence pages only."
    ),
    Role.ADMINISTRATOR: "Manages staff, teams and settings for a service. Cannot read case notes.",
}


class Permission(models.TextChoices):
    VIEW_PERSON_SUMMARY = "view_person_summary", "See a person's summary and employment status"
    VIEW_PERSON_RECORD = "view_person_record", "Read a person's full record and case notes"
    EDIT_PERSON_RECORD = "edit_person_record", "Change a person's record and plans"
    RECORD_CONTACT = "record_contact", "Record contacts with or about a person"
    CREATE_REFERRAL = "create_referral", "Make a referral"
    DECIDE_REFERRAL = "decide_referral", "Accept, allocate or close a referral"
    VIEW_REFERRALS = "view_referrals", "See the list of referrals"
    SORT_REFERRAL_CHECKS = "sort_referral_checks", "Sort out referrals refused for a check"
    VIEW_CASELOAD = "view_caseload", "Have a caseload of their own"
    VIEW_TEAM_PEOPLE = "view_team_people", "See the people in their clinical teams"
    VIEW_SERVICE_OVERVIEW = "view_service_overview", "See the service's caseloads and waits"
    VIEW_AGGREGATES = "view_aggregates", "See aggregate outcome figures"
    VIEW_SERVICE_OUTCOMES = "view_service_outcomes", "See the service's outcome dashboard"
    VIEW_COMMISSIONED_OUTCOMES = (
        "view_commissioned_outcomes",
        "See suppressed outcome figures for commissioned services",
    )
    RECORD_TEAM_MEETING = "record_team_meeting", "Record team meetings attended"
    MANAGE_STAFF = "manage_staff", "Manage staff and teams"
    SEARCH_ACCESS_LOG = "search_access_log", "Search the access log"
    SUBJECT_ACCESS_EXPORT = "subject_access_export", "Export everything held about a person"
    MANAGE_FUNDING_CLAIMS = "manage_funding_claims", "Manage outcome-based funding claims"
    VIEW_EMPLOYERS = "view_employers", "See the service's employers and their history"
    WORK_WITH_EMPLOYERS = "work_with_employers", "Add employers and record employer contacts"
    VIEW_FIDELITY = "view_fidelity", "See fidelity reviews and the evidence behind them"
    START_FIDELITY_REVIEW = "start_fidelity_review", "Start a fidelity review of the service"
    SCORE_FIDELITY_REVIEW = "score_fidelity_review", "Rate items, plan actions and finish reviews"
    KEEP_DIARY = "keep_diary", "Keep a diary of appointments and subscribe to it"
    VIEW_TEAM_DIARY = "view_team_diary", "See when colleagues in their teams are busy"


_P = Permission

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.EMPLOYMENT_SPECIALIST: frozenset(
        {
            _P.VIEW_PERSON_SUMMARY,
            _P.VIEW_PERSON_RECORD,
            _P.EDIT_PERSON_RECORD,
            _P.RECORD_CONTACT,
            _P.CREATE_REFERRAL,
            _P.DECIDE_REFERRAL,
            _P.VIEW_REFERRALS,
            _P.VIEW_CASELOAD,
            _P.VIEW_TEAM_PEOPLE,
            _P.RECORD_TEAM_MEETING,
            _P.VIEW_EMPLOYERS,
            _P.WORK_WITH_EMPLOYERS,
            _P.KEEP_DIARY,
            _P.VIEW_TEAM_DIARY,
        }
    ),
    Role.MANAGER: frozenset(
        {
            _P.VIEW_PERSON_SUMMARY,
            _P.VIEW_PERSON_RECORD,
            _P.EDIT_PERSON_RECORD,
            _P.RECORD_CONTACT,
            _P.CREATE_REFERRAL,
            _P.DECIDE_REFERRAL,
            _P.VIEW_REFERRALS,
            _P.SORT_REFERRAL_CHECKS,
            _P.VIEW_TEAM_PEOPLE,
            _P.VIEW_SERVICE_OVERVIEW,
            _P.VIEW_AGGREGATES,
            _P.VIEW_SERVICE_OUTCOMES,
            _P.MANAGE_FUNDING_CLAIMS,
            _P.SEARCH_ACCESS_LOG,
            _P.SUBJECT_ACCESS_EXPORT,
            _P.RECORD_TEAM_MEETING,
            _P.VIEW_EMPLOYERS,
            _P.WORK_WITH_EMPLOYERS,
            _P.VIEW_FIDELITY,
            _P.START_FIDELITY_REVIEW,
            _P.SCORE_FIDELITY_REVIEW,
            _P.KEEP_DIARY,
            _P.VIEW_TEAM_DIARY,
        }
    ),
    Role.CLINICIAN: frozenset({_P.VIEW_PERSON_SUMMARY, _P.CREATE_REFERRAL, _P.VIEW_TEAM_PEOPLE}),
    Role.COMMISSIONER: frozenset({_P.VIEW_AGGREGATES, _P.VIEW_COMMISSIONED_OUTCOMES}),
    # Aggregates only through the evidence pages of the reviews they are named on, which
    # are limited to each review's period: no outcome pages or exports of their own.
    Role.FIDELITY_REVIEWER: frozenset({_P.VIEW_FIDELITY, _P.SCORE_FIDELITY_REVIEW}),
    Role.ADMINISTRATOR: frozenset({_P.MANAGE_STAFF, _P.SEARCH_ACCESS_LOG}),
}


# Roles whose referrals come from their own clinical team in the trust: the referral form
# starts with their team and an internal source (ipsworks.access.rules.refers_from_own_team).
REFERS_FROM_OWN_TEAM: frozenset[Role] = frozenset({Role.CLINICIAN})


def permissions_for(role: str) -> frozenset[Permission]:
    return ROLE_PERMISSIONS.get(Role(role), frozenset())
