"""Reads about ties, each taking the viewer and returning only what the viewer may see.

Graph questions (paths, friends of friends) go to the process's engine (runtime.py); the
database answers who may see whom. The managers' figures live in `figures.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from townsquare.conversations.models import GroupMembership
from townsquare.fabric import runtime
from townsquare.fabric.models import (
    Block,
    Connection,
    ConnectionRequest,
    Follow,
    Introduction,
    SuggestionDismissal,
)
from townsquare.members.models import Profile, ProfileSkill, Role, User, Visibility
from townsquare.members.selectors import Viewer

MAX_PATH_DEPTH = 6
LISTED = Visibility.MEMBERS  # a profile every signed-in member may open


def is_fabric_member(user: Viewer) -> bool:
    """An admitted, active member: the people who connect, follow and introduce."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role == Role.MEMBER
        and user.admitted_at is not None
    )


def are_connected_ids(a_id: int, b_id: int) -> bool:
    low, high = (a_id, b_id) if a_id < b_id else (b_id, a_id)
    return Connection.objects.filter(member_a_id=low, member_b_id=high).exists()


def connected_ids(user_id: int) -> set[int]:
    """Ids of everyone `user_id` is connected to (one query)."""
    rows = Connection.objects.filter(Q(member_a_id=user_id) | Q(member_b_id=user_id)).values_list(
        "member_a_id", "member_b_id"
    )
    return {b if a == user_id else a for a, b in rows}


def blocked_ids(user: Viewer) -> set[int]:
    """Ids of people `user` blocked or who blocked `user` (one query).

    Everything that lists or opens members should leave these out, both ways.
    """
    if not user.is_authenticated:
        return set()
    rows = Block.objects.filter(Q(blocker_id=user.pk) | Q(blocked_id=user.pk)).values_list(
        "blocker_id", "blocked_id"
    )
    return {b if a == user.pk else a for a, b in rows}


def hidden_member_ids() -> set[int]:
    """Members no path goes through: deactivated ones, and those who show their profile to
    nobody (they chose not to be seen, so they are not asked to introduce either)."""
    return set(
        User.objects.filter(
            Q(is_active=False) | Q(profile__profile_visibility=Visibility.ONLY_ME),
            role=Role.MEMBER,
        ).values_list("pk", flat=True)
    )


# Who may see whom -----------------------------------------------------------------------


def _tier(viewer: Viewer, connected: bool) -> int:
    """`members.selectors.viewer_tier` for a relation already known (no query)."""
    if not viewer.is_authenticated or not viewer.is_active or viewer.admitted_at is None:
        return Visibility.PUBLIC
    if viewer.is_manager or connected:
        return Visibility.CONNECTIONS
    return Visibility.MEMBERS


def _with_relation(viewer: Viewer, members: QuerySet) -> QuerySet:
    """Annotates `viewer_connected` and `viewer_blocked`, as get_member_for does."""
    if not viewer.is_authenticated:
        return members
    return members.annotate(
        viewer_connected=Exists(
            Connection.objects.filter(
                Q(member_a_id=viewer.pk, member_b=OuterRef("pk"))
                | Q(member_a=OuterRef("pk"), member_b_id=viewer.pk)
            )
        ),
        viewer_blocked=Exists(
            Block.objects.filter(
                Q(blocker_id=viewer.pk, blocked=OuterRef("pk"))
                | Q(blocker=OuterRef("pk"), blocked_id=viewer.pk)
            )
        ),
    )


def may_open(viewer: Viewer, member: User) -> bool:
    """Whether `get_member_for(viewer, member.pk)` would answer, for an annotated member."""
    if viewer.is_authenticated and viewer.pk == member.pk:
        return True
    if getattr(member, "viewer_blocked", False) or not member.is_active:
        return False
    if member.role != Role.MEMBER:
        return False
    if member.admitted_at is None and not (viewer.is_authenticated and viewer.is_manager):
        return False
    connected = bool(getattr(member, "viewer_connected", False))
    return member.profile.profile_visibility <= _tier(viewer, connected)


def members_seen_by(viewer: Viewer, ids: Iterable[int]) -> dict[int, User]:
    """The members among `ids` with their profile and the viewer's relation (one query)."""
    ids = {int(i) for i in ids}
    if not ids:
        return {}
    rows = _with_relation(viewer, User.objects.filter(pk__in=ids).select_related("profile"))
    return {u.pk: u for u in rows}


