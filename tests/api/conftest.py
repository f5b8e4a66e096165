"""An API client per persona: a Django test client that sends the persona's bearer token."""

import json

import pytest
from django.test import Client

from ipsworks.apitokens.services import create_token


class ApiClient:
    def __init__(self, raw: str | None):
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"} if raw else {}

    def get(self, path, params=None):
        return self.client.get("/api/v1" + path, params or {}, **self.headers)

    def post(self, path, body):
        return self.client.post(
            "/api/v1" + path, json.dumps(body, default=str), "application/json", **self.headers
        )


@pytest.fixture
def token_for():
    def make(staff, days=None) -> str:
        return create_token(staff=staff, name="Tests", valid_days=days).raw

    return make


@pytest.fixture
def api(token_for):
    """``api(staff)`` is a client acting as the staff member; ``api(None)`` has no token."""

    def make(staff) -> ApiClient:
        return ApiClient(token_for(staff) if staff is not None else None)

    return make
