"""schemathesis over the whole OpenAPI document, against a live server (shared/recipes.md §5).

Generated requests, valid and invalid, for every operation, sent with a manager's token so
every write can succeed. Each response must not be a server error and must match the status
codes, content type and schema the document declares. Examples are kept few so the run
takes about a minute.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from ipsworks.apitokens.services import create_token

pytestmark = [pytest.mark.slow]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    ignored_auth,
]


@pytest.fixture
def api_token(world):
    """A manager of service 1 (sees and may write everything there), with an employer."""
    from tests import factories as f

    f.EmployerFactory(service=world.service)
    return create_token(staff=world.manager, name="schemathesis", valid_days=None).raw


@pytest.fixture
def api_schema(live_server, api_token):
    schema = schemathesis.openapi.from_url(live_server.url + "/api/v1/openapi.json")
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_operation_answers_as_documented(case, api_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {api_token}"}, checks=CHECKS)
