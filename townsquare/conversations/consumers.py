"""The one live socket of a signed-in tab (`/ws/live/`); the protocol is docs/websocket-protocol.md.

Thin on purpose: authenticate, join the user's group, forward what services publish there,
and turn the client's few requests into selector and service calls.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.core.exceptions import ValidationError
from django.db import connections
from django.http import Http404

from townsquare.conversations import selectors, services
from townsquare.conversations.models import Conversation
from townsquare.lib.realtime import user_group

# Close codes (4000-4999 are the application's): the client does not reconnect after these.
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_TOO_MANY = 4429
# Client frames per socket per window before it is closed (sending is also rate-limited per
# person by the service); a resync page answers up to this many messages.
FRAME_LIMIT, FRAME_WINDOW = 120, 10.0
MAX_FRAME = 32 * 1024
RESYNC_PAGE = 200
MAX_ID = 2**63 - 1


def _drop_broken_connections() -> None:
    """Closes database connections that failed, or outlived a positive CONN_MAX_AGE."""
    for conn in connections.all(initialized_only=True):
        max_age = conn.settings_dict.get("CONN_MAX_AGE") or 0
        expired = bool(max_age) and conn.close_at is not None and time.monotonic() >= conn.close_at
        if conn.errors_occurred or expired:
            conn.close_if_unusable_or_obsolete()


def database_call(function: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    """Runs `function` in the consumers' database thread, keeping a healthy connection.

    Channels' `database_sync_to_async` closes the connection around every call when
    CONN_MAX_AGE is 0 (the embedded SQLite default): reopening it (WAL pragmas) made a send
    take 31 ms instead of 6 ms. A socket process makes many small calls, so it keeps its
    connection and drops it only when it failed or has aged out.
    """

    def call(*args: Any) -> Any:
        _drop_broken_connections()
        return function(*args)

    return sync_to_async(call, thread_sensitive=True)


def _id(value: Any) -> int | None:
    """A positive database id from client JSON (bools and floats are not ids)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID:
        return value
    return None


def _cursor(value: Any) -> int | None:
    """Like `_id`, but 0 ("from the beginning") is allowed."""
    return 0 if value == 0 and not isinstance(value, bool) else _id(value)


