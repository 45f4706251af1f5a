"""The unread-notification count the navigation's bell shows on every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from townsquare.conversations.notifications import unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    """`unread_notifications`: one COUNT query, and only if the page shows the bell."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user.pk))}
