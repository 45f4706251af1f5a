"""Reads on private conversations, each taking the viewer and returning only what they may see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from townsquare.conversations.models import Conversation, Message, Participant
from townsquare.fabric.models import Block, Connection
from townsquare.members.models import MessagePolicy, Profile, Role, User

Viewer = User | AnonymousUser
PAGE_SIZE = 50
MAX_PAGE = 200
INBOX_SIZE = 100


def can_message(user: Viewer) -> bool:
    """Signed in, active and admitted: applicants and deactivated accounts cannot message."""
    return bool(user.is_authenticated and user.is_active and user.admitted_at is not None)


def blocked_either_way(user_id: int, other_ids: list[int]) -> bool:
    """Whether a block stands between `user_id` and any of `other_ids`, whoever made it."""
    if not other_ids:
        return False
    return Block.objects.filter(
        Q(blocker_id=user_id, blocked_id__in=other_ids)
        | Q(blocked_id=user_id, blocker_id__in=other_ids)
    ).exists()


def _connected(a: User, b: User) -> bool:
    low, high = sorted((a.pk, b.pk))
    return Connection.objects.filter(member_a_id=low, member_b_id=high).exists()


def policy_refusal(
    actor: User, other: User, profile: Profile | None, connected: Callable[[], bool]
) -> str | None:
    """The message-policy part of the rule (no blocks): why `actor` may not start a
    conversation with `other`, or None. `profile` is the recipient's when they are a member;
    `connected` is asked only when the answer depends on it."""
    refused = _("This person does not accept messages from you.")
    if actor.is_manager:
        return None  # managers reach everyone for moderation (but not across a block)
    if other.role != Role.MEMBER or profile is None:
        # Clients, managers and admins have no message policy. Clients do not reach clients.
        if actor.role == Role.CLIENT and other.role == Role.CLIENT:
            return refused
        return None
    if profile.message_policy == MessagePolicy.NOBODY:
        return _("This member does not accept new conversations.")
    if actor.role == Role.CLIENT:
        return None if profile.client_contact else _("This member is not open to clients.")
    if profile.message_policy == MessagePolicy.MEMBERS:
        return None
    if connected():
        return None
    return _("This member accepts messages from their connections only.")


def conversation_refusal(actor: User, other: User) -> str | None:
    """Why `actor` may not start a conversation with `other`, or None when they may."""
    refused = _("You cannot message this person.")
    if not can_message(actor):
        return refused
    if other.pk == actor.pk or not (other.is_active and other.admitted_at is not None):
        return refused
    if blocked_either_way(actor.pk, [other.pk]):
        return refused
    profile = (
        Profile.objects.filter(user_id=other.pk).first() if other.role == Role.MEMBER else None
    )
    return policy_refusal(actor, other, profile, lambda: _connected(actor, other))


def may_message_member(viewer: Viewer, member: User, profile: Profile) -> bool:
    """For the profile page's button, with no query: `member` comes from `get_member_for`,
    which already annotated the connection (and hid the profile across a block)."""
    if not isinstance(viewer, User) or not can_message(viewer) or viewer.pk == member.pk:
        return False
    annotated = getattr(member, "viewer_connected", None)

    def connected() -> bool:
        return bool(annotated) if annotated is not None else _connected(viewer, member)

    return policy_refusal(viewer, member, profile, connected) is None


def recipient_for(viewer: Viewer, user_id: int) -> User:
    """Someone the viewer may name as a recipient: a member whose profile they may see, or an
    admitted client, manager or admin; Http404 for anyone else (unknown or hidden alike)."""
    from townsquare.members.selectors import get_member_for

    user = User.objects.filter(pk=user_id, is_active=True, admitted_at__isnull=False).first()
    if user is None:
        raise Http404
    if user.role == Role.MEMBER:
        return get_member_for(viewer, user_id)
    if isinstance(viewer, User) and blocked_either_way(viewer.pk, [user.pk]):
        raise Http404
    return user


# Conversations ---------------------------------------------------------------------------


@dataclass
class InboxEntry:
    """One conversation as its participant sees it in the inbox."""

    conversation: Conversation
    unread: int
    last_read_id: int
    others: list[User] = field(default_factory=list)
    last_message: Message | None = None

    @property
    def title(self) -> str:
        if self.conversation.title:
            return self.conversation.title
        names = ", ".join(u.name for u in self.others)
        return names or _("Only you")


def _unread_subquery(viewer_id: int) -> Subquery:
    """Messages after the participant's read mark, not their own; for Participant rows."""
    return Subquery(
        Message.objects.filter(
            conversation_id=OuterRef("conversation_id"), id__gt=OuterRef("last_read_id")
        )
        .exclude(sender_id=viewer_id)
        .order_by()
        .values("conversation_id")
        .annotate(n=Count("id"))
        .values("n"),
        output_field=IntegerField(),
    )


def conversations_for(viewer: Viewer, limit: int = INBOX_SIZE) -> list[InboxEntry]:
    """The viewer's conversations, most recent first, with unread counts (three queries:
    conversations with counts, their last messages, the other participants)."""
    return _inbox(viewer, limit)


def inbox_entry_for(viewer: Viewer, conversation: Conversation) -> InboxEntry:
    """One conversation as `conversations_for` shows it; Http404 for a non-participant."""
    entries = _inbox(viewer, 1, conversation_id=conversation.pk)
    if not entries:
        raise Http404
    return entries[0]


