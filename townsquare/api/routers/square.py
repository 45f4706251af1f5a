"""The Square over the API: topics, threads, posts and reactions, as the caller may see them.

The admitted community reads (403 before admission); clients read but do not write (403);
a thread, post or topic the caller may not see is a 404, like one that does not exist.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Annotated, Any

from django.core.paginator import EmptyPage, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import Field, StringConstraints

from townsquare.api.schemas import InputSchema, ObjectId, Page, PageNumber, PerPage, errors
from townsquare.conversations import square_selectors as selectors
from townsquare.conversations import square_services as services
from townsquare.conversations.models import Post, Reaction, Thread, Topic
from townsquare.conversations.square_services import MAX_BODY

router = Router()

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=160)]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_BODY)]
TopicName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]


# Schemas ----------------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    name: str
    role: str
    url: str | None = Field(description="The profile page; null for people without one.")


class TopicOut(Schema):
    id: int
    name: str
    description: str
    position: int
    thread_count: int
    last_activity: datetime | None
    url: str


class TopicIn(InputSchema):
    name: TopicName
    description: Description = ""
    position: Annotated[int, Field(ge=0, le=1000)] = 0


class TopicPatch(InputSchema):
    name: TopicName | None = None
    description: Description | None = None
    position: Annotated[int, Field(ge=0, le=1000)] | None = None


class ThreadOut(Schema):
    id: int
    title: str
    topic_id: int | None
    group_id: int | None
    author: PersonOut
    created_at: datetime
    last_post_at: datetime | None
    post_count: int = Field(description="Visible posts, the first one included.")
    is_pinned: bool
    hidden: bool = Field(description="Hidden by a community manager (only they see it).")
    last_read_post_id: int | None = Field(
        None, description="How far the caller read, for threads they take part in."
    )
    can_reply: bool | None = Field(None, description="Only on a single thread.")
    url: str


class ThreadPageOut(Page):
    results: list[ThreadOut]


class ThreadIn(InputSchema):
    title: Title
    body: Body = Field(
        description="Markdown; mention people with @[Name](id) or @NameWithoutSpaces."
    )


class PinIn(InputSchema):
    pinned: bool


class ReactionOut(Schema):
    emoji: str = Field(description="One of: " + ", ".join(Reaction.Emoji.values))
    symbol: str
    count: int
    mine: bool


class PostOut(Schema):
    id: int
    thread_id: int
    author: PersonOut
    body: str = Field(description="Markdown as written.")
    body_html: str = Field(description="Rendered and sanitised.")
    created_at: datetime
    edited_at: datetime | None
    hidden: bool
    reactions: list[ReactionOut]
    url: str


class PostPageOut(Page):
    results: list[PostOut]


class PostIn(InputSchema):
    body: Body


class PostPatch(InputSchema):
    body: Body
    title: Title | None = Field(None, description="Renames the thread; only from its first post.")


class ReactionIn(InputSchema):
    emoji: str = Field(description="One of: " + ", ".join(Reaction.Emoji.values))


class ReactionToggleOut(Schema):
    emoji: str
    on: bool = Field(description="Whether the caller's reaction is now there.")
    reactions: list[ReactionOut]


class PageQuery(Schema):
    page: PageNumber = 1
    per_page: PerPage = 20


# Helpers shared with the groups router ----------------------------------------------------


def paginate(rows: QuerySet, query: PageQuery) -> tuple[dict[str, Any], list[Any]]:
    paginator = Paginator(rows, query.per_page)
    try:
        items = list(paginator.page(query.page).object_list)
    except EmptyPage:
        items = []
    meta = {
        "count": paginator.count,
        "page": query.page,
        "pages": math.ceil(paginator.count / query.per_page),
        "per_page": query.per_page,
    }
    return meta, items


def absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def person_out(request: HttpRequest, user: Any) -> dict[str, Any]:
    url = None
    if user.role == "member":
        url = absolute(request, reverse("members:profile", kwargs={"member_id": user.pk}))
    return {"id": user.pk, "name": user.name, "role": user.role, "url": url}


def thread_out(
    request: HttpRequest, thread: Thread, *, can_reply: bool | None = None
) -> dict[str, Any]:
    return {
        "id": thread.pk,
        "title": thread.title,
        "topic_id": thread.topic_id,
        "group_id": thread.group_id,
        "author": person_out(request, thread.author),
        "created_at": thread.created_at,
        "last_post_at": thread.last_post_at,
        "post_count": thread.post_count,
        "is_pinned": thread.is_pinned,
        "hidden": thread.hidden,
        "last_read_post_id": getattr(thread, "viewer_last_read", None),
        "can_reply": can_reply,
        "url": absolute(request, services.thread_url(thread)),
    }


def thread_page_out(request: HttpRequest, threads: QuerySet, query: PageQuery) -> dict[str, Any]:
    meta, rows = paginate(threads, query)
    return {**meta, "results": [thread_out(request, t) for t in rows]}


def reactions_out(counts: list[selectors.ReactionCount]) -> list[dict[str, Any]]:
    return [
        {"emoji": r.emoji, "symbol": r.symbol, "count": r.count, "mine": r.mine} for r in counts
    ]


def post_out(
    request: HttpRequest, post: Post, counts: list[selectors.ReactionCount]
) -> dict[str, Any]:
    return {
        "id": post.pk,
        "thread_id": post.thread_id,
        "author": person_out(request, post.author),
        "body": post.body,
        "body_html": post.body_html,
        "created_at": post.created_at,
        "edited_at": post.edited_at,
        "hidden": post.hidden,
        "reactions": reactions_out(counts),
        "url": absolute(request, services.post_url(post)),
    }


def require_reader(viewer: Any) -> None:
    if not selectors.can_read_square(viewer):
        raise HttpError(403, _("The Square opens once your application is approved."))


def require_poster(viewer: Any) -> None:
    require_reader(viewer)
    if not selectors.can_post(viewer):
        raise HttpError(403, _("Clients read the Square; members post."))


def _require_manager(viewer: Any) -> None:
    require_reader(viewer)
    if not viewer.is_manager:
        raise HttpError(403, _("Only community managers may do this."))


def _topic_out(request: HttpRequest, topic: Topic) -> dict[str, Any]:
    return {
        "id": topic.pk,
        "name": topic.name,
        "description": topic.description,
        "position": topic.position,
        "thread_count": getattr(topic, "thread_count", 0),
        "last_activity": getattr(topic, "last_activity", None),
        "url": absolute(request, reverse("conversations:topic", kwargs={"topic_id": topic.pk})),
    }


# Topics -----------------------------------------------------------------------------------


@router.get(
    "/topics",
    response={200: list[TopicOut], **errors(401, 403)},
    operation_id="square_topics_list",
    summary="Topics",
)
def list_topics(request: HttpRequest) -> list[dict[str, Any]]:
    """Every topic in order, with its thread count and last activity."""
    require_reader(request.auth)
    return [_topic_out(request, t) for t in selectors.topics_overview(request.auth)]


@router.post(
    "/topics",
    response={201: TopicOut, **errors(400, 401, 403, 422)},
    operation_id="square_topics_create",
    summary="Create a topic",
)
def create_topic(request: HttpRequest, payload: TopicIn) -> Status:
    """Community managers only."""
    _require_manager(request.auth)
    topic = services.create_topic(request.auth, **payload.model_dump())
    return Status(201, _topic_out(request, topic))


@router.patch(
    "/topics/{topic_id}",
    response={200: TopicOut, **errors(400, 401, 403, 404, 422)},
    operation_id="square_topics_update",
    summary="Change a topic",
)
def update_topic(request: HttpRequest, topic_id: ObjectId, payload: TopicPatch) -> dict[str, Any]:
    """Community managers only; fields left out keep their value."""
    _require_manager(request.auth)
    topic = selectors.get_topic_for(request.auth, topic_id)
    fields = {"name": topic.name, "description": topic.description, "position": topic.position}
    fields.update(payload.model_dump(exclude_unset=True, exclude_none=True))
    services.update_topic(request.auth, topic, **fields)
    return _topic_out(request, selectors.topics_overview(request.auth).get(pk=topic.pk))


@router.get(
    "/topics/{topic_id}/threads",
    response={200: ThreadPageOut, **errors(401, 403, 404, 422)},
    operation_id="square_topic_threads_list",
    summary="Threads of a topic",
)
def list_topic_threads(
    request: HttpRequest, topic_id: ObjectId, query: Query[PageQuery]
) -> dict[str, Any]:
    """Pinned threads first, then by last activity."""
    require_reader(request.auth)
    topic = selectors.get_topic_for(request.auth, topic_id)
    return thread_page_out(request, selectors.threads_in(request.auth, topic=topic), query)


@router.post(
    "/topics/{topic_id}/threads",
    response={201: ThreadOut, **errors(400, 401, 403, 404, 422, 429)},
    operation_id="square_topic_threads_create",
    summary="Start a thread in a topic",
)
def create_topic_thread(request: HttpRequest, topic_id: ObjectId, payload: ThreadIn) -> Status:
    """Members and staff; the first post's @mentions are notified."""
    require_poster(request.auth)
    topic = selectors.get_topic_for(request.auth, topic_id)
    thread = services.start_thread(
        request.auth, topic=topic, title=payload.title, body=payload.body
    )
    return Status(201, thread_out(request, thread, can_reply=True))


