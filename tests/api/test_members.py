"""The directory and profiles over the API: the same visibility as the pages, no N+1."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.api.conftest import ApiClient
from townsquare.members import services
from townsquare.members.models import User, Visibility

pytestmark = pytest.mark.django_db

Api = Callable[[User | None], ApiClient]


def _hide_rate(member: User) -> None:
    services.update_profile(member, member.profile, rate_visibility=Visibility.ONLY_ME)


def test_a_rate_kept_to_oneself_is_null_for_a_connection(
    alice: User, bob: User, api_as: Api
) -> None:
    _hide_rate(alice)
    profile = api_as(bob).get(f"/api/v1/members/{alice.pk}").json()
    assert profile["name"] == "Alice Archer"
    assert profile["hourly_rate"] is None and profile["currency"] is None
    assert [s["name"] for s in profile["skills"]] == ["Django", "PostgreSQL", "Python"]
    # and the profile page agrees: no rate there either
    page = Client()
    page.force_login(bob)
    assert "95 EUR" not in page.get(f"/members/{alice.pk}/").content.decode()


def test_a_member_sees_their_own_hidden_rate(alice: User, api_as: Api) -> None:
    _hide_rate(alice)
    profile = api_as(alice).get(f"/api/v1/members/{alice.pk}").json()
    assert profile["is_own"] is True
    assert profile["hourly_rate"] == "95.00" and profile["currency"] == "EUR"


def test_a_hidden_rate_is_null_in_the_directory_too(alice: User, bob: User, api_as: Api) -> None:
    _hide_rate(alice)
    results = api_as(bob).get("/api/v1/members").json()["results"]
    listed = {r["name"]: r for r in results}
    assert listed["Alice Archer"]["hourly_rate"] is None
    assert listed["Bob Baker"]["hourly_rate"] == "80.00"


def test_a_hidden_rate_cannot_be_found_through_the_rate_filter(
    alice: User, bob: User, api_as: Api
) -> None:
    _hide_rate(alice)
    found = api_as(bob).get("/api/v1/members", {"rate_min": "90"}).json()
    assert found["count"] == 0


def test_parts_hidden_from_the_community_are_null_for_a_stranger(
    make_member: Callable[..., User], alice: User, api_as: Api
) -> None:
    private = make_member(
        name="Pia Private", skills=("Go",), rate="70",
        bio="Secret bio", bio_visibility=Visibility.CONNECTIONS,
        skills_visibility=Visibility.ONLY_ME, location="Lisbon",
        location_visibility=Visibility.CONNECTIONS, links=["https://pia.example"],
        links_visibility=Visibility.ONLY_ME,
    )  # fmt: skip
    profile = api_as(alice).get(f"/api/v1/members/{private.pk}").json()
    assert profile["bio"] is None and profile["bio_html"] is None
    assert profile["skills"] is None
    assert profile["location"] is None and profile["time_zone"] is None
    assert profile["links"] is None
    assert profile["hourly_rate"] == "70.00"  # rate stays at the default, community tier
    assert "Secret bio" not in str(profile)


def test_a_hidden_profile_answers_like_a_missing_one(
    hidden_profile: User, alice: User, api_as: Api
) -> None:
    api = api_as(alice)
    hidden = api.get(f"/api/v1/members/{hidden_profile.pk}")
    missing = api.get("/api/v1/members/987654")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json() == {"detail": "Not found."}


def test_anonymous_callers_see_public_profiles_only(
    make_member: Callable[..., User], alice: User
) -> None:
    public = make_member(name="Paul Public", profile_visibility=Visibility.PUBLIC, rate="50")
    anonymous = Client()
    shown = anonymous.get(f"/api/v1/members/{public.pk}")
    assert shown.status_code == 200
    assert shown.json()["hourly_rate"] is None  # rate is for the community, not the world
    assert anonymous.get(f"/api/v1/members/{alice.pk}").status_code == 404


def test_the_directory_needs_a_caller(alice: User) -> None:
    assert Client().get("/api/v1/members").status_code == 401


def test_applicants_may_not_search_the_directory(eve: User, api_as: Api) -> None:
    response = api_as(eve).get("/api/v1/members")
    assert response.status_code == 403
    assert response.json()["detail"]


@pytest.mark.parametrize("role", ["carol", "mona"])
def test_clients_and_managers_search_the_directory(
    role: str, alice: User, request: pytest.FixtureRequest, api_as: Api
) -> None:
    response = api_as(request.getfixturevalue(role)).get("/api/v1/members", {"q": "python"})
    assert response.status_code == 200
    assert [r["name"] for r in response.json()["results"]] == ["Alice Archer"]


def test_the_directory_filters_by_skill_as_people_type_it(
    alice: User, bob: User, api_as: Api
) -> None:
    api = api_as(bob)
    assert [
        r["name"] for r in api.get("/api/v1/members", {"skill": "postgres"}).json()["results"]
    ] == ["Alice Archer"]
    assert api.get("/api/v1/members", {"skill": "no such skill at all"}).json()["count"] == 0


def test_the_directory_paginates(
    make_member: Callable[..., User], alice: User, api_as: Api
) -> None:
    for n in range(4):
        make_member(name=f"Member {n}", email=f"member{n}@example.com")
    api = api_as(alice)
    first = api.get("/api/v1/members", {"per_page": 2}).json()
    assert (first["count"], first["page"], first["pages"], first["per_page"]) == (5, 1, 3, 2)
    last = api.get("/api/v1/members", {"per_page": 2, "page": 3}).json()
    assert len(last["results"]) == 1
    beyond = api.get("/api/v1/members", {"per_page": 2, "page": 4}).json()
    assert beyond["results"] == [] and beyond["count"] == 5
    seen = {
        r["id"]
        for p in (1, 2, 3)
        for r in api.get("/api/v1/members", {"per_page": 2, "page": p}).json()["results"]
    }
    assert len(seen) == 5


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"per_page": 101}, "per_page"),
        ({"page": 0}, "page"),
        ({"min_hours": 81}, "min_hours"),
        ({"rate_min": "-1"}, "rate_min"),
        ({"tz_min": "nan"}, "tz_min"),
        ({"available_by": "2026-13-40"}, "available_by"),
        ({"rate_min": "100", "rate_max": "50"}, "rate_max"),
        ({"tz_min": "5", "tz_max": "-5"}, "tz_max"),
    ],
)
def test_bad_filters_answer_422_with_the_field(
    alice: User, api_as: Api, query: dict[str, Any], field: str
) -> None:
    response = api_as(alice).get("/api/v1/members", query)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]


def test_empty_filter_fields_mean_no_filter(alice: User, bob: User, api_as: Api) -> None:
    response = api_as(alice).get("/api/v1/members", {"min_hours": "", "rate_max": "", "q": ""})
    assert response.status_code == 200
    assert response.json()["count"] == 2


def test_the_directory_answers_in_a_fixed_number_of_queries(
    make_member: Callable[..., User],
    alice: User,
    api_as: Api,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    for n in range(25):
        make_member(
            name=f"Member {n}", email=f"member{n}@example.com", skills=("Python", "Go", "SQL")
        )
    api = api_as(alice)
    with django_assert_max_num_queries(8):
        response = api.get("/api/v1/members", {"per_page": 30})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 26
    assert all(r["skills"] for r in response.json()["results"])
    with django_assert_max_num_queries(8):
        assert api.get("/api/v1/members", {"q": "python", "min_hours": 10}).status_code == 200


@pytest.mark.parametrize("text", ['"', "*", "'; --", "^", "alice AND -bob", "NEAR(x)"])
def test_search_syntax_is_plain_text_never_an_error(alice: User, api_as: Api, text: str) -> None:
    assert api_as(alice).get("/api/v1/members", {"q": text}).status_code == 200


def test_managers_see_what_connections_see_like_on_the_profile_page(
    make_member: Callable[..., User], alice: User, mona: User, api_as: Api
) -> None:
    member = make_member(
        name="Cora Close", location="Porto", location_visibility=Visibility.CONNECTIONS
    )
    assert api_as(alice).get(f"/api/v1/members/{member.pk}").json()["location"] is None
    assert api_as(mona).get(f"/api/v1/members/{member.pk}").json()["location"] == "Porto"
