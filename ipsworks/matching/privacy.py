"""Job applications, their history and the employers to approach: what the matching app holds
about a person, for the subject access export and anonymising
(``people.privacy.PersonalRecords``).
"""

from ipsworks.people.privacy import PersonalRecords

# What this app holds about a person: in the subject access export, and blanked by
# anonymising (registered from the AppConfig's ready with people.privacy).
PERSONAL_RECORDS = (
    PersonalRecords("job_applications", "matching.Application", "person", {"note": ""}),
    PersonalRecords(
        "job_application_history",
        "matching.ApplicationStatusChange",
        "application__person",
        {
            "note": "",
        },
    ),
    PersonalRecords("employers_to_approach", "matching.JobSearchTarget", "person", {"note": ""}),
)
