"""Outcome payment claims and their evidence: what the outcomes app holds about a person, for
the subject access export and anonymising (``people.privacy.PersonalRecords``).
"""

from ipsworks.people.privacy import PersonalRecords

# What this app holds about a person: in the subject access export, and blanked by
# anonymising (registered from the AppConfig's ready with people.privacy).
PERSONAL_RECORDS = (
    # The claim's event, date and amount stay for the contract's accounts; the evidence
    # names the job, the employer and dates, which together can point at one person.
    PersonalRecords(
        "outcome_payment_claims",
        "outcomes.ClaimItem",
        "referral__person",
        {
            "evidence": "",
        },
    ),
    # Where the evidence is kept: meant to hold no personal details, cleared in case it does.
    PersonalRecords(
        "outcome_payment_evidence",
        "outcomes.OutcomeEvidence",
        "referral__person",
        {
            "note": "",
        },
    ),
)
