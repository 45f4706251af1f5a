"""Canonical skills, their categories and the synonyms people type for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Domain(models.TextChoices):
    ENGINEERING = "engineering", _("Engineering")
    DATA = "data", _("Data")
    DESIGN = "design", _("Design")
    PRODUCT = "product", _("Product")
    MARKETING = "marketing", _("Marketing")
    OTHER = "other", _("Other")


class SkillCategory(models.Model):
    """A grouping of skills inside a domain ("Backend" in engineering)."""

    name = models.CharField(max_length=80, unique=True)
    domain = models.CharField(max_length=20, choices=Domain.choices)

    class Meta:
        ordering = ["domain", "name"]
        verbose_name_plural = "skill categories"

    def __str__(self) -> str:
        return self.name


class Skill(models.Model):
    """A canonical skill; pending ones came from free text and await a manager."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        PENDING = "pending", _("Pending review")

    name = models.CharField(max_length=100)
    key = models.CharField(max_length=100, unique=True, help_text="normalise_key(name)")
    category = models.ForeignKey(
        SkillCategory, null=True, blank=True, on_delete=models.SET_NULL, related_name="skills"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACCEPTED)
    external_uri = models.CharField(max_length=300, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["external_uri"],
                condition=~models.Q(external_uri=""),
                name="skills_skill_external_uri_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name


class SkillSynonym(models.Model):
    """Another name for a skill ("k8s" for Kubernetes); keys are unique across all skills."""

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="synonyms")
    name = models.CharField(max_length=100)
    key = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
