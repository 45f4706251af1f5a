"""Publishing live events: only from services, only after the database commit."""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def user_group(user_id: int) -> str:
    """Every signed-in socket of a user joins this group (badges, messages, requests)."""
    return f"user.{user_id}"


def publish_now(group: str, event: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group, event)


def publish_on_commit(group: str, event: dict[str, Any]) -> None:
    """Sends `event` to `group` once the surrounding transaction has committed.

    Channel layers are at-most-once: clients resync from the database by id, so an event lost
    here costs latency, never data.
    """
    transaction.on_commit(lambda: publish_now(group, event))
