"""Writes on private conversations: starting them, sending, reading, leaving.

Who may message whom (`selectors.conversation_refusal` holds the rule, docs/websocket-protocol.md
and the README repeat it):
- applicants (and deactivated accounts) cannot message at all;
- a block, either way, stops everything between two people: no new conversation, and no
  message in any conversation they already share (the refusal is the sender's; the other side
  simply receives nothing);
- community managers and admins may start a conversation with any admitted person, whatever
  their message policy (moderation), but not across a block;
- a member reaches another member as the recipient's `message_policy` says (connections /
  any member / nobody);
- a client reaches a member only when that member opted in to client contact
  (`Profile.client_contact`), and never one whose policy is "nobody"; a client also reaches
  community managers (support), never another client;
- members may start a conversation with a client or a manager (they have no message policy).
The policy governs *starting* a conversation; an existing one goes on until one side blocks
the other or leaves (group and introduction conversations only).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from townsquare.conversations import selectors
from townsquare.conversations.models import Conversation, Message, Notification, Participant
from townsquare.conversations.notifications import mark_notifications_read_under, notify
from townsquare.lib import ratelimit
from townsquare.lib.markdown import render_markdown
from townsquare.lib.realtime import publish_on_commit, user_group
from townsquare.members.models import User

MAX_BODY = 5000
MAX_TITLE = 120
MAX_PARTICIPANTS = 50
# Per person: messages sent (a conversation at typing speed stays far below), and new
# conversations started (what a spammer would need many of).
SEND_SCOPE, SEND_LIMIT, SEND_WINDOW = "message-send", 30, 30
START_SCOPE, START_LIMIT, START_WINDOW = "conversation-start", 30, 60 * 60
# A message notifies its recipients only after the conversation was quiet this long.
QUIET_BEFORE_NOTIFYING = timedelta(minutes=10)


class RateLimited(Exception):
    """Too many messages or new conversations; try again after `retry_after` seconds."""

    def __init__(self, retry_after: int, message: str | None = None) -> None:
        super().__init__(message or _("Too many messages; wait a moment."))
        self.retry_after = retry_after


class MessageEvent(TypedDict):
    """`message.new`: pushed to every active participant's user group after the commit."""

    type: str  # "message.new"
    conversation: int
    id: int
    sender: int
    sender_name: str
    body_html: str
    created_at: str  # ISO 8601, UTC


class ReadEvent(TypedDict):
    """`conversation.read`: to the reader's own sockets, so every tab updates its counts."""

    type: str  # "conversation.read"
    conversation: int
    last_read_id: int
    unread_total: int


def message_event(message: Message, sender_name: str | None = None) -> MessageEvent:
    """The one JSON shape of a message: live events, resync answers and the API share it."""
    return {
        "type": "message.new",
        "conversation": message.conversation_id,
        "id": message.pk,
        "sender": message.sender_id,
        "sender_name": sender_name if sender_name is not None else message.sender.name,
        "body_html": message.body_html,
        "created_at": message.created_at.isoformat(),
    }


def _check_can_message(actor: User) -> None:
    if not selectors.can_message(actor):
        raise PermissionError("Only admitted, active accounts send messages.")


def _check_start(actor: User, other: User) -> None:
    refusal = selectors.conversation_refusal(actor, other)
    if refusal is not None:
        raise ValidationError(refusal)


def _count_start(actor: User) -> None:
    verdict = ratelimit.hit(START_SCOPE, str(actor.pk), START_LIMIT, START_WINDOW)
    if not verdict.allowed:
        raise RateLimited(verdict.retry_after, _("Too many new conversations; try again later."))


def direct_key(a: User, b: User) -> str:
    low, high = sorted((a.pk, b.pk))
    return f"{low}:{high}"