# Threads and posts ------------------------------------------------------------------------


@router.get(
    "/threads/{thread_id}",
    response={200: ThreadOut, **errors(401, 403, 404)},
    operation_id="square_threads_get",
    summary="A thread",
)
def get_thread(request: HttpRequest, thread_id: ObjectId) -> dict[str, Any]:
    require_reader(request.auth)
    thread = selectors.get_thread_for(request.auth, thread_id)
    return thread_out(request, thread, can_reply=selectors.can_reply(request.auth, thread))


@router.post(
    "/threads/{thread_id}/pin",
    response={200: ThreadOut, **errors(401, 403, 404, 422)},
    operation_id="square_threads_pin",
    summary="Pin or unpin a thread",
)
def pin_thread(request: HttpRequest, thread_id: ObjectId, payload: PinIn) -> dict[str, Any]:
    """Community managers only: pinned threads lead their list."""
    _require_manager(request.auth)
    thread = selectors.get_thread_for(request.auth, thread_id)
    services.set_thread_pinned(request.auth, thread, payload.pinned)
    return thread_out(request, thread)


@router.get(
    "/threads/{thread_id}/posts",
    response={200: PostPageOut, **errors(401, 403, 404, 422)},
    operation_id="square_posts_list",
    summary="Posts of a thread",
)
def list_posts(
    request: HttpRequest, thread_id: ObjectId, query: Query[PageQuery]
) -> dict[str, Any]:
    """Oldest first, with reaction counts (and whether the caller reacted)."""
    require_reader(request.auth)
    thread = selectors.get_thread_for(request.auth, thread_id)
    meta, posts = paginate(selectors.visible_posts(request.auth, thread), query)
    counts = selectors.reaction_summary(request.auth, [p.pk for p in posts])
    return {**meta, "results": [post_out(request, p, counts[p.pk]) for p in posts]}


