"""Template helpers for messaging in shared templates (the navigation, the profile page)."""

from __future__ import annotations

from typing import Any

from django import template

from townsquare.conversations import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_messages(context: dict[str, Any]) -> int:
    """Unread messages of the signed-in viewer (one query; 0 for anyone who cannot message)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not selectors.can_message(user):
        return 0
    return selectors.unread_total(user)


@register.simple_tag(takes_context=True)
def may_message(context: dict[str, Any], member: Any, profile: Any) -> bool:
    """Whether the viewer may start a conversation with this member (no query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return False
    return selectors.may_message_member(user, member, profile)
