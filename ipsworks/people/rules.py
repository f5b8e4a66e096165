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


def check_closure_reason(
    reason: str,
    *,
    contact_attempts: int,
    minimum_attempts: int,
    employed_at_discharge: bool | None = None,
) -> None:
    """Refuse any closure that zero exclusion does not allow, with a reason a person understands.

    "Could not be contacted" needs the documented attempts the service's policy asks for.
    "Settled in work" needs an employed status at discharge (``employed_at_discharge``;
    ``None`` when they were never seen, so there is no discharge status): in-work support is
    time-unlimited, so it ends well only for someone who is working.
    """
    if reason in EXCLUDED_REASONS:
        raise ValidationError(EXCLUDED_REASONS[reason], code="zero_exclusion")
    if reason not in ClosureReason.values:
        raise ValidationError("Choose why the referral is closing", code="invalid_reason")
    if reason == ClosureReason.SETTLED_IN_WORK and not employed_at_discharge:
        raise ValidationError(
            "Settled in work is for someone who is working: record their employment status "
            "now as employed, or choose another reason",
            code="not_in_work",
        )
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

# The one answer to a referral that cannot be added as typed, on the page and in the API,
# whatever the reason (details that differ from those held for the NHS number, or an open
# referral already held): a different answer for each would tell anyone who may refer whom
# the service holds, their family name and their dates. The service's duty team is told.
REFERRAL_NEEDS_CHECK = (
    "This referral needs a check by the IPS service before it can be added. Its duty team "
    "has been told and will contact you, usually within 2 working days: you do not need to "
    "send it again. Meanwhile, check the NHS number, family name and date of birth against "
    "the person's clinical record."
)


def _name_key(name: str | None) -> str:
    return (name or "").strip().casefold()


def matches_known_person(
    *,
    known_family_name: str | None,
    known_date_of_birth: date | None,
    family_name: str | None,
    date_of_birth: date | None,
) -> bool:
    """Whether typed details are those of the person already holding the NHS number typed.

    A known person is matched on NHS number *and* family name *and* date of birth: all
    three given, all three the same (case and surrounding spaces aside). A blank is not a
    match. A referrer who knew only a number and a family name could otherwise attach a
    referral to, and so open, the record of someone else; a mistyped number would file the
    referral against the wrong person. Shared by the referral form and API
    (``people.services.create_referral``) and the bulk import, where both are required.
    """
    typed, known = _name_key(family_name), _name_key(known_family_name)
    if not (typed and known and typed == known):
        return False
    return bool(date_of_birth and known_date_of_birth and date_of_birth == known_date_of_birth)


#: How far ahead an employment action plan looks: its review date and each step's date.
#: IPS plans are reviewed as work goes on (fidelity item 14); a date further off is a typing
#: slip (2062 for 2026) rather than a plan.
ACTION_PLAN_YEARS_AHEAD = 2


def latest_action_plan_date(today: date) -> date:
    """The last day an action plan's review or a step may be set for, from ``today``."""
    try:
        return today.replace(year=today.year + ACTION_PLAN_YEARS_AHEAD)
    except ValueError:  # 29 February, two years on
        return today.replace(year=today.year + ACTION_PLAN_YEARS_AHEAD, day=28)
