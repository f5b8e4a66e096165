"""people.services.create_referrals_in_bulk: the one bulk writer of people and referrals."""

from datetime import date

import pytest

from ipsworks.access.models import AccessLogEntry
from ipsworks.outcomes import facts
from ipsworks.outcomes.models import ReferralFacts
from ipsworks.people.models import Person, ReferralStatusChange
from ipsworks.people.services import (
    CheckedReferral,
    NewPerson,
    create_referrals_in_bulk,
    note_self_referral_again,
    set_next_action,
)

pytestmark = pytest.mark.django_db

RECEIVED = date(2026, 11, 2)


def _new(nhs: str) -> CheckedReferral:
    return CheckedReferral(
        received_on=RECEIVED,
        source="A1",
        team_id=None,
        new_person=NewPerson(
            nhs_number=nhs, given_name="Sam", family_name="Bulktest", date_of_birth=None
        ),
    )


def test_new_and_known_people_get_referrals_history_facts_and_audit(world):
    closed = world.person_a  # stands for someone known whose referral the caller checked
    rows = [
        _new("9434765919"),
        CheckedReferral(
            received_on=RECEIVED, source="A1", team_id=world.team_a.pk, person_id=closed.pk
        ),
        _new("9434765870"),
    ]

    written = create_referrals_in_bulk(
        service_id=world.service.pk,
        rows=rows,
        by=world.manager,
        status_note="Imported",
        log_path="import:1",
        log_reason="imported from test.csv",
    )

    assert written.people_created == 2
    assert [r.person.nhs_number for r in written.referrals] == [
        "9434765919",
        closed.nhs_number,
        "9434765870",
    ]
    assert Person.objects.filter(family_name="Bulktest").count() == 2
    for referral in written.referrals:
        assert referral.status == "received"
        assert referral.referred_by == world.manager
        change = ReferralStatusChange.objects.get(referral=referral)
        assert (change.status, change.effective_on, change.note) == (
            "received",
            RECEIVED,
            "Imported",
        )
        entry = AccessLogEntry.objects.get(object_type="Referral", object_id=referral.pk)
        assert (entry.action, entry.person_id, entry.path) == (
            "create",
            referral.person_id,
            "import:1",
        )
    # bulk_create sends no post_save; the writer's signal brings the outcome facts up to date.
    assert ReferralFacts.objects.filter(referral__in=written.referrals).count() == 3
    assert facts.differences() == []


def test_a_row_names_either_a_known_person_or_a_new_one():
    with pytest.raises(ValueError, match="either person_id or new_person"):
        CheckedReferral(received_on=RECEIVED, source="A1", team_id=None)
    with pytest.raises(ValueError, match="either person_id or new_person"):
        CheckedReferral(
            received_on=RECEIVED,
            source="A1",
            team_id=None,
            person_id=1,
            new_person=_new("9434765919").new_person,
        )


def test_nothing_to_write_writes_nothing(world):
    written = create_referrals_in_bulk(service_id=world.service.pk, rows=[], by=world.manager)
    assert (written.referrals, written.people_created) == ([], 0)


def test_the_next_action_is_saved_on_the_referral(world):
    set_next_action(referral=world.referral_a, next_action="Call back", next_action_on=RECEIVED)
    world.referral_a.refresh_from_db()
    assert (world.referral_a.next_action, world.referral_a.next_action_on) == (
        "Call back",
        RECEIVED,
    )


def test_a_repeated_self_referral_flags_the_referral_new_and_keeps_what_they_wrote(world):
    referral = world.referral_a
    type(referral).objects.filter(pk=referral.pk).update(is_new=False)

    repeat = note_self_referral_again(referral=referral, work_interests="Gardening")

    referral.refresh_from_db()
    assert referral.is_new
    assert repeat.work_interests == "Gardening"
    assert AccessLogEntry.objects.filter(
        object_type="Referral", object_id=referral.pk, action="change", user=None
    ).exists()
