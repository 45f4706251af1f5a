"""Fixtures for the fabric tests: a fresh graph engine per test, ties, and API callers.

The graph runtime lives for the process; every test starts it afresh, since the rows it
read roll back between tests (and their ids are reused).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.api.conftest import ApiClient
from townsquare.api.services import issue_token
from townsquare.fabric import runtime, services
from townsquare.members.models import User
from townsquare.skills import services as skill_services


@pytest.fixture(autouse=True)
def _fresh_graph() -> Iterator[None]:
    runtime.runtime().reset()
    yield
    runtime.runtime().reset()


@pytest.fixture(autouse=True)
def _fresh_matcher(monkeypatch: pytest.MonkeyPatch) -> None:
    # Skill rows roll back between tests and their ids are reused (see tests/api/conftest.py).
    monkeypatch.setattr(skill_services, "_local", threading.local())


@pytest.fixture
def connect() -> Callable[..., None]:
    """`connect(a, b, c)` ties a–b and b–c through the service (graph changes recorded)."""

    def make(*chain: User) -> None:
        for a, b in zip(chain, chain[1:], strict=False):
            services.connect_members(a, b)

    return make


class FabricApiClient(ApiClient):
    """The API tests' client, plus DELETE (connections, follows and blocks end by it)."""

    def delete(self, path: str) -> Any:
        return self.client.delete(path, **self.headers)


@pytest.fixture
def api_as() -> Callable[[User | None], FabricApiClient]:
    def make(user: User | None) -> FabricApiClient:
        if user is None:
            return FabricApiClient()
        _token, secret = issue_token(user, "tests")
        return FabricApiClient(secret)

    return make


@pytest.fixture
def cast(make_member: Callable[..., User], alice: User, bob: User) -> dict[str, Any]:
    """alice — bob — cid — dana, and eli alone: the usual chain for path tests."""
    cid = make_member(name="Cid Carver", skills=("Python", "Django"), headline="Data engineer")
    dana = make_member(name="Dana Drake", skills=("Django", "Go"), headline="Backend engineer")
    eli = make_member(name="Eli Ellis", skills=("Figma",), headline="Designer")
    services.connect_members(bob, cid)
    services.connect_members(cid, dana)
    return {"alice": alice, "bob": bob, "cid": cid, "dana": dana, "eli": eli}