def _inbox(viewer: Viewer, limit: int, conversation_id: int | None = None) -> list[InboxEntry]:
    if not can_message(viewer):
        return []
    last_id = Subquery(
        Message.objects.filter(conversation_id=OuterRef("conversation_id"))
        .order_by("-id")
        .values("id")[:1]
    )
    rows = list(
        Participant.objects.filter(user_id=viewer.pk, left_at__isnull=True)
        .filter(**({"conversation_id": conversation_id} if conversation_id else {}))
        .select_related("conversation")
        .annotate(unread=Coalesce(_unread_subquery(viewer.pk), Value(0)), last_id=last_id)
        .order_by(F("conversation__last_message_at").desc(nulls_last=True), "-conversation_id")[
            :limit
        ]
    )
    if not rows:
        return []
    ids = [r.conversation_id for r in rows]
    last_messages = {
        m.conversation_id: m
        for m in Message.objects.filter(
            id__in=[r.last_id for r in rows if r.last_id]
        ).select_related("sender")
    }
    others: dict[int, list[User]] = {pk: [] for pk in ids}
    for p in (
        Participant.objects.filter(conversation_id__in=ids, left_at__isnull=True)
        .exclude(user_id=viewer.pk)
        .select_related("user")
        .order_by("id")
    ):
        others[p.conversation_id].append(p.user)
    return [
        InboxEntry(
            conversation=r.conversation,
            unread=r.unread,
            last_read_id=r.last_read_id,
            others=others[r.conversation_id],
            last_message=last_messages.get(r.conversation_id),
        )
        for r in rows
    ]


def get_conversation_for(viewer: Viewer, conversation_id: Any) -> Conversation:
    """The conversation if the viewer takes part in it; Http404 otherwise (missing or not
    theirs alike). The viewer's Participant row comes along as `membership`."""
    if not can_message(viewer):
        raise Http404
    try:
        participant = Participant.objects.select_related("conversation").get(
            conversation_id=int(conversation_id), user_id=viewer.pk, left_at__isnull=True
        )
    except (Participant.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    conversation = participant.conversation
    conversation.membership = participant  # type: ignore[attr-defined]
    return conversation


def participants_of(viewer: Viewer, conversation: Conversation) -> list[User]:
    """The active participants (the viewer included), in the order they joined."""
    _require_participant(viewer, conversation)
    return [
        p.user
        for p in Participant.objects.filter(conversation=conversation, left_at__isnull=True)
        .select_related("user")
        .order_by("id")
    ]


def _require_participant(viewer: Viewer, conversation: Conversation) -> None:
    membership = getattr(conversation, "membership", None)
    if membership is None or membership.user_id != getattr(viewer, "pk", None):
        get_conversation_for(viewer, conversation.pk)


def send_refusal(viewer: Viewer, conversation: Conversation) -> str | None:
    """Why the viewer cannot send in this conversation now (a block), or None."""
    _require_participant(viewer, conversation)
    others = list(
        Participant.objects.filter(conversation=conversation, left_at__isnull=True)
        .exclude(user_id=viewer.pk)
        .values_list("user_id", flat=True)
    )
    if blocked_either_way(viewer.pk, others):
        return _("You cannot send messages in this conversation.")
    return None


@dataclass(frozen=True)
class MessagePage:
    """Messages in id order, and whether there are more before or after them."""

    messages: list[Message]
    has_older: bool
    has_newer: bool

    @property
    def first_id(self) -> int | None:
        return self.messages[0].pk if self.messages else None

    @property
    def last_id(self) -> int | None:
        return self.messages[-1].pk if self.messages else None


def messages_page(
    viewer: Viewer,
    conversation: Conversation,
    *,
    before: int | None = None,
    after: int | None = None,
    limit: int = PAGE_SIZE,
) -> MessagePage:
    """A page of history by id (one query).

    - neither: the latest `limit` messages;
    - `before`: the `limit` messages just before that id (older pages);
    - `after`: the first `limit` messages after that id (resync: ask again from the last id
      received while `has_newer`; every message comes once, in order).
    """
    _require_participant(viewer, conversation)
    limit = max(1, min(int(limit), MAX_PAGE))
    qs = Message.objects.filter(conversation=conversation).select_related("sender")
    if after is not None:
        qs = qs.filter(id__gt=after)
    if before is not None:
        qs = qs.filter(id__lt=before)
    if after is not None:
        rows = list(qs.order_by("id")[: limit + 1])
        more = len(rows) > limit
        rows = rows[:limit]
        return MessagePage(messages=rows, has_older=after > 0, has_newer=more)
    rows = list(qs.order_by("-id")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    rows.reverse()
    return MessagePage(messages=rows, has_older=more, has_newer=before is not None)


def unread_total(viewer: Viewer) -> int:
    """Unread messages across the viewer's conversations, for the navigation (one query)."""
    if not can_message(viewer):
        return 0
    total = (
        Participant.objects.filter(user_id=viewer.pk, left_at__isnull=True)
        .annotate(unread=Coalesce(_unread_subquery(viewer.pk), Value(0)))
        .aggregate(total=Coalesce(Sum("unread"), Value(0)))
    )
    return int(total["total"])
