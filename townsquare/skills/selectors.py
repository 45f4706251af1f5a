"""Reads about skills."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import Http404

from townsquare.skills.models import Skill


def pending_skills(viewer: object) -> QuerySet:
    """Free-text skills waiting for a manager, most used first; nothing for anyone else."""
    if not getattr(viewer, "is_manager", False):
        return Skill.objects.none()
    return (
        Skill.objects.filter(status=Skill.Status.PENDING)
        .annotate(holder_count=Count("holders"))
        .select_related("created_by")
        .order_by("-holder_count", "name")
    )


def get_pending_skill_for(viewer: object, skill_id: int) -> Skill:
    try:
        return pending_skills(viewer).get(pk=skill_id)
    except (Skill.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def accepted_skills() -> QuerySet:
    return Skill.objects.filter(status=Skill.Status.ACCEPTED).select_related("category")
