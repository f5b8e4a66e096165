"""POST /api/v1/better-off: the engine over HTTP, same contract as ``manage.py better_off``.

It reads no personal data and stores nothing, so it is open without signing in
(``ipsworks.api.api.PUBLIC_OPERATIONS``); it never imports policyengine-uk.
"""

from ninja import Router

from ipsworks.benefits.engine import calculate
from ipsworks.benefits.schema import (
    BetterOffOut,
    ErrorOut,
    HouseholdInput,
    InputError,
    cross_field_errors,
)

router = Router(tags=["benefits"])


@router.post(
    "/better-off",
    response={200: BetterOffOut, 422: ErrorOut},
    url_name="better_off",
    summary="Better off in work: net income out of work, in the job, and 0 to 40 hours",
)
def better_off(request, payload: HouseholdInput):
    errors = cross_field_errors(payload)
    if errors:
        raise InputError(errors)
    return calculate(payload)
