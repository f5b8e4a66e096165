"""What anonymising a person does to the keys their imported referrals were matched by.

Registered with ``ipsworks.people.privacy.add_anonymiser`` from ``ImportsConfig.ready``.
"""

from ipsworks.imports.models import ImportedReferral
from ipsworks.people.privacy import PersonalRecords


def anonymise_import_keys(person) -> None:
    """Take the NHS number and the source system's reference off the import keys.

    The import's duplicate check keys on (NHS number, date received, source reference), so
    leaving them would let anyone holding the NHS number, or the source system, find the
    anonymised record again. A hash is no cure: NHS numbers are ten digits with a check
    digit, so every hash of one can be reversed by trying them all. The key is cleared, with
    a placeholder made from the row's own id (it can never equal a ten-digit NHS number and
    keeps the uniqueness constraint satisfied). The consequence, chosen deliberately: a file
    imported again after anonymisation treats the person as new, as it would anyone with no
    record, because the service no longer knows who they were.
    """
    for row_id in ImportedReferral.objects.filter(referral__person=person).values_list(
        "pk", flat=True
    ):
        ImportedReferral.objects.filter(pk=row_id).update(
            nhs_number=f"~{_base36(row_id)}", source_reference=""
        )


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


# What this app holds about a person: in the subject access export, and blanked by
# anonymising (registered from the AppConfig's ready with people.privacy).
PERSONAL_RECORDS = (
    PersonalRecords("imported_from_other_systems", "imports.ImportedReferral", "referral__person"),
)
