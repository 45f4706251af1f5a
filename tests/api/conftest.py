"""Fixtures for the API tests: callers with personal tokens, and a fresh skills matcher."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from townsquare.api.services import issue_token
from townsquare.members.models import User
from townsquare.skills import services as skill_services


@pytest.fixture(autouse=True)
def _fresh_matcher(monkeypatch: pytest.MonkeyPatch) -> None:
    # Skill rows roll back between tests and their ids are reused; a matcher kept in this
    # thread from an earlier test would name the wrong skills.
    monkeypatch.setattr(skill_services, "_local", threading.local())


class ApiClient:
    """A test client that sends a bearer token (or none) and JSON bodies."""

    def __init__(self, secret: str | None = None) -> None:
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}

    def get(self, path: str, data: dict[str, Any] | None = None) -> Any:
        return self.client.get(path, data=data, **self.headers)

    def post(self, path: str, data: Any = None) -> Any:
        return self.client.post(
            path, data=data or {}, content_type="application/json", **self.headers
        )

    def patch(self, path: str, data: Any = None) -> Any:
        return self.client.patch(
            path, data=data or {}, content_type="application/json", **self.headers
        )


@pytest.fixture
def api_as() -> Callable[[User | None], ApiClient]:
    """`api_as(alice)` calls the API with a fresh token of alice's; `api_as(None)` anonymously."""

    def make(user: User | None) -> ApiClient:
        if user is None:
            return ApiClient()
        _token, secret = issue_token(user, "tests")
        return ApiClient(secret)

    return make
