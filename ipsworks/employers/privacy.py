"""Employer contacts, employer support and Access to Work applications: what the employers app
holds about a person, for the subject access export and anonymising
(``people.privacy.PersonalRecords``).
"""

from ipsworks.people.privacy import PersonalRecords

# What this app holds about a person: in the subject access export, and blanked by
# anonymising (registered from the AppConfig's ready with people.privacy).
PERSONAL_RECORDS = (
    PersonalRecords(
        "employer_contacts_about_them",
        "employers.EmployerContact",
        "person",
        {
            "outcome": "",
        },
    ),
    PersonalRecords(
        "employer_support_about_them",
        "employers.EmployerSupport",
        "person",
        {
            "note": "",
        },
    ),
    PersonalRecords("access_to_work", "employers.AccessToWorkApplication", "person", {"note": ""}),
)
