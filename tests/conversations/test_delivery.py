"""Delivery: 1,000 messages with random disconnects and reconnects: none lost, none
duplicated, order kept.

A real run through the ASGI stack and the configured channel layer (in-memory here, Redis
when REDIS_URL is set, as in CI's second pass). Alice sends over her socket; Bob's socket
drops at random moments and comes back, and each time resyncs with `after=<last id>`
exactly as live.js/messages.js do: while the resync is answered, live events are held;
then both are applied with the protocol's one rule, "take a message only if its id is above
the last id taken". Events published while Bob is away are lost by the layer on purpose
(at-most-once); the resync must bring every one of them back.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from tests.conversations.live import open_socket, session_cookie
from townsquare.conversations import consumers, services
from townsquare.members.models import User

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGES = 1000
WINDOW = 8  # sends in flight at once


@pytest.fixture(autouse=True)
def _setup(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # One sender pushing 1,000 messages is far beyond a person's limits; lift them.
    monkeypatch.setattr(services, "SEND_LIMIT", 100_000)
    monkeypatch.setattr(consumers, "FRAME_LIMIT", 100_000)
    layer = get_channel_layer()
    if hasattr(layer, "flush"):
        async_to_sync(layer.flush)()
    yield


class Receiver:
    """Bob's tab: applies live events and resync pages by the last-id rule."""

    def __init__(self, conversation_id: int) -> None:
        self.conversation_id = conversation_id
        self.received: list[int] = []
        self.last_id = 0
        self.reconnects = 0
        self.resynced = 0  # messages that came back through a resync

    def take(self, message: dict[str, Any]) -> bool:
        if message["conversation"] != self.conversation_id or message["id"] <= self.last_id:
            return False
        self.received.append(message["id"])
        self.last_id = message["id"]
        return True

    async def session(self, cookie: str, frames_before_drop: int, done: asyncio.Event) -> None:
        """One connection: resync, then live events until it drops (or all is received)."""
        live = await open_socket(cookie)
        held: list[dict[str, Any]] = []
        syncing = True
        await live.send_json_to(
            {"type": "resync", "conversation": self.conversation_id, "after": self.last_id}
        )
        frames = 0
        try:
            while frames < frames_before_drop or syncing:
                if await live.receive_nothing(timeout=0.02, interval=0.005):
                    if done.is_set() and not syncing:
                        return
                    continue
                frame = await live.receive_json_from(timeout=5)
                frames += 1
                if frame["type"] == "message.new":
                    if syncing:
                        held.append(frame)
                    else:
                        self.take(frame)
                elif frame["type"] == "resync":
                    self.resynced += sum(self.take(m) for m in frame["messages"])
                    if frame["more"]:
                        await live.send_json_to(
                            {
                                "type": "resync",
                                "conversation": self.conversation_id,
                                "after": self.last_id,
                            }
                        )
                    else:
                        syncing = False
                        for event in held:
                            self.take(event)
                        held.clear()
        finally:
            await live.disconnect()


def test_a_thousand_messages_with_random_disconnects_none_lost_none_duplicated_in_order(
    alice: User, bob: User
) -> None:
    conversation, _ = services.start_direct_conversation(alice, bob)
    alice_cookie, bob_cookie = session_cookie(alice), session_cookie(bob)
    rng = random.Random(20240601)
    sent: list[int] = []
    receiver = Receiver(conversation.pk)

    async def send_all(done: asyncio.Event) -> None:
        sender = await open_socket(alice_cookie)
        in_flight = 0
        next_index = 0
        acked: dict[str, int] = {}
        while len(acked) < MESSAGES:
            while in_flight < WINDOW and next_index < MESSAGES:
                await sender.send_json_to(
                    {"type": "send", "conversation": conversation.pk,
                     "body": f"message {next_index}", "client_id": str(next_index)}
                )  # fmt: skip
                next_index += 1
                in_flight += 1
            frame = await sender.receive_json_from(timeout=10)
            if frame["type"] == "ack":
                acked[frame["client_id"]] = frame["id"]
                in_flight -= 1
            else:
                assert frame["type"] in ("message.new", "conversation.read"), frame
        await sender.disconnect()
        sent.extend(acked[str(i)] for i in range(MESSAGES))
        done.set()

    async def receive_all(done: asyncio.Event) -> None:
        while not done.is_set() or len(receiver.received) < MESSAGES:
            await receiver.session(bob_cookie, rng.randint(3, 60), done)
            receiver.reconnects += 1
            # Away for a moment: whatever is published now is lost to this tab.
            await asyncio.sleep(rng.uniform(0, 0.05))
            assert receiver.reconnects < 2000, "the receiver is not converging"

    async def scenario() -> None:
        done = asyncio.Event()
        await asyncio.wait_for(asyncio.gather(send_all(done), receive_all(done)), timeout=120)

    started = time.monotonic()
    asyncio.run(scenario())
    elapsed = time.monotonic() - started

    assert len(sent) == MESSAGES and sent == sorted(sent)
    assert receiver.received == sent  # none lost, none duplicated, order kept
    assert receiver.reconnects >= 10  # the disconnects really happened…
    assert receiver.resynced > 0  # …and the resync really brought messages back
    assert list(conversation.messages.values_list("id", flat=True)) == sent
    print(
        f"\n{MESSAGES} messages in {elapsed:.1f}s, {receiver.reconnects} reconnects, {receiver.resynced} by resync"
    )
    assert elapsed < 60, f"took {elapsed:.1f}s"
