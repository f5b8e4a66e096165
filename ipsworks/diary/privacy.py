"""Appointments: what the diary app holds about a person, for the subject access export and
anonymising (``people.privacy.PersonalRecords``).
"""

from ipsworks.people.privacy import PersonalRecords

# What this app holds about a person: in the subject access export, and blanked by
# anonymising (registered from the AppConfig's ready with people.privacy).
PERSONAL_RECORDS = (
    # A task's title may never be blank (a database check), so it is overwritten.
    PersonalRecords(
        "tasks", "diary.Task", "person", {"title": "Removed when the record was anonymised"}
    ),
    PersonalRecords(
        "appointments",
        "diary.Appointment",
        "person",
        {
            "title": "",
            "with_whom": "",
            "notes": "",
        },
    ),
)