@router.post(
    "/threads/{thread_id}/posts",
    response={201: PostOut, **errors(400, 401, 403, 404, 422, 429)},
    operation_id="square_posts_create",
    summary="Reply in a thread",
)
def create_post(request: HttpRequest, thread_id: ObjectId, payload: PostIn) -> Status:
    """Members and staff; in a group's thread, only the group's members (403 otherwise)."""
    require_poster(request.auth)
    thread = selectors.get_thread_for(request.auth, thread_id)
    if not selectors.can_reply(request.auth, thread):
        raise HttpError(403, _("Join the group to reply."))
    post = services.post_reply(request.auth, thread, body=payload.body)
    return Status(
        201, post_out(request, post, selectors.reaction_summary(request.auth, [post.pk])[post.pk])
    )


@router.patch(
    "/posts/{post_id}",
    response={200: PostOut, **errors(400, 401, 403, 404, 422)},
    operation_id="square_posts_update",
    summary="Edit your post",
)
def update_post(request: HttpRequest, post_id: ObjectId, payload: PostPatch) -> dict[str, Any]:
    """Only the author; the post is marked edited. `title` renames the thread from its first post."""
    require_poster(request.auth)
    post = selectors.get_post_for(request.auth, post_id)
    if post.author_id != request.auth.pk:
        raise HttpError(403, _("Only the author edits a post."))
    services.edit_post(request.auth, post, body=payload.body, title=payload.title)
    return post_out(request, post, selectors.reaction_summary(request.auth, [post.pk])[post.pk])


@router.post(
    "/posts/{post_id}/reactions",
    response={200: ReactionToggleOut, **errors(400, 401, 403, 404, 422)},
    operation_id="square_reactions_toggle",
    summary="Toggle a reaction",
)
def toggle_reaction(request: HttpRequest, post_id: ObjectId, payload: ReactionIn) -> dict[str, Any]:
    """Adds the caller's reaction, or takes it back when it is there already."""
    require_poster(request.auth)
    post = selectors.get_post_for(request.auth, post_id)
    if not selectors.can_reply(request.auth, post.thread):
        raise HttpError(403, _("Join the group to react."))
    on = services.toggle_reaction(request.auth, post, payload.emoji)
    counts = selectors.reaction_summary(request.auth, [post.pk])[post.pk]
    return {"emoji": payload.emoji, "on": on, "reactions": reactions_out(counts)}
