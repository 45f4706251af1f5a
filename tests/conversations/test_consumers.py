"""The live socket through the real ASGI stack: auth, forwarding, resync, send, read."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from tests.conversations.live import close_code, open_socket, receive_until, session_cookie, socket
from townsquare.conversations import services
from townsquare.conversations.consumers import CLOSE_UNAUTHENTICATED
from townsquare.lib.realtime import publish_now, user_group
from townsquare.members.models import User

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_layer() -> Iterator[None]:
    layer = get_channel_layer()
    if hasattr(layer, "flush"):
        async_to_sync(layer.flush)()
    yield


def test_a_socket_without_a_session_is_closed_as_unauthenticated() -> None:
    assert asyncio.run(close_code(socket())) == CLOSE_UNAUTHENTICATED


def test_events_published_to_the_user_are_forwarded_as_they_are(alice: User) -> None:
    cookie = session_cookie(alice)

    async def scenario() -> None:
        live = await open_socket(cookie)
        layer = get_channel_layer()
        await layer.group_send(
            user_group(alice.pk),
            {"type": "notification.badge", "unread": 3, "text": "Hi", "url": "/x"},
        )
        await layer.group_send(user_group(alice.pk), {"type": "fabric.request", "from": 7})
        assert await live.receive_json_from(timeout=5) == {
            "type": "notification.badge",
            "unread": 3,
            "text": "Hi",
            "url": "/x",
        }
        assert await live.receive_json_from(timeout=5) == {"type": "fabric.request", "from": 7}
        await live.send_json_to({"type": "ping"})
        assert await live.receive_json_from(timeout=5) == {"type": "pong"}
        await live.disconnect()

    asyncio.run(scenario())


def test_a_message_reaches_every_participant_socket_and_no_one_else(
    alice: User, bob: User, mona: User
) -> None:
    conversation, _ = services.start_direct_conversation(alice, bob)
    cookies = {u.pk: session_cookie(u) for u in (alice, bob, mona)}

    async def scenario() -> None:
        sockets = {pk: await open_socket(c) for pk, c in cookies.items()}
        await sockets[alice.pk].send_json_to(
            {
                "type": "send",
                "conversation": conversation.pk,
                "body": "Hello *Bob*",
                "client_id": "c1",
            }
        )
        ack = await receive_until(sockets[alice.pk], "ack")
        assert ack == {
            "type": "ack",
            "client_id": "c1",
            "conversation": conversation.pk,
            "id": ack["id"],
        }
        event = await receive_until(sockets[bob.pk], "message.new")
        assert event["id"] == ack["id"] and event["body_html"] == "<p>Hello <em>Bob</em></p>\n"
        assert event["sender"] == alice.pk and event["sender_name"] == "Alice Archer"
        # The sender's other tabs get it too; mona, not a participant, gets nothing.
        assert (await receive_until(sockets[alice.pk], "message.new"))["id"] == ack["id"]
        assert await sockets[mona.pk].receive_nothing(timeout=0.3)
        for s in sockets.values():
            await s.disconnect()

    asyncio.run(scenario())


def test_resync_answers_missed_messages_in_order(
    alice: User, bob: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "SEND_LIMIT", 1000)
    conversation, _ = services.start_direct_conversation(alice, bob)
    ids = [services.send_message(alice, conversation, f"n{i}").pk for i in range(5)]
    cookie = session_cookie(bob)

    async def scenario() -> None:
        live = await open_socket(cookie)
        await live.send_json_to(
            {"type": "resync", "conversation": conversation.pk, "after": ids[1]}
        )
        answer = await receive_until(live, "resync")
        assert [m["id"] for m in answer["messages"]] == ids[2:]
        assert answer["more"] is False and answer["after"] == ids[1]
        assert answer["messages"][0]["body_html"] == "<p>n2</p>\n"
        await live.disconnect()

    asyncio.run(scenario())


def test_a_member_cannot_resync_send_or_read_someone_elses_conversation(
    alice: User, bob: User, mona: User
) -> None:
    conversation, _ = services.start_direct_conversation(alice, bob)
    services.send_message(alice, conversation, "private")
    cookie = session_cookie(mona)

    async def scenario() -> None:
        live = await open_socket(cookie)
        for frame in (
            {"type": "resync", "conversation": conversation.pk, "after": 0},
            {"type": "send", "conversation": conversation.pk, "body": "hi", "client_id": "x"},
            {"type": "read", "conversation": conversation.pk, "up_to": 1},
        ):
            await live.send_json_to(frame)
            answer = await live.receive_json_from(timeout=5)
            assert answer["type"] == "error" and answer["code"] == "not_found"
            assert "messages" not in answer
        await live.disconnect()

    asyncio.run(scenario())
    assert conversation.messages.count() == 1


def test_send_errors_come_back_with_the_client_id(
    alice: User, bob: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "SEND_LIMIT", 1)
    conversation, _ = services.start_direct_conversation(alice, bob)
    cookie = session_cookie(alice)

    async def scenario() -> None:
        live = await open_socket(cookie)
        await live.send_json_to(
            {"type": "send", "conversation": conversation.pk, "body": "  ", "client_id": "a"}
        )
        empty = await receive_until(live, "error")
        assert (
            empty["code"] == "refused" and empty["client_id"] == "a" and "body" in empty["errors"]
        )
        await live.send_json_to(
            {"type": "send", "conversation": conversation.pk, "body": "one", "client_id": "b"}
        )
        assert (await receive_until(live, "ack"))["client_id"] == "b"
        await live.send_json_to(
            {"type": "send", "conversation": conversation.pk, "body": "two", "client_id": "c"}
        )
        limited = await receive_until(live, "error")
        assert (
            limited["code"] == "rate_limited"
            and limited["client_id"] == "c"
            and limited["retry_after"] > 0
        )
        await live.disconnect()

    asyncio.run(scenario())


def test_malformed_frames_get_an_error_not_a_crash(alice: User) -> None:
    cookie = session_cookie(alice)

    async def scenario() -> None:
        live = await open_socket(cookie)
        for raw in (
            "not json",
            "[1, 2]",
            '{"type": "dance"}',
            '{"type": "resync", "conversation": true, "after": 0}',
        ):
            await live.send_to(text_data=raw)
            answer = await live.receive_json_from(timeout=5)
            assert answer["type"] == "error"
        await live.send_json_to({"type": "ping"})
        assert await live.receive_json_from(timeout=5) == {"type": "pong"}
        await live.disconnect()

    asyncio.run(scenario())


def test_reading_updates_the_readers_other_tabs(alice: User, bob: User) -> None:
    conversation, _ = services.start_direct_conversation(alice, bob)
    message = services.send_message(alice, conversation, "read me")
    cookie = session_cookie(bob)

    async def scenario() -> None:
        tab1, tab2 = await open_socket(cookie), await open_socket(cookie)
        await tab1.send_json_to(
            {"type": "read", "conversation": conversation.pk, "up_to": message.pk}
        )
        for tab in (tab1, tab2):
            read = await receive_until(tab, "conversation.read")
            assert read == {
                "type": "conversation.read",
                "conversation": conversation.pk,
                "last_read_id": message.pk,
                "unread_total": 0,
            }
            await tab.disconnect()

    asyncio.run(scenario())
    assert conversation.participants.get(user=bob).last_read_id == message.pk


def test_a_blocked_participant_gets_nothing(alice: User, bob: User, mona: User) -> None:
    from townsquare.fabric.models import Block

    group = services.start_group_conversation(mona, [alice, bob], "Welcome")
    Block.objects.create(blocker=alice, blocked=bob)
    cookies = (session_cookie(alice), session_cookie(bob))

    async def scenario() -> None:
        alice_socket, bob_socket = await open_socket(cookies[0]), await open_socket(cookies[1])
        await alice_socket.send_json_to(
            {"type": "send", "conversation": group.pk, "body": "hi", "client_id": "x"}
        )
        refused = await receive_until(alice_socket, "error")
        assert refused["code"] == "refused"
        assert await bob_socket.receive_nothing(timeout=0.3)
        await alice_socket.disconnect()
        await bob_socket.disconnect()

    asyncio.run(scenario())


def test_publishing_from_sync_code_reaches_an_open_socket(alice: User) -> None:
    cookie = session_cookie(alice)

    async def scenario() -> None:
        live = await open_socket(cookie)
        from channels.db import database_sync_to_async

        await database_sync_to_async(publish_now)(user_group(alice.pk), {"type": "x.test", "n": 1})
        assert await live.receive_json_from(timeout=5) == {"type": "x.test", "n": 1}
        await live.disconnect()

    asyncio.run(scenario())
