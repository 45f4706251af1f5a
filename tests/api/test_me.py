"""GET and PATCH /me: the caller's account and profile, with the profile page's rules."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from tests.api.conftest import ApiClient
from townsquare.members.models import Profile, User, Visibility
from townsquare.skills.models import Skill

pytestmark = pytest.mark.django_db

Api = Callable[[User | None], ApiClient]


def _snapshot(user: User) -> dict[str, Any]:
    """Everything a PATCH could touch, to prove a refused one touched nothing."""
    user.refresh_from_db()
    profile = Profile.objects.values().get(pk=user.pk)
    skills = list(user.profile.skills.values_list("skill__name", "level", "years"))
    return {"user": (user.name, user.time_zone), "profile": profile, "skills": skills,
            "skill_count": Skill.objects.count()}  # fmt: skip


def test_me_shows_the_whole_own_profile_with_its_settings(alice: User, api_as: Api) -> None:
    me = api_as(alice).get("/api/v1/me").json()
    assert me["email"] == "alice@example.com" and me["role"] == "member"
    assert me["admitted_at"] is not None and me["referral_code"] == alice.referral_code
    profile = me["profile"]
    assert profile["hourly_rate"] == "95.00" and profile["currency"] == "EUR"
    assert profile["rate_visibility"] == Visibility.MEMBERS
    assert [(s["name"], s["level"], s["years"]) for s in profile["skills"]] == [
        ("Django", 3, 4),
        ("PostgreSQL", 3, 4),
        ("Python", 3, 4),
    ]  # fmt: skip  (level, then years, then name)


def test_me_for_a_client_has_no_profile(carol: User, api_as: Api) -> None:
    me = api_as(carol).get("/api/v1/me").json()
    assert me["role"] == "client" and me["profile"] is None and me["url"] is None


def test_me_for_an_applicant_points_at_their_application(eve: User, api_as: Api) -> None:
    me = api_as(eve).get("/api/v1/me").json()
    assert me["admitted_at"] is None and me["referral_code"] is None
    assert me["application_id"] == eve.application.pk


def test_me_needs_a_caller(db: None) -> None:
    assert ApiClient().get("/api/v1/me").status_code == 401


def test_patch_changes_only_the_fields_sent(alice: User, api_as: Api) -> None:
    response = api_as(alice).patch(
        "/api/v1/me",
        {"hourly_rate": "120.5", "rate_visibility": Visibility.ONLY_ME, "time_zone": "Asia/Tokyo",
         "links": ["https://alice.example"]},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.json()["profile"]["hourly_rate"] == "120.50"
    profile = Profile.objects.select_related("user").get(pk=alice.pk)
    assert profile.hourly_rate == Decimal("120.50")
    assert profile.rate_usd == Decimal("130.14")  # EUR kept, converted again
    assert profile.rate_visibility == Visibility.ONLY_ME
    assert profile.user.time_zone == "Asia/Tokyo"
    assert profile.links == ["https://alice.example"]
    assert profile.headline == "Backend engineer for marketplaces"
    assert profile.skills.count() == 3


def test_patch_replaces_skills_resolving_what_people_type(alice: User, api_as: Api) -> None:
    response = api_as(alice).patch(
        "/api/v1/me",
        {"skills": [{"name": "golang", "level": 4, "years": 7}, {"name": "Quantum Knitting"}]},
    )
    assert response.status_code == 200
    skills = response.json()["profile"]["skills"]
    assert [(s["name"], s["level"], s["years"], s["pending"]) for s in skills] == [
        ("Go", 4, 7, False), ("Quantum Knitting", 2, 0, True),
    ]  # fmt: skip


def test_patch_clears_the_rate_with_null(alice: User, api_as: Api) -> None:
    assert api_as(alice).patch("/api/v1/me", {"hourly_rate": None}).status_code == 200
    profile = Profile.objects.get(pk=alice.pk)
    assert profile.hourly_rate is None and profile.rate_usd is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"hourly_rate": -1}, "hourly_rate"),
        ({"hourly_rate": "12.345"}, "hourly_rate"),
        ({"available_hours": 81}, "available_hours"),
        ({"available_hours": -1}, "available_hours"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"links": ["javascript:alert(1)"]}, "links"),
        ({"links": ["ftp://files.example"]}, "links"),
        ({"rate_visibility": 4}, "rate_visibility"),
        ({"currency": "XYZ"}, "currency"),
        ({"name": ""}, "name"),
        ({"name": None}, "name"),
        ({"headline": "x" * 141}, "headline"),
        ({"skills": [{"name": "Go", "level": 5}]}, "skills.0.level"),
        ({"skills": [{"name": "Go", "years": 61}]}, "skills.0.years"),
        ({"rate": 10}, "rate"),  # a typo is refused, not ignored
    ],
)
def test_bad_patch_input_is_refused_with_field_errors_and_nothing_saved(
    alice: User, api_as: Api, body: dict[str, Any], field: str
) -> None:
    before = _snapshot(alice)
    # Valid changes beside the bad one are not saved either.
    response = api_as(alice).patch("/api/v1/me", {"headline": "Changed", **body})
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert response.json()["detail"]
    assert _snapshot(alice) == before


def test_a_rule_refusal_is_a_400_with_field_errors_and_nothing_saved(
    alice: User, api_as: Api
) -> None:
    before = _snapshot(alice)
    response = api_as(alice).patch(
        "/api/v1/me",
        {"headline": "Changed", "skills": [{"name": "Brand New Skill"}, {"name": "!!!"}]},
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body["errors"]) == {"skills.1.name"}
    assert body["detail"] == "A skill needs a name."
    assert _snapshot(alice) == before
    assert not Skill.objects.filter(name="Brand New Skill").exists()


def test_a_body_that_is_not_json_is_a_400(alice: User, api_as: Api) -> None:
    api = api_as(alice)
    response = api.client.patch(
        "/api/v1/me", "{not json", content_type="application/json", **api.headers
    )
    assert response.status_code == 400
    assert response.json()["detail"]


def test_roles_without_a_profile_cannot_patch_one(carol: User, api_as: Api) -> None:
    response = api_as(carol).patch("/api/v1/me", {"headline": "Hiring"})
    assert response.status_code == 403


def test_an_applicant_edits_their_profile_draft(eve: User, api_as: Api) -> None:
    response = api_as(eve).patch("/api/v1/me", {"headline": "Product designer"})
    assert response.status_code == 200
    assert Profile.objects.get(pk=eve.pk).headline == "Product designer"
