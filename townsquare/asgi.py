"""ASGI entry point: pages and the API over HTTP, and the live socket at /ws/live/.

Production serves pages through WSGI (`townsquare serve`) and only websockets from this
application (`townsquare serve --asgi`); the embedded default serves both from here.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townsquare.settings")
# Set Django up before anything imports models (the consumers do).
http_application = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402

from townsquare.conversations.routing import websocket_application  # noqa: E402


async def lifespan_application(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Answers the server's startup and shutdown messages: nothing to set up or tear down."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


application = ProtocolTypeRouter(
    {
        "http": http_application,
        "websocket": websocket_application(),
        "lifespan": lifespan_application,
    }
)
