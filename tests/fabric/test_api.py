"""The fabric over the API: paths, suggestions, requests, follows, blocks, introductions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from townsquare.fabric import services
from townsquare.fabric.models import Block, ConnectionRequest, Follow, Introduction
from townsquare.fabric.selectors import are_connected_ids
from townsquare.members import services as member_services
from townsquare.members.models import User, Visibility


def test_the_path_lists_ids_with_null_for_hidden_people(
    cast: dict[str, Any], api_as: Callable
) -> None:
    alice, bob, cid, dana = (cast[k] for k in ("alice", "bob", "cid", "dana"))
    member_services.update_profile(cid, cid.profile, profile_visibility=Visibility.CONNECTIONS)

    response = api_as(alice).get("/api/v1/fabric/path", {"to": dana.pk})

    assert response.status_code == 200
    assert response.json() == {"path": [alice.pk, bob.pk, None, dana.pk]}


def test_no_path_or_an_invisible_member_is_404(
    cast: dict[str, Any], hidden_profile: User, api_as: Callable
) -> None:
    api = api_as(cast["alice"])

    assert api.get("/api/v1/fabric/path", {"to": cast["eli"].pk}).status_code == 404
    assert api.get("/api/v1/fabric/path", {"to": hidden_profile.pk}).status_code == 404
    assert api.get("/api/v1/fabric/path", {"to": 987654}).json() == {"detail": "Not found."}


def test_suggestions_carry_their_reasons(cast: dict[str, Any], api_as: Callable) -> None:
    response = api_as(cast["alice"]).get("/api/v1/fabric/suggestions")

    first = response.json()["results"][0]
    assert first["member"]["id"] == cast["cid"].pk
    assert first["reason"] == "1 mutual connection · both Django, Python"
    assert first["mutual"] == 1 and first["shared_skills"] == ["Django", "Python"]


def test_request_accept_and_list_connections(
    alice: User, make_member: Callable[..., User], api_as: Callable
) -> None:
    olga = make_member(name="Olga Other")

    sent = api_as(alice).post("/api/v1/connections/requests", {"to": olga.pk, "note": "Hi"})
    assert sent.status_code == 201
    request_id = sent.json()["id"]
    assert api_as(olga).get("/api/v1/connections/requests").json()["results"][0]["id"] == request_id

    accepted = api_as(olga).post(f"/api/v1/connections/requests/{request_id}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    listed = api_as(alice).get("/api/v1/connections").json()
    assert listed["count"] == 1 and listed["results"][0]["member"]["id"] == olga.pk


def test_refusals_are_400_with_the_reason(alice: User, bob: User, api_as: Callable) -> None:
    response = api_as(alice).post("/api/v1/connections/requests", {"to": bob.pk})

    assert response.status_code == 400
    assert response.json()["detail"] == "You are already connected."


def test_someone_elses_request_is_404_whatever_the_action(
    alice: User, bob: User, make_member: Callable[..., User], api_as: Callable
) -> None:
    olga = make_member(name="Olga Other")
    request = services.request_connection(olga, bob)

    for action in ("accept", "decline", "withdraw"):
        response = api_as(alice).post(f"/api/v1/connections/requests/{request.pk}/{action}")
        assert response.status_code == 404
    # The sender sees it, but accepting it is not theirs to do.
    assert api_as(olga).post(f"/api/v1/connections/requests/{request.pk}/accept").status_code == 404
    assert (
        api_as(olga).post(f"/api/v1/connections/requests/{request.pk}/withdraw").status_code == 200
    )
    request.refresh_from_db()
    assert request.status == ConnectionRequest.Status.WITHDRAWN


def test_ending_a_connection(alice: User, bob: User, carol: User, api_as: Callable) -> None:
    assert api_as(alice).delete(f"/api/v1/connections/{bob.pk}").status_code == 204
    assert not are_connected_ids(alice.pk, bob.pk)
    assert api_as(alice).delete(f"/api/v1/connections/{bob.pk}").status_code == 404


def test_follow_and_block_round_trips(alice: User, bob: User, api_as: Callable) -> None:
    api = api_as(alice)

    assert api.post(f"/api/v1/follows/{bob.pk}").json()["following"] is True
    assert Follow.objects.filter(follower=alice, followee=bob).exists()
    assert api.delete(f"/api/v1/follows/{bob.pk}").status_code == 204
    assert api.delete(f"/api/v1/follows/{bob.pk}").status_code == 404

    assert api.post(f"/api/v1/blocks/{bob.pk}").json() == {"member_id": bob.pk, "blocked": True}
    assert not are_connected_ids(alice.pk, bob.pk)
    assert api_as(bob).get(f"/api/v1/members/{alice.pk}").status_code == 404
    assert api.delete(f"/api/v1/blocks/{bob.pk}").status_code == 204
    assert not Block.objects.exists()


def test_introductions_end_to_end(cast: dict[str, Any], api_as: Callable) -> None:
    alice, bob, cid = cast["alice"], cast["bob"], cast["cid"]

    asked = api_as(alice).post("/api/v1/introductions", {"to": cid.pk, "note": "Hello"})
    assert asked.status_code == 201
    body = asked.json()
    assert body["introducer"]["id"] == bob.pk and body["path"] == [alice.pk, bob.pk, cid.pk]
    intro_id = body["id"]
    assert api_as(cid).get(f"/api/v1/introductions/{intro_id}").status_code == 404

    forwarded = api_as(bob).post(f"/api/v1/introductions/{intro_id}/forward", {"note": "Meet!"})
    assert forwarded.json()["status"] == "forwarded"
    accepted = api_as(cid).post(f"/api/v1/introductions/{intro_id}/accept", {"connect": True})
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["conversation_id"] == Introduction.objects.get().conversation_id
    assert are_connected_ids(alice.pk, cid.pk)
    listed = api_as(bob).get("/api/v1/introductions").json()
    assert [i["id"] for i in listed["results"]] == [intro_id]


def test_acting_on_an_introduction_in_the_wrong_role_is_404(
    cast: dict[str, Any], api_as: Callable
) -> None:
    intro = services.ask_for_intro(cast["alice"], cast["cid"])

    assert (
        api_as(cast["alice"]).post(f"/api/v1/introductions/{intro.pk}/forward").status_code == 404
    )
    assert api_as(cast["dana"]).post(f"/api/v1/introductions/{intro.pk}/decline").status_code == 404
    declined = api_as(cast["bob"]).post(f"/api/v1/introductions/{intro.pk}/decline")
    assert declined.json()["status"] == "not_forwarded"


def test_other_roles_are_403_and_strangers_401(
    alice: User, carol: User, eve: User, mona: User, api_as: Callable
) -> None:
    for user in (carol, eve, mona):
        assert api_as(user).get("/api/v1/fabric/suggestions").status_code == 403
    assert api_as(None).get("/api/v1/connections").status_code == 401
    assert api_as(eve).post("/api/v1/connections/requests", {"to": alice.pk}).json()["detail"] == (
        "The fabric opens once your application is approved."
    )


def test_unknown_fields_are_refused(alice: User, bob: User, api_as: Callable) -> None:
    response = api_as(alice).post("/api/v1/introductions", {"to": bob.pk, "extra": 1})

    assert response.status_code == 422
    assert "extra" in response.json()["errors"]
