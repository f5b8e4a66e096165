"""The input contract of the better-off engine, shared by the command, the API and the page.

One validator (:func:`parse_household`) so ``manage.py better_off`` and
``POST /api/v1/better-off`` accept and refuse exactly the same households. Errors name the
field at fault with a dotted path ("job.hours_per_week", "adults.1.age").
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic.functional_validators import AfterValidator

from ipsworks.benefits.rates import supported_tax_years

PENNY = Decimal("0.01")


def _to_pence(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


# Money in pounds, rounded to the penny on the way in (JSON numbers arrive as floats).
Money = Annotated[
    Decimal, Field(ge=0, le=1_000_000, allow_inf_nan=False), AfterValidator(_to_pence)
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Adult(_Strict):
    age: int = Field(ge=18, le=65, description="Age in years (working age: 18 to 65)")
    lcwra: bool = Field(
        default=False, description="Has limited capability for work and work-related activity"
    )
    lcwra_new_claimant: bool = Field(
        default=False,
        description="LCWRA first assessed on a claim from 6 April 2026 (the lower health element)",
    )
    carer: bool = Field(default=False, description="Cares 35 hours a week for a disabled person")
    pip_annual: Money = Field(default=Decimal(0), description="PIP a year, both components")


class Child(_Strict):
    age: int = Field(ge=0, le=18, description="Age in years (0 to 18)")
    in_education: bool = Field(
        default=True,
        description="Aged 16 to 18 and in full-time non-advanced education or approved training",
    )


class Housing(_Strict):
    eligible_rent_monthly: Money = Field(
        default=Decimal(0),
        le=20_000,
        description="Rent UC pays on, after Local Housing Allowance and spare-room rules",
    )


class Job(_Strict):
    adult: int = Field(default=0, ge=0, description="Which adult takes the job (0 or 1)")
    hours_per_week: Decimal = Field(ge=0, le=80, allow_inf_nan=False)
    hourly_pay: Money = Field(le=1000)


# Benefits the person's household gets now that the engine does not calculate. Each one ticked
# puts a warning in the answer saying what to check (engine.current_benefit_warnings).
CURRENT_BENEFITS = {
    "new_style_esa": "New-style Employment and Support Allowance (ESA)",
    "new_style_jsa": "New-style Jobseeker's Allowance (JSA)",
    "income_related_esa": "Income-related ESA",
    "income_support": "Income Support",
    "income_based_jsa": "Income-based JSA",
    "housing_benefit": "Housing Benefit, including for supported or temporary accommodation",
    "tax_credits": "Child Tax Credit or Working Tax Credit",
    "transitional_protection": "Universal Credit with transitional protection",
    "carers_allowance": "Carer's Allowance",
    "council_tax_reduction": "Council Tax Reduction",
    "other": "Another benefit",
}
CurrentBenefit = Literal[
    "new_style_esa",
    "new_style_jsa",
    "income_related_esa",
    "income_support",
    "income_based_jsa",
    "housing_benefit",
    "tax_credits",
    "transitional_protection",
    "carers_allowance",
    "council_tax_reduction",
    "other",
]


class HouseholdInput(_Strict):
    # An enum in the OpenAPI document: clients (and schemathesis) see the years the server
    # accepts, one for each dated rate file.
    tax_year: Literal[supported_tax_years()] = Field(  # type: ignore[valid-type]
        description="Tax year, such as 2026-27: one with dated rates"
    )
    country: Literal["england", "scotland", "wales", "northern_ireland"]
    greater_london: bool = Field(
        default=False, description="Lives in Greater London (higher benefit cap); England only"
    )
    adults: list[Adult] = Field(min_length=1, max_length=2)
    children: list[Child] = Field(default_factory=list, max_length=12)
    housing: Housing = Field(default_factory=Housing)
    childcare_monthly: Money = Field(default=Decimal(0), le=20_000)
    savings: Money = Field(default=Decimal(0))
    job: Job
    current_benefits: list[CurrentBenefit] = Field(
        default_factory=list,
        max_length=len(CURRENT_BENEFITS),
        description="Benefits received now that the engine does not calculate; each adds a "
        "warning saying what to check. Optional.",
    )

    @field_validator("current_benefits")
    @classmethod
    def _each_once(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


class InputError(ValueError):
    """Bad input. ``errors`` is a list of {"field": dotted path, "message": text}."""

    def __init__(self, errors: list[dict[str, str]]):
        self.errors = errors
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))


def _field(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body", "payload")]
    return ".".join(parts) or "input"


def errors_from_pydantic(error: ValidationError | list[dict[str, Any]]) -> list[dict[str, str]]:
    items = error.errors() if isinstance(error, ValidationError) else error
    return [{"field": _field(tuple(e.get("loc", ()))), "message": e["msg"]} for e in items]


def cross_field_errors(household: HouseholdInput) -> list[dict[str, str]]:
    """Rules that involve more than one field, each reported against the field to change."""
    errors = []
    if household.job.adult >= len(household.adults):
        errors.append(
            {
                "field": "job.adult",
                "message": f"There is no adult {household.job.adult}: adults are numbered from 0 "
                f"and this household has {len(household.adults)}",
            }
        )
    if household.greater_london and household.country != "england":
        errors.append(
            {"field": "greater_london", "message": "Greater London is in England: untick it"}
        )
    for index, adult in enumerate(household.adults):
        if adult.lcwra_new_claimant and not adult.lcwra:
            errors.append(
                {
                    "field": f"adults.{index}.lcwra_new_claimant",
                    "message": "A new-claimant LCWRA rate needs LCWRA: set lcwra too",
                }
            )
    if household.childcare_monthly > 0 and not any(c.age < 16 for c in household.children):
        errors.append(
            {
                "field": "childcare_monthly",
                "message": "Childcare costs count only for a child under 16",
            }
        )
    return errors


def parse_household(data: Any) -> HouseholdInput:
    """Validate raw JSON-like data into a household, or raise InputError naming each field."""
    try:
        household = HouseholdInput.model_validate(data)
    except ValidationError as error:
        raise InputError(errors_from_pydantic(error)) from None
    errors = cross_field_errors(household)
    if errors:
        raise InputError(errors)
    return household


# --- The answer's shape (for the OpenAPI document; the engine builds plain dicts) -------------


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class FiguresOut(_Open):
    """Annual amounts in pounds for one situation (more keys may follow)."""

    universal_credit: float
    income_tax: float
    national_insurance: float
    child_benefit: float
    benefit_cap_reduction: float
    net_income: float


class CurvePointOut(_Open):
    hours: int
    net_income_annual: float


class WarningOut(BaseModel):
    code: str
    message: str


class BetterOffOut(_Open):
    out_of_work: FiguresOut
    in_work: FiguresOut
    better_off_weekly: float
    curve: list[CurvePointOut]
    warnings: list[WarningOut]


class FieldErrorOut(BaseModel):
    field: str
    message: str


class ErrorOut(BaseModel):
    detail: str
    errors: list[FieldErrorOut]
