"""Unread counts, read marks, history pages and the `after` resync; notifications and events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from townsquare.conversations import selectors, services
from townsquare.conversations.models import Notification
from townsquare.members.models import MessagePolicy, Profile, User

pytestmark = pytest.mark.django_db


def send_many(sender: User, conversation: Any, n: int, prefix: str = "m") -> list[int]:
    return [services.send_message(sender, conversation, f"{prefix}{i}").pk for i in range(n)]


@pytest.fixture(autouse=True)
def _no_send_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "SEND_LIMIT", 10_000)


def test_unread_counts_follow_the_read_mark(alice: User, bob: User) -> None:
    conversation, _ = services.start_direct_conversation(alice, bob)
    ids = send_many(alice, conversation, 3)
    [entry] = selectors.conversations_for(bob)
    assert entry.unread == 3 and entry.last_message.pk == ids[-1]
    assert selectors.unread_total(bob) == 3
    # The sender's own messages are read.
    assert selectors.conversations_for(alice)[0].unread == 0 and selectors.unread_total(alice) == 0
    services.mark_read(bob, conversation, ids[1])
    assert selectors.conversations_for(bob)[0].unread == 1
    assert selectors.unread_total(bob) == 1


def test_the_read_mark_never_moves_back_nor_past_the_last_message(alice: User, bob: User) -> None:
    conversation, _ = services.start_direct_conversation(alice, bob)
    ids = send_many(alice, conversation, 2)
    assert services.mark_read(bob, conversation, ids[1]) == ids[1]
    assert services.mark_read(bob, conversation, ids[0]) == ids[1]
    assert services.mark_read(bob, conversation, ids[1] + 1000) == ids[1]
    later = services.send_message(alice, conversation, "later")
    assert selectors.unread_total(bob) == 1 and later.pk > ids[1]


def test_unread_total_adds_up_conversations_in_one_query(
    alice: User, bob: User, mona: User, django_assert_num_queries: Any
) -> None:
    direct, _ = services.start_direct_conversation(alice, bob)
    group = services.start_group_conversation(mona, [alice, bob], "Welcome")
    send_many(bob, direct, 2)
    send_many(mona, group, 3)
    with django_assert_num_queries(1):
        assert selectors.unread_total(alice) == 5


def test_inbox_is_most_recent_first_with_a_fixed_number_of_queries(
    alice: User, mona: User, make_member: Callable[..., User], django_assert_num_queries: Any
) -> None:
    conversations = []
    for i in range(6):
        person = make_member(name=f"Person {i}", email=f"p{i}@example.com")
        Profile.objects.filter(user=person).update(message_policy=MessagePolicy.MEMBERS)
        conversation, _ = services.start_direct_conversation(alice, person)
        services.send_message(person, conversation, f"hello {i}")
        conversations.append(conversation)
    services.send_message(alice, conversations[2], "bump")
    with django_assert_num_queries(3):
        entries = selectors.conversations_for(alice)
        titles = [e.title for e in entries]
    assert titles == ["Person 2", "Person 5", "Person 4", "Person 3", "Person 1", "Person 0"]
    # Alice answered Person 2 last (read), and has not read the others.
    assert entries[0].unread == 0 and entries[0].last_message.body == "bump"
    assert [e.unread for e in entries[1:]] == [1] * 5


def test_history_pages_go_back_by_id(alice: User, bob: User) -> None:
    conversation, _ = services.start_direct_conversation(alice, bob)
    ids = send_many(alice, conversation, 7)
    latest = selectors.messages_page(bob, conversation, limit=3)
    assert [m.pk for m in latest.messages] == ids[4:] and latest.has_older
    older = selectors.messages_page(bob, conversation, before=latest.first_id, limit=3)
    assert [m.pk for m in older.messages] == ids[1:4] and older.has_older and older.has_newer
    oldest = selectors.messages_page(bob, conversation, before=older.first_id, limit=3)
    assert [m.pk for m in oldest.messages] == ids[:1] and not oldest.has_older


def test_resync_after_an_id_returns_every_later_message_once_in_order(
    alice: User, bob: User
) -> None:
    conversation, _ = services.start_direct_conversation(alice, bob)
    ids = send_many(alice, conversation, 5) + send_many(bob, conversation, 5, prefix="b")
    received: list[int] = []
    after = ids[2]
    while True:
        page = selectors.messages_page(alice, conversation, after=after, limit=3)
        received += [m.pk for m in page.messages]
        if not page.has_newer:
            break
        after = page.last_id
    assert received == ids[3:]
    assert [
        m.pk for m in selectors.messages_page(alice, conversation, after=0, limit=50).messages
    ] == ids


def test_resync_sees_only_its_own_conversation(alice: User, bob: User, mona: User) -> None:
    direct, _ = services.start_direct_conversation(alice, bob)
    group = services.start_group_conversation(mona, [alice, bob], "Welcome")
    mine = send_many(alice, direct, 2)
    send_many(mona, group, 2)
    assert [m.pk for m in selectors.messages_page(bob, direct, after=0).messages] == mine


def test_a_non_participant_cannot_read_a_conversation(alice: User, bob: User, mona: User) -> None:
    from django.http import Http404

    conversation, _ = services.start_direct_conversation(alice, bob)
    with pytest.raises(Http404):
        selectors.get_conversation_for(mona, conversation.pk)
    with pytest.raises(Http404):
        selectors.messages_page(mona, conversation)
    with pytest.raises(PermissionError):
        services.send_message(mona, conversation, "Let me in")
    with pytest.raises(PermissionError):
        services.mark_read(mona, conversation, 1)


def test_bodies_are_markdown_rendered_and_sanitised(alice: User, bob: User) -> None:
    conversation, _ = services.start_direct_conversation(alice, bob)
    message = services.send_message(alice, conversation, "**hi** <script>alert(1)</script>")
    assert "<strong>hi</strong>" in message.body_html
    assert "<script>" not in message.body_html


@pytest.mark.parametrize("body", ["", "   ", "x" * (services.MAX_BODY + 1)])
def test_empty_or_overlong_bodies_are_refused(alice: User, bob: User, body: str) -> None:
    conversation, _ = services.start_direct_conversation(alice, bob)
    with pytest.raises(ValidationError):
        services.send_message(alice, conversation, body)
    assert not conversation.messages.exists()


def test_sending_is_rate_limited_per_person(
    alice: User, bob: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "SEND_LIMIT", 3)
    conversation, _ = services.start_direct_conversation(alice, bob)
    send_many(alice, conversation, 3)
    with pytest.raises(services.RateLimited) as refused:
        services.send_message(alice, conversation, "one too many")
    assert refused.value.retry_after > 0
    assert conversation.messages.count() == 3
    services.send_message(bob, conversation, "bob has his own budget")


def test_events_are_published_after_commit_to_every_participant(
    alice: User, bob: User, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    sent: list[tuple[str, dict[str, Any]]] = []

    class Layer:
        async def group_send(self, group: str, event: dict[str, Any]) -> None:
            sent.append((group, event))

    monkeypatch.setattr(services, "get_channel_layer", Layer)
    conversation, _ = services.start_direct_conversation(alice, bob)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = services.send_message(alice, conversation, "hello *bob*")
    assert sent == []  # nothing before the commit
    for callback in callbacks:
        callback()
    events = {group: event for group, event in sent if event["type"] == "message.new"}
    assert set(events) == {f"user.{alice.pk}", f"user.{bob.pk}"}
    assert events[f"user.{bob.pk}"] == {
        "type": "message.new",
        "conversation": conversation.pk,
        "id": message.pk,
        "sender": alice.pk,
        "sender_name": "Alice Archer",
        "body_html": "<p>hello <em>bob</em></p>\n",
        "created_at": message.created_at.isoformat(),
    }


def test_the_lean_in_memory_layer_still_expires_and_delivers() -> None:
    import asyncio

    from townsquare.lib.channel_layers import InMemoryChannelLayer

    async def scenario() -> None:
        layer = InMemoryChannelLayer(expiry=60)
        channel = await layer.new_channel()
        await layer.group_add("user.1", channel)
        await layer.group_send("user.1", {"type": "x.test"})
        assert await layer.receive(channel) == {"type": "x.test"}
        layer.groups["user.1"][channel] = 1.0  # joined long ago: past group expiry
        layer._swept_at = 0.0
        await layer.group_send("user.1", {"type": "x.test"})
        assert channel not in layer.groups.get("user.1", {})

    asyncio.run(scenario())


def test_a_notification_for_the_first_message_after_a_quiet_spell_not_one_per_message(
    alice: User, bob: User, django_capture_on_commit_callbacks: Any
) -> None:
    import time_machine

    conversation, _ = services.start_direct_conversation(alice, bob)
    notes = Notification.objects.filter(user=bob, kind="message")
    with time_machine.travel("2026-03-02 09:00 +0000", tick=True) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            ids = send_many(alice, conversation, 3)
            services.send_message(bob, conversation, "answer")
        assert notes.count() == 1 and notes.get().url == f"/messages/{conversation.pk}/"
        assert not Notification.objects.filter(user=alice, kind="message").exists()
        # Reading the conversation clears it; a lively conversation does not notify again…
        services.mark_read(bob, conversation, ids[-1])
        assert not notes.filter(read_at__isnull=True).exists()
        clock.shift(60)
        services.send_message(alice, conversation, "still chatting")
        assert notes.count() == 1
        # …but the first message after a quiet spell does.
        clock.shift(services.QUIET_BEFORE_NOTIFYING.total_seconds() + 1)
        services.send_message(alice, conversation, "are you there?")
        assert notes.filter(read_at__isnull=True).count() == 1
