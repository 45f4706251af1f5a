"""Telling members about things: in-app (a live badge) and by email, by their preferences."""

from __future__ import annotations

from typing import Any, TypedDict

from django.conf import settings
from django.db import transaction

from townsquare.conversations.models import Notification, NotificationPreference
from townsquare.lib.realtime import publish_on_commit, user_group

# Every kind, with its label and whether email is on when the member has not chosen.
KINDS: dict[str, tuple[str, bool]] = {
    "connection_request": ("Someone asks to connect", True),
    "connection_accepted": ("Your request to connect was accepted", False),
    "intro_requested": ("Someone asks you for an introduction", True),
    "intro_forwarded": ("Someone introduces you to a member", True),
    "intro_accepted": ("An introduction was accepted", True),
    "message": ("New private message", False),
    "mention": ("Someone mentioned you", True),
    "reply": ("A reply in a thread you take part in", False),
    "group_invitation": ("An invitation to a group", True),
    "digest": ("The weekly digest", True),
}


class BadgeEvent(TypedDict):
    type: str  # "notification.badge"
    unread: int
    text: str
    url: str


def preference(user_id: int, kind: str) -> tuple[bool, bool]:
    """(in_app, email) for this member and kind, defaults included."""
    row = NotificationPreference.objects.filter(user_id=user_id, kind=kind).first()
    if row is not None:
        return row.in_app, row.email
    return True, KINDS.get(kind, ("", False))[1]


def unread_count(user_id: int) -> int:
    return Notification.objects.filter(user_id=user_id, read_at__isnull=True).count()


@transaction.atomic
def notify(recipient: Any, kind: str, *, text: str, url: str = "", actor: Any = None) -> Notification | None:
    """Records an in-app notification, pushes the badge after commit and queues the email."""
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}")
    in_app, email = preference(recipient.pk, kind)
    note = None
    if in_app:
        note = Notification.objects.create(
            user=recipient, kind=kind, actor=actor if actor is not None else None, text=text, url=url
        )
        event: BadgeEvent = {
            "type": "notification.badge",
            "unread": unread_count(recipient.pk),
            "text": text,
            "url": url,
        }
        publish_on_commit(user_group(recipient.pk), dict(event))
    if email and recipient.email:
        from townsquare.conversations.tasks import send_notification_email

        link = settings.SITE_URL + url if url.startswith("/") else url
        transaction.on_commit(
            lambda: send_notification_email.enqueue(recipient.pk, kind, text, link)
        )
    return note
