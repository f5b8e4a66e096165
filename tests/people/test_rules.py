import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ipsworks.people import rules
from ipsworks.people.models import ClosureReason, ReferralStatus


@pytest.mark.parametrize("reason", sorted(rules.EXCLUDED_REASONS))
def test_referral_cannot_be_closed_for_a_reason_zero_exclusion_forbids(reason):
    with pytest.raises(ValidationError) as error:
        rules.check_closure_reason(reason, contact_attempts=10, minimum_attempts=3)
    assert error.value.code == "zero_exclusion"
    assert error.value.messages[0] == rules.EXCLUDED_REASONS[reason]


def test_referral_cannot_be_closed_for_not_being_ready_and_says_why():
    with pytest.raises(ValidationError, match="not ready"):
        rules.check_closure_reason("not_ready", contact_attempts=0, minimum_attempts=3)


@pytest.mark.parametrize(
    "reason",
    [
        r
        for r in ClosureReason.values
        if r not in (ClosureReason.NOT_CONTACTABLE, ClosureReason.SETTLED_IN_WORK)
    ],
)
def test_allowed_reasons_close_without_contact_attempts(reason):
    rules.check_closure_reason(reason, contact_attempts=0, minimum_attempts=3)


@pytest.mark.parametrize(("employed", "allowed"), [(True, True), (False, False), (None, False)])
def test_settled_in_work_is_only_for_someone_working_at_discharge(employed, allowed):
    def close():
        rules.check_closure_reason(
            ClosureReason.SETTLED_IN_WORK,
            contact_attempts=0,
            minimum_attempts=3,
            employed_at_discharge=employed,
        )

    if allowed:
        close()
    else:
        with pytest.raises(ValidationError, match="Settled in work is for someone who is working"):
            close()


def test_could_not_be_contacted_needs_the_documented_attempts():
    with pytest.raises(ValidationError, match="at least 3 attempts"):
        rules.check_closure_reason(
            ClosureReason.NOT_CONTACTABLE, contact_attempts=2, minimum_attempts=3
        )
    rules.check_closure_reason(
        ClosureReason.NOT_CONTACTABLE, contact_attempts=3, minimum_attempts=3
    )


def test_an_unknown_reason_is_refused():
    with pytest.raises(ValidationError, match="Choose why"):
        rules.check_closure_reason("bored", contact_attempts=0, minimum_attempts=3)


@pytest.mark.parametrize(
    ("current", "new"),
    [
        (ReferralStatus.RECEIVED, ReferralStatus.ACCEPTED),
        (ReferralStatus.RECEIVED, ReferralStatus.FIRST_CONTACT),
        (ReferralStatus.RECEIVED, ReferralStatus.CLOSED),
        (ReferralStatus.ACCEPTED, ReferralStatus.FIRST_CONTACT),
        (ReferralStatus.ACCEPTED, ReferralStatus.CLOSED),
        (ReferralStatus.FIRST_CONTACT, ReferralStatus.CLOSED),
    ],
)
def test_legal_moves_are_allowed(current, new):
    rules.check_transition(current, new)


@pytest.mark.parametrize(
    ("current", "new"),
    [
        (ReferralStatus.CLOSED, ReferralStatus.RECEIVED),
        (ReferralStatus.CLOSED, ReferralStatus.ACCEPTED),
        (ReferralStatus.FIRST_CONTACT, ReferralStatus.ACCEPTED),
        (ReferralStatus.ACCEPTED, ReferralStatus.RECEIVED),
    ],
)
def test_a_referral_never_moves_backwards_or_reopens(current, new):
    with pytest.raises(rules.TransitionError):
        rules.check_transition(current, new)


@pytest.mark.parametrize(
    ("known", "typed", "matches"),
    [
        (("Okafor", dt.date(1988, 2, 14)), ("Okafor", dt.date(1988, 2, 14)), True),
        (("Okafor", dt.date(1988, 2, 14)), ("  OKAFOR ", dt.date(1988, 2, 14)), True),
        # A blank on either side is not a match: the number and a name are not enough.
        (("Okafor", dt.date(1988, 2, 14)), ("Okafor", None), False),
        (("Okafor", None), ("okafor", dt.date(1988, 2, 14)), False),
        (("", dt.date(1988, 2, 14)), ("Okafor", dt.date(1988, 2, 14)), False),
        (("Okafor", dt.date(1988, 2, 14)), ("", dt.date(1988, 2, 14)), False),
        (("Okafor", dt.date(1988, 2, 14)), ("Okafur", dt.date(1988, 2, 14)), False),
        (("Okafor", dt.date(1988, 2, 14)), ("Okafor", dt.date(1988, 2, 15)), False),
    ],
)
def test_a_known_person_matches_only_on_family_name_and_date_of_birth_both_the_same(
    known, typed, matches
):
    """Shared by the referral form, the API and the bulk import."""
    assert (
        rules.matches_known_person(
            known_family_name=known[0],
            known_date_of_birth=known[1],
            family_name=typed[0],
            date_of_birth=typed[1],
        )
        is matches
    )
