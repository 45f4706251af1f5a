"""The API's schemas for private conversations, and the functions that fill them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from townsquare.api.schemas import InputSchema, ObjectId
from townsquare.conversations.models import Message
from townsquare.conversations.selectors import MAX_PAGE, PAGE_SIZE, InboxEntry
from townsquare.conversations.services import MAX_BODY, MAX_PARTICIPANTS, MAX_TITLE
from townsquare.members.models import User


class ParticipantOut(Schema):
    id: int
    name: str
    role: str


class MessageOut(Schema):
    """The same shape as the websocket's `message.new` event, without `type`."""

    id: int
    conversation: int
    sender: int
    sender_name: str
    body: str = Field(description="As written (Markdown).")
    body_html: str = Field(description="Rendered and sanitised.")
    created_at: datetime


class ConversationOut(Schema):
    id: int
    kind: Literal["direct", "group", "intro"]
    title: str = Field(description="The group's title, or the other participants' names.")
    participants: list[ParticipantOut] = Field(description="The others, not you.")
    unread: int
    last_read_id: int = Field(description="Your read mark: messages up to this id are read.")
    last_message: MessageOut | None
    last_message_at: datetime | None
    created_at: datetime


class ConversationListOut(Schema):
    results: list[ConversationOut]
    unread_total: int


class ConversationIn(InputSchema):
    """One person and no title: the direct conversation with them (opened if it exists)."""

    with_: list[ObjectId] = Field(
        alias="with",
        min_length=1,
        max_length=MAX_PARTICIPANTS - 1,
        description="Ids of the other people (members, clients or managers).",
    )
    title: str = Field("", max_length=MAX_TITLE, description="Makes it a group conversation.")


class MessageIn(InputSchema):
    body: str = Field(min_length=1, max_length=MAX_BODY, description="Markdown.")


class MessageQuery(Schema):
    after: int | None = Field(
        None, ge=0, le=2**63 - 1, description="Messages after this id, oldest first (resync)."
    )
    before: int | None = Field(
        None, ge=1, le=2**63 - 1, description="Messages before this id (older pages)."
    )
    limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE)


class MessagePageOut(Schema):
    results: list[MessageOut] = Field(description="Oldest first.")
    has_older: bool
    has_newer: bool = Field(description="With `after`: ask again from the last id.")


class ReadIn(InputSchema):
    up_to: int = Field(ge=0, le=2**63 - 1, description="The last message id you have seen.")


class ReadOut(Schema):
    conversation: int
    last_read_id: int
    unread_total: int


def message_out(message: Message) -> dict[str, Any]:
    return {
        "id": message.pk,
        "conversation": message.conversation_id,
        "sender": message.sender_id,
        "sender_name": message.sender.name,
        "body": message.body,
        "body_html": message.body_html,
        "created_at": message.created_at,
    }


def _person(user: User) -> dict[str, Any]:
    return {"id": user.pk, "name": user.name, "role": user.role}


def conversation_out(entry: InboxEntry) -> dict[str, Any]:
    conversation = entry.conversation
    return {
        "id": conversation.pk,
        "kind": conversation.kind,
        "title": entry.title,
        "participants": [_person(u) for u in entry.others],
        "unread": entry.unread,
        "last_read_id": entry.last_read_id,
        "last_message": message_out(entry.last_message) if entry.last_message else None,
        "last_message_at": conversation.last_message_at,
        "created_at": conversation.created_at,
    }
