from __future__ import annotations

from django.apps import AppConfig


class FabricConfig(AppConfig):
    name = "townsquare.fabric"
    label = "fabric"
    default_auto_field = "django.db.models.BigAutoField"
