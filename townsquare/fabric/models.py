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


class ConnectionRequest(models.Model):
    """A request to connect; becomes a Connection when the recipient accepts."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_connection_requests"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="received_connection_requests",
    )
    note = models.TextField(blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "recipient"],
                condition=models.Q(status="pending"),
                name="fabric_one_pending_request_per_pair",
            ),
            models.CheckConstraint(
                condition=~models.Q(sender=models.F("recipient")), name="fabric_request_not_self"
            ),
        ]
        indexes = [models.Index(fields=["recipient", "status"])]

    def __str__(self) -> str:
        return f"{self.sender_id} → {self.recipient_id} ({self.status})"


class Follow(models.Model):
    """One member following another's public activity (one-way)."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="following"
    )
    followee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followers"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="fabric_follow_once"),
            models.CheckConstraint(
                condition=~models.Q(follower=models.F("followee")), name="fabric_follow_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.follower_id} follows {self.followee_id}"


class Block(models.Model):
    """A block hides both people from each other, ends their connection and stops messages."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_made"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_received"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="fabric_block_once"),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")), name="fabric_block_not_self"
            ),
        ]
        indexes = [models.Index(fields=["blocked", "blocker"])]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


class GraphChange(models.Model):
    """The change sequence of the connection graph: engines in every process replay it."""

    member_a = models.BigIntegerField()
    member_b = models.BigIntegerField()
    added = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.pk} {'+' if self.added else '-'}{self.member_a}-{self.member_b}"


class Introduction(models.Model):
    """A warm introduction along the shortest path: requester → introducer → target."""

    class Status(models.TextChoices):
        ASKED = "asked", "Waiting for the introducer"
        FORWARDED = "forwarded", "Forwarded to the target"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined by the target"
        NOT_FORWARDED = "not_forwarded", "Not forwarded"
        WITHDRAWN = "withdrawn", "Withdrawn"

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intros_requested"
    )
    introducer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intros_to_make"
    )
    target = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intros_received"
    )
    path = models.JSONField(default=list, help_text="Member ids from requester to target.")
    request_note = models.TextField(blank=True, default="")
    forward_note = models.TextField(blank=True, default="")
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.ASKED)
    # Set when a community manager proposed this introduction to weave the fabric.
    woven_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    conversation = models.ForeignKey(
        "conversations.Conversation", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["requester", "target"],
                condition=models.Q(status__in=["asked", "forwarded"]),
                name="fabric_one_open_intro_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"Intro {self.requester_id} → {self.target_id} via {self.introducer_id}"


class SuggestionDismissal(models.Model):
    """A person the member does not want suggested again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    suggested = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "suggested"], name="fabric_dismiss_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} dismissed {self.suggested_id}"


class FabricSnapshot(models.Model):
    """The fabric's figures on one day, for growth over time."""

    day = models.DateField(unique=True)
    members = models.PositiveIntegerField()
    ties = models.PositiveIntegerField()
    average_degree = models.FloatField()
    clustering = models.FloatField()
    isolated_share = models.FloatField(help_text="Share of members with no connection.")
    weak_share = models.FloatField(help_text="Share of members with at most one connection.")
    communities = models.PositiveIntegerField()
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"Fabric on {self.day}"
