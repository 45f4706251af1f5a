"""Each process's skill matcher follows the accepted skills, even across a cleared cache."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import cache

from townsquare.members.models import User
from townsquare.skills.models import Skill
from townsquare.skills.services import _VERSION_KEY, accept_skill, find_skill, resolve_skill


def test_the_matcher_sees_skills_accepted_after_the_cache_was_cleared(
    alice: User,
    mona: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    first = resolve_skill("Qwik City", actor=alice)
    second = resolve_skill("Astro DB", actor=alice)
    with django_capture_on_commit_callbacks(execute=True):
        accept_skill(mona, first)
    assert find_skill("qwik city") == first  # this process's matcher, built just now
    assert find_skill("astro db") is None

    # The cache restarts and forgets the matcher version; then another skill is accepted.
    # A version counter would start again and reach the very number this process built
    # at, so the process would never notice.
    cache.delete(_VERSION_KEY)  # what a restart (or FLUSHDB) does to it
    with django_capture_on_commit_callbacks(execute=True):
        accept_skill(mona, second)

    assert find_skill("astro db") == second
    assert Skill.objects.filter(status=Skill.Status.PENDING).count() == 0
