"""The community's skills: suggestions as people type, and one skill with its synonyms."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from townsquare.api.auth import OPTIONAL, OPTIONAL_SECURITY
from townsquare.api.schemas import (
    ObjectId,
    SkillDetailOut,
    SkillSuggestionOut,
    errors,
    skill_out,
)
from townsquare.skills import selectors
from townsquare.skills.services import matcher

router = Router(auth=OPTIONAL)


@router.get(
    "",
    openapi_extra=OPTIONAL_SECURITY,
    response={200: list[SkillSuggestionOut], **errors(401, 422)},
    operation_id="skills_list",
    summary="Suggest skills",
)
def list_skills(
    request: HttpRequest,
    q: str = Query("", max_length=100, description="What someone is typing."),
    limit: int = Query(10, ge=1, le=50),
) -> list[dict[str, Any]]:
    """Accepted skills for what someone is typing: exact names and synonyms first, then names
    that begin with it, then near-misses (typos); then other skills whose name starts with `q`.
    Without `q`, accepted skills by name. Anyone may call it.
    """
    accepted = selectors.accepted_skills()
    if not q.strip():
        return [{**skill_out(s), "matched": s.name} for s in accepted.order_by("name")[:limit]]
    matches = matcher().suggest(q, limit=limit)
    by_id = accepted.in_bulk([m.skill_id for m in matches])
    found = [
        {**skill_out(by_id[m.skill_id]), "matched": m.matched}
        for m in matches
        if m.skill_id in by_id
    ]
    if len(found) < limit:
        # Names that start with the text as written ("Type" → TypeScript) even where the
        # matcher's keys differ, e.g. names with punctuation or spaces.
        more = (
            accepted.filter(name__istartswith=q.strip())
            .exclude(pk__in=[s["id"] for s in found])
            .order_by("name")[: limit - len(found)]
        )
        found += [{**skill_out(s), "matched": s.name} for s in more]
    return found


@router.get(
    "/{skill_id}",
    openapi_extra=OPTIONAL_SECURITY,
    response={200: SkillDetailOut, **errors(401, 404, 422)},
    operation_id="skills_get",
    summary="A skill",
)
def get_skill(request: HttpRequest, skill_id: ObjectId) -> dict[str, Any]:
    """An accepted skill with its category and synonyms; pending ones only for managers."""
    skill = selectors.accepted_skills().prefetch_related("synonyms").filter(pk=skill_id).first()
    if skill is None:
        # Pending skills are members' free text: managers review them, nobody else lists them.
        skill = selectors.get_pending_skill_for(request.auth, skill_id)
    return {**skill_out(skill), "synonyms": [s.name for s in skill.synonyms.all()]}
