"""Snapshots of what the members tests expect a refused request to leave untouched."""

from __future__ import annotations

from typing import Any

from townsquare.members.models import Application, Invitation, Profile, ProfileSkill, User
from townsquare.pulse.models import AuditEntry
from townsquare.skills.models import Skill


def members_state() -> dict[str, Any]:
    """Every row a member write could touch, as plain values (compare before and after)."""
    return {
        "users": list(User.objects.order_by("pk").values()),
        "profiles": list(Profile.objects.order_by("pk").values()),
        "profile_skills": list(ProfileSkill.objects.order_by("pk").values()),
        "skills": list(Skill.objects.order_by("pk").values("pk", "name", "status")),
        "applications": list(Application.objects.order_by("pk").values()),
        "invitations": list(Invitation.objects.order_by("pk").values()),
        "audit": list(AuditEntry.objects.order_by("pk").values()),
    }
