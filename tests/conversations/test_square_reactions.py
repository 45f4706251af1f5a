"""Reactions: a small fixed set, toggled, counted per post in one query."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.conversations.squarekit import make_group, make_thread, make_topic
from townsquare.conversations import square_selectors, square_services
from townsquare.conversations.models import Reaction
from townsquare.members.models import User

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def _counts(viewer: User, post_id: int) -> dict[str, tuple[int, bool]]:
    summary = square_selectors.reaction_summary(viewer, [post_id])[post_id]
    return {r.emoji: (r.count, r.mine) for r in summary if r.count}


def test_a_reaction_toggles_on_and_off_from_the_page(
    alice: User, bob: User, mona: User, login: Login
) -> None:
    post = make_thread(alice, make_topic(mona)).posts.get()
    response = login(bob).post(f"/square/posts/{post.pk}/react/", {"emoji": "heart"})
    assert response.status_code == 302
    assert _counts(bob, post.pk) == {"heart": (1, True)}
    assert _counts(alice, post.pk) == {"heart": (1, False)}
    login(bob).post(f"/square/posts/{post.pk}/react/", {"emoji": "heart"})
    assert _counts(bob, post.pk) == {}


def test_reactions_are_counted_per_post_and_emoji_in_one_query(
    alice: User,
    bob: User,
    mona: User,
    django_assert_num_queries: Callable[..., Any],
) -> None:
    thread = make_thread(alice, make_topic(mona))
    second = square_services.post_reply(bob, thread, body="second")
    first = thread.posts.first()
    for who, post, emoji in [
        (alice, first, "thumbs_up"), (bob, first, "thumbs_up"), (mona, first, "eyes"),
        (alice, second, "tada"),
    ]:  # fmt: skip
        square_services.toggle_reaction(who, post, emoji)
    with django_assert_num_queries(1):
        summary = square_selectors.reaction_summary(bob, [first.pk, second.pk])
    by_post = {
        pk: {r.emoji: (r.count, r.mine) for r in rows if r.count} for pk, rows in summary.items()
    }
    assert by_post == {
        first.pk: {"thumbs_up": (2, True), "eyes": (1, False)},
        second.pk: {"tada": (1, False)},
    }
    # Every post lists the whole fixed set in order, counted or not.
    assert [r.symbol for r in summary[second.pk]] == ["👍", "❤️", "🎉", "😄", "🤔", "👀"]


def test_an_unknown_emoji_is_refused(alice: User, bob: User, mona: User, login: Login) -> None:
    post = make_thread(alice, make_topic(mona)).posts.get()
    login(bob).post(f"/square/posts/{post.pk}/react/", {"emoji": "poop"})
    assert not Reaction.objects.exists()


def test_clients_and_non_members_of_a_group_do_not_react(
    alice: User, bob: User, carol: User, mona: User, login: Login
) -> None:
    post = make_thread(alice, make_topic(mona)).posts.get()
    assert (
        login(carol).post(f"/square/posts/{post.pk}/react/", {"emoji": "heart"}).status_code == 403
    )
    group_post = make_thread(alice, make_group(alice, "Open house")).posts.get()
    assert (
        login(bob).post(f"/square/posts/{group_post.pk}/react/", {"emoji": "heart"}).status_code
        == 403
    )
    assert not Reaction.objects.exists()
