"""The fabric's block on shared templates: Connect / Follow / Block / Ask for an intro."""

from __future__ import annotations

from typing import Any

from django import template

from townsquare.fabric import selectors

register = template.Library()


@register.inclusion_tag("fabric/profile_actions.html", takes_context=True)
def fabric_actions(context: dict[str, Any], member: Any) -> dict[str, Any]:
    """The viewer's actions towards `member` on their profile, without a query.

    Whether they are connected comes with the member from `get_member_for` (its
    `viewer_connected` annotation); pending requests, open introductions and follows are
    shown on the pages these actions lead to, so the profile page keeps its query budget.
    """
    request = context.get("request")
    viewer = getattr(request, "user", None)
    can_act = bool(
        viewer is not None
        and selectors.is_fabric_member(viewer)
        and viewer.pk != member.pk
        and member.role == "member"
    )
    connected = bool(getattr(member, "viewer_connected", False)) if can_act else False
    return {
        "member": member,
        "can_act": can_act,
        "connected": connected,
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }
