"""The social fabric over the API: connections, follows, blocks, introductions, paths,
people you may know.

Members only: other roles get 403 (they have no ties in the fabric), anonymous callers 401.
A request, introduction or member the caller may not see is 404, like one that does not
exist; acting on one in a role it does not give you (accepting your own request) is 404 too.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Annotated, Any, Literal

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import StringConstraints

from townsquare.api.schemas import (
    InputSchema,
    ObjectId,
    Page,
    PageNumber,
    PerPage,
    errors,
)
from townsquare.fabric import selectors, services
from townsquare.fabric.models import ConnectionRequest, Introduction
from townsquare.fabric.services import MAX_NOTE
from townsquare.members.models import User
from townsquare.members.selectors import get_member_for, is_community

router = Router()

Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_NOTE)]


def _member(request: HttpRequest) -> User:
    """The caller, when they are an admitted member; 403 for every other role."""
    user = request.auth
    if not selectors.is_fabric_member(user):
        if user.admitted_at is None:
            raise HttpError(403, _("The fabric opens once your application is approved."))
        raise HttpError(403, _("Only members have connections."))
    return user


# Schemas --------------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    name: str
    url: str | None = Field(description="The profile page; null when it is closed to you.")


def _person(request: HttpRequest, user: User, *, linked: bool) -> dict[str, Any]:
    url = reverse("members:profile", kwargs={"member_id": user.pk})
    return {
        "id": user.pk,
        "name": user.name,
        "url": request.build_absolute_uri(url) if linked else None,
    }


class PathOut(Schema):
    path: list[int | None] = Field(
        description="Member ids from you to the member; null for people you may not see."
    )


class SuggestionOut(Schema):
    member: PersonOut
    headline: str
    mutual: int = Field(description="Mutual connections.")
    shared_skills: list[str]
    shared_groups: int
    reason: str = Field(description='For people: "12 mutual connections · both Django".')


class SuggestionListOut(Schema):
    results: list[SuggestionOut]


class ConnectionOut(Schema):
    member: PersonOut


class ConnectionPageOut(Page):
    results: list[ConnectionOut]


class RequestIn(InputSchema):
    to: ObjectId = Field(description="The member you ask.")
    note: Note = ""


class RequestOut(Schema):
    id: int
    sender: PersonOut
    recipient: PersonOut
    note: str
    status: Literal["pending", "accepted", "declined", "withdrawn"]
    created_at: datetime
    responded_at: datetime | None


class RequestQuery(Schema):
    direction: Literal["incoming", "outgoing"] = "incoming"
    page: PageNumber = 1
    per_page: PerPage = 20


class RequestPageOut(Page):
    results: list[RequestOut]


class FollowOut(Schema):
    member: PersonOut
    following: bool


class BlockOut(Schema):
    member_id: int
    blocked: bool


class IntroIn(InputSchema):
    to: ObjectId = Field(description="The member you would like to meet.")
    note: Note = ""


class ForwardIn(InputSchema):
    note: Note = ""


class AcceptIn(InputSchema):
    connect: bool = Field(False, description="Also connect with the requester.")


class IntroOut(Schema):
    id: int
    role: Literal["requester", "introducer", "passed", "target", "weaver"]
    status: Literal["asked", "forwarded", "accepted", "declined", "not_forwarded", "withdrawn"]
    requester: PersonOut
    introducer: PersonOut
    target: PersonOut
    path: list[int | None] = Field(description="Null for people on the way you may not see.")
    request_note: str
    forward_note: str
    woven: bool = Field(description="Proposed by a community manager.")
    conversation_id: int | None = Field(description="The three's conversation, once accepted.")
    created_at: datetime
    forwarded_at: datetime | None
    responded_at: datetime | None


class IntroQuery(Schema):
    page: PageNumber = 1
    per_page: PerPage = 20


class IntroPageOut(Page):
    results: list[IntroOut]


def _request_out(request: HttpRequest, row: ConnectionRequest) -> dict[str, Any]:
    return {
        "id": row.pk,
        "sender": _person(request, row.sender, linked=True),
        "recipient": _person(request, row.recipient, linked=True),
        "note": row.note,
        "status": row.status,
        "created_at": row.created_at,
        "responded_at": row.responded_at,
    }


def _intro_out(request: HttpRequest, viewer: User, intro: Introduction) -> dict[str, Any]:
    people = (intro.requester_id, intro.introducer_id, intro.target_id)
    steps = selectors.path_view(viewer, intro.path, named=people)
    role = selectors.intro_role(viewer, intro)
    seen = {s.member.pk: s.linked for s in steps if s.member is not None}
    return {
        "id": intro.pk,
        "role": role,
        "status": intro.status,
        "requester": _person(request, intro.requester, linked=seen.get(intro.requester_id, False)),
        "introducer": _person(
            request, intro.introducer, linked=seen.get(intro.introducer_id, False)
        ),
        "target": _person(request, intro.target, linked=seen.get(intro.target_id, False)),
        "path": [s.id for s in steps],
        "request_note": intro.request_note,
        "forward_note": intro.forward_note,
        "woven": intro.woven_by_id is not None,
        "conversation_id": intro.conversation_id if role != "weaver" else None,
        "created_at": intro.created_at,
        "forwarded_at": intro.forwarded_at,
        "responded_at": intro.responded_at,
    }


def _page(rows: Any, page: int, per_page: int) -> tuple[list[Any], dict[str, Any]]:
    paginator = Paginator(rows, per_page)
    try:
        items = list(paginator.page(page).object_list)
    except EmptyPage:
        items = []
    meta = {
        "count": paginator.count,
        "page": page,
        "pages": math.ceil(paginator.count / per_page),
        "per_page": per_page,
    }
    return items, meta


# Paths and suggestions ------------------------------------------------------------------


@router.get(
    "/fabric/path",
    response={200: PathOut, **errors(401, 403, 404, 422)},
    operation_id="fabric_path",
    summary="Your introduction path to a member",
)
def fabric_path(request: HttpRequest, to: ObjectId) -> dict[str, Any]:
    """The shortest chain of connections from you to the member `to`, as member ids (you
    first); people on it whose profile is closed to you are null. 404 when the member is
    not visible to you or no chain within six steps leads there."""
    viewer = _member(request)
    target = get_member_for(viewer, to)
    path = selectors.visible_path(viewer, target)
    if path is None:
        raise Http404
    return {"path": path}


@router.get(
    "/fabric/suggestions",
    response={200: SuggestionListOut, **errors(401, 403)},
    operation_id="fabric_suggestions",
    summary="People you may know",
)
def fabric_suggestions(request: HttpRequest) -> dict[str, Any]:
    """Up to 20 members, best first, ranked by mutual connections, shared skills and shared
    groups, each with its reason. Dismissed people, your connections, people with a
    pending request either way and blocked people are left out."""
    viewer = _member(request)
    rows = selectors.people_you_may_know(viewer, limit=20)
    return {
        "results": [
            {
                "member": _person(request, s.member, linked=True),
                "headline": s.member.profile.headline,
                "mutual": s.mutual,
                "shared_skills": s.shared_skills,
                "shared_groups": s.shared_groups,
                "reason": s.reason,
            }
            for s in rows
        ]
    }


# Connections ----------------------------------------------------------------------------


@router.get(
    "/connections",
    response={200: ConnectionPageOut, **errors(401, 403, 422)},
    operation_id="connections_list",
    summary="Your connections",
)
def list_connections(request: HttpRequest, query: Query[IntroQuery]) -> dict[str, Any]:
    """The members you are connected to, by name."""
    viewer = _member(request)
    rows = (
        User.objects.filter(pk__in=selectors.connected_ids(viewer.pk))
        .select_related("profile")
        .order_by("name", "pk")
    )
    items, meta = _page(rows, query.page, query.per_page)
    people = selectors.people_rows(viewer, items, connected=True)
    return {
        **meta,
        "results": [{"member": _person(request, p.member, linked=p.linked)} for p in people],
    }


@router.get(
    "/connections/requests",
    response={200: RequestPageOut, **errors(401, 403, 422)},
    operation_id="connection_requests_list",
    summary="Pending connection requests",
)
def list_requests(request: HttpRequest, query: Query[RequestQuery]) -> dict[str, Any]:
    """Pending requests sent to you (`incoming`, the default) or by you (`outgoing`)."""
    viewer = _member(request)
    pending = ConnectionRequest.objects.filter(status=ConnectionRequest.Status.PENDING)
    side = {"recipient": viewer} if query.direction == "incoming" else {"sender": viewer}
    rows = (
        pending.filter(**side).select_related("sender", "recipient").order_by("-created_at", "-pk")
    )
    items, meta = _page(rows, query.page, query.per_page)
    return {**meta, "results": [_request_out(request, r) for r in items]}


@router.post(
    "/connections/requests",
    response={201: RequestOut, 200: RequestOut, **errors(400, 401, 403, 404, 422)},
    operation_id="connection_requests_create",
    summary="Ask a member to connect",
)
def create_request(request: HttpRequest, payload: RequestIn) -> Status:
    """Sends a request (201). When the member had already asked you, this accepts theirs
    instead and answers 200 with it. 400 when you are connected already, have asked
    already, or — in your first 14 days — have sent today's 10 requests."""
    viewer = _member(request)
    target = get_member_for(viewer, payload.to)
    row = services.request_connection(viewer, target, payload.note)
    row = ConnectionRequest.objects.select_related("sender", "recipient").get(pk=row.pk)
    code = 200 if row.status == ConnectionRequest.Status.ACCEPTED else 201
    return Status(code, _request_out(request, row))


