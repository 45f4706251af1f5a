"""The authorization matrix of the live socket (/ws/live/): who may open it, from where,
and that it never carries someone else's conversation."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from django.test import override_settings

from tests.conversations.live import close_code, open_socket, receive_until, session_cookie, socket
from townsquare.conversations import services
from townsquare.conversations.consumers import CLOSE_FORBIDDEN, CLOSE_UNAUTHENTICATED
from townsquare.members.models import User

pytestmark = pytest.mark.django_db(transaction=True)

# Role → the close code the socket answers with right after connecting (None: stays open).
EXPECT = {
    "anonymous": CLOSE_UNAUTHENTICATED,
    "applicant": CLOSE_FORBIDDEN,
    "member": None,
    "client": None,
    "manager": None,
    "admin": None,
}


@pytest.mark.parametrize("role", list(EXPECT))
def test_who_may_open_the_live_socket(
    role: str, alice: User, carol: User, mona: User, adam: User, eve: User
) -> None:
    user = {"anonymous": None, "applicant": eve, "member": alice, "client": carol,
            "manager": mona, "admin": adam}[role]  # fmt: skip
    cookie = session_cookie(user) if user is not None else None
    assert asyncio.run(close_code(socket(cookie))) == EXPECT[role]


def test_a_deactivated_account_is_refused(alice: User) -> None:
    cookie = session_cookie(alice)
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert asyncio.run(close_code(socket(cookie))) == CLOSE_UNAUTHENTICATED


def test_a_forged_session_is_anonymous() -> None:
    assert asyncio.run(close_code(socket("not-a-session"))) == CLOSE_UNAUTHENTICATED


def test_another_origin_is_refused_before_the_handshake(alice: User) -> None:
    from townsquare.conversations.routing import websocket_application

    cookie = session_cookie(alice)
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        application = websocket_application()

    async def attempt(origin: str) -> tuple[bool, int | None]:
        communicator = socket(cookie, origin=origin, application=application)
        connected, code = await communicator.connect(timeout=10)
        if connected:
            await communicator.disconnect()
        return connected, code

    assert asyncio.run(attempt("https://evil.example"))[0] is False
    assert asyncio.run(attempt("http://testserver"))[0] is True


def test_a_member_cannot_subscribe_to_a_conversation_they_are_not_in(
    alice: User, bob: User, make_member: Callable[..., User]
) -> None:
    olga = make_member(name="Olga Other")
    conversation, _ = services.start_direct_conversation(alice, bob)
    services.send_message(alice, conversation, "just between us")
    cookies = session_cookie(olga), session_cookie(bob)

    async def scenario() -> None:
        outsider, insider = await open_socket(cookies[0]), await open_socket(cookies[1])
        await outsider.send_json_to({"type": "resync", "conversation": conversation.pk, "after": 0})
        answer = await outsider.receive_json_from(timeout=5)
        assert answer["type"] == "error" and answer["code"] == "not_found"
        # A new message reaches the participant's socket, and nothing reaches the outsider's.
        from channels.db import database_sync_to_async

        await database_sync_to_async(services.send_message)(bob, conversation, "still private")
        assert (await receive_until(insider, "message.new"))["conversation"] == conversation.pk
        assert await outsider.receive_nothing(timeout=0.3)
        await outsider.disconnect()
        await insider.disconnect()

    asyncio.run(scenario())
