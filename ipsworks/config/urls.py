from django.urls import include, path

from ipsworks.access import staff_views
from ipsworks.access import views as access
from ipsworks.activity import views as activity
from ipsworks.api.api import urls as api_urls
from ipsworks.api.reference import api_reference
from ipsworks.benefits import views as benefits
from ipsworks.core import views as core
from ipsworks.diary import views as diary
from ipsworks.employers import views as employers
from ipsworks.jobs import views as jobs
from ipsworks.outcomes import views as outcomes
from ipsworks.people import views as people

urlpatterns = [
    path("", access.home, name="home"),
    path("healthz", core.healthz, name="healthz"),
    path("privacy/", core.privacy, name="privacy"),
    path("accessibility/", core.accessibility, name="accessibility"),
    path("sign-in/", core.sign_in, name="login"),
    path("sign-out/", core.sign_out, name="logout"),
    path("sign-in/two-factor/", access.two_factor_verify, name="two_factor_verify"),
    path("sign-in/two-factor/set-up/", access.two_factor_setup, name="two_factor_setup"),
    path("account/", access.account, name="account"),
    path("account/sign-out-everywhere/", access.sign_out_everywhere, name="sign_out_everywhere"),
    path("access-log/", access.access_log, name="access_log"),
    path("sign-in/set-password/<uidb64>/<token>/", core.set_password, name="set_password"),
    path("caseload/", people.caseload, name="caseload"),
    path("caseload/<int:staff_pk>/", people.specialist_caseload, name="specialist_caseload"),
    path("team/", people.team_people, name="team_people"),
    path("referrals/", people.referral_list, name="referral_list"),
    path("referrals/new/", people.referral_new, name="referral_new"),
    path("referrals/<int:pk>/sent/", people.referral_sent, name="referral_sent"),
    path("referrals/checks/", people.referral_checks, name="referral_checks"),
    path("referrals/<int:pk>/accept/", people.referral_accept, name="referral_accept"),
    path("referrals/<int:pk>/close/", people.referral_close, name="referral_close"),
    path("people/", people.person_search, name="person_search"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/details/", people.person_edit, name="person_edit"),
    path("people/<int:pk>/reason/", people.person_reason, name="person_reason"),
    path("people/<int:pk>/subject-access/", people.subject_access, name="subject_access"),
    path("people/<int:pk>/profile/", people.profile_edit, name="profile_edit"),
    path("people/<int:pk>/disclosure/", people.disclosure_edit, name="disclosure_edit"),
    path("people/<int:pk>/profile/history/", people.profile_history, name="profile_history"),
    path("people/<int:pk>/action-plan/", people.action_plan, name="action_plan"),
    path("people/<int:pk>/action-plan/edit/", people.action_plan_edit, name="action_plan_edit"),
    path(
        "people/<int:pk>/action-plan/history/",
        people.action_plan_history,
        name="action_plan_history",
    ),
    path(
        "people/<int:pk>/disclosure/history/",
        people.disclosure_history,
        name="disclosure_history",
    ),
    path("people/<int:pk>/better-off/", benefits.better_off, name="person_better_off"),
    path("api/v1/docs", api_reference, name="api_reference"),
    path("api/v1/", api_urls()),
    path("people/<int:pk>/contacts/new/", activity.contact_new, name="contact_new"),
    path("people/<int:pk>/contacts/quick/", activity.quick_note, name="quick_note"),
    path("people/<int:pk>/tasks/new/", diary.person_task_new, name="person_task_new"),
    path("team-meetings/", activity.team_meetings, name="team_meetings"),
    path("week/", jobs.my_week, name="my_week"),
    path("diary/", diary.my_diary, name="my_diary"),
    path("diary/day/", diary.my_day, name="my_day"),
    path("diary/staff/<int:staff_pk>/", diary.specialist_diary, name="specialist_diary"),
    path("diary/team/<int:team_pk>/", diary.team_diary, name="team_diary"),
    path("diary/appointments/new/", diary.appointment_new, name="appointment_new"),
    path("diary/appointments/<int:pk>/", diary.appointment_detail, name="appointment_detail"),
    path("diary/appointments/<int:pk>/edit/", diary.appointment_edit, name="appointment_edit"),
    path("diary/feed/", diary.diary_feed, name="diary_feed"),
    path("diary/tasks/", diary.my_tasks, name="my_tasks"),
    path("diary/tasks/<int:pk>/done/", diary.task_done, name="task_done"),
    path("diary/tasks/<int:pk>/reopen/", diary.task_reopen, name="task_reopen"),
    path("diary/feed/<str:token>.ics", diary.diary_feed_ics, name="diary_feed_ics"),
    path("employers/", employers.employer_list, name="employer_list"),
    path("employers/new/", employers.employer_new, name="employer_new"),
    path("employers/<int:pk>/", employers.employer_detail, name="employer_detail"),
    path("employers/<int:pk>/edit/", employers.employer_edit, name="employer_edit"),
    path("employers/<int:pk>/people/new/", employers.contact_person, name="contact_person_new"),
    path(
        "employers/<int:pk>/people/<int:contact_pk>/edit/",
        employers.contact_person,
        name="contact_person_edit",
    ),
    path(
        "employers/<int:pk>/people/<int:contact_pk>/remove/",
        employers.contact_person_remove,
        name="contact_person_remove",
    ),
    path(
        "employers/<int:pk>/people/<int:contact_pk>/restore/",
        employers.contact_person_restore,
        name="contact_person_restore",
    ),
    path(
        "people/<int:person_pk>/employer-contact/",
        employers.employer_contact_for,
        name="employer_contact_for",
    ),
    path(
        "employers/<int:pk>/contacts/new/",
        employers.employer_contact_new,
        name="employer_contact_new",
    ),
    path(
        "employers/<int:pk>/support/new/",
        employers.employer_support_new,
        name="employer_support_new",
    ),
    path(
        "employers/<int:pk>/access-to-work/new/",
        employers.access_to_work,
        name="access_to_work_new",
    ),
    path(
        "employers/<int:pk>/access-to-work/<int:application_pk>/",
        employers.access_to_work,
        name="access_to_work_edit",
    ),
    path("people/<int:pk>/jobs/new/", jobs.job_new, name="job_new"),
    path("people/<int:pk>/return-to-work/", jobs.return_to_work, name="return_to_work"),
    path("people/<int:pk>/education/new/", jobs.education_new, name="education_new"),
    path("education/<int:pk>/end/", jobs.education_end, name="education_end"),
    path("jobs/<int:pk>/", jobs.job_detail, name="job_detail"),
    path("jobs/<int:pk>/correct/", jobs.job_correct, name="job_correct"),
    path("jobs/<int:pk>/end/", jobs.job_end, name="job_end"),
    path("jobs/<int:pk>/pay/", jobs.job_pay_change, name="job_pay_change"),
    path("jobs/<int:pk>/four-hours/", jobs.job_confirm_hours, name="job_confirm_hours"),
    path("service/", outcomes.service_overview, name="service_overview"),
    path("staff/", staff_views.staff_list, name="staff_list"),
    path("staff/new/", staff_views.staff_new, name="staff_new"),
    path("staff/<int:pk>/", staff_views.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/unlock/", staff_views.staff_unlock, name="staff_unlock"),
    path(
        "staff/<int:pk>/reset-two-factor/",
        staff_views.staff_reset_two_factor,
        name="staff_reset_two_factor",
    ),
    path("staff/teams/new/", staff_views.team_new, name="team_new"),
    path("outcomes/", outcomes.outcomes_overview, name="outcomes_overview"),
    path("outcomes/service/", outcomes.service_dashboard, name="service_dashboard"),
    path(
        "outcomes/service/nhs-england/",
        outcomes.nhs_england_measures,
        name="nhs_england_measures",
    ),
    path("outcomes/exports/", outcomes.exports, name="exports"),
    path("outcomes/exports/<int:pk>/status/", outcomes.export_status, name="export_status"),
    path("outcomes/exports/<int:pk>/download/", outcomes.export_download, name="export_download"),
    path("funding/", outcomes.contracts, name="contracts"),
    path("funding/<int:pk>/", outcomes.contract_detail, name="contract_detail"),
    path("funding/<int:pk>/evidence/", outcomes.contract_evidence, name="contract_evidence"),
    path("funding/claims/<int:pk>/", outcomes.claim_download, name="claim_download"),
    path("fidelity/", include("ipsworks.fidelity.urls")),
    path("", include("ipsworks.matching.urls")),
    path("", include("ipsworks.public.urls")),
    path("", include("ipsworks.apitokens.urls")),
    path("", include("ipsworks.imports.urls")),
]

handler403 = "ipsworks.core.views.forbidden"
handler404 = "ipsworks.core.views.not_found"
# A 503 while the database is unreachable, else core's 500 page (ipsworks/operations/views.py).
handler500 = "ipsworks.operations.views.server_error"
