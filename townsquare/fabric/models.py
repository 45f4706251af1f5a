"""Ties between members (the services and views that weave them come with the fabric work)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Connection(models.Model):
    """A mutual connection, stored once with the lower user id first."""

    member_a = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    member_b = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member_a", "member_b"], name="fabric_connection_pair"),
            models.CheckConstraint(
                condition=models.Q(member_a__lt=models.F("member_b")),
                name="fabric_connection_ordered",
            ),
        ]
        indexes = [models.Index(fields=["member_b", "member_a"])]

    def __str__(self) -> str:
        return f"{self.member_a_id} ↔ {self.member_b_id}"
