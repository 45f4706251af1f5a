from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MembersConfig(AppConfig):
    name = "townsquare.members"
    label = "members"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from townsquare.lib.dbtriggers import repair_after_migrate

        post_migrate.connect(repair_after_migrate, sender=self)
