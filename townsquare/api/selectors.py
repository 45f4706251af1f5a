"""Reads about API tokens: a user only ever sees their own."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from townsquare.api.models import ApiToken
from townsquare.members.selectors import Viewer


def tokens_for(viewer: Viewer) -> QuerySet:
    """The viewer's tokens, newest first, revoked ones included (they explain a 401)."""
    if not viewer.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=viewer.pk).order_by("-created_at", "-pk")


def get_token_for(viewer: Viewer, token_id: int) -> ApiToken:
    """One of the viewer's own tokens; Http404 for anyone else's or a missing one."""
    try:
        return tokens_for(viewer).get(pk=token_id)
    except (ApiToken.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
