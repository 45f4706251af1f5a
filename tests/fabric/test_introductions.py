"""Warm introductions, double opt-in: the introducer forwards, the target accepts, and the
three share a conversation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from townsquare.conversations.models import Conversation, Notification
from townsquare.fabric import selectors, services
from townsquare.fabric.models import Introduction
from townsquare.members.models import User


def kinds(user: User) -> list[str]:
    return list(
        Notification.objects.filter(user=user).order_by("pk").values_list("kind", flat=True)
    )


def test_double_opt_in_from_ask_to_shared_conversation(cast: dict[str, Any]) -> None:
    alice, bob, cid = cast["alice"], cast["bob"], cast["cid"]

    intro = services.ask_for_intro(alice, cid, "I would love to talk data pipelines.")
    assert intro.introducer == bob
    assert intro.path == [alice.pk, bob.pk, cid.pk]
    assert kinds(bob) == ["intro_requested"]
    assert kinds(cid) == []  # the target hears nothing before the introducer forwards

    services.forward_intro(bob, intro, "Alice is great, you two should talk.")
    intro.refresh_from_db()
    assert intro.status == Introduction.Status.FORWARDED
    assert intro.forward_note == "Alice is great, you two should talk."
    assert kinds(cid) == ["intro_forwarded"]

    services.accept_intro(cid, intro, connect=True)
    intro.refresh_from_db()
    assert intro.status == Introduction.Status.ACCEPTED
    conversation = intro.conversation
    assert conversation.kind == Conversation.Kind.INTRO
    assert set(conversation.participants.values_list("user_id", flat=True)) == {
        alice.pk, bob.pk, cid.pk,
    }  # fmt: skip
    assert kinds(alice) == ["intro_accepted"]
    assert kinds(bob) == ["intro_requested", "intro_accepted"]
    assert selectors.are_connected_ids(alice.pk, cid.pk)


def test_accepting_without_connecting_leaves_a_connect_button(
    cast: dict[str, Any], login: Callable[[User], Client]
) -> None:
    alice, bob, cid = cast["alice"], cast["bob"], cast["cid"]
    intro = services.ask_for_intro(alice, cid)
    services.forward_intro(bob, intro)

    services.accept_intro(cid, intro)

    assert not selectors.are_connected_ids(alice.pk, cid.pk)
    page = login(alice).get(f"/intros/{intro.pk}/").content.decode()
    assert f'action="/people/{cid.pk}/connect/"' in page
    assert "Open your conversation" in page


def test_a_longer_path_is_passed_on_person_by_person(cast: dict[str, Any]) -> None:
    alice, bob, cid, dana = (cast[k] for k in ("alice", "bob", "cid", "dana"))

    intro = services.ask_for_intro(alice, dana)
    services.forward_intro(bob, intro, "Over to you, Cid.")
    intro.refresh_from_db()
    assert intro.status == Introduction.Status.ASKED
    assert intro.introducer == cid
    assert kinds(cid) == ["intro_requested"]
    assert selectors.intro_role(bob, intro) == "passed"

    services.forward_intro(cid, intro, "Dana, meet Alice.")
    intro.refresh_from_db()
    assert intro.status == Introduction.Status.FORWARDED
    services.accept_intro(dana, intro)
    intro.refresh_from_db()
    assert set(intro.conversation.participants.values_list("user_id", flat=True)) == {
        alice.pk, cid.pk, dana.pk,
    }  # fmt: skip


def test_the_introducer_may_decline_to_pass_it_on(cast: dict[str, Any]) -> None:
    intro = services.ask_for_intro(cast["alice"], cast["cid"])

    services.decline_to_forward(cast["bob"], intro)

    intro.refresh_from_db()
    assert intro.status == Introduction.Status.NOT_FORWARDED
    assert kinds(cast["alice"]) == []
    with pytest.raises(ValidationError):
        services.forward_intro(cast["bob"], intro)


def test_the_target_may_decline_quietly(cast: dict[str, Any]) -> None:
    alice, bob, cid = cast["alice"], cast["bob"], cast["cid"]
    intro = services.ask_for_intro(alice, cid)
    services.forward_intro(bob, intro)

    services.decline_intro(cid, intro)

    intro.refresh_from_db()
    assert intro.status == Introduction.Status.DECLINED
    assert intro.conversation is None
    assert kinds(alice) == []


def test_only_the_people_asked_act_on_an_introduction(cast: dict[str, Any]) -> None:
    alice, cid = cast["alice"], cast["cid"]
    intro = services.ask_for_intro(alice, cid)

    with pytest.raises(PermissionError):
        services.forward_intro(cid, intro)
    with pytest.raises(PermissionError):
        services.accept_intro(alice, intro)
    with pytest.raises(ValidationError):  # not forwarded yet
        services.accept_intro(cid, intro)


def test_one_open_introduction_per_pair_and_none_to_a_connection(cast: dict[str, Any]) -> None:
    alice, cid = cast["alice"], cast["cid"]
    services.ask_for_intro(alice, cid)

    with pytest.raises(ValidationError, match="already asked for an introduction"):
        services.ask_for_intro(alice, cid)
    with pytest.raises(ValidationError, match="already connected"):
        services.ask_for_intro(alice, cast["bob"])
    with pytest.raises(ValidationError, match="No chain of connections"):
        services.ask_for_intro(alice, cast["eli"])


def test_the_target_does_not_see_the_introduction_before_it_is_forwarded(
    cast: dict[str, Any], login: Callable[[User], Client]
) -> None:
    alice, bob, cid = cast["alice"], cast["bob"], cast["cid"]
    intro = services.ask_for_intro(alice, cid)
    url = f"/intros/{intro.pk}/"

    assert login(cid).get(url).status_code == 404
    assert login(cast["dana"]).get(url).status_code == 404
    services.forward_intro(bob, intro)
    assert login(cid).get(url).status_code == 200


def test_the_whole_flow_through_the_pages(
    cast: dict[str, Any], login: Callable[[User], Client]
) -> None:
    alice, bob, cid = cast["alice"], cast["bob"], cast["cid"]
    as_alice, as_bob, as_cid = login(alice), login(bob), login(cid)

    asked = as_alice.post(f"/people/{cid.pk}/intro/", {"note": "Pipelines!"})
    intro = Introduction.objects.get()
    assert asked["Location"] == f"/intros/{intro.pk}/"
    page = as_bob.get(f"/intros/{intro.pk}/").content.decode()
    assert "Will you pass it on?" in page and "Pipelines!" in page

    as_bob.post(f"/intros/{intro.pk}/forward/", {"note": "Meet Alice."})
    page = as_cid.get(f"/intros/{intro.pk}/").content.decode()
    assert "Would you like to meet?" in page and "Meet Alice." in page

    as_cid.post(f"/intros/{intro.pk}/accept/", {"connect": "on"})
    intro.refresh_from_db()
    assert intro.status == Introduction.Status.ACCEPTED
    assert selectors.are_connected_ids(alice.pk, cid.pk)
    page = as_alice.get(f"/intros/{intro.pk}/").content.decode()
    assert f"/messages/{intro.conversation_id}/" in page
    assert "Introduction asked" not in as_alice.get(f"/members/{cid.pk}/").content.decode()


def test_the_requester_may_withdraw(cast: dict[str, Any], login: Callable[[User], Client]) -> None:
    intro = services.ask_for_intro(cast["alice"], cast["cid"])

    login(cast["alice"]).post(f"/intros/{intro.pk}/withdraw/")

    intro.refresh_from_db()
    assert intro.status == Introduction.Status.WITHDRAWN


def test_the_introductions_page_lists_each_side(
    cast: dict[str, Any], login: Callable[[User], Client]
) -> None:
    alice, bob, cid = cast["alice"], cast["bob"], cast["cid"]
    intro = services.ask_for_intro(alice, cid)

    for user, heading in ((alice, "Introductions you asked for"), (bob, "Asked of you")):
        page = login(user).get("/intros/").content.decode()
        assert heading in page
        assert f'href="/intros/{intro.pk}/"' in page
    assert f'href="/intros/{intro.pk}/"' not in login(cid).get("/intros/").content.decode()


def test_asking_without_a_way_shows_the_reason(
    cast: dict[str, Any], login: Callable[[User], Client]
) -> None:
    response = login(cast["alice"]).post(f"/people/{cast['eli'].pk}/intro/", {"note": "Hi"})

    assert response.status_code == 400
    assert "No chain of connections leads to Eli Ellis yet." in response.content.decode()
    assert not Introduction.objects.exists()