@dataclass(frozen=True)
class PathStep:
    """One person on a path as one viewer may see it: `member` None means "someone"."""

    member: User | None
    linked: bool = False  # the viewer may open their profile

    @property
    def id(self) -> int | None:
        return self.member.pk if self.member is not None else None


def path_view(viewer: Viewer, path: list[int], *, named: Iterable[int] = ()) -> list[PathStep]:
    """The path with everyone the viewer may not see replaced by "someone" (one query).

    `named` people are shown by name even when their profile is closed to the viewer: the
    three people of an introduction know of each other by its nature.
    """
    named = set(named)
    people = members_seen_by(viewer, path)
    steps = []
    for pk in path:
        member = people.get(int(pk))
        if member is None:
            steps.append(PathStep(None))
            continue
        visible = may_open(viewer, member)
        if visible or member.pk in named:
            steps.append(PathStep(member, linked=visible))
        else:
            steps.append(PathStep(None))
    return steps


# Paths ----------------------------------------------------------------------------------


def _shortest(src: int, dst: int, excluded: set[int]) -> list[int] | None:
    excluded = excluded - {src, dst}
    with runtime.graph_for_reading() as graph:
        allowed = graph.allowed_mask(excluded) if excluded else None
        path = graph.shortest_path(src, dst, allowed=allowed, max_depth=MAX_PATH_DEPTH)
    return [int(pk) for pk in path] if path else None


def intro_path(requester: User, target: User) -> list[int] | None:
    """The shortest chain of connections from requester to target, around members hidden
    from paths and anyone blocked either way with the requester (two queries, one engine
    call); None when there is none within MAX_PATH_DEPTH."""
    excluded = hidden_member_ids() | blocked_ids(requester)
    return _shortest(requester.pk, target.pk, excluded)


def path_onward(
    introducer: User, target: User, *, requester: User, avoid: Iterable[int] = ()
) -> list[int] | None:
    """The rest of an introduction's way, from the introducer to the target."""
    excluded = hidden_member_ids() | blocked_ids(requester) | set(avoid)
    return _shortest(introducer.pk, target.pk, excluded)


def visible_path(viewer: User, target: User) -> list[int | None] | None:
    """The viewer's introduction path to `target` as ids, None for people they may not see;
    None when there is no path (the API's /fabric/path)."""
    path = intro_path(viewer, target)
    if path is None:
        return None
    return [step.id for step in path_view(viewer, path, named=(viewer.pk, target.pk))]


# Access to one object -------------------------------------------------------------------


def _one(queryset: QuerySet, **lookup: Any) -> Any:
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def get_incoming_request_for(viewer: Viewer, request_id: int) -> ConnectionRequest:
    """A connection request sent to the viewer; Http404 for anyone else's."""
    if not viewer.is_authenticated:
        raise Http404
    rows = ConnectionRequest.objects.filter(recipient_id=viewer.pk).select_related("sender")
    return _one(rows, pk=request_id)


def get_outgoing_request_for(viewer: Viewer, request_id: int) -> ConnectionRequest:
    """A connection request the viewer sent; Http404 for anyone else's."""
    if not viewer.is_authenticated:
        raise Http404
    rows = ConnectionRequest.objects.filter(sender_id=viewer.pk).select_related("recipient")
    return _one(rows, pk=request_id)


def get_connection_for(viewer: Viewer, member_id: int) -> User:
    """A member the viewer is connected to (whatever their profile shows); else Http404."""
    if not viewer.is_authenticated:
        raise Http404
    tie = Q(member_a_id=viewer.pk, member_b=OuterRef("pk")) | Q(
        member_a=OuterRef("pk"), member_b_id=viewer.pk
    )
    rows = User.objects.filter(Exists(Connection.objects.filter(tie)))
    return _one(rows, pk=member_id)


def get_followee_for(viewer: Viewer, member_id: int) -> User:
    if not viewer.is_authenticated:
        raise Http404
    rows = User.objects.filter(followers__follower_id=viewer.pk)
    return _one(rows, pk=member_id)


def get_blocked_for(viewer: Viewer, member_id: int) -> User:
    """Someone the viewer blocked (hidden everywhere else); Http404 otherwise."""
    if not viewer.is_authenticated:
        raise Http404
    rows = User.objects.filter(blocks_received__blocker_id=viewer.pk)
    return _one(rows, pk=member_id)


