"""The channel layer for one process (the embedded default and tests)."""

from __future__ import annotations

import time

from channels import layers


class InMemoryChannelLayer(layers.InMemoryChannelLayer):
    """Channels' in-memory layer, sweeping expired messages at most once a second.

    The stock layer walks every channel and group on each send and receive: with 500
    sockets that sweep was a large share of a message's cost in bench/live.py. Expiry is
    60 s for messages and a day for group memberships, so a sweep a second loses nothing.
    """

    _swept_at = 0.0

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._swept_at >= 1.0:
            self._swept_at = now
            super()._clean_expired()
