"""Personal API tokens: bearer authentication, hashing, revocation, and the tokens page."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.api.conftest import ApiClient
from townsquare.api.models import ApiToken
from townsquare.api.services import authenticate_token, issue_token, revoke_token
from townsquare.members.models import User
from townsquare.pulse.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_bearer_token_acts_as_its_owner(alice: User) -> None:
    _token, secret = issue_token(alice, "laptop")
    response = ApiClient(secret).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["email"] == "alice@example.com"


def test_the_secret_is_stored_only_as_its_sha256(alice: User) -> None:
    token, secret = issue_token(alice, "laptop")
    assert secret.startswith("ts_") and len(secret) >= 40
    row = ApiToken.objects.values().get(pk=token.pk)
    assert secret not in {str(value) for value in row.values()}
    assert row["token_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(row["prefix"]) and len(row["prefix"]) < len(secret) // 3
    audit = AuditEntry.objects.get(action="api_token.issue", target_id=token.pk)
    assert secret not in str(audit.data)


def test_a_revoked_token_gets_401(alice: User) -> None:
    token, secret = issue_token(alice, "laptop")
    revoke_token(alice, token)
    response = ApiClient(secret).get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication required: a valid API token or session."}
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    ["Bearer ts_not-a-real-token", "Bearer ", "Bearer nonsense", "Basic YWxpY2U6cGFzcw==", "ts_x"],
)
def test_an_unknown_or_malformed_token_gets_401(alice: User, header: str) -> None:
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_a_bad_token_is_not_treated_as_anonymous_where_anonymous_callers_are_welcome(
    db: None,
) -> None:
    assert Client().get("/api/v1/skills?q=pyt").status_code == 200
    response = ApiClient("ts_revoked-or-made-up").get("/api/v1/skills?q=pyt")
    assert response.status_code == 401


def test_a_deactivated_account_s_token_stops_working(alice: User) -> None:
    _token, secret = issue_token(alice, "laptop")
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert ApiClient(secret).get("/api/v1/me").status_code == 401
    assert authenticate_token(secret) is None


def test_a_token_in_the_header_beats_the_session(alice: User, bob: User) -> None:
    _token, secret = issue_token(bob, "laptop")
    client = Client()
    client.force_login(alice)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.json()["email"] == "bob@example.com"
    bad = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer ts_wrong")
    assert bad.status_code == 401


def test_last_used_is_recorded_at_most_once_a_minute(alice: User) -> None:
    token, secret = issue_token(alice, "laptop")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert authenticate_token(secret) == alice
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        authenticate_token(secret)
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        authenticate_token(secret)
    token.refresh_from_db()
    assert token.last_used_at == start + timedelta(seconds=61)


def test_the_session_works_for_the_api_but_writes_need_the_csrf_token(alice: User) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    assert browser.get("/api/v1/me").status_code == 200
    refused = browser.patch("/api/v1/me", {"headline": "New"}, content_type="application/json")
    assert refused.status_code == 403
    alice.profile.refresh_from_db()
    assert alice.profile.headline == "Backend engineer for marketplaces"
    browser.get("/me/tokens/")  # any page sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    accepted = browser.patch(
        "/api/v1/me", {"headline": "New"}, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    assert accepted.status_code == 200
    assert accepted.json()["profile"]["headline"] == "New"


# The tokens page ---------------------------------------------------------------------------


def test_the_tokens_page_shows_a_new_secret_once_and_lists_the_token(
    alice: User, login: Callable[[User], Client]
) -> None:
    client = login(alice)
    created = client.post("/me/tokens/", {"name": "calendar sync"})
    assert created.status_code == 200
    assert "no-store" in created["Cache-Control"]
    secret = created.context["secret"]
    assert secret and secret in created.content.decode()
    assert ApiClient(secret).get("/api/v1/me").status_code == 200
    page = client.get("/me/tokens/").content.decode()
    assert "calendar sync" in page
    assert ApiToken.objects.get(user=alice).prefix in page
    assert secret not in page


def test_the_tokens_page_shows_times_in_the_viewer_s_zone(
    make_member: Callable[..., User], login: Callable[[User], Client]
) -> None:
    tokyo = make_member(name="Taro Tokyo", time_zone="Asia/Tokyo")
    with time_machine.travel("2026-03-01 23:30:00+00:00", tick=False):
        issue_token(tokyo, "laptop")
    page = login(tokyo).get("/me/tokens/").content.decode()
    assert "2 Mar 2026, 08:30" in page  # 23:30 UTC is 08:30 the next day in Tokyo


def test_a_token_needs_a_name(alice: User, login: Callable[[User], Client]) -> None:
    response = login(alice).post("/me/tokens/", {"name": "   "})
    assert response.status_code == 400
    assert not ApiToken.objects.filter(user=alice).exists()


def test_revoking_from_the_page_stops_the_token(
    alice: User, login: Callable[[User], Client]
) -> None:
    token, secret = issue_token(alice, "laptop")
    response = login(alice).post(f"/me/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert ApiClient(secret).get("/api/v1/me").status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_nobody_revokes_someone_else_s_token(
    alice: User, bob: User, login: Callable[[User], Client]
) -> None:
    token, secret = issue_token(alice, "laptop")
    assert login(bob).post(f"/me/tokens/{token.pk}/revoke/").status_code == 404
    assert login(bob).post("/me/tokens/987654/revoke/").status_code == 404
    assert login(alice).get(f"/me/tokens/{token.pk}/revoke/").status_code == 405
    assert ApiClient(secret).get("/api/v1/me").status_code == 200


def test_the_tokens_page_needs_a_sign_in(db: None) -> None:
    response = Client().get("/me/tokens/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
