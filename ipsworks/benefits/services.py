"""Saving a better-off calculation on a person's record (one write, audited)."""

from django.db import transaction

from ipsworks.access.audit import record_event
from ipsworks.access.models import AccessLogEntry
from ipsworks.benefits.engine import ENGINE_VERSION, calculate
from ipsworks.benefits.models import BetterOffCalculation
from ipsworks.benefits.schema import HouseholdInput
from ipsworks.organisations.models import StaffMember
from ipsworks.people.models import Person, ReferralStatus


@transaction.atomic
def save_calculation(
    *, person: Person, household: HouseholdInput, by: StaffMember
) -> BetterOffCalculation:
    """Recalculate on the server (never trust posted figures) and keep inputs and answer."""
    results = calculate(household)
    referral = person.referrals.exclude(status=ReferralStatus.CLOSED).first()
    calculation = BetterOffCalculation.objects.create(
        service_id=person.service_id,
        person=person,
        referral=referral,
        tax_year=household.tax_year,
        engine_version=ENGINE_VERSION,
        inputs=household.model_dump(mode="json"),
        results=results,
        recorded_by=by,
    )
    record_event(by=by, action=AccessLogEntry.Action.CREATE, obj=calculation, person_id=person.pk)
    return calculation
