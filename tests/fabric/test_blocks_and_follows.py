"""Blocking hides two people from each other and ends what was open; following is one-way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from townsquare.fabric import selectors, services
from townsquare.fabric.models import Block, ConnectionRequest, Follow, GraphChange, Introduction
from townsquare.members.models import User


def test_blocking_ends_the_connection_and_records_the_change(alice: User, bob: User) -> None:
    services.block(alice, bob)

    assert not selectors.are_connected_ids(alice.pk, bob.pk)
    assert GraphChange.objects.get().added is False
    assert selectors.blocked_ids(alice) == {bob.pk}
    assert selectors.blocked_ids(bob) == {alice.pk}


def test_blocking_closes_requests_both_ways_and_stops_new_ones(
    alice: User, make_member: Callable[..., User]
) -> None:
    olga = make_member(name="Olga Other")
    mine = services.request_connection(alice, olga)

    services.block(olga, alice)

    mine.refresh_from_db()
    assert mine.status == ConnectionRequest.Status.DECLINED
    for actor, target in ((alice, olga), (olga, alice)):
        with pytest.raises(ValidationError, match="cannot connect"):
            services.request_connection(actor, target)
        with pytest.raises(ValidationError, match="cannot follow"):
            services.follow(actor, target)
        with pytest.raises(ValidationError):
            services.ask_for_intro(actor, target)


def test_blocking_removes_follows_and_withdraws_open_introductions(cast: dict[str, Any]) -> None:
    alice, bob, cid = cast["alice"], cast["bob"], cast["cid"]
    services.follow(alice, bob)
    services.follow(bob, alice)
    intro = services.ask_for_intro(alice, cid)  # bob is asked to introduce alice to cid

    services.block(bob, alice)

    assert not Follow.objects.exists()
    intro.refresh_from_db()
    assert intro.status == Introduction.Status.WITHDRAWN


def test_a_blocked_member_cannot_open_the_blockers_profile(
    alice: User, bob: User, login: Callable[[User], Client]
) -> None:
    services.block(alice, bob)

    assert login(bob).get(f"/members/{alice.pk}/").status_code == 404
    assert login(alice).get(f"/members/{bob.pk}/").status_code == 404


def test_unblocking_lifts_the_block_but_not_what_it_ended(alice: User, bob: User) -> None:
    services.block(alice, bob)

    services.unblock(alice, bob)

    assert not Block.objects.exists()
    assert not selectors.are_connected_ids(alice.pk, bob.pk)


def test_only_the_blocker_lifts_a_block(alice: User, bob: User) -> None:
    services.block(alice, bob)

    services.unblock(bob, alice)

    assert Block.objects.filter(blocker=alice, blocked=bob).exists()


def test_following_is_one_way_and_idempotent(alice: User, bob: User) -> None:
    first = services.follow(alice, bob)
    again = services.follow(alice, bob)

    assert first.pk == again.pk
    assert Follow.objects.filter(follower=alice, followee=bob).count() == 1
    assert not Follow.objects.filter(follower=bob, followee=alice).exists()
    services.unfollow(alice, bob)
    assert not Follow.objects.exists()


def test_nobody_follows_themselves(alice: User) -> None:
    with pytest.raises(ValidationError, match="yourself"):
        services.follow(alice, alice)


def test_the_block_page_asks_before_blocking(
    alice: User, bob: User, login: Callable[[User], Client]
) -> None:
    client = login(alice)

    page = client.get(f"/people/{bob.pk}/block/")
    assert page.status_code == 200
    assert "Your connection ends" in page.content.decode()
    assert not Block.objects.exists()

    done = client.post(f"/people/{bob.pk}/block/")
    assert done.status_code == 302 and done["Location"] == "/people/"
    assert Block.objects.filter(blocker=alice, blocked=bob).exists()
    assert "Bob Baker" in client.get("/people/").content.decode()  # in the blocked list

    client.post(f"/people/{bob.pk}/unblock/")
    assert not Block.objects.exists()
