"""The referral facts follow every change to the records they summarise (docs/adr/0008)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from ipsworks.activity.models import Contact
from ipsworks.activity.services import ContactDetails, record_contact
from ipsworks.jobs.models import Job
from ipsworks.jobs.services import JobDetails, confirm_four_hours, end_job, record_job
from ipsworks.outcomes import facts
from ipsworks.outcomes.models import ReferralFacts
from ipsworks.people.models import Referral
from ipsworks.people.services import (
    NewReferral,
    allocate_referral,
    close_referral,
    create_referral,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

D = dt.date


def _facts(referral) -> ReferralFacts:
    return ReferralFacts.objects.get(referral_id=referral.pk)


def _referral(world, es=None):
    return f.ReferralFactory(
        person=f.PersonFactory(service=world.service),
        team=world.team_a,
        allocated_to=es or world.es_a,
        received_on=D(2026, 5, 1),
        status="accepted",
    )


def _contact(referral, on, by, outcome=Contact.Outcome.COMPLETED):
    return record_contact(
        referral=referral,
        details=ContactDetails(
            contact_date=on,
            with_whom=Contact.With.PERSON,
            mode=Contact.Mode.PHONE,
            outcome=outcome,
            place=Contact.Place.REMOTE,
            duration_minutes=15,
        ),
        by=by,
    )


def _job(referral, start, by, *, four_hours=True, held=False):
    return record_job(
        referral=referral,
        details=JobDetails(
            employer=f.EmployerFactory(service=referral.service),
            job_title="Café assistant",
            soc_major_group="9",
            contract_type=Job.ContractType.PERMANENT,
            start_date=start,
            hours_per_week=Decimal(16),
            hourly_pay_pence=2000,
            held_at_referral=held,
            four_hours_worked=four_hours,
        ),
        by=by,
    )


def test_a_new_referral_has_facts_with_nothing_yet_to_count(world):
    referral = create_referral(
        service=world.service,
        person=f.PersonFactory(service=world.service),
        referral=NewReferral(
            team=world.team_a,
            source="P1",
            received_on=D(2026, 5, 1),
            employment_status_at_referral="03",
        ),
        by=world.clinician,
    )
    row = _facts(referral)
    assert (row.service_id, row.person_id, row.received_on) == (
        world.service.pk,
        referral.person_id,
        D(2026, 5, 1),
    )
    assert row.out_of_work is True
    assert row.job_retention is False
    assert (row.access_date, row.first_direct_contact, row.first_job_start) == (None, None, None)


def test_contacts_set_access_and_the_first_direct_contact_and_a_late_entry_moves_them(world):
    referral = _referral(world)
    _contact(referral, D(2026, 5, 10), world.es_a, outcome=Contact.Outcome.ATTEMPTED)
    assert _facts(referral).first_direct_contact is None
    _contact(referral, D(2026, 5, 12), world.es_a)
    row = _facts(referral)
    assert (row.access_date, row.first_direct_contact) == (D(2026, 5, 12), D(2026, 5, 12))
    _contact(referral, D(2026, 5, 11), world.es_a)  # entered late, dated earlier
    row = _facts(referral)
    assert (row.access_date, row.first_direct_contact) == (D(2026, 5, 11), D(2026, 5, 11))


def test_the_first_job_start_counts_only_qualifying_jobs_on_or_after_access(world):
    referral = _referral(world)
    _contact(referral, D(2026, 5, 12), world.es_a)
    _job(referral, D(2026, 5, 1), world.es_a)  # before access
    not_yet = _job(referral, D(2026, 6, 1), world.es_a, four_hours=False)
    assert _facts(referral).first_job_start is None
    confirm_four_hours(job=not_yet, by=world.es_a)
    assert _facts(referral).first_job_start == D(2026, 6, 1)
    end_job(job=not_yet, end_date=D(2026, 6, 20), end_reason="resigned", by=world.es_a)
    assert _facts(referral).first_job_start == D(2026, 6, 1)  # an ended job still started
    later = _job(referral, D(2026, 7, 1), world.es_a)
    assert _facts(referral).first_job_start == D(2026, 6, 1)
    not_yet.delete()
    assert _facts(referral).first_job_start == later.start_date


def test_closing_and_reallocating_a_referral_change_its_facts(world):
    referral = _referral(world)
    allocate_referral(referral=referral, to=world.colleague_a, by=world.manager)
    assert _facts(referral).allocated_to_id == world.colleague_a.pk
    referral.refresh_from_db()
    close_referral(
        referral=referral, reason="moved_away", on=D(2026, 6, 1), by=world.manager, note=""
    )
    assert _facts(referral).closed_on == D(2026, 6, 1)


def test_a_deleted_referral_loses_its_facts_and_a_refresh_of_it_writes_none(world):
    # Referrals keep an append-only history, so only one without any can be deleted.
    referral = Referral.objects.create(
        service=world.service,
        person=f.PersonFactory(service=world.service),
        source=Referral.Source.SELF,
        received_on=D(2026, 5, 1),
    )
    pk = referral.pk
    assert ReferralFacts.objects.filter(referral_id=pk).exists()
    referral.delete()
    assert not ReferralFacts.objects.filter(referral_id=pk).exists()
    facts.refresh([pk])
    assert not ReferralFacts.objects.filter(referral_id=pk).exists()


def test_the_check_command_names_a_drifted_referral_and_rebuild_mends_it(world, capsys):
    call_command("outcome_facts")
    assert "agree" in capsys.readouterr().out
    ReferralFacts.objects.filter(referral_id=world.referral_b.pk).update(
        first_direct_contact=D(2020, 1, 1)
    )
    ReferralFacts.objects.filter(referral_id=world.referral_a.pk).delete()
    with pytest.raises(CommandError, match="differ"):
        call_command("outcome_facts", "--check")
    out = capsys.readouterr().out
    assert f"referral {world.referral_a.pk}: no facts row" in out
    assert (
        f"referral {world.referral_b.pk}: first_direct_contact datetime.date(2020, 1, 1) "
        "should be None"
    ) in out
    call_command("outcome_facts", "--rebuild", "--service", world.service.short_name)
    assert facts.differences() == []


def test_the_command_refuses_a_service_it_does_not_know(world):
    with pytest.raises(CommandError, match="No service with the short name nowhere"):
        call_command("outcome_facts", "--rebuild", "--service", "nowhere")
    assert facts.differences() == []


def test_rebuilding_one_service_leaves_the_others_alone(world):
    other = world.referral_other.pk
    ReferralFacts.objects.filter(referral_id=other).update(closed_on=D(2026, 1, 1))
    assert facts.rebuild([world.service.pk]) == 3
    assert ReferralFacts.objects.get(referral_id=other).closed_on == D(2026, 1, 1)
    assert facts.differences([world.service.pk]) == []
    facts.rebuild([world.other_service.pk])
