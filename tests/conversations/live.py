"""Helpers for tests that open the live socket through the real ASGI application."""

from __future__ import annotations

import asyncio
import sys
import types
from typing import Any

# channels.testing imports daphne for its live-server test case alone, which these tests do
# not use (granian serves the real thing in tests/test_bench_live_smoke.py): stand in for
# that one module rather than install daphne and Twisted.
try:
    import daphne.testing  # noqa: F401
except ImportError:
    _live = types.ModuleType("channels.testing.live")
    _live.ChannelsLiveServerTestCase = None  # type: ignore[attr-defined]
    sys.modules.setdefault("channels.testing.live", _live)

from channels.testing import WebsocketCommunicator  # noqa: E402
from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from townsquare.members.models import User  # noqa: E402


def session_cookie(user: User) -> str:
    """A real signed-in session for `user` (what the browser's cookie carries)."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def socket(
    cookie: str | None = None, *, origin: str = "http://testserver", application: Any = None
) -> WebsocketCommunicator:
    """A communicator on /ws/live/ through the whole stack (origin check, session auth)."""
    if application is None:
        from townsquare.asgi import application
    headers = [(b"host", b"testserver"), (b"origin", origin.encode())]
    if cookie is not None:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
    return WebsocketCommunicator(application, "/ws/live/", headers=headers)


async def open_socket(cookie: str) -> WebsocketCommunicator:
    """Connects and waits for "hello", after which every event of the user arrives."""
    communicator = socket(cookie)
    connected, _ = await communicator.connect(timeout=10)
    assert connected
    hello = await communicator.receive_json_from(timeout=10)
    assert hello["type"] == "hello"
    return communicator


async def receive_until(
    communicator: WebsocketCommunicator, kind: str, timeout: float = 5
) -> dict[str, Any]:
    """The next frame of type `kind`, skipping others (e.g. badges, read marks)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        frame = await communicator.receive_json_from(timeout=max(0.01, deadline - loop.time()))
        if frame["type"] == kind:
            return frame


async def close_code(communicator: WebsocketCommunicator) -> int | None:
    """Connects and returns the close code the server answers with (None if it stays open)."""
    connected, code = await communicator.connect(timeout=10)
    if not connected:
        return code
    output = await communicator.receive_output(timeout=10)
    if output["type"] == "websocket.close":
        return output.get("code")
    await communicator.disconnect()
    return None
