"""Background work for conversations: notification emails (the digest joins it)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from townsquare.members.models import User


@task()
def send_notification_email(user_id: int, kind: str, text: str, link: str) -> None:
    """Emails one notification; a member who vanished meanwhile gets nothing."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    body = f"{text}\n\n{link}\n\nChange what we email you: {settings.SITE_URL}/me/notifications/\n"
    send_mail(f"{settings.SITE_NAME}: {text}", body, settings.DEFAULT_FROM_EMAIL, [user.email])