def _answer(request: HttpRequest, request_id: int, incoming: bool, act: Any) -> dict[str, Any]:
    viewer = _member(request)
    find = selectors.get_incoming_request_for if incoming else selectors.get_outgoing_request_for
    row = find(viewer, request_id)
    act(viewer, row)
    row = ConnectionRequest.objects.select_related("sender", "recipient").get(pk=row.pk)
    return _request_out(request, row)


ANSWER = {200: RequestOut, **errors(400, 401, 403, 404, 422)}


@router.post(
    "/connections/requests/{request_id}/accept",
    response=ANSWER,
    operation_id="connection_requests_accept",
    summary="Accept a request sent to you",
)
def accept_request(request: HttpRequest, request_id: ObjectId) -> dict[str, Any]:
    """You and the sender are connected; they are told. 400 when it is no longer pending."""
    return _answer(request, request_id, True, services.accept_connection_request)


@router.post(
    "/connections/requests/{request_id}/decline",
    response=ANSWER,
    operation_id="connection_requests_decline",
    summary="Decline a request sent to you",
)
def decline_request(request: HttpRequest, request_id: ObjectId) -> dict[str, Any]:
    """The request closes; the sender is not told."""
    return _answer(request, request_id, True, services.decline_connection_request)


@router.post(
    "/connections/requests/{request_id}/withdraw",
    response=ANSWER,
    operation_id="connection_requests_withdraw",
    summary="Withdraw a request you sent",
)
def withdraw_request(request: HttpRequest, request_id: ObjectId) -> dict[str, Any]:
    return _answer(request, request_id, False, services.withdraw_connection_request)


