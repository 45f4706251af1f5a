"""The caller's own account and profile."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError

from townsquare.api.schemas import MeOut, ProfilePatch, errors, me_out, skill_entries
from townsquare.members import selectors, services
from townsquare.members.models import Role, User

router = Router()


def _has_profile(user: User) -> bool:
    # Members (applicants included) have one; clients, managers and admins do not.
    return user.role == Role.MEMBER and hasattr(user, "profile")


def _own_view(user: User) -> selectors.ProfileView | None:
    return selectors.profile_view_for(user, user) if _has_profile(user) else None


@router.get(
    "",
    response={200: MeOut, **errors(401)},
    operation_id="me_get",
    summary="Your account and profile",
)
def get_me(request: HttpRequest) -> dict[str, Any]:
    """Your account, and for members the whole profile with its visibility settings."""
    user = request.auth
    return me_out(request, user, _own_view(user))


@router.patch(
    "",
    response={200: MeOut, **errors(400, 401, 403, 422)},
    operation_id="me_update",
    summary="Change your profile",
)
def update_me(request: HttpRequest, payload: ProfilePatch) -> dict[str, Any]:
    """Changes the fields you send and keeps the rest; `skills`, when sent, replaces the list.

    The rules are the profile page's: rate ≥ 0, 0–80 hours a week, a time zone from the
    IANA list, http(s) links, visibility 0–3. Nothing is saved unless everything is valid.
    """
    user = request.auth
    if not _has_profile(user):
        raise HttpError(403, _("Only members have a profile to edit."))
    fields = payload.model_dump(exclude_unset=True)
    name = fields.pop("name", None)
    time_zone = fields.pop("time_zone", None)
    skill_rows = fields.pop("skills", None)
    with transaction.atomic():
        # Skills typed for the first time are created pending inside this transaction, so a
        # refused update leaves none behind.
        entries = skill_entries(user, skill_rows) if skill_rows is not None else None
        services.update_profile(
            user, user.profile, name=name, time_zone=time_zone, skills=entries, **fields
        )
    # Answer with what was stored (e.g. a rate of "120.5" comes back as "120.50").
    user.profile.refresh_from_db()
    return me_out(request, user, _own_view(user))
