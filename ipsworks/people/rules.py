"""Rules about referrals: the legal status moves and zero exclusion.

Sources: IPS fidelity item 9 (zero exclusion) and item 25 (assertive engagement: nobody is
discharged for missed appointments); NHS England MHS116 for access (first direct contact).
"""

from datetime import date

from django.core.exceptions import ValidationError

from ipsworks.people.models import ClosureReason, ReferralStatus

_S = ReferralStatus

# One place lists the legal moves. A closed referral never reopens: the person is re-referred.
TRANSITIONS: dict[str, frozenset[str]] = {
    _S.RECEIVED: frozenset({_S.ACCEPTED, _S.FIRST_CONTACT, _S.CLOSED}),
    _S.ACCEPTED: frozenset({_S.FIRST_CONTACT, _S.CLOSED}),
    _S.FIRST_CONTACT: frozenset({_S.CLOSED}),
    _S.CLOSED: frozenset(),
}

# Reasons services have used to turn people away, and why IPS does not. A request to close a
# referral for any of these is refused with the message given.
EXCLUDED_REASONS: dict[str, str] = {
    "not_ready": (
        "IPS does not turn anyone away as 'not ready' for work. Anyone who wants to work "
        "is accepted: choose a reason from the list"
    ),
    "diagnosis": (
        "A referral cannot be closed because of a diagnosis or symptoms. IPS accepts "
        "everyone who wants to work"
    ),
    "substance_use": (
        "A referral cannot be closed because of drug or alcohol use. IPS accepts everyone "
        "who wants to work"
    ),
    "offending": (
        "A referral cannot be closed because of a criminal record or offending. IPS accepts "
        "everyone who wants to work"
    ),
    "benefits": (
        "A referral cannot be closed because of the person's benefits. Offer them a "
        "better-off calculation instead"
    ),
    "missed_appointments": (
        "A referral cannot be closed for missed appointments. Keep reaching out; if you "
        "cannot make contact after documented attempts, choose 'Could not be contacted'"
    ),
}


class TransitionError(ValidationError):
    pass


def check_transition(current: str, new: str) -> None:
    if new not in TRANSITIONS[current]:
        raise TransitionError(
            f"A referral that is {ReferralStatus(current).label.lower()} cannot be moved to "
            f"{ReferralStatus(new).label.lower()}",
            code="illegal_transition",
        )


def check_closure_reason(reason: str, *, contact_attempts: int, minimum_attempts: int) -> None:
    """Refuse any closure that zero exclusion does not allow, with a reason a person understands.

    "Could not be contacted" needs the documented attempts the service's policy asks for.
    """
    if reason in EXCLUDED_REASONS:
        raise ValidationError(EXCLUDED_REASONS[reason], code="zero_exclusion")
    if reason not in ClosureReason.values:
        raise ValidationError("Choose why the referral is closing", code="invalid_reason")
    if reason == ClosureReason.NOT_CONTACTABLE and contact_attempts < minimum_attempts:
        raise ValidationError(
            f"Record at least {minimum_attempts} attempts to contact the person before closing "
            f"for this reason ({contact_attempts} recorded so far)",
            code="too_few_attempts",
        )


NHS_NUMBER_BELONGS_TO_SOMEONE_ELSE = (
    "This NHS number belongs to someone already known to the service with a different name "
    "or date of birth. Check the number, or update their details first."
)


def _name_key(name: str | None) -> str:
    return (name or "").strip().casefold()


def contradicts_known_person(
    *,
    known_family_name: str | None,
    known_date_of_birth: date | None,
    family_name: str | None,
    date_of_birth: date | None,
) -> bool:
    """Whether typed details contradict the person already holding the NHS number typed.

    Only a family name or date of birth given on both sides counts: a blank is not a
    contradiction, and case and surrounding spaces are not a difference. A mistyped NHS
    number would otherwise file a referral against someone else. Shared by the referral
    form and API (``people.services.create_referral``) and the bulk import.
    """
    typed, known = _name_key(family_name), _name_key(known_family_name)
    if typed and known and typed != known:
        return True
    return bool(date_of_birth and known_date_of_birth and date_of_birth != known_date_of_birth)
