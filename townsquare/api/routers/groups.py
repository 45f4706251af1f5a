"""Member-created groups over the API: list, create, join, leave, invite, answer, threads.

Invite-only groups exist only for their members (and, to answer, their invitees): to anyone
else they are a 404, like a group that does not exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import Field, StringConstraints

from townsquare.api.routers.square import (
    PageQuery,
    PersonOut,
    ThreadIn,
    ThreadOut,
    ThreadPageOut,
    absolute,
    paginate,
    person_out,
    require_poster,
    require_reader,
    thread_out,
    thread_page_out,
)
from townsquare.api.schemas import InputSchema, ObjectId, Page, errors
from townsquare.conversations import groups as services
from townsquare.conversations import mentions, square_services
from townsquare.conversations import square_selectors as selectors
from townsquare.conversations.models import Group, GroupInvitation

router = Router()

GroupName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]


class GroupOut(Schema):
    id: int
    name: str
    description: str
    access: Literal["open", "invite"]
    member_count: int
    role: Literal["owner", "member"] | None = Field(
        description="The caller's role; null when not in it."
    )
    created_at: datetime
    url: str


class GroupPageOut(Page):
    results: list[GroupOut]


class GroupIn(InputSchema):
    name: GroupName
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""
    access: Literal["open", "invite"] = "open"


class InviteIn(InputSchema):
    member_id: ObjectId


class InvitationOut(Schema):
    id: int
    group_id: int
    group_name: str
    invited_by: PersonOut | None
    status: str
    created_at: datetime


class AnswerIn(InputSchema):
    accept: bool


def _group_out(request: HttpRequest, group: Group) -> dict[str, Any]:
    return {
        "id": group.pk,
        "name": group.name,
        "description": group.description,
        "access": group.access,
        "member_count": getattr(group, "member_count", 0),
        "role": getattr(group, "viewer_role", None),
        "created_at": group.created_at,
        "url": absolute(request, reverse("conversations:group", kwargs={"group_id": group.pk})),
    }


def _invitation_out(request: HttpRequest, invitation: GroupInvitation) -> dict[str, Any]:
    inviter = invitation.invited_by
    return {
        "id": invitation.pk,
        "group_id": invitation.group_id,
        "group_name": invitation.group.name,
        "invited_by": person_out(request, inviter) if inviter is not None else None,
        "status": invitation.status,
        "created_at": invitation.created_at,
    }


@router.get(
    "",
    response={200: GroupPageOut, **errors(401, 403, 422)},
    operation_id="groups_list",
    summary="Groups",
)
def list_groups(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    """Open groups, and the invite-only ones the caller is in or invited to, by name."""
    require_reader(request.auth)
    rows = selectors.groups_overview(request.auth)
    meta, groups = paginate(rows, query)
    return {**meta, "results": [_group_out(request, g) for g in groups]}


@router.post(
    "",
    response={201: GroupOut, **errors(400, 401, 403, 422)},
    operation_id="groups_create",
    summary="Start a group",
)
def create_group(request: HttpRequest, payload: GroupIn) -> Status:
    """Members and staff; the caller becomes its owner."""
    require_poster(request.auth)
    group = services.create_group(request.auth, **payload.model_dump())
    return Status(201, _group_out(request, selectors.get_group_for(request.auth, group.pk)))


@router.get(
    "/invitations",
    response={200: list[InvitationOut], **errors(401, 403)},
    operation_id="groups_invitations_list",
    summary="Your invitations",
)
def list_invitations(request: HttpRequest) -> list[dict[str, Any]]:
    """The caller's pending invitations, newest first."""
    require_poster(request.auth)
    return [_invitation_out(request, i) for i in selectors.invitations_for(request.auth)]


