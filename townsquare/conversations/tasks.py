"""Background work for conversations: notification emails and the weekly digest."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from townsquare.conversations import digest
from townsquare.conversations.notifications import KINDS
from townsquare.members.models import User


@task()
def send_notification_email(user_id: int, kind: str, text: str, link: str) -> None:
    """Emails one notification; a member who vanished meanwhile gets nothing."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    preferences_url = settings.SITE_URL + reverse("conversations:notification-preferences")
    context = {
        "user": user,
        "text": text,
        "link": link,
        "kind_label": KINDS.get(kind, ("", False))[0],
        "site_name": settings.SITE_NAME,
        "preferences_url": preferences_url,
    }
    body = render_to_string("conversations/email/notification.txt", context)
    EmailMessage(
        f"{settings.SITE_NAME}: {text}",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
        headers={"List-Unsubscribe": f"<{preferences_url}>"},
    ).send()


@task()
def send_weekly_digest(user_id: int, week: str | None = None) -> str:
    """Sends one member's digest for the week (ISO date of its Monday), at most once."""
    return digest.deliver_digest(user_id, week=date.fromisoformat(week) if week else None)


@task()
def enqueue_weekly_digests() -> int:
    """The weekly sweep, run by the worker: queues one `send_weekly_digest` per member due."""
    return digest.enqueue_weekly_digests()
