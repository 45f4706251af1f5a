"""Websocket routes: one live socket per signed-in tab (docs/websocket-protocol.md)."""

from __future__ import annotations

from typing import Any

from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.urls import path

from townsquare.conversations.consumers import LiveConsumer

websocket_urlpatterns = [
    path("ws/live/", LiveConsumer.as_asgi()),
]


def websocket_application() -> Any:
    """The websocket side of the ASGI app: same-origin only, signed in by the session cookie.

    Built by a function so that tests can build it under other settings (ALLOWED_HOSTS is
    read when the origin validator is made).
    """
    return AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))
