"""Reads of the Square and groups, each taking the viewer and returning only what they may see.

Who may do what (docs/square.md):
- the admitted community (members, clients, managers, admins) reads topic threads and the
  threads of open groups; applicants and anonymous visitors see nothing;
- members, managers and admins post, react, and create and join groups; clients read only;
- an invite-only group and its threads exist only for its members (and, for the group page
  alone, people with a pending invitation): anyone else gets 404;
- hidden posts and threads are shown to community managers only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from townsquare.conversations.models import (
    Group,
    GroupInvitation,
    GroupMembership,
    Post,
    Reaction,
    Thread,
    ThreadWatch,
    Topic,
)
from townsquare.members.models import Role
from townsquare.members.selectors import Viewer, is_community

THREADS_PER_PAGE = 25
POSTS_PER_PAGE = 20


def can_read_square(viewer: Viewer) -> bool:
    return is_community(viewer)


def can_post(viewer: Viewer) -> bool:
    """Members and staff take part; clients read the Square but do not post."""
    return is_community(viewer) and viewer.role != Role.CLIENT


def _sees_hidden(viewer: Viewer) -> bool:
    return bool(viewer.is_authenticated and viewer.is_manager)


def _member_group_ids(viewer: Viewer) -> QuerySet:
    return GroupMembership.objects.filter(user_id=viewer.pk).values("group_id")


# Topics and threads -----------------------------------------------------------------------


def readable_threads(viewer: Viewer) -> QuerySet[Thread]:
    """Threads in topics and open groups, plus the viewer's invite-only groups."""
    if not can_read_square(viewer):
        return Thread.objects.none()
    readable = Q(topic__isnull=False) | Q(group__access=Group.Access.OPEN)
    if can_post(viewer):
        readable |= Q(group_id__in=_member_group_ids(viewer))
    threads = Thread.objects.filter(readable)
    if not _sees_hidden(viewer):
        threads = threads.filter(hidden=False)
    return threads


def _listed(threads: QuerySet[Thread], viewer: Viewer) -> QuerySet[Thread]:
    """Pinned first, then by last activity; with what the list shows, in the same query."""
    last_read = ThreadWatch.objects.filter(thread=OuterRef("pk"), user_id=viewer.pk).values(
        "last_read_post_id"
    )[:1]
    return (
        threads.select_related("author", "last_poster", "topic", "group")
        .annotate(viewer_last_read=Subquery(last_read))
        .order_by("-is_pinned", "-last_post_at", "-id")
    )


def topics_overview(viewer: Viewer) -> QuerySet[Topic]:
    """Every topic with its thread count and last activity, in one query."""
    if not can_read_square(viewer):
        return Topic.objects.none()
    visible = Q(threads__hidden=False) if not _sees_hidden(viewer) else Q()
    return Topic.objects.annotate(
        thread_count=Count("threads", filter=visible),
        last_activity=Max("threads__last_post_at", filter=visible),
    ).order_by("position", "name", "id")


def latest_threads(viewer: Viewer, limit: int = 10) -> list[Thread]:
    return list(_listed(readable_threads(viewer), viewer).order_by("-last_post_at", "-id")[:limit])


