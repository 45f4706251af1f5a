"""The introduction path: shortest, around hidden and blocked members, and shown to each
viewer only as far as they may see."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from townsquare.fabric import selectors, services
from townsquare.members import services as member_services
from townsquare.members.models import User, Visibility


def _hide(member: User, level: int) -> None:
    member_services.update_profile(member, member.profile, profile_visibility=level)


def test_the_path_is_the_shortest_chain_of_connections(cast: dict[str, Any]) -> None:
    alice, bob, cid, dana = (cast[k] for k in ("alice", "bob", "cid", "dana"))

    assert selectors.intro_path(alice, dana) == [alice.pk, bob.pk, cid.pk, dana.pk]
    assert selectors.intro_path(alice, cast["eli"]) is None


def test_a_shortcut_added_later_is_found(
    cast: dict[str, Any], connect: Callable[..., None]
) -> None:
    alice, dana = cast["alice"], cast["dana"]
    selectors.intro_path(alice, dana)  # the graph is built now

    connect(cast["bob"], dana)

    assert selectors.intro_path(alice, dana) == [alice.pk, cast["bob"].pk, dana.pk]


def test_people_on_the_way_the_viewer_may_not_see_are_someone(cast: dict[str, Any]) -> None:
    alice, bob, cid, dana = (cast[k] for k in ("alice", "bob", "cid", "dana"))
    _hide(cid, Visibility.CONNECTIONS)

    steps = selectors.path_view(alice, selectors.intro_path(alice, dana))

    assert [s.id for s in steps] == [alice.pk, bob.pk, None, dana.pk]
    assert selectors.visible_path(alice, dana) == [alice.pk, bob.pk, None, dana.pk]
    # bob is cid's connection, so he sees cid.
    assert [s.id for s in selectors.path_view(bob, [alice.pk, bob.pk, cid.pk, dana.pk])] == [
        alice.pk, bob.pk, cid.pk, dana.pk,
    ]  # fmt: skip


def test_members_hidden_from_everyone_are_not_routed_through(cast: dict[str, Any]) -> None:
    alice, dana = cast["alice"], cast["dana"]
    _hide(cast["cid"], Visibility.ONLY_ME)

    assert selectors.intro_path(alice, dana) is None


def test_a_block_of_the_requester_closes_the_way_through_that_member(
    cast: dict[str, Any], make_member: Callable[..., User], connect: Callable[..., None]
) -> None:
    alice, bob, cid, dana = (cast[k] for k in ("alice", "bob", "cid", "dana"))
    fay = make_member(name="Fay Far")
    connect(dana, fay)
    services.block(cid, alice)  # cid is on the only way from alice to fay

    assert selectors.intro_path(alice, fay) is None
    assert selectors.intro_path(bob, fay) == [bob.pk, cid.pk, dana.pk, fay.pk]


def test_the_ask_page_shows_the_way_with_someone_in_place_of_hidden_people(
    cast: dict[str, Any], login: Callable[[User], Client]
) -> None:
    alice, dana = cast["alice"], cast["dana"]
    _hide(cast["cid"], Visibility.CONNECTIONS)

    page = login(alice).get(f"/people/{dana.pk}/intro/").content.decode()

    assert "Bob Baker" in page and "Dana Drake" in page
    assert "Cid Carver" not in page
    assert "someone" in page


def test_the_ask_page_says_when_no_chain_leads_there(
    cast: dict[str, Any], login: Callable[[User], Client]
) -> None:
    page = login(cast["alice"]).get(f"/people/{cast['eli'].pk}/intro/").content.decode()

    assert "No chain of connections leads to Eli Ellis yet." in page
