"""An outcome is claimed once, whatever the contract and whichever 13-week hours band.

MHEP social outcomes contracts pay for job start and for sustainment at 13 weeks under 16
hours or at 16 hours and more (ips-reference.md §5): one payment per outcome.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from ipsworks.outcomes import funding
from ipsworks.outcomes.models import ClaimItem, PaymentEvent, claim_key
from tests.outcomes.test_exports_and_funding import _client_with_job, hold_evidence

pytestmark = pytest.mark.django_db

D = dt.date
RATES = {
    PaymentEvent.ENGAGEMENT: 50000,
    PaymentEvent.JOB_START: 100000,
    PaymentEvent.SUSTAINED_13_UNDER_16: 80000,
    PaymentEvent.SUSTAINED_13_16_PLUS: 120000,
}


FROM, TO = D(2025, 4, 1), D(2027, 3, 31)


def _contract(world, name, starts_on=FROM):
    return funding.create_contract(
        service=world.service,
        name=name,
        funder="Test ICB",
        starts_on=starts_on,
        ends_on=TO,
        rates=RATES,
        by=world.manager,
    )


def _key(world, contract, event):
    """The key of the contract's claimable outcome of this kind, its evidence marked held."""
    key = next(e.key for e in funding.claimable_events(contract) if e.event == event)
    hold_evidence(world.manager, contract, [key])
    return key


def test_an_outcome_claimed_on_one_contract_is_not_claimable_on_an_overlapping_one(world):
    _client_with_job(world)
    first = _contract(world, "Social outcomes contract")
    second = _contract(world, "Top-up contract", starts_on=D(2025, 1, 1))
    stale = funding.claimable_events(second)  # the second contract's page, loaded earlier
    job_start = _key(world, first, PaymentEvent.JOB_START)
    funding.build_claim(contract=first, keys=[job_start], by=world.manager)

    assert PaymentEvent.JOB_START not in {e.event for e in funding.claimable_events(second)}
    with pytest.raises(funding.AlreadyClaimed) as refused:
        funding.build_claim(contract=second, keys=[job_start], by=world.manager)
    assert refused.value.messages[0].startswith(
        "Job start has already been claimed on Social outcomes contract"
    )
    assert "paid once only, whichever contract claims it" in refused.value.messages[0]
    assert [e.key for e in stale if e.event == PaymentEvent.JOB_START] == [job_start]
    assert ClaimItem.objects.count() == 1


def test_two_contracts_claiming_the_same_outcome_at_once_cannot_both_succeed(world, monkeypatch):
    _client_with_job(world)
    first = _contract(world, "Social outcomes contract")
    second = _contract(world, "Top-up contract")
    stale = funding.claimable_events(second)
    job_start = _key(world, first, PaymentEvent.JOB_START)
    funding.build_claim(contract=first, keys=[job_start], by=world.manager)
    # The second request worked out its list before the first claim committed.
    monkeypatch.setattr(funding, "claimable_events", lambda _contract: stale)
    with pytest.raises(funding.AlreadyClaimed):
        funding.build_claim(contract=second, keys=[job_start], by=world.manager)
    assert ClaimItem.objects.count() == 1


def test_the_second_contract_shows_the_refusal_on_its_page(world, as_staff):
    _client_with_job(world)
    first = _contract(world, "Social outcomes contract")
    second = _contract(world, "Top-up contract")
    job_start = _key(world, first, PaymentEvent.JOB_START)
    funding.build_claim(contract=first, keys=[job_start], by=world.manager)
    page = (
        as_staff(world.manager)
        .post(reverse("contract_detail", args=[second.pk]), {"event": [job_start]})
        .content.decode()
    )
    assert "There is a problem" in page
    assert "Job start has already been claimed on Social outcomes contract" in page


def test_a_backdated_hours_change_does_not_open_the_other_13_week_band(world):
    from ipsworks.jobs.models import PayChange

    referral = _client_with_job(world)  # 12 hours a week: 13 weeks under 16 hours
    contract = _contract(world, "Social outcomes contract")
    under = _key(world, contract, PaymentEvent.SUSTAINED_13_UNDER_16)
    funding.build_claim(contract=contract, keys=[under], by=world.manager)
    PayChange.objects.create(
        job=referral.jobs.get(),
        effective_on=D(2025, 6, 1),  # before the 13-week day, recorded afterwards
        hourly_pay_pence=1400,
        hours_per_week=Decimal(20),
        recorded_by=world.es_a,
    )
    events = {e.event for e in funding.claimable_events(contract)}
    assert PaymentEvent.SUSTAINED_13_16_PLUS not in events
    assert PaymentEvent.SUSTAINED_13_UNDER_16 not in events
    plus = under.replace(PaymentEvent.SUSTAINED_13_UNDER_16, PaymentEvent.SUSTAINED_13_16_PLUS)
    with pytest.raises(funding.AlreadyClaimed) as refused:
        funding.build_claim(contract=contract, keys=[plus], by=world.manager)
    assert (
        "Sustained 13 weeks, under 16 hours a week has already been claimed"
        in (refused.value.messages[0])
    )
    assert ClaimItem.objects.count() == 1


def test_the_database_refuses_a_second_item_for_the_same_outcome(world):
    _client_with_job(world)
    first = _contract(world, "Social outcomes contract")
    second = _contract(world, "Top-up contract")
    under = _key(world, first, PaymentEvent.SUSTAINED_13_UNDER_16)
    claim = funding.build_claim(contract=first, keys=[under], by=world.manager)
    item = claim.items.get()
    item.pk = None
    item.contract = second
    item.event = PaymentEvent.SUSTAINED_13_16_PLUS
    item.claim_key = claim_key(item.event, item.referral_id, item.job_id)
    with pytest.raises(IntegrityError), transaction.atomic():
        item.save()


def test_claim_keys_leave_out_the_contract_and_join_the_13_week_bands():
    assert claim_key(PaymentEvent.SUSTAINED_13_UNDER_16, 5, 9) == "sustained_13:job:9"
    assert claim_key(PaymentEvent.SUSTAINED_13_16_PLUS, 5, 9) == "sustained_13:job:9"
    assert claim_key(PaymentEvent.SUSTAINED_26, 5, 9) == "sustained_26:job:9"
    assert claim_key(PaymentEvent.ENGAGEMENT, 5, None) == "engagement:referral:5"