def start_direct_conversation(actor: User, other: User) -> tuple[Conversation, bool]:
    """The one conversation between two people: (conversation, created).

    Steps: refuse roles that cannot message; find the pair's conversation by `direct_key`
    (an existing one opens unless a block stands between them: the policy governs starting);
    otherwise check the recipient's rules, count the start against the rate limit and create
    it with both participants. Two racing starts meet on the unique key.
    """
    _check_can_message(actor)
    if other.pk == actor.pk:
        raise ValidationError(_("You cannot start a conversation with yourself."))
    key = direct_key(actor, other)
    existing = Conversation.objects.filter(direct_key=key).first()
    if existing is not None:
        if selectors.blocked_either_way(actor.pk, [other.pk]):
            raise ValidationError(_("You cannot message this person."))
        return existing, False
    _check_start(actor, other)
    _count_start(actor)
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(
                kind=Conversation.Kind.DIRECT, direct_key=key, created_by=actor
            )
            Participant.objects.bulk_create(
                [
                    Participant(conversation=conversation, user=actor),
                    Participant(conversation=conversation, user=other),
                ]
            )
    except IntegrityError:
        return Conversation.objects.get(direct_key=key), False
    return conversation, True


@transaction.atomic
def start_group_conversation(actor: User, others: Iterable[User], title: str = "") -> Conversation:
    """A new group conversation; the actor must be allowed to start one with each person."""
    _check_can_message(actor)
    people = {u.pk: u for u in others if u.pk != actor.pk}
    if not people:
        raise ValidationError({"with": [_("Choose at least one other person.")]})
    if len(people) + 1 > MAX_PARTICIPANTS:
        raise ValidationError(
            {"with": [_("A conversation has at most %(n)d people.") % {"n": MAX_PARTICIPANTS}]}
        )
    title = (title or "").strip()
    if len(title) > MAX_TITLE:
        raise ValidationError({"title": [_("At most %(n)d characters.") % {"n": MAX_TITLE}]})
    refused = [u for u in people.values() if selectors.conversation_refusal(actor, u)]
    if refused:
        names = ", ".join(sorted(u.name for u in refused))
        raise ValidationError(
            {"with": [_("You cannot start a conversation with: %(names)s.") % {"names": names}]}
        )
    _count_start(actor)
    conversation = Conversation.objects.create(
        kind=Conversation.Kind.GROUP, title=title, created_by=actor
    )
    Participant.objects.bulk_create(
        Participant(conversation=conversation, user_id=pk) for pk in [actor.pk, *people]
    )
    return conversation


@transaction.atomic
def start_intro_conversation(introducer: User, requester: User, target: User) -> Conversation:
    """The three-person conversation of an accepted introduction.

    The introduction's own double opt-in is the permission: no message-policy check here.
    """
    ids = {introducer.pk, requester.pk, target.pk}
    if len(ids) != 3:
        raise ValueError("An introduction joins three different people.")
    conversation = Conversation.objects.create(kind=Conversation.Kind.INTRO, created_by=introducer)
    Participant.objects.bulk_create(
        Participant(conversation=conversation, user_id=pk)
        for pk in (introducer.pk, requester.pk, target.pk)
    )
    return conversation


def _active_participant(actor: User, conversation: Conversation) -> Participant:
    participant = Participant.objects.filter(
        conversation=conversation, user=actor, left_at__isnull=True
    ).first()
    if participant is None:
        raise PermissionError("Not a participant of this conversation.")
    return participant


