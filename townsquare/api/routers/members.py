"""The member directory and members' profiles, as the caller may see them."""

from __future__ import annotations

import math
from typing import Any

from django.core.paginator import EmptyPage, Paginator
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from townsquare.api.auth import OPTIONAL, OPTIONAL_SECURITY
from townsquare.api.schemas import (
    DirectoryQuery,
    MemberPageOut,
    MemberProfileOut,
    ObjectId,
    errors,
    member_listing_out,
    member_profile_out,
)
from townsquare.members import selectors
from townsquare.skills.services import find_skill

router = Router()


def _filters(query: DirectoryQuery) -> selectors.DirectoryFilters:
    """The shared DirectoryFilters, with the page form's cross-field rules."""
    problems = [
        {
            "loc": ["query", high],
            "msg": _("Must not be below the lower bound."),
            "type": "value_error",
        }
        for low, high in (("rate_min", "rate_max"), ("tz_min", "tz_max"))
        if getattr(query, low) is not None
        and getattr(query, high) is not None
        and getattr(query, low) > getattr(query, high)
    ]
    if problems:
        raise NinjaValidationError(problems)
    skill_ids: tuple[int, ...] = ()
    if query.skill:
        skill = find_skill(query.skill)
        # An unknown skill matches nobody rather than being silently ignored (as on the page).
        skill_ids = (skill.pk,) if skill else (-1,)
    return selectors.DirectoryFilters(
        q=query.q,
        skill_ids=skill_ids,
        min_hours=query.min_hours,
        available_by=query.available_by,
        rate_min=query.rate_min,
        rate_max=query.rate_max,
        tz_min=query.tz_min,
        tz_max=query.tz_max,
    )


@router.get(
    "",
    response={200: MemberPageOut, **errors(401, 403, 422)},
    operation_id="members_list",
    summary="Search the directory",
)
def list_members(request: HttpRequest, query: Query[DirectoryQuery]) -> dict[str, Any]:
    """Admitted members the caller may list, filtered on parts the whole community may see.

    Signed-in admitted callers of any role; applicants get 403. A page past the last one
    answers an empty `results`.
    """
    viewer = request.auth
    if not selectors.is_community(viewer):
        raise HttpError(403, _("The directory opens once your application is approved."))
    filters = _filters(query)
    paginator = Paginator(selectors.directory_queryset(viewer, filters), query.per_page)
    try:
        rows = list(paginator.page(query.page).object_list)
    except EmptyPage:
        rows = []
    selectors.attach_skills(rows)
    return {
        "count": paginator.count,
        "page": query.page,
        "pages": math.ceil(paginator.count / query.per_page),
        "per_page": query.per_page,
        "results": [member_listing_out(request, p) for p in rows],
    }


@router.get(
    "/{member_id}",
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_SECURITY,
    response={200: MemberProfileOut, **errors(401, 404)},
    operation_id="members_get",
    summary="A member's profile",
)
def get_member(request: HttpRequest, member_id: ObjectId) -> dict[str, Any]:
    """The profile as the caller may see it, like the profile page; hidden parts are null.

    Anyone may call it (public profiles answer anonymous callers); a profile the caller
    may not see answers 404, the same as one that does not exist.
    """
    viewer = request.auth
    member = selectors.get_member_for(viewer, member_id)
    return member_profile_out(request, selectors.profile_view_for(viewer, member))
