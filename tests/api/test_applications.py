"""Admission over the API: applying, the managers' queue, decisions, and who sees what."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.api.conftest import ApiClient
from townsquare.members.models import Application, Profile, User
from townsquare.pulse.models import AuditEntry

pytestmark = pytest.mark.django_db

Api = Callable[[User | None], ApiClient]

APPLICATION = {
    "name": "Nina New",
    "email": "Nina@Example.com",
    "password": "a long and unusual passphrase",
    "time_zone": "Europe/Lisbon",
    "headline": "Data engineer",
    "skills": ["Python", "dbt", "Airflow"],
    "why": "I build data pipelines and want to meet people who do the same.",
}


def _counts() -> tuple[int, int, int]:
    return User.objects.count(), Profile.objects.count(), Application.objects.count()


def test_anyone_may_apply_and_gets_an_account_a_draft_and_an_application(
    db: None, mailoutbox: list[Any], django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = ApiClient().post("/api/v1/applications", APPLICATION)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "submitted"
    assert body["applicant"]["email"] == "nina@example.com"
    assert "Python" in [s["name"] for s in body["skills"]]
    user = User.objects.get(email="nina@example.com")
    assert user.is_applicant and user.check_password(APPLICATION["password"])
    assert user.profile.headline == "Data engineer"
    assert user.application.pk == body["id"]
    assert [m.to for m in mailoutbox] == [["nina@example.com"]]  # the verification link


def test_the_applicant_follows_their_own_application(db: None, api_as: Api) -> None:
    created = ApiClient().post("/api/v1/applications", APPLICATION).json()
    nina = User.objects.get(email="nina@example.com")
    own = api_as(nina).get(f"/api/v1/applications/{created['id']}")
    assert own.status_code == 200
    assert own.json()["why"] == APPLICATION["why"]
    assert own.json()["decided_by"] is None


def test_a_foreign_or_missing_application_is_404_for_anyone_but_managers(
    eve: User, alice: User, make_member: Callable[..., User], api_as: Api
) -> None:
    other = make_member(name="Otto Other", admitted=False)
    target = f"/api/v1/applications/{eve.application.pk}"
    for caller in (alice, other):
        api = api_as(caller)
        foreign, missing = api.get(target), api.get("/api/v1/applications/987654")
        assert foreign.status_code == missing.status_code == 404
        assert foreign.json() == missing.json() == {"detail": "Not found."}
    assert ApiClient().get(target).status_code == 401


@pytest.mark.parametrize(
    ("role", "status"), [("alice", 403), ("eve", 403), ("carol", 403), ("mona", 200), ("adam", 200)]
)
def test_only_managers_list_the_queue(
    role: str, status: int, eve: User, request: pytest.FixtureRequest, api_as: Api
) -> None:
    response = api_as(request.getfixturevalue(role)).get("/api/v1/applications")
    assert response.status_code == status
    if status == 200:
        assert [a["applicant"]["name"] for a in response.json()["results"]] == ["Eve Early"]


def test_the_queue_needs_a_caller(eve: User) -> None:
    assert Client().get("/api/v1/applications").status_code == 401


def test_apply_then_a_manager_approves_end_to_end(
    mona: User,
    alice: User,
    api_as: Api,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    created = ApiClient().post("/api/v1/applications", APPLICATION).json()
    manager = api_as(mona)
    queue = manager.get("/api/v1/applications", {"status": "submitted"}).json()
    assert [a["id"] for a in queue["results"]] == [created["id"]]
    with django_capture_on_commit_callbacks(execute=True):
        decided = manager.post(
            f"/api/v1/applications/{created['id']}/decision",
            {"decision": "approve", "reason": "Welcome: data engineers are in demand."},
        )
    assert decided.status_code == 200
    body = decided.json()
    assert body["status"] == "approved" and body["decided_by"]["name"] == "Mona Manager"
    nina = User.objects.get(email="nina@example.com")
    assert nina.is_admitted
    assert mailoutbox[-1].to == ["nina@example.com"]
    assert AuditEntry.objects.filter(action="application.approve", target_id=created["id"]).exists()
    # The new member is in the directory now, and may search it.
    names = [r["name"] for r in api_as(alice).get("/api/v1/members").json()["results"]]
    assert "Nina New" in names
    assert api_as(nina).get("/api/v1/members").status_code == 200
    # Deciding again is refused with a reason, and changes nothing.
    again = manager.post(
        f"/api/v1/applications/{created['id']}/decision",
        {"decision": "decline", "reason": "Changed my mind"},
    )
    assert again.status_code == 400
    assert again.json()["detail"] == "This application has already been decided."
    assert Application.objects.get(pk=created["id"]).status == "approved"


def test_a_waitlisted_applicant_sees_their_place(eve: User, mona: User, api_as: Api) -> None:
    api_as(mona).post(
        f"/api/v1/applications/{eve.application.pk}/decision",
        {"decision": "waitlist", "reason": "Designers are plentiful right now."},
    )
    own = api_as(eve).get(f"/api/v1/applications/{eve.application.pk}").json()
    assert own["status"] == "waitlisted" and own["waitlist_position"] == 1
    assert own["reason"] == "Designers are plentiful right now."


@pytest.mark.parametrize("role", ["alice", "eve", "carol"])
def test_only_managers_decide_and_others_find_nothing_there(
    role: str, eve: User, request: pytest.FixtureRequest, api_as: Api
) -> None:
    response = api_as(request.getfixturevalue(role)).post(
        f"/api/v1/applications/{eve.application.pk}/decision",
        {"decision": "approve", "reason": "Let me in"},
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    eve.refresh_from_db()
    assert eve.application.status == "submitted" and not eve.is_admitted


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"decision": "maybe", "reason": "Hmm"}, "decision"),
        ({"decision": "approve", "reason": "  "}, "reason"),
    ],
)
def test_a_bad_decision_is_422_and_changes_nothing(
    eve: User, mona: User, api_as: Api, body: dict[str, str], field: str
) -> None:
    response = api_as(mona).post(f"/api/v1/applications/{eve.application.pk}/decision", body)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert Application.objects.get(pk=eve.application.pk).status == "submitted"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "eve@example.com"}, "email"),
        ({"password": "password"}, "password"),
        ({"referral_code": "nosuchcode"}, "referral_code"),
        ({"skills": ["Python", "!!!"]}, "skills.1.name"),
    ],
)
def test_a_refused_application_is_400_and_creates_nothing(
    eve: User, change: dict[str, Any], field: str
) -> None:
    before = _counts()
    response = ApiClient().post("/api/v1/applications", {**APPLICATION, **change})
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert _counts() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"why": "Too short."}, "why"),
        ({"skills": []}, "skills"),
        ({"time_zone": "Nowhere/Land"}, "time_zone"),
        ({"is_admin": True}, "is_admin"),
    ],
)
def test_a_malformed_application_is_422_and_creates_nothing(
    db: None, change: dict[str, Any], field: str
) -> None:
    before = _counts()
    response = ApiClient().post("/api/v1/applications", {**APPLICATION, **change})
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert _counts() == before


def test_a_signed_in_caller_does_not_apply_again(alice: User, api_as: Api) -> None:
    response = api_as(alice).post("/api/v1/applications", APPLICATION)
    assert response.status_code == 403
    assert not User.objects.filter(email="nina@example.com").exists()


def test_applying_is_rate_limited_per_address_from_loopback(db: None) -> None:
    anonymous = ApiClient()
    for _ in range(10):  # malformed bodies count too: the limit is checked before parsing
        assert anonymous.post("/api/v1/applications", {"name": "x"}).status_code == 422
    refused = anonymous.post("/api/v1/applications", APPLICATION)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert refused.json()["detail"]
    assert not User.objects.filter(email="nina@example.com").exists()
    # Another address still has its own budget.
    other = anonymous.client.post(
        "/api/v1/applications", APPLICATION, content_type="application/json",
        REMOTE_ADDR="203.0.113.9",
    )  # fmt: skip
    assert other.status_code == 201


def test_the_page_and_the_api_share_one_budget(db: None) -> None:
    page = Client()
    for _ in range(10):
        page.post("/apply/", {"name": "x"})
    assert ApiClient().post("/api/v1/applications", APPLICATION).status_code == 429