def send_message(actor: User, conversation: Conversation, body: str) -> Message:
    """Stores a message and pushes it to every active participant once it is committed.

    Steps: refuse roles that cannot message, non-participants and a block between the sender
    and anyone in the conversation; validate the body; count it against the sender's rate
    limit; then, in one transaction, lock the conversation row (so that within a
    conversation ids are committed in order and a resync by id never skips one), insert,
    move the conversation's time and the sender's read mark, notify recipients when the
    conversation had been quiet, and publish `message.new` after commit.

    This is the hot path of live messaging (bench/live.py): a handful of small queries,
    no model instances it does not need.
    """
    _check_can_message(actor)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Write a message first.")]})
    if len(body) > MAX_BODY:
        raise ValidationError({"body": [_("At most %(n)d characters.") % {"n": MAX_BODY}]})
    body_html = render_markdown(body)
    with transaction.atomic():
        # Locks the row on PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers.
        locked = (
            Conversation.objects.select_for_update()
            .only("id", "last_message_at")
            .get(pk=conversation.pk)
        )
        rows = list(
            Participant.objects.filter(conversation_id=locked.pk, left_at__isnull=True).values_list(
                "id", "user_id"
            )
        )
        sender_row = next((row_id for row_id, user_id in rows if user_id == actor.pk), None)
        if sender_row is None:
            raise PermissionError("Not a participant of this conversation.")
        others = [user_id for _row_id, user_id in rows if user_id != actor.pk]
        if selectors.blocked_either_way(actor.pk, others):
            raise ValidationError(_("You cannot send messages in this conversation."))
        verdict = ratelimit.hit(SEND_SCOPE, str(actor.pk), SEND_LIMIT, SEND_WINDOW)
        if not verdict.allowed:
            raise RateLimited(verdict.retry_after)
        message = Message.objects.create(
            conversation_id=locked.pk, sender=actor, body=body, body_html=body_html
        )
        Conversation.objects.filter(pk=locked.pk).update(last_message_at=message.created_at)
        # Answering means having read what came before.
        Participant.objects.filter(pk=sender_row).update(last_read_id=message.pk)
        quiet = locked.last_message_at is None or (
            message.created_at - locked.last_message_at >= QUIET_BEFORE_NOTIFYING
        )
        if quiet and others:
            _notify_recipients(actor, locked, others)
        event = message_event(message, sender_name=actor.name)
        _publish_on_commit_to([user_id for _row_id, user_id in rows], event)
    conversation.last_message_at = message.created_at
    return message


def _publish_on_commit_to(user_ids: list[int], event: MessageEvent) -> None:
    """`publish_on_commit` to several people at once: one hop to the channel layer per
    message instead of one per participant. Publishing runs in the committing thread and
    waits for the event loop each hop; on the live hot path (bench/live.py) halving the hops
    halved the median delivery time."""
    groups = [user_group(pk) for pk in user_ids]

    async def send_all() -> None:
        layer = get_channel_layer()
        if layer is not None:
            for group in groups:
                await layer.group_send(group, dict(event))

    transaction.on_commit(lambda: async_to_sync(send_all)())


def _notify_recipients(actor: User, conversation: Conversation, user_ids: list[int]) -> None:
    """An in-app notification for the first message after a quiet spell, not one per message:
    a lively conversation shows in the unread count of the navigation instead. Recipients who
    already have an unread message notification get no second one."""
    pending = set(
        Notification.objects.filter(
            user_id__in=user_ids, kind="message", read_at__isnull=True
        ).values_list("user_id", flat=True)
    )
    url = reverse("conversations:conversation", kwargs={"conversation_id": conversation.pk})
    for user in User.objects.filter(pk__in=set(user_ids) - pending, is_active=True):
        notify(
            user,
            "message",
            text=_("New message from %(name)s") % {"name": actor.name},
            url=url,
            actor=actor,
        )


@transaction.atomic
def mark_read(actor: User, conversation: Conversation, up_to_id: int) -> int:
    """Moves the actor's read mark forward to `up_to_id` (never back, never past the last
    message) and clears this conversation's message notifications. Returns the mark."""
    participant = _active_participant(actor, conversation)
    last = conversation.messages.aggregate(last=Max("id"))["last"] or 0
    target = max(0, min(int(up_to_id), last))
    moved = target > participant.last_read_id
    if moved:
        Participant.objects.filter(pk=participant.pk, last_read_id__lt=target).update(
            last_read_id=target
        )
    url = reverse("conversations:conversation", kwargs={"conversation_id": conversation.pk})
    mark_notifications_read_under(actor, url)  # publishes the badge when it clears any
    if moved:
        read: ReadEvent = {
            "type": "conversation.read",
            "conversation": conversation.pk,
            "last_read_id": target,
            "unread_total": selectors.unread_total(actor),
        }
        publish_on_commit(user_group(actor.pk), dict(read))
    return max(target, participant.last_read_id)


@transaction.atomic
def leave_conversation(actor: User, conversation: Conversation) -> None:
    """Leaves a group or introduction conversation: no more messages, no more access.

    A direct conversation cannot be left: blocking the other person ends it.
    """
    participant = _active_participant(actor, conversation)
    if conversation.kind == Conversation.Kind.DIRECT:
        raise ValidationError(
            _("A conversation between two people cannot be left; block the person to end it.")
        )
    Participant.objects.filter(pk=participant.pk).update(left_at=timezone.now())
