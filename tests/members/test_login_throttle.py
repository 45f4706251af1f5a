"""Signing in: failures are throttled per account and per address; sessions rotate and flush."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import import_module
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from tests.conftest import PASSWORD
from townsquare.members.models import User

LOGIN = "/accounts/login/"
# Five minutes into a fifteen-minute window, so no window ends in the middle of a test.
NOW = datetime(2025, 3, 10, 12, 5, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    assert settings.LOGIN_FAILURE_WINDOW == 15 * 60
    with time_machine.travel(NOW, tick=False):
        yield


def attempt(client: Client, email: str, password: str) -> Any:
    return client.post(LOGIN, {"email": email, "password": password})


def signed_in_as(client: Client) -> int | None:
    user_id = client.session.get("_auth_user_id")
    return int(user_id) if user_id is not None else None


def fail_times(client: Client, email: str, times: int) -> None:
    for _ in range(times):
        response = attempt(client, email, "not the password")
        assert response.status_code == 200
        assert "do not match an account" in response.content.decode()


def test_too_many_failures_for_one_account_are_refused_with_429_and_when_to_retry(
    alice: User,
) -> None:
    client = Client()
    fail_times(client, "alice@example.com", settings.LOGIN_FAILURES_PER_ACCOUNT)

    response = attempt(client, "alice@example.com", "still not it")

    assert response.wsgi_request.META["REMOTE_ADDR"] == "127.0.0.1"
    assert response.status_code == 429
    # The window started at 12:00 and ends at 12:15: ten minutes from now.
    assert response["Retry-After"] == "600"
    assert "Too many failed sign-in attempts. Try again in 10 minutes." in (
        response.content.decode()
    )


def test_the_account_limit_counts_the_account_not_the_browser(alice: User) -> None:
    for _ in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
        attempt(Client(), "Alice@Example.com", "wrong")

    response = attempt(Client(REMOTE_ADDR="203.0.113.9"), "alice@example.com", "wrong")

    assert response.status_code == 429


def test_the_correct_password_is_refused_while_the_account_is_throttled(alice: User) -> None:
    client = Client()
    fail_times(client, "alice@example.com", settings.LOGIN_FAILURES_PER_ACCOUNT)

    response = attempt(client, "alice@example.com", PASSWORD)

    assert response.status_code == 429
    assert signed_in_as(client) is None


def test_the_account_may_sign_in_again_once_the_window_has_passed(alice: User) -> None:
    client = Client()
    fail_times(client, "alice@example.com", settings.LOGIN_FAILURES_PER_ACCOUNT)
    assert attempt(client, "alice@example.com", PASSWORD).status_code == 429

    with time_machine.travel(datetime(2025, 3, 10, 12, 15, 1, tzinfo=UTC), tick=False):
        response = attempt(client, "alice@example.com", PASSWORD)

    assert response.status_code == 302
    assert signed_in_as(client) == alice.pk


def test_a_throttled_account_does_not_lock_out_other_accounts(alice: User, bob: User) -> None:
    client = Client()
    fail_times(client, "alice@example.com", settings.LOGIN_FAILURES_PER_ACCOUNT)

    response = attempt(client, "bob@example.com", PASSWORD)

    assert response.status_code == 302
    assert signed_in_as(client) == bob.pk


def test_too_many_failures_from_one_address_across_accounts_are_refused(alice: User) -> None:
    client = Client()
    for n in range(settings.LOGIN_FAILURES_PER_IP):
        response = attempt(client, f"guess{n}@example.com", "wrong")
        assert response.status_code == 200

    throttled = attempt(client, "alice@example.com", PASSWORD)
    elsewhere = attempt(Client(REMOTE_ADDR="198.51.100.4"), "alice@example.com", PASSWORD)

    assert throttled.wsgi_request.META["REMOTE_ADDR"] == "127.0.0.1"
    assert throttled.status_code == 429
    assert throttled["Retry-After"] == "600"
    assert signed_in_as(client) is None
    assert elsewhere.status_code == 302


def test_a_successful_sign_in_resets_the_account_counter(alice: User) -> None:
    client = Client()
    fail_times(client, "alice@example.com", settings.LOGIN_FAILURES_PER_ACCOUNT - 1)
    assert attempt(client, "alice@example.com", PASSWORD).status_code == 302
    client.post("/accounts/logout/")

    # A full allowance again: without the reset the second of these would be refused.
    fail_times(client, "alice@example.com", settings.LOGIN_FAILURES_PER_ACCOUNT - 1)
    response = attempt(client, "alice@example.com", PASSWORD)

    assert response.status_code == 302
    assert signed_in_as(client) == alice.pk


def test_signing_in_rotates_the_session_key(alice: User) -> None:
    client = Client()
    store = import_module(settings.SESSION_ENGINE).SessionStore
    session = store()
    session["seen_the_home_page"] = True
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    before = session.session_key

    response = attempt(client, "alice@example.com", PASSWORD)

    after = response.cookies[settings.SESSION_COOKIE_NAME].value
    assert response.status_code == 302
    assert after != before
    assert not store().exists(before)
    assert signed_in_as(client) == alice.pk


def test_signing_out_is_a_post_that_flushes_the_session(alice: User) -> None:
    client = Client()
    attempt(client, "alice@example.com", PASSWORD)
    signed_in_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    store = import_module(settings.SESSION_ENGINE).SessionStore

    refused = client.get("/accounts/logout/")

    assert refused.status_code == 405
    assert signed_in_as(client) == alice.pk

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert not store().exists(signed_in_key)
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != signed_in_key
    assert signed_in_as(client) is None
    assert client.get("/members/").status_code == 302
