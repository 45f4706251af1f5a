from __future__ import annotations

from django.apps import AppConfig


class PulseConfig(AppConfig):
    name = "townsquare.pulse"
    label = "pulse"
    default_auto_field = "django.db.models.BigAutoField"
