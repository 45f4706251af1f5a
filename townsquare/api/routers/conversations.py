"""Private conversations: list, start, read history, send, mark read.

The websocket (docs/websocket-protocol.md) delivers new messages live; this API is the
same model for scripts and for clients that catch up with `after=<id>`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.responses import Status

from townsquare.api.schemas import ObjectId, errors
from townsquare.conversations import selectors, services
from townsquare.conversations.api_schemas import (
    ConversationIn,
    ConversationListOut,
    ConversationOut,
    MessageIn,
    MessageOut,
    MessagePageOut,
    MessageQuery,
    ReadIn,
    ReadOut,
    conversation_out,
    message_out,
)
from townsquare.conversations.models import Conversation
from townsquare.members.models import User

router = Router()


def _caller(request: HttpRequest) -> User:
    user = request.auth
    if not selectors.can_message(user):
        raise HttpError(403, _("Messages open once your application is approved."))
    return user


def _rate_limited(request: HttpRequest, limited: services.RateLimited) -> HttpResponse:
    from townsquare.api.api import error

    response = error(request, 429, str(limited))
    response["Retry-After"] = str(limited.retry_after)
    return response


@router.get(
    "",
    response={200: ConversationListOut, **errors(401, 403)},
    operation_id="conversations_list",
    summary="Your conversations",
)
def list_conversations(request: HttpRequest) -> dict[str, Any]:
    """Your conversations, most recent first (up to 100), each with its unread count, your
    read mark and its last message."""
    user = _caller(request)
    entries = selectors.conversations_for(user)
    return {
        "results": [conversation_out(e) for e in entries],
        "unread_total": selectors.unread_total(user),
    }


@router.post(
    "",
    response={200: ConversationOut, 201: ConversationOut, **errors(400, 401, 403, 404, 422, 429)},
    operation_id="conversations_create",
    summary="Start a conversation",
)
def create_conversation(request: HttpRequest, payload: ConversationIn) -> Any:
    """One person and no title opens your direct conversation with them (200 when it already
    exists, 201 when new); more people, or a title, start a group conversation (201).

    A person you may not see answers 404; one whose rules refuse you (their message policy,
    client contact, a block) answers 400. See the README for who may message whom.
    """
    user = _caller(request)
    others = [selectors.recipient_for(user, pk) for pk in dict.fromkeys(payload.with_)]
    try:
        if len(others) == 1 and not payload.title.strip():
            conversation, created = services.start_direct_conversation(user, others[0])
        else:
            conversation, created = (
                services.start_group_conversation(user, others, payload.title),
                True,
            )
    except services.RateLimited as limited:
        return _rate_limited(request, limited)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        raise ValidationError({"with": error.messages}) from None
    entry = selectors.inbox_entry_for(user, conversation)
    return Status(201 if created else 200, conversation_out(entry))


def _conversation(user: User, conversation_id: int) -> Conversation:
    return selectors.get_conversation_for(user, conversation_id)


@router.get(
    "/{conversation_id}/messages",
    response={200: MessagePageOut, **errors(401, 403, 404, 422)},
    operation_id="conversations_messages",
    summary="A conversation's messages",
)
def list_messages(
    request: HttpRequest, conversation_id: ObjectId, query: Query[MessageQuery]
) -> dict[str, Any]:
    """Oldest first. Without `after` or `before`: the latest `limit` messages. `before=<id>`
    pages back through history. `after=<id>` is the resync: the first `limit` messages after
    that id; while `has_newer`, ask again from the last id received — every message comes
    once, in order."""
    user = _caller(request)
    conversation = _conversation(user, conversation_id)
    page = selectors.messages_page(
        user, conversation, before=query.before, after=query.after, limit=query.limit
    )
    return {
        "results": [message_out(m) for m in page.messages],
        "has_older": page.has_older,
        "has_newer": page.has_newer,
    }


@router.post(
    "/{conversation_id}/messages",
    response={201: MessageOut, **errors(400, 401, 403, 404, 422, 429)},
    operation_id="conversations_send",
    summary="Send a message",
)
def send_message(request: HttpRequest, conversation_id: ObjectId, payload: MessageIn) -> Any:
    """Stores the message and delivers it live to every participant's open sockets.

    400 when a block stands between you and someone in the conversation; 429 past 30
    messages in 30 seconds (wait for `Retry-After`).
    """
    user = _caller(request)
    conversation = _conversation(user, conversation_id)
    try:
        message = services.send_message(user, conversation, payload.body)
    except services.RateLimited as limited:
        return _rate_limited(request, limited)
    return Status(201, message_out(message))


@router.post(
    "/{conversation_id}/read",
    response={200: ReadOut, **errors(401, 403, 404, 422)},
    operation_id="conversations_read",
    summary="Mark messages read",
)
def mark_read(request: HttpRequest, conversation_id: ObjectId, payload: ReadIn) -> dict[str, Any]:
    """Moves your read mark forward to `up_to` (never back, never past the last message)."""
    user = _caller(request)
    conversation = _conversation(user, conversation_id)
    last_read_id = services.mark_read(user, conversation, payload.up_to)
    return {
        "conversation": conversation.pk,
        "last_read_id": last_read_id,
        "unread_total": selectors.unread_total(user),
    }
