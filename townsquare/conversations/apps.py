from __future__ import annotations

from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "townsquare.conversations"
    label = "conversations"
    default_auto_field = "django.db.models.BigAutoField"
