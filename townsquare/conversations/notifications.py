"""Telling members about things: in-app (a live badge) and by email, by their preferences.

`notify()` is the single entry point every app calls. The rest of this module is the
member's side: reading, marking read, and choosing per kind what arrives where.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypedDict

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from townsquare.conversations.models import Notification, NotificationPreference
from townsquare.lib.realtime import publish_on_commit, user_group

# Every kind, with its label and whether email is on when the member has not chosen.
KINDS: dict[str, tuple[str | Promise, bool]] = {
    "connection_request": (_("Someone asks to connect"), True),
    "connection_accepted": (_("Your request to connect was accepted"), False),
    "intro_requested": (_("Someone asks you for an introduction"), True),
    "intro_forwarded": (_("Someone introduces you to a member"), True),
    "intro_accepted": (_("An introduction was accepted"), True),
    "message": (_("New private message"), False),
    "mention": (_("Someone mentioned you"), True),
    "reply": (_("A reply in a thread you take part in"), False),
    "group_invitation": (_("An invitation to a group"), True),
    "digest": (_("The weekly digest"), True),
}
# Kinds that only make sense as email (the digest is a newsletter, not an event).
EMAIL_ONLY = frozenset({"digest"})


class BadgeEvent(TypedDict):
    type: str  # "notification.badge"
    unread: int
    text: str
    url: str


def preference(user_id: int, kind: str) -> tuple[bool, bool]:
    """(in_app, email) for this member and kind, defaults included."""
    row = NotificationPreference.objects.filter(user_id=user_id, kind=kind).first()
    if row is not None:
        return row.in_app and kind not in EMAIL_ONLY, row.email
    return kind not in EMAIL_ONLY, KINDS.get(kind, ("", False))[1]


def unread_count(user_id: int) -> int:
    return Notification.objects.filter(user_id=user_id, read_at__isnull=True).count()


def _publish_badge(user_id: int, *, text: str = "", url: str = "") -> None:
    event: BadgeEvent = {
        "type": "notification.badge",
        "unread": unread_count(user_id),
        "text": text,
        "url": url,
    }
    publish_on_commit(user_group(user_id), dict(event))


@transaction.atomic
def notify(
    recipient: Any, kind: str, *, text: str, url: str = "", actor: Any = None
) -> Notification | None:
    """Records an in-app notification, pushes the badge after commit and queues the email."""
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}")
    in_app, email = preference(recipient.pk, kind)
    note = None
    if in_app:
        note = Notification.objects.create(
            user=recipient,
            kind=kind,
            actor=actor if actor is not None else None,
            text=text,
            url=url,
        )
        _publish_badge(recipient.pk, text=text, url=url)
    if email and recipient.email:
        from townsquare.conversations.tasks import send_notification_email

        link = settings.SITE_URL + url if url.startswith("/") else url
        transaction.on_commit(
            lambda: send_notification_email.enqueue(recipient.pk, kind, text, link)
        )
    return note


# Reading --------------------------------------------------------------------------------


def notifications_for(viewer: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The viewer's own notifications, newest first (nobody sees anyone else's)."""
    if not viewer.is_authenticated:
        return Notification.objects.none()
    rows = Notification.objects.filter(user_id=viewer.pk).select_related("actor")
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-id")


def get_notification_for(viewer: Any, notification_id: int) -> Notification:
    """The viewer's own notification, or Http404 (someone else's is indistinguishable)."""
    try:
        return notifications_for(viewer).get(pk=notification_id)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# Marking read ---------------------------------------------------------------------------


@transaction.atomic
def mark_notification_read(user: Any, notification: Notification) -> None:
    if notification.user_id != user.pk:
        raise PermissionError("not your notification")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
        _publish_badge(user.pk)


@transaction.atomic
def mark_all_notifications_read(user: Any) -> int:
    count = Notification.objects.filter(user_id=user.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if count:
        _publish_badge(user.pk)
    return count


def mark_notifications_read_under(user: Any, url_prefix: str) -> int:
    """Marks read the member's notifications that point into one place (a thread's pages).

    One UPDATE, so no transaction of its own: callers reading a page call it on every view.
    """
    count = Notification.objects.filter(
        user_id=user.pk, read_at__isnull=True, url__startswith=url_prefix
    ).update(read_at=timezone.now())
    if count:
        _publish_badge(user.pk)
    return count


# Preferences ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PreferenceRow:
    """One kind as the preferences page and the API show it."""

    kind: str
    label: str | Promise
    in_app: bool
    email: bool
    email_only: bool


def preferences_for(user: Any) -> list[PreferenceRow]:
    """Every kind with the member's choice or the default, in one query."""
    chosen = {row.kind: row for row in NotificationPreference.objects.filter(user_id=user.pk)}
    rows = []
    for kind, (label, email_default) in KINDS.items():
        row = chosen.get(kind)
        rows.append(
            PreferenceRow(
                kind=kind,
                label=label,
                in_app=(row.in_app if row else True) and kind not in EMAIL_ONLY,
                email=row.email if row else email_default,
                email_only=kind in EMAIL_ONLY,
            )
        )
    return rows


@transaction.atomic
def set_notification_preferences(user: Any, choices: dict[str, tuple[bool, bool]]) -> None:
    """Stores (in_app, email) per kind; kinds left out keep their current choice."""
    unknown = set(choices) - set(KINDS)
    if unknown:
        raise ValueError(f"Unknown notification kinds {sorted(unknown)!r}")
    for kind, (in_app, email) in choices.items():
        NotificationPreference.objects.update_or_create(
            user_id=user.pk,
            kind=kind,
            defaults={"in_app": in_app and kind not in EMAIL_ONLY, "email": email},
        )