def intro_role(viewer: Viewer, intro: Introduction) -> str | None:
    """How the viewer takes part: requester, introducer, passed (an earlier introducer on a
    longer path), target, weaver; None when they do not (or not yet: the target hears of
    an introduction only once it is forwarded)."""
    if not viewer.is_authenticated:
        return None
    if viewer.pk == intro.requester_id:
        return "requester"
    if viewer.pk == intro.introducer_id:
        return "introducer"
    if viewer.pk == intro.target_id:
        return "target" if intro.forwarded_at is not None else None
    if viewer.pk == intro.woven_by_id:
        return "weaver"
    path = [int(pk) for pk in intro.path]
    if viewer.pk in path and intro.introducer_id in path:
        if path.index(viewer.pk) < path.index(intro.introducer_id):
            return "passed"
    return None


def get_intro_for(viewer: Viewer, intro_id: int) -> Introduction:
    """An introduction the viewer takes part in; Http404 otherwise."""
    if not viewer.is_authenticated:
        raise Http404
    rows = Introduction.objects.select_related(
        "requester", "introducer", "target", "woven_by", "conversation"
    )
    intro = _one(rows, pk=intro_id)
    if intro_role(viewer, intro) is None:
        raise Http404
    return intro


# Lists ----------------------------------------------------------------------------------


@dataclass
class Person:
    """Someone on the viewer's lists, and whether the viewer may open their profile."""

    member: User
    linked: bool
    extra: Any = None  # the request, follow or block the row is about


def people_rows(viewer: User, users: Iterable[User], *, connected: bool) -> list[Person]:
    """`users` (with their profile) as rows, linked where the viewer may open the profile."""
    tier = _tier(viewer, connected)
    return [Person(u, linked=u.profile.profile_visibility <= tier) for u in users]


@dataclass
class PeoplePage:
    connections: list[Person]
    connection_count: int
    incoming: list[Person]
    outgoing: list[Person]
    following: list[Person]
    blocked: list[User]
    suggestions: list[Suggestion]
    intros_waiting: int


MAX_LISTED = 200


def people_page(viewer: User, *, suggestions: int = 10) -> PeoplePage:
    """Everything on the People page, in a fixed number of queries."""
    ties = connected_ids(viewer.pk)
    connections = (
        User.objects.filter(pk__in=ties, is_active=True)
        .select_related("profile")
        .order_by("name", "pk")[:MAX_LISTED]
    )
    pending = list(
        ConnectionRequest.objects.filter(
            Q(recipient=viewer) | Q(sender=viewer), status=ConnectionRequest.Status.PENDING
        ).select_related("sender__profile", "recipient__profile")
    )
    incoming = [r for r in pending if r.recipient_id == viewer.pk]
    outgoing = [r for r in pending if r.sender_id == viewer.pk]
    follows = list(
        Follow.objects.filter(follower=viewer)
        .select_related("followee__profile")
        .order_by("followee__name")[:MAX_LISTED]
    )
    blocked = [
        b.blocked
        for b in Block.objects.filter(blocker=viewer).select_related("blocked").order_by("-pk")
    ]
    waiting = Introduction.objects.filter(
        Q(introducer=viewer, status=Introduction.Status.ASKED)
        | Q(target=viewer, status=Introduction.Status.FORWARDED)
    ).count()
    return PeoplePage(
        connections=people_rows(viewer, connections, connected=True),
        connection_count=len(ties),
        incoming=[
            Person(r.sender, linked=r.sender.profile.profile_visibility <= LISTED, extra=r)
            for r in incoming
        ],
        outgoing=[
            Person(r.recipient, linked=r.recipient.profile.profile_visibility <= LISTED, extra=r)
            for r in outgoing
        ],
        following=[
            Person(
                f.followee,
                linked=f.followee.profile.profile_visibility
                <= _tier(viewer, f.followee_id in ties),
            )
            for f in follows
        ],
        blocked=blocked,
        suggestions=people_you_may_know(viewer, limit=suggestions, connected=ties),
        intros_waiting=waiting,
    )


@dataclass(frozen=True)
class Relation:
    """The viewer's ties to one member."""

    can_act: bool  # both are members, and it is not the viewer's own profile
    connected: bool = False
    request_out: int | None = None  # id of the viewer's pending request to them
    request_in: int | None = None  # id of their pending request to the viewer
    following: bool = False
    intro_open: int | None = None  # id of the viewer's open introduction to them