@router.post(
    "/invitations/{invitation_id}",
    response={200: InvitationOut, **errors(400, 401, 403, 404, 422)},
    operation_id="groups_invitations_answer",
    summary="Accept or decline an invitation",
)
def answer_invitation(
    request: HttpRequest, invitation_id: ObjectId, payload: AnswerIn
) -> dict[str, Any]:
    """Only the invitee's own pending invitation (404 otherwise); accepting joins the group."""
    require_poster(request.auth)
    invitation = selectors.get_invitation_for(request.auth, invitation_id)
    services.respond_to_invitation(request.auth, invitation, accept=payload.accept)
    invitation.refresh_from_db()
    return _invitation_out(request, invitation)


@router.get(
    "/{group_id}",
    response={200: GroupOut, **errors(401, 403, 404)},
    operation_id="groups_get",
    summary="A group",
)
def get_group(request: HttpRequest, group_id: ObjectId) -> dict[str, Any]:
    require_reader(request.auth)
    return _group_out(request, selectors.get_group_for(request.auth, group_id))


@router.post(
    "/{group_id}/join",
    response={200: GroupOut, **errors(401, 403, 404)},
    operation_id="groups_join",
    summary="Join a group",
)
def join_group(request: HttpRequest, group_id: ObjectId) -> dict[str, Any]:
    """Open groups; invite-only ones need an invitation (joining accepts it)."""
    require_poster(request.auth)
    group = selectors.get_group_for(request.auth, group_id)
    try:
        services.join_group(request.auth, group)
    except PermissionError:
        raise HttpError(403, _("This group is invite-only.")) from None
    return _group_out(request, selectors.get_group_for(request.auth, group_id))


@router.post(
    "/{group_id}/leave",
    response={204: None, **errors(401, 403, 404)},
    operation_id="groups_leave",
    summary="Leave a group",
)
def leave_group(request: HttpRequest, group_id: ObjectId) -> HttpResponse:
    """An owner who leaves hands ownership to the longest-standing member."""
    require_poster(request.auth)
    group = selectors.get_group_for(request.auth, group_id)
    services.leave_group(request.auth, group)
    return HttpResponse(status=204)


@router.post(
    "/{group_id}/invitations",
    response={201: InvitationOut, **errors(400, 401, 403, 404, 422, 429)},
    operation_id="groups_invite",
    summary="Invite someone",
)
def invite(request: HttpRequest, group_id: ObjectId, payload: InviteIn) -> Status:
    """Any member of the group invites someone they may see (404 for anyone else)."""
    require_poster(request.auth)
    group = selectors.get_group_for(request.auth, group_id)
    if group.viewer_role is None:
        raise HttpError(403, _("Only the group's members invite people."))
    invitee = mentions.get_mentionable_for(request.auth, payload.member_id)
    invitation = services.invite_to_group(request.auth, group, invitee)
    return Status(201, _invitation_out(request, invitation))


@router.get(
    "/{group_id}/threads",
    response={200: ThreadPageOut, **errors(401, 403, 404, 422)},
    operation_id="groups_threads_list",
    summary="Threads of a group",
)
def list_group_threads(
    request: HttpRequest, group_id: ObjectId, query: Query[PageQuery]
) -> dict[str, Any]:
    require_reader(request.auth)
    group = selectors.get_group_for(request.auth, group_id)
    if not selectors.can_read_group_threads(request.auth, group):
        raise HttpError(404, _("Not found."))
    return thread_page_out(request, selectors.threads_in(request.auth, group=group), query)


@router.post(
    "/{group_id}/threads",
    response={201: ThreadOut, **errors(400, 401, 403, 404, 422, 429)},
    operation_id="groups_threads_create",
    summary="Start a thread in a group",
)
def create_group_thread(request: HttpRequest, group_id: ObjectId, payload: ThreadIn) -> Status:
    """The group's members only (403 for others who can see the group)."""
    require_poster(request.auth)
    group = selectors.get_group_for(request.auth, group_id)
    if group.viewer_role is None:
        raise HttpError(403, _("Join the group to start a thread in it."))
    thread = square_services.start_thread(
        request.auth, group=group, title=payload.title, body=payload.body
    )
    return Status(201, thread_out(request, thread, can_reply=True))
