"""Evidence held, kept between visits, and engagement with a completed vocational profile.

MHEP social outcomes contracts pay on evidence: "dated vocational profile, proof of job
start (payslip or employer), hours band, sustainment date", and pay for "engagement plus a
completed vocational profile" (ips-reference.md section 5). What "completed" means is set in
``outcomes.funding`` (kinds of work wanted, hours range, work history).
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse

from ipsworks.access.models import AccessLogEntry
from ipsworks.outcomes import funding
from ipsworks.outcomes.models import Claim, ClaimItem, OutcomeEvidence, PaymentEvent
from ipsworks.people.models import VocationalProfile
from tests import factories as f
from tests.outcomes.test_exports_and_funding import _client_with_job, hold_evidence

pytestmark = pytest.mark.django_db

D = dt.date
COMPLETE = {"kinds_of_work": "Gardening", "hours_min": 8, "hours_max": 16, "work_history": "None"}


def _contract(world, name="Social outcomes contract"):
    return funding.create_contract(
        service=world.service,
        name=name,
        funder="Test ICB",
        starts_on=D(2025, 4, 1),
        ends_on=D(2027, 3, 31),
        rates={PaymentEvent.ENGAGEMENT: 50000, PaymentEvent.JOB_START: 100000},
        by=world.manager,
    )


def _referral(world, person, received, access, closed=None):
    closing = {"status": "closed", "closed_on": closed, "closure_reason": "moved_away"}
    referral = f.ReferralFactory(
        person=person, team=world.team_a, received_on=received, **(closing if closed else {})
    )
    f.EpisodeFactory(referral=referral, access_date=access)
    return referral


def _profile(world, person, referral, version, on, **fields):
    fields = {"kinds_of_work": "", **fields}
    profile = f.VocationalProfileFactory(
        person=person, referral=referral, version=version, recorded_by=world.es_a, **fields
    )
    moment = dt.datetime(on.year, on.month, on.day, 12, tzinfo=dt.UTC)
    # Test set-up only: a plain queryset backdates the row the append-only manager protects.
    QuerySet(VocationalProfile).filter(pk=profile.pk).update(recorded_at=moment)
    return profile


def _engagement(contract, referral):
    return next(
        (
            e
            for e in funding.claimable_events(contract)
            if e.event == PaymentEvent.ENGAGEMENT and e.referral_id == referral.pk
        ),
        None,
    )


def _key(contract, event):
    return next(e.key for e in funding.claimable_events(contract) if e.event == event)


# --- evidence held, kept between visits ----------------------------------------------------


def test_marking_evidence_held_is_kept_with_who_when_and_where_and_audited(world, as_staff):
    _client_with_job(world)
    contract = _contract(world)
    key = _key(contract, PaymentEvent.JOB_START)
    client = as_staff(world.manager)
    url = reverse("contract_evidence", args=[contract.pk])
    response = client.post(url, {"event": key, "held": "yes", "note": "Payslip in claims folder"})
    assert response.status_code == 302
    evidence = OutcomeEvidence.objects.get()
    assert (evidence.held, evidence.note, evidence.updated_by) == (
        True,
        "Payslip in claims folder",
        world.manager,
    )
    page = client.get(reverse("contract_detail", args=[contract.pk])).content.decode()
    assert "Evidence held" in page
    assert "Kept: Payslip in claims folder" in page
    assert "Do not enter names or other personal details" in page
    assert f'type="checkbox" value="{key}"' in page  # offered for the claim file
    engagement = _key(contract, PaymentEvent.ENGAGEMENT)
    assert f'type="checkbox" value="{engagement}"' not in page
    assert "1 outcome is left out of claims until their evidence is held" in page

    client.post(url, {"event": key, "held": "no"})
    evidence.refresh_from_db()
    assert (evidence.held, evidence.note) == (False, "")
    entries = AccessLogEntry.objects.filter(object_type="OutcomeEvidence", object_id=evidence.pk)
    assert [e.reason for e in entries.order_by("pk")] == [
        "Job start: evidence held",
        "Job start: evidence not held",
    ]
    assert {e.user_id for e in entries} == {world.manager.user_id}


def test_evidence_marked_on_one_contract_holds_on_another(world):
    _client_with_job(world)
    first, second = _contract(world), _contract(world, "Top-up contract")
    hold_evidence(world.manager, first, [_key(first, PaymentEvent.JOB_START)])
    events = funding.claimable_events(second)
    held = funding.evidence_for(events)
    job_start = next(e for e in events if e.event == PaymentEvent.JOB_START)
    assert held[job_start.claim_key].held


def test_a_claim_file_lists_only_outcomes_whose_evidence_is_held(world, as_staff):
    _client_with_job(world)
    contract = _contract(world)
    job_start = hold_evidence(world.manager, contract, [_key(contract, PaymentEvent.JOB_START)])
    engagement = _key(contract, PaymentEvent.ENGAGEMENT)
    client = as_staff(world.manager)
    url = reverse("contract_detail", args=[contract.pk])
    page = client.post(url, {"event": [job_start[0], engagement]}).content.decode()
    assert "Evidence is not yet held for engagement with a completed vocational profile" in page
    assert not Claim.objects.exists()
    assert client.post(url, {"event": job_start}).status_code == 302
    assert list(ClaimItem.objects.values_list("event", flat=True)) == [PaymentEvent.JOB_START]


def test_evidence_unmarked_after_the_page_loaded_keeps_the_outcome_out_of_the_claim(world):
    _client_with_job(world)
    contract = _contract(world)
    key = _key(contract, PaymentEvent.JOB_START)
    hold_evidence(world.manager, contract, [key])
    funding.set_evidence(contract=contract, key=key, held=False, by=world.manager)
    with pytest.raises(ValidationError):
        funding.build_claim(contract=contract, keys=[key], by=world.manager)
    assert not ClaimItem.objects.exists()


def test_evidence_cannot_be_marked_for_an_outcome_already_claimed(world, as_staff):
    _client_with_job(world)
    contract = _contract(world)
    key = hold_evidence(world.manager, contract, [_key(contract, PaymentEvent.JOB_START)])[0]
    funding.build_claim(contract=contract, keys=[key], by=world.manager)
    page = (
        as_staff(world.manager)
        .post(reverse("contract_evidence", args=[contract.pk]), {"event": key, "held": "no"})
        .content.decode()
    )
    assert "no longer claimable" in page
    assert OutcomeEvidence.objects.get().held


def test_a_long_note_is_refused_with_a_message(world, as_staff):
    _client_with_job(world)
    contract = _contract(world)
    key = _key(contract, PaymentEvent.JOB_START)
    page = (
        as_staff(world.manager)
        .post(
            reverse("contract_evidence", args=[contract.pk]),
            {"event": key, "held": "yes", "note": "x" * 201},
        )
        .content.decode()
    )
    assert "must be 200 characters or fewer" in page
    assert not OutcomeEvidence.objects.exists()


@pytest.mark.parametrize("persona", ["es_a", "clinician", "commissioner"])
def test_staff_without_the_funding_right_cannot_see_or_mark_evidence(world, as_staff, persona):
    _client_with_job(world)
    contract = _contract(world)
    key = _key(contract, PaymentEvent.JOB_START)
    client = as_staff(getattr(world, persona))
    assert client.get(reverse("contract_detail", args=[contract.pk])).status_code == 403
    response = client.post(
        reverse("contract_evidence", args=[contract.pk]), {"event": key, "held": "yes"}
    )
    assert response.status_code == 403
    assert not OutcomeEvidence.objects.exists()


def test_another_services_manager_cannot_mark_evidence(world, as_staff):
    _client_with_job(world)
    contract = _contract(world)
    key = _key(contract, PaymentEvent.JOB_START)
    other = f.StaffFactory(role="manager", service=world.other_service)
    response = as_staff(other).post(
        reverse("contract_evidence", args=[contract.pk]), {"event": key, "held": "yes"}
    )
    assert response.status_code == 404
    assert not OutcomeEvidence.objects.exists()


def test_marking_evidence_is_post_only_and_needs_sign_in(world, as_staff, client):
    contract = _contract(world)
    url = reverse("contract_evidence", args=[contract.pk])
    assert as_staff(world.manager).get(url).status_code == 405
    assert client.post(url, {"event": "x", "held": "yes"}).status_code == 302
    assert not OutcomeEvidence.objects.exists()


# --- engagement with a completed vocational profile ----------------------------------------


def test_profile_missing_names_the_core_sections():
    blank = VocationalProfile(kinds_of_work=" ", work_history="\n")
    assert funding.profile_missing(blank) == [
        "kinds of work they want",
        "hours a week they want (fewest and most)",
        'work history (or "no previous work")',
    ]
    assert funding.profile_missing(VocationalProfile(hours_min=0, hours_max=16)) == [
        "kinds of work they want",
        'work history (or "no previous work")',
    ]
    assert funding.profile_missing(VocationalProfile(**COMPLETE)) == []


def test_engagement_date_is_the_day_the_profile_became_complete(world):
    person = f.PersonFactory(service=world.service)
    referral = _referral(world, person, D(2025, 4, 2), D(2025, 4, 5))
    _profile(world, person, referral, 1, D(2025, 4, 5), kinds_of_work="Gardening")
    _profile(world, person, referral, 2, D(2025, 4, 19), **{**COMPLETE, "work_history": ""})
    _profile(world, person, referral, 3, D(2025, 5, 3), **COMPLETE)
    _profile(world, person, referral, 4, D(2025, 6, 7), **COMPLETE)  # a later update
    engagement = _engagement(_contract(world), referral)
    assert engagement.event_date == D(2025, 5, 3)
    assert engagement.evidence == (
        "First contact 05/04/2025; vocational profile started 05/04/2025, "
        "complete 03/05/2025 (version 3)"
    )


def test_engagement_date_is_the_access_date_when_the_profile_was_complete_before(world):
    person = f.PersonFactory(service=world.service)
    referral = _referral(world, person, D(2025, 4, 2), D(2025, 4, 10))
    _profile(world, person, referral, 1, D(2025, 4, 8), **COMPLETE)
    assert _engagement(_contract(world), referral).event_date == D(2025, 4, 10)


def test_a_re_referral_does_not_reuse_the_profile_of_an_earlier_referral(world, as_staff):
    person = f.PersonFactory(service=world.service, given_name="Robin", family_name="Again")
    first = _referral(world, person, D(2025, 4, 2), D(2025, 4, 5), closed=D(2025, 6, 30))
    _profile(world, person, first, 1, D(2025, 4, 12), **COMPLETE)
    second = _referral(world, person, D(2025, 9, 1), D(2025, 9, 8))
    contract = _contract(world)
    assert _engagement(contract, first).event_date == D(2025, 4, 12)
    assert _engagement(contract, second) is None
    waiting = funding.engagements_waiting(contract)
    assert [(w.referral_id, w.reason) for w in waiting] == [
        (second.pk, "No vocational profile saved for this referral yet")
    ]
    _profile(world, person, second, 2, D(2025, 9, 15), **COMPLETE)
    assert _engagement(contract, second).event_date == D(2025, 9, 15)


def test_an_unlinked_version_counts_for_the_referral_open_when_it_was_saved(world):
    person = f.PersonFactory(service=world.service)
    first = _referral(world, person, D(2025, 4, 2), D(2025, 4, 5), closed=D(2025, 6, 30))
    second = _referral(world, person, D(2025, 9, 1), D(2025, 9, 8))
    _profile(world, person, None, 1, D(2025, 9, 20), **COMPLETE)
    contract = _contract(world)
    assert _engagement(contract, first) is None
    assert _engagement(contract, second).event_date == D(2025, 9, 20)


def test_an_incomplete_profile_is_not_claimable_and_the_page_says_what_is_missing(world, as_staff):
    person = f.PersonFactory(service=world.service, given_name="Sam", family_name="Partway")
    referral = _referral(world, person, D(2025, 4, 2), D(2025, 4, 5))
    _profile(world, person, referral, 1, D(2025, 4, 5), kinds_of_work="Gardening")
    contract = _contract(world)
    assert _engagement(contract, referral) is None
    reason = (
        "Vocational profile started 05/04/2025 but not complete: missing hours a week they "
        'want (fewest and most), work history (or "no previous work")'
    )
    assert [w.reason for w in funding.engagements_waiting(contract)] == [reason]
    page = as_staff(world.manager).get(reverse("contract_detail", args=[contract.pk]))
    text = page.content.decode()
    assert "Not claimable yet" in text
    assert "Sam Partway" in text
    assert "missing hours a week they want (fewest and most)" in text
    with pytest.raises(funding.AlreadyClaimed):
        funding.build_claim(
            contract=contract, keys=[f"engagement:{referral.pk}:"], by=world.manager
        )


def test_claimed_engagements_are_not_listed_as_waiting(world):
    referral = _client_with_job(world)
    contract = _contract(world)
    key = hold_evidence(world.manager, contract, [_key(contract, PaymentEvent.ENGAGEMENT)])
    funding.build_claim(contract=contract, keys=key, by=world.manager)
    assert referral.pk not in {w.referral_id for w in funding.engagements_waiting(contract)}