def get_topic_for(viewer: Viewer, topic_id: int) -> Topic:
    if not can_read_square(viewer):
        raise Http404
    try:
        return Topic.objects.get(pk=topic_id)
    except (Topic.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def threads_in(
    viewer: Viewer, *, topic: Topic | None = None, group: Group | None = None
) -> QuerySet[Thread]:
    """One topic's or one group's threads as lists show them: pinned first, then by activity."""
    threads = readable_threads(viewer)
    threads = threads.filter(topic=topic) if topic is not None else threads.filter(group=group)
    return _listed(threads, viewer)


def topic_threads(
    viewer: Viewer, topic: Topic, page: int = 1, per_page: int = THREADS_PER_PAGE
) -> Page:
    return Paginator(threads_in(viewer, topic=topic), per_page).get_page(page)


def group_threads(
    viewer: Viewer, group: Group, page: int = 1, per_page: int = THREADS_PER_PAGE
) -> Page:
    return Paginator(threads_in(viewer, group=group), per_page).get_page(page)


def get_thread_for(viewer: Viewer, thread_id: int) -> Thread:
    """The thread if the viewer may read it, with `viewer_in_group` for group threads."""
    threads = readable_threads(viewer).select_related("topic", "group", "author")
    if viewer.is_authenticated:
        threads = threads.annotate(
            viewer_in_group=Exists(
                GroupMembership.objects.filter(group_id=OuterRef("group_id"), user_id=viewer.pk)
            )
        )
    try:
        return threads.get(pk=thread_id)
    except (Thread.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_reply(viewer: Viewer, thread: Thread) -> bool:
    """Posters reply in topics; in groups, only the group's members do."""
    if not can_post(viewer):
        return False
    if thread.group_id is None:
        return True
    in_group = getattr(thread, "viewer_in_group", None)
    if in_group is None:
        in_group = GroupMembership.objects.filter(
            group_id=thread.group_id, user_id=viewer.pk
        ).exists()
    return bool(in_group)


def visible_posts(viewer: Viewer, thread: Thread) -> QuerySet[Post]:
    posts = Post.objects.filter(thread=thread)
    if not _sees_hidden(viewer):
        posts = posts.filter(hidden=False)
    return posts.select_related("author").order_by("id")


def thread_posts(
    viewer: Viewer, thread: Thread, page: int = 1, per_page: int = POSTS_PER_PAGE
) -> Page:
    return Paginator(visible_posts(viewer, thread), per_page).get_page(page)


def page_of_post(
    viewer: Viewer, thread: Thread, post_id: int, per_page: int = POSTS_PER_PAGE
) -> int | None:
    """The page of the thread that shows this post, or None when the viewer cannot see it."""
    posts = visible_posts(viewer, thread)
    if not posts.filter(pk=post_id).exists():
        return None
    return posts.filter(pk__lt=post_id).count() // per_page + 1


def is_first_post(post: Post) -> bool:
    """The post that opened its thread (the thread's title is edited from it)."""
    return not Post.objects.filter(thread_id=post.thread_id, pk__lt=post.pk).exists()


def get_post_for(viewer: Viewer, post_id: int) -> Post:
    """A post the viewer may read (its thread readable, itself not hidden from them)."""
    posts = Post.objects.filter(thread__in=readable_threads(viewer)).select_related(
        "thread", "thread__group", "thread__topic", "author"
    )
    if not _sees_hidden(viewer):
        posts = posts.filter(hidden=False)
    try:
        return posts.get(pk=post_id)
    except (Post.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# Reactions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReactionCount:
    emoji: str
    symbol: str
    count: int
    mine: bool


def reaction_summary(viewer: Viewer, post_ids: list[int]) -> dict[int, list[ReactionCount]]:
    """Per post, each emoji in the fixed order with its count and whether the viewer chose it.

    One query for any number of posts.
    """
    summary: dict[int, dict[str, tuple[int, bool]]] = {pk: {} for pk in post_ids}
    if post_ids:
        rows = (
            Reaction.objects.filter(post_id__in=post_ids)
            .values("post_id", "emoji")
            .annotate(n=Count("id"), mine=Count("id", filter=Q(user_id=viewer.pk)))
            .order_by()
        )
        for row in rows:
            summary[row["post_id"]][row["emoji"]] = (row["n"], row["mine"] > 0)
    return {
        pk: [
            ReactionCount(
                emoji=value,
                symbol=str(label),
                count=counts.get(value, (0, False))[0],
                mine=counts.get(value, (0, False))[1],
            )
            for value, label in Reaction.Emoji.choices
        ]  # fmt: skip
        for pk, counts in summary.items()
    }


# Groups -----------------------------------------------------------------------------------


def visible_groups(viewer: Viewer) -> QuerySet[Group]:
    """Open groups for every Square reader; invite-only ones for their members and invitees."""
    if not can_read_square(viewer):
        return Group.objects.none()
    shown = Q(access=Group.Access.OPEN)
    if can_post(viewer):
        shown |= Q(pk__in=_member_group_ids(viewer)) | Q(
            pk__in=GroupInvitation.objects.filter(
                invitee_id=viewer.pk, status=GroupInvitation.Status.PENDING
            ).values("group_id")
        )
    return Group.objects.filter(shown)


def groups_overview(viewer: Viewer) -> list[Group]:
    """Visible groups with member counts and whether the viewer is in each, in one query."""
    return list(
        visible_groups(viewer)
        .annotate(
            member_count=Count("memberships", distinct=True),
            viewer_role=Subquery(
                GroupMembership.objects.filter(group=OuterRef("pk"), user_id=viewer.pk).values(
                    "role"
                )[:1]
            ),
        )
        .order_by("name", "id")
    )


def get_group_for(viewer: Viewer, group_id: int) -> Group:
    """The group if the viewer may see it, with `viewer_role` (None unless a member)."""
    groups = visible_groups(viewer).annotate(
        viewer_role=Subquery(
            GroupMembership.objects.filter(group=OuterRef("pk"), user_id=viewer.pk).values("role")[
                :1
            ]
        ),
        member_count=Count("memberships", distinct=True),
    )
    try:
        return groups.get(pk=group_id)
    except (Group.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_read_group_threads(viewer: Viewer, group: Group) -> bool:
    return group.is_open or getattr(group, "viewer_role", None) is not None


def group_members(group: Group, limit: int = 200) -> list[GroupMembership]:
    return list(
        GroupMembership.objects.filter(group=group)
        .select_related("user")
        .order_by("-role", "joined_at", "id")[:limit]
    )


def pending_invitation(viewer: Viewer, group: Group) -> GroupInvitation | None:
    if not viewer.is_authenticated:
        return None
    return (
        GroupInvitation.objects.filter(
            group=group, invitee_id=viewer.pk, status=GroupInvitation.Status.PENDING
        )
        .select_related("invited_by")
        .first()
    )


def invitations_for(viewer: Viewer) -> list[GroupInvitation]:
    """The viewer's pending invitations, newest first."""
    if not can_post(viewer):
        return []
    return list(
        GroupInvitation.objects.filter(invitee_id=viewer.pk, status=GroupInvitation.Status.PENDING)
        .select_related("group", "invited_by")
        .order_by("-created_at", "-id")
    )


def get_invitation_for(viewer: Viewer, invitation_id: int) -> GroupInvitation:
    """The viewer's own pending invitation, or Http404."""
    if not can_post(viewer):
        raise Http404
    try:
        return GroupInvitation.objects.select_related("group").get(
            pk=invitation_id, invitee_id=viewer.pk, status=GroupInvitation.Status.PENDING
        )
    except (GroupInvitation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_group_member(group: Group, member_id: int) -> GroupMembership:
    """One membership of this group by the member's id, or Http404."""
    try:
        return GroupMembership.objects.select_related("user").get(group=group, user_id=member_id)
    except (GroupMembership.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
