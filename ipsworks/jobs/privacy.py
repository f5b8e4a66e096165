"""Jobs, their pay changes and corrections, in-work support and return-to-work plans: what the
jobs app holds about a person, for the subject access export and anonymising
(``people.privacy.PersonalRecords``).
"""

from ipsworks.people.privacy import PersonalRecords

# What this app holds about a person: in the subject access export, and blanked by
# anonymising (registered from the AppConfig's ready with people.privacy).
PERSONAL_RECORDS = (
    PersonalRecords("jobs", "jobs.Job", "person"),
    PersonalRecords("pay_changes", "jobs.PayChange", "job__person"),
    # The reason is free text (and may never be blank); what changed stays, as the job does.
    PersonalRecords(
        "job_corrections",
        "jobs.JobCorrection",
        "job__person",
        {
            "reason": "Removed when the record was anonymised",
        },
    ),
    PersonalRecords("in_work_support", "jobs.SupportCheckIn", "person"),
    PersonalRecords(
        "return_to_work_plans",
        "jobs.ReturnToWorkPlan",
        "referral__person",
        {
            "adjustments": "",
            "notes": "",
        },
    ),
    PersonalRecords(
        "education_and_training",
        "jobs.EducationOrTraining",
        "person",
        {"provider_name": "", "course_title": ""},
    ),
)