def relation_to(viewer: Viewer, member: User) -> Relation:
    """The viewer's ties to one member: connected, pending requests either way, following,
    an open introduction (one query; the Connect and Intro pages show them)."""
    if not is_fabric_member(viewer) or viewer.pk == member.pk or member.role != Role.MEMBER:
        return Relation(can_act=False)
    pending = ConnectionRequest.objects.filter(status=ConnectionRequest.Status.PENDING)
    opened = Introduction.objects.filter(
        requester_id=viewer.pk,
        target=OuterRef("pk"),
        status__in=(Introduction.Status.ASKED, Introduction.Status.FORWARDED),
    )
    # Annotation names carry a prefix: "following" is already a relation on User.
    row = (
        User.objects.filter(pk=member.pk)
        .annotate(
            rel_connected=Exists(
                Connection.objects.filter(
                    Q(member_a_id=viewer.pk, member_b=OuterRef("pk"))
                    | Q(member_a=OuterRef("pk"), member_b_id=viewer.pk)
                )
            ),
            rel_request_out=Subquery(
                pending.filter(sender_id=viewer.pk, recipient=OuterRef("pk")).values("pk")[:1]
            ),
            rel_request_in=Subquery(
                pending.filter(sender=OuterRef("pk"), recipient_id=viewer.pk).values("pk")[:1]
            ),
            rel_following=Exists(
                Follow.objects.filter(follower_id=viewer.pk, followee=OuterRef("pk"))
            ),
            rel_intro_open=Subquery(opened.values("pk")[:1]),
        )
        .values(*(f"rel_{name}" for name in RELATION_FIELDS))
        .first()
    )
    if row is None:
        return Relation(can_act=False)
    return Relation(can_act=True, **{name: row[f"rel_{name}"] for name in RELATION_FIELDS})


RELATION_FIELDS = ("connected", "request_out", "request_in", "following", "intro_open")


def intros_of(viewer: User) -> QuerySet:
    """Introductions the viewer takes part in as requester, introducer or target (once
    forwarded to them), newest first; earlier introducers on long paths are not included."""
    return (
        Introduction.objects.filter(
            Q(requester=viewer)
            | Q(introducer=viewer)
            | Q(target=viewer, forwarded_at__isnull=False)
        )
        .select_related("requester", "introducer", "target", "woven_by")
        .order_by("-created_at", "-pk")
    )


@dataclass
class IntroLists:
    to_make: list[Introduction]  # the viewer is asked to introduce
    for_me: list[Introduction]  # forwarded to the viewer, waiting for their answer
    mine: list[Introduction]  # asked by the viewer (or woven for them)
    past: list[Introduction] = field(default_factory=list)  # others they took part in


def intros_for(viewer: User, *, limit: int = 50) -> IntroLists:
    rows = Introduction.objects.select_related("requester", "introducer", "target", "woven_by")
    return IntroLists(
        to_make=list(rows.filter(introducer=viewer, status=Introduction.Status.ASKED)[:limit]),
        for_me=list(rows.filter(target=viewer, status=Introduction.Status.FORWARDED)[:limit]),
        mine=list(rows.filter(requester=viewer)[:limit]),
        past=list(
            rows.filter(
                Q(introducer=viewer) & ~Q(status=Introduction.Status.ASKED)
                | Q(target=viewer, forwarded_at__isnull=False)
                & ~Q(status=Introduction.Status.FORWARDED)
            )[:limit]
        ),
    )


# People you may know --------------------------------------------------------------------

# How much each shared thing counts. Events do not exist yet: their weight is here, at zero,
# so that adding them is a data change (see docs/fabric.md).
WEIGHT_MUTUAL = 3.0
WEIGHT_SKILL = 1.0
WEIGHT_GROUP = 1.5
WEIGHT_EVENT = 0.0
CANDIDATES = 50
TOP_SKILLS = 5


@dataclass
class Suggestion:
    member: User
    mutual: int
    shared_skills: list[str]
    shared_groups: int
    score: float

    @property
    def reason(self) -> str:
        parts = []
        if self.mutual:
            parts.append(
                ngettext("%(n)d mutual connection", "%(n)d mutual connections", self.mutual)
                % {"n": self.mutual}
            )
        if self.shared_skills:
            parts.append(_("both %(skills)s") % {"skills": ", ".join(self.shared_skills[:2])})
        if self.shared_groups:
            parts.append(
                ngettext("%(n)d group in common", "%(n)d groups in common", self.shared_groups)
                % {"n": self.shared_groups}
            )
        return " · ".join(parts)