@router.delete(
    "/connections/{member_id}",
    response={204: None, **errors(401, 403, 404, 422)},
    operation_id="connections_delete",
    summary="End a connection",
)
def delete_connection(request: HttpRequest, member_id: ObjectId) -> Status:
    """Ends your connection with the member (404 when you are not connected)."""
    viewer = _member(request)
    services.remove_connection(viewer, selectors.get_connection_for(viewer, member_id))
    return Status(204, None)


# Follows and blocks ---------------------------------------------------------------------


@router.post(
    "/follows/{member_id}",
    response={200: FollowOut, **errors(400, 401, 403, 404, 422)},
    operation_id="follows_create",
    summary="Follow a member",
)
def create_follow(request: HttpRequest, member_id: ObjectId) -> dict[str, Any]:
    """Follows the member's public activity; following twice is the same as once."""
    viewer = _member(request)
    member = get_member_for(viewer, member_id)
    services.follow(viewer, member)
    return {"member": _person(request, member, linked=True), "following": True}


@router.delete(
    "/follows/{member_id}",
    response={204: None, **errors(401, 403, 404, 422)},
    operation_id="follows_delete",
    summary="Stop following a member",
)
def delete_follow(request: HttpRequest, member_id: ObjectId) -> Status:
    """404 when you do not follow the member."""
    viewer = _member(request)
    services.unfollow(viewer, selectors.get_followee_for(viewer, member_id))
    return Status(204, None)


@router.post(
    "/blocks/{member_id}",
    response={200: BlockOut, **errors(400, 401, 403, 404, 422)},
    operation_id="blocks_create",
    summary="Block a member",
)
def create_block(request: HttpRequest, member_id: ObjectId) -> dict[str, Any]:
    """Hides you from each other, ends your connection, requests, follows and open
    introductions between you. The member is not told."""
    viewer = _member(request)
    member = get_member_for(viewer, member_id)
    if member.pk == viewer.pk:
        raise HttpError(400, _("You cannot block yourself."))
    services.block(viewer, member)
    return {"member_id": member.pk, "blocked": True}


@router.delete(
    "/blocks/{member_id}",
    response={204: None, **errors(401, 403, 404, 422)},
    operation_id="blocks_delete",
    summary="Unblock a member",
)
def delete_block(request: HttpRequest, member_id: ObjectId) -> Status:
    """Lifts your block (404 when you have not blocked the member); what it ended stays
    ended."""
    viewer = _member(request)
    services.unblock(viewer, selectors.get_blocked_for(viewer, member_id))
    return Status(204, None)


