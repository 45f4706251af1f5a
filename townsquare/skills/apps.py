from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def load_shipped_taxonomy(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """A fresh database gets the shipped taxonomy (after migrate, and after a test flush)."""
    from townsquare.skills.models import Skill
    from townsquare.skills.services import load_taxonomy, read_shipped_taxonomy

    if not Skill.objects.using(using).exists():
        load_taxonomy(read_shipped_taxonomy())


class SkillsConfig(AppConfig):
    name = "townsquare.skills"
    label = "skills"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(load_shipped_taxonomy, sender=self)