def _not_to_suggest(viewer: User) -> set[int]:
    """Blocked either way, dismissed, or with a pending request either way (one query)."""
    v = viewer.pk
    pending = ConnectionRequest.objects.filter(status=ConnectionRequest.Status.PENDING)
    # Unordered parts: a compound SELECT takes no ORDER BY in its members.
    rows = (
        Block.objects.filter(blocker_id=v).order_by().values_list("blocked_id")
        .union(Block.objects.filter(blocked_id=v).order_by().values_list("blocker_id"))
        .union(SuggestionDismissal.objects.filter(user_id=v).order_by().values_list("suggested_id"))
        .union(pending.filter(sender_id=v).order_by().values_list("recipient_id"))
        .union(pending.filter(recipient_id=v).order_by().values_list("sender_id"))
    )  # fmt: skip
    return {pk for (pk,) in rows}


def people_you_may_know(
    viewer: User, *, limit: int = 10, connected: set[int] | None = None
) -> list[Suggestion]:
    """Members the viewer may want to connect with, best first, each with its reason.

    Ranked by mutual connections (one engine call), shared skills and shared groups;
    leaves out the viewer's connections, anyone blocked either way, dismissed, or with a
    pending request, and profiles the viewer may not list.
    """
    if not is_fabric_member(viewer):
        return []
    if connected is None:
        connected = connected_ids(viewer.pk)
    excluded = _not_to_suggest(viewer) | connected | {viewer.pk}
    with runtime.graph_for_reading() as graph:
        fof = graph.friends_of_friends(viewer.pk, k=CANDIDATES, exclude=excluded)
    mutual = {int(pk): int(n) for pk, n in fof}
    my_skills = (
        ProfileSkill.objects.filter(profile_id=viewer.pk)
        .order_by("-level", "-years", "pk")
        .values("skill_id")[:TOP_SKILLS]
    )
    listable = Q(
        profile__profile_visibility__lte=LISTED,
        profile__user__is_active=True,
        profile__user__role=Role.MEMBER,
        profile__user__admitted_at__isnull=False,
    )
    by_skill = (
        ProfileSkill.objects.filter(
            listable, skill_id__in=my_skills, profile__skills_visibility__lte=LISTED
        )
        .exclude(profile_id__in=excluded)
        .values("profile_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "-profile_id")[:CANDIDATES]
    )
    my_groups = GroupMembership.objects.filter(user_id=viewer.pk).values("group_id")
    co_members = (
        GroupMembership.objects.filter(group_id__in=my_groups)
        .exclude(user_id__in=excluded)
        .values("user_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "-user_id")
        .values_list("user_id", "n")[:CANDIDATES]
    )
    groups = dict(co_members)
    candidates = set(mutual) | {row["profile_id"] for row in by_skill} | set(groups)
    if not candidates:
        return []
    profiles = {
        p.user_id: p
        for p in Profile.objects.filter(
            user_id__in=candidates,
            profile_visibility__lte=LISTED,
            user__is_active=True,
            user__role=Role.MEMBER,
            user__admitted_at__isnull=False,
        ).select_related("user")
    }
    skills: dict[int, list[str]] = {}
    for profile_id, name in (
        ProfileSkill.objects.filter(
            profile_id__in=profiles, skill_id__in=my_skills, profile__skills_visibility__lte=LISTED
        )
        .order_by("profile_id", "skill__name")
        .values_list("profile_id", "skill__name")
    ):
        skills.setdefault(profile_id, []).append(name)
    if len(groups) == CANDIDATES:
        # The top co-members were cut off: count exactly for the other candidates too.
        rest = [pk for pk in profiles if pk not in groups]
        groups.update(
            GroupMembership.objects.filter(group_id__in=my_groups, user_id__in=rest)
            .values("user_id")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("user_id", "n")
        )
    ranked = []
    for pk, profile in profiles.items():
        shared = skills.get(pk, [])
        in_groups = groups.get(pk, 0)
        score = (
            WEIGHT_MUTUAL * mutual.get(pk, 0)
            + WEIGHT_SKILL * len(shared)
            + WEIGHT_GROUP * in_groups
            + WEIGHT_EVENT * 0
        )
        if score <= 0:
            continue
        member = profile.user
        member.profile = profile
        ranked.append(Suggestion(member, mutual.get(pk, 0), shared, in_groups, score))
    ranked.sort(key=lambda s: (-s.score, -s.mutual, s.member.name, s.member.pk))
    return ranked[:limit]