class LiveConsumer(AsyncWebsocketConsumer):
    """Forwards every event of `user_group(user.id)` to the tab as JSON."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        self.user = None
        self.frames: list[float] = []
        if user is None or not user.is_authenticated:
            await self.accept()
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        if not selectors.can_message(user):
            await self.accept()
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user = user
        self.group = user_group(user.pk)
        # Join before accepting: anything published from now on reaches this socket, so a
        # resync sent after "hello" misses nothing.
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "user": user.pk})

    async def disconnect(self, code: int) -> None:
        if self.user is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def dispatch(self, message: dict[str, Any]) -> None:
        # Group events (message.new, notification.badge, whatever a service publishes to the
        # user's group) go to the client as they are; websocket.* are the socket's own.
        # Frames skip channels' per-message close_old_connections: `database_call` keeps the
        # connection healthy where it is used.
        kind = message.get("type", "")
        if kind == "websocket.receive":
            await self.websocket_receive(message)
        elif kind.startswith("websocket."):
            await super().dispatch(message)
        elif self.user is not None:
            await self.send_json(message)

    async def send_json(self, content: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(content, separators=(",", ":")))

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.user is None:
            return
        now = time.monotonic()
        self.frames = [t for t in self.frames if now - t < FRAME_WINDOW]
        self.frames.append(now)
        if len(self.frames) > FRAME_LIMIT:
            await self.close(code=CLOSE_TOO_MANY)
            return
        if text_data is None or len(text_data) > MAX_FRAME:
            await self.send_json({"type": "error", "code": "invalid", "detail": "Send JSON text."})
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            content = None
        if not isinstance(content, dict):
            await self.send_json(
                {"type": "error", "code": "invalid", "detail": "Send a JSON object."}
            )
            return
        kind = content.get("type")
        handler = {
            "ping": self.on_ping,
            "resync": self.on_resync,
            "send": self.on_send,
            "read": self.on_read,
        }.get(kind if isinstance(kind, str) else "")
        if handler is None:
            await self.send_json({"type": "error", "code": "unknown_type", "request": kind})
            return
        await handler(content)

    async def on_ping(self, content: dict[str, Any]) -> None:
        await self.send_json({"type": "pong"})

    async def on_resync(self, content: dict[str, Any]) -> None:
        conversation_id, after = _id(content.get("conversation")), _cursor(content.get("after"))
        if conversation_id is None or after is None:
            await self.send_json(
                {"type": "error", "code": "invalid", "request": "resync",
                 "detail": "conversation (id) and after (id or 0) are required."}
            )  # fmt: skip
            return
        try:
            messages, more = await database_call(self._resync)(conversation_id, after)
        except Http404:
            await self._not_found("resync", conversation_id)
            return
        await self.send_json(
            {"type": "resync", "conversation": conversation_id, "after": after,
             "messages": messages, "more": more}
        )  # fmt: skip

    def _resync(self, conversation_id: int, after: int) -> tuple[list[dict[str, Any]], bool]:
        conversation = selectors.get_conversation_for(self.user, conversation_id)
        page = selectors.messages_page(self.user, conversation, after=after, limit=RESYNC_PAGE)
        return [dict(services.message_event(m)) for m in page.messages], page.has_newer

    async def on_send(self, content: dict[str, Any]) -> None:
        conversation_id = _id(content.get("conversation"))
        client_id = content.get("client_id")
        client_id = client_id[:64] if isinstance(client_id, str) else None
        body = content.get("body")
        if conversation_id is None or not isinstance(body, str):
            await self.send_json(
                {"type": "error", "code": "invalid", "request": "send", "client_id": client_id,
                 "errors": {"body": ["conversation (id) and body (text) are required."]}}
            )  # fmt: skip
            return
        try:
            message_id = await database_call(self._send)(conversation_id, body)
        except Http404:
            await self._not_found("send", conversation_id, client_id=client_id)
        except services.RateLimited as limited:
            await self.send_json(
                {"type": "error", "code": "rate_limited", "request": "send",
                 "client_id": client_id, "retry_after": limited.retry_after,
                 "detail": str(limited)}
            )  # fmt: skip
        except ValidationError as error:
            errors = (
                {k: list(v) for k, v in error.message_dict.items()}
                if hasattr(error, "error_dict")
                else {"__all__": list(error.messages)}
            )
            await self.send_json(
                {"type": "error", "code": "refused", "request": "send", "client_id": client_id,
                 "errors": errors, "detail": " ".join(m for v in errors.values() for m in v)}
            )  # fmt: skip
        else:
            await self.send_json(
                {"type": "ack", "client_id": client_id, "conversation": conversation_id,
                 "id": message_id}
            )  # fmt: skip

    def _send(self, conversation_id: int, body: str) -> int:
        # send_message checks participation itself (under the row lock): no separate lookup
        # on the hot path; a missing or foreign conversation is the same not_found.
        try:
            return services.send_message(self.user, Conversation(pk=conversation_id), body).pk
        except (PermissionError, Conversation.DoesNotExist):
            raise Http404 from None

    async def on_read(self, content: dict[str, Any]) -> None:
        conversation_id, up_to = _id(content.get("conversation")), _cursor(content.get("up_to"))
        if conversation_id is None or up_to is None:
            await self.send_json(
                {"type": "error", "code": "invalid", "request": "read",
                 "detail": "conversation (id) and up_to (id) are required."}
            )  # fmt: skip
            return
        try:
            await database_call(self._read)(conversation_id, up_to)
        except Http404:
            await self._not_found("read", conversation_id)

    def _read(self, conversation_id: int, up_to: int) -> None:
        conversation = selectors.get_conversation_for(self.user, conversation_id)
        try:
            services.mark_read(self.user, conversation, up_to)
        except PermissionError:
            raise Http404 from None

    async def _not_found(self, request: str, conversation_id: int, **extra: Any) -> None:
        await self.send_json(
            {"type": "error", "code": "not_found", "request": request,
             "conversation": conversation_id, **extra}
        )  # fmt: skip
