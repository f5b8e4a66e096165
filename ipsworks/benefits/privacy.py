"""What anonymising a person does to their saved better-off calculations.

Registered with ``ipsworks.people.privacy.add_anonymiser`` from ``BenefitsConfig.ready``.
"""

from decimal import Decimal

from ipsworks.benefits.models import BetterOffCalculation
from ipsworks.people.privacy import PersonalRecords

# What a better-off calculation keeps of its inputs: the tax year and the job's hours and
# pay (the same figures the job record holds), so the saved answer still reads. Ages, the
# children, rent, savings and disability benefits are dropped: together they describe one
# household. Fidelity item 12 (benefits counselling) reads only who had a calculation and
# when (``benefits.queries.first_calculation_dates``), never the inputs; the results are
# the engine's figures and are kept.
_BETTER_OFF_INPUTS_KEPT = ("tax_year",)
_BETTER_OFF_JOB_KEPT = ("hours_per_week", "hourly_pay")


def _kept_inputs(inputs) -> dict:
    inputs = inputs if isinstance(inputs, dict) else {}
    kept = {key: inputs[key] for key in _BETTER_OFF_INPUTS_KEPT if key in inputs}
    job = inputs.get("job")
    if isinstance(job, dict):
        kept["job"] = {
            key: job[key]
            for key in _BETTER_OFF_JOB_KEPT
            if isinstance(job.get(key), int | float | str) and _is_number(job.get(key))
        }
    kept["anonymised"] = True
    return kept


def _is_number(value) -> bool:
    try:
        Decimal(str(value))
    except ArithmeticError:
        return False
    return True


def anonymise_calculations(person) -> None:
    """Cut each saved calculation's inputs down to what cannot describe the household."""
    calculations = BetterOffCalculation._base_manager.filter(person=person)
    for pk, inputs in calculations.values_list("pk", "inputs"):
        BetterOffCalculation._base_manager.filter(pk=pk).update(inputs=_kept_inputs(inputs))


# What this app holds about a person: in the subject access export, and blanked by
# anonymising (registered from the AppConfig's ready with people.privacy).
PERSONAL_RECORDS = (
    PersonalRecords("better_off_calculations", "benefits.BetterOffCalculation", "person"),
)