# Introductions --------------------------------------------------------------------------


@router.get(
    "/introductions",
    response={200: IntroPageOut, **errors(401, 403, 422)},
    operation_id="introductions_list",
    summary="Introductions you take part in",
)
def list_intros(request: HttpRequest, query: Query[IntroQuery]) -> dict[str, Any]:
    """Newest first: those you asked for, are asked to make, or are introduced in."""
    viewer = _member(request)
    items, meta = _page(selectors.intros_of(viewer), query.page, query.per_page)
    return {**meta, "results": [_intro_out(request, viewer, i) for i in items]}


@router.post(
    "/introductions",
    response={201: IntroOut, **errors(400, 401, 403, 404, 422)},
    operation_id="introductions_create",
    summary="Ask for an introduction",
)
def create_intro(request: HttpRequest, payload: IntroIn) -> Status:
    """Asks the first person on your shortest chain of connections to the member `to`.
    400 when no chain leads there, you are connected already, or one is open already."""
    viewer = _member(request)
    target = get_member_for(viewer, payload.to)
    intro = services.ask_for_intro(viewer, target, payload.note)
    return Status(201, _intro_out(request, viewer, intro))


@router.get(
    "/introductions/{intro_id}",
    response={200: IntroOut, **errors(401, 403, 404, 422)},
    operation_id="introductions_get",
    summary="An introduction",
)
def get_intro(request: HttpRequest, intro_id: ObjectId) -> dict[str, Any]:
    """For the people in it (the target once it is forwarded to them) and the community
    manager who proposed it; 404 for anyone else."""
    viewer = request.auth
    if not is_community(viewer):
        raise HttpError(403, _("The fabric opens once your application is approved."))
    return _intro_out(request, viewer, selectors.get_intro_for(viewer, intro_id))


def _act_on_intro(request: HttpRequest, intro_id: int, act: Any) -> dict[str, Any]:
    viewer = _member(request)
    intro = selectors.get_intro_for(viewer, intro_id)
    try:
        intro = act(viewer, intro)
    except PermissionError:
        raise Http404 from None  # you take part, but not in the role this needs
    return _intro_out(request, viewer, intro)


INTRO_ACTION = {200: IntroOut, **errors(400, 401, 403, 404, 422)}


@router.post(
    "/introductions/{intro_id}/forward",
    response=INTRO_ACTION,
    operation_id="introductions_forward",
    summary="Pass an introduction on",
)
def forward(request: HttpRequest, intro_id: ObjectId, payload: ForwardIn) -> dict[str, Any]:
    """You were asked: the introduction goes to the target (or, on a longer chain, to the
    next person, who is asked in turn), with your note."""
    return _act_on_intro(
        request, intro_id, lambda viewer, intro: services.forward_intro(viewer, intro, payload.note)
    )


@router.post(
    "/introductions/{intro_id}/decline",
    response=INTRO_ACTION,
    operation_id="introductions_decline",
    summary="Decline an introduction",
)
def decline(request: HttpRequest, intro_id: ObjectId) -> dict[str, Any]:
    """As the person asked: you do not pass it on. As the target: you decline to meet.
    Nobody is notified either way."""

    def act(viewer: User, intro: Introduction) -> Introduction:
        if intro.introducer_id == viewer.pk and intro.status == Introduction.Status.ASKED:
            return services.decline_to_forward(viewer, intro)
        return services.decline_intro(viewer, intro)

    return _act_on_intro(request, intro_id, act)


@router.post(
    "/introductions/{intro_id}/accept",
    response=INTRO_ACTION,
    operation_id="introductions_accept",
    summary="Accept an introduction",
)
def accept(request: HttpRequest, intro_id: ObjectId, payload: AcceptIn) -> dict[str, Any]:
    """As the target: the three of you share a new conversation (`conversation_id`); with
    `connect`, you and the requester are connected too."""
    return _act_on_intro(
        request,
        intro_id,
        lambda viewer, intro: services.accept_intro(viewer, intro, connect=payload.connect),
    )


@router.post(
    "/introductions/{intro_id}/withdraw",
    response=INTRO_ACTION,
    operation_id="introductions_withdraw",
    summary="Withdraw an introduction you asked for",
)
def withdraw(request: HttpRequest, intro_id: ObjectId) -> dict[str, Any]:
    return _act_on_intro(request, intro_id, services.withdraw_intro)
