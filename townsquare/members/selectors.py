"""Reads about members, each taking the viewer and returning only what the viewer may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, When, Window
from django.http import Http404

from townsquare.fabric.models import Block, Connection
from townsquare.lib.tz import zones_in_window
from townsquare.members.models import Application, Profile, ProfileSkill, Role, User, Visibility
from townsquare.members.search import order_by_rank, search_profiles

Viewer = User | AnonymousUser

FIELD_GROUPS = ("bio", "skills", "rate", "availability", "location", "links")


def is_community(viewer: Viewer) -> bool:
    """Signed in with an active account that has been admitted (any role)."""
    return bool(viewer.is_authenticated and viewer.is_active and viewer.admitted_at is not None)


def are_connected(a: User, b: User) -> bool:
    low, high = sorted((a.pk, b.pk))
    return Connection.objects.filter(member_a_id=low, member_b_id=high).exists()


def connection_ids(user: User) -> QuerySet:
    """Ids of the members `user` is connected to, as a subquery."""
    return Connection.objects.filter(Q(member_a=user) | Q(member_b=user)).values_list(
        "member_a_id", "member_b_id"
    )


def viewer_tier(viewer: Viewer, member: User) -> int:
    """The highest visibility level the viewer may see on this member's profile."""
    if not viewer.is_authenticated or not viewer.is_active:
        return Visibility.PUBLIC
    if viewer.pk == member.pk:
        return Visibility.ONLY_ME
    if viewer.admitted_at is None:
        return Visibility.PUBLIC
    # Managers review applications and moderate: they see what connections see.
    connected = getattr(member, "viewer_connected", None)
    if connected is None:
        connected = are_connected(viewer, member)
    if viewer.is_manager or connected:
        return Visibility.CONNECTIONS
    return Visibility.MEMBERS


@dataclass(frozen=True)
class ProfileView:
    """A profile as one viewer may see it: hidden parts are None."""

    member: User
    profile: Profile
    tier: int
    visible: dict[str, bool]
    skills: list[ProfileSkill] | None

    @property
    def is_own(self) -> bool:
        return self.tier == Visibility.ONLY_ME


def _member_queryset() -> QuerySet:
    return User.objects.filter(role=Role.MEMBER, is_active=True).select_related("profile")


def blocked_between(viewer: User) -> QuerySet:
    """Ids of people the viewer blocked or who blocked the viewer, as a subquery.

    Read from the blocks table alone: going through users made PostgreSQL join every
    account to the blocks (about 30 ms per directory search at 100,000 members).
    """
    return (
        Block.objects.filter(Q(blocker=viewer) | Q(blocked=viewer))
        .annotate(
            other_id=Case(When(blocker=viewer, then=F("blocked_id")), default=F("blocker_id"))
        )
        .values("other_id")
    )


def get_member_for(viewer: Viewer, member_id: int) -> User:
    """The member if the viewer may see their profile at all; Http404 otherwise.

    One query: the viewer's relationship to the member (connected, blocked either way) comes
    along as annotations, which `viewer_tier` then uses.
    """
    members = _member_queryset()
    if viewer.is_authenticated:
        low_high = Q(member_a=viewer, member_b=OuterRef("pk")) | Q(
            member_a=OuterRef("pk"), member_b=viewer
        )
        members = members.annotate(
            viewer_connected=Exists(Connection.objects.filter(low_high)),
            viewer_blocked=Exists(
                Block.objects.filter(
                    Q(blocker=viewer, blocked=OuterRef("pk"))
                    | Q(blocker=OuterRef("pk"), blocked=viewer)
                )
            ),
        )
    try:
        member = members.get(pk=member_id)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if viewer.is_authenticated and viewer.pk == member.pk:
        return member
    # A block hides both people from each other, staff included (they moderate elsewhere).
    if getattr(member, "viewer_blocked", False):
        raise Http404
    if member.admitted_at is None and not (viewer.is_authenticated and viewer.is_manager):
        raise Http404
    if member.profile.profile_visibility > viewer_tier(viewer, member):
        raise Http404
    return member


def profile_view_for(viewer: Viewer, member: User) -> ProfileView:
    profile = member.profile
    tier = viewer_tier(viewer, member)
    visible = {g: getattr(profile, f"{g}_visibility") <= tier for g in FIELD_GROUPS}
    skills = None
    if visible["skills"]:
        skills = list(profile.skills.select_related("skill"))
    return ProfileView(member=member, profile=profile, tier=tier, visible=visible, skills=skills)


@dataclass(frozen=True)
class DirectoryFilters:
    """One definition of the directory's filters, for the HTML page and the API alike."""

    q: str = ""
    skill_ids: tuple[int, ...] = ()
    min_hours: int | None = None
    available_by: date | None = None
    rate_min: Decimal | None = None
    rate_max: Decimal | None = None
    tz_min: float | None = None
    tz_max: float | None = None

    @property
    def is_empty(self) -> bool:
        return self == DirectoryFilters()


def directory_queryset(viewer: Viewer, filters: DirectoryFilters) -> QuerySet:
    """Admitted members' profiles the viewer may list, filtered on parts they may see.

    Filters only look at parts visible to the whole signed-in community, so a filter never
    reveals a field through which members match.
    """
    if not is_community(viewer):
        return Profile.objects.none()
    listed = Q(profile_visibility__lte=Visibility.MEMBERS)
    if isinstance(viewer, User):
        pairs = connection_ids(viewer)
        connected = {a for a, _ in pairs} | {b for _, b in pairs}
        connected.discard(viewer.pk)
        if connected:
            listed |= Q(profile_visibility=Visibility.CONNECTIONS, user_id__in=connected)
    qs = Profile.objects.filter(
        listed, user__role=Role.MEMBER, user__is_active=True, user__admitted_at__isnull=False
    ).select_related("user")
    if isinstance(viewer, User):
        qs = qs.exclude(user_id__in=blocked_between(viewer))
    shared = Visibility.MEMBERS
    for skill_id in filters.skill_ids:
        qs = qs.filter(
            skills_visibility__lte=shared,
            pk__in=ProfileSkill.objects.filter(skill_id=skill_id).values("profile_id"),
        )
    if filters.min_hours is not None:
        qs = qs.filter(availability_visibility__lte=shared, available_hours__gte=filters.min_hours)
    if filters.available_by is not None:
        qs = qs.filter(
            Q(available_from__isnull=True) | Q(available_from__lte=filters.available_by),
            availability_visibility__lte=shared,
            available_hours__gt=0,
        )
    if filters.rate_min is not None:
        qs = qs.filter(rate_visibility__lte=shared, rate_usd__gte=filters.rate_min)
    if filters.rate_max is not None:
        qs = qs.filter(rate_visibility__lte=shared, rate_usd__lte=filters.rate_max)
    if filters.tz_min is not None or filters.tz_max is not None:
        low = filters.tz_min if filters.tz_min is not None else -12.0
        high = filters.tz_max if filters.tz_max is not None else 14.0
        qs = qs.filter(
            location_visibility__lte=shared, user__time_zone__in=sorted(zones_in_window(low, high))
        )
    if filters.q.strip():
        return order_by_rank(search_profiles(qs, filters.q))
    if filters.skill_ids:
        return qs.order_by("-available_hours", "-user__admitted_at", "pk")
    return qs.order_by("-user__admitted_at", "pk")


# What a directory listing shows (templates/members/directory.html, attach_skills): loading
# only these keeps the long texts (bio, its HTML, the search document) out of the sort.
LISTING_FIELDS = (
    "user_id", "headline", "hourly_rate", "currency", "available_hours", "profile_visibility",
    "skills_visibility", "rate_visibility", "availability_visibility", "location_visibility",
    "user__name", "user__time_zone",
)  # fmt: skip


def search_directory(
    viewer: Viewer, filters: DirectoryFilters, page: int = 1, per_page: int = 20
) -> Page:
    """One page of listing rows (LISTING_FIELDS only) and the total, from one query.

    The total is a window count over the same rows, so that a search's matches are found,
    ranked and counted once rather than again by the paginator's COUNT. A page past the
    end (no rows) falls back to the paginator's own count and last page.
    """
    queryset = directory_queryset(viewer, filters).only(*LISTING_FIELDS)
    paginator = Paginator(queryset, per_page)
    try:
        number = max(1, int(page))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * per_page
    rows = list(queryset.annotate(total_count=Window(Count("pk")))[start : start + per_page])
    if not rows:
        return paginator.get_page(number)
    paginator.count = rows[0].total_count  # a cached_property: no COUNT query
    return paginator._get_page(rows, number, paginator)


def attach_skills(profiles: list[Profile], limit: int = 6) -> None:
    """Puts the visible top skills on each listed profile in one query (`listed_skills`)."""
    ids = [p.pk for p in profiles if p.skills_visibility <= Visibility.MEMBERS]
    by_profile: dict[int, list[Any]] = {pk: [] for pk in ids}
    if ids:
        rows = (
            ProfileSkill.objects.filter(profile_id__in=ids)
            .select_related("skill")
            .order_by("profile_id", "-level", "-years")
        )
        for row in rows:
            if len(by_profile[row.profile_id]) < limit:
                by_profile[row.profile_id].append(row)
    for p in profiles:
        p.listed_skills = by_profile.get(p.pk, [])


def review_queue(viewer: Viewer, status: str = Application.Status.SUBMITTED) -> QuerySet:
    """Applications for managers to review, oldest first; nothing for anyone else."""
    if not (viewer.is_authenticated and viewer.is_manager):
        return Application.objects.none()
    return (
        Application.objects.filter(status=status)
        .select_related("user", "user__profile", "referred_by")
        .order_by("submitted_at", "pk")
    )


def application_counts(viewer: Viewer) -> dict[str, int]:
    if not (viewer.is_authenticated and viewer.is_manager):
        return {}
    rows = Application.objects.values("status").annotate(n=Count("pk")).order_by()
    return {row["status"]: row["n"] for row in rows}


def get_application_for(viewer: Viewer, application_id: int) -> Application:
    """Any application for a manager, the applicant's own for them; Http404 otherwise."""
    if not (viewer.is_authenticated and viewer.is_active):
        raise Http404
    applications = Application.objects.select_related(
        "user", "user__profile", "referred_by", "decided_by"
    )
    if not viewer.is_manager:
        applications = applications.filter(user_id=viewer.pk)
    try:
        return applications.get(pk=application_id)
    except (Application.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def waitlist_position(application: Application) -> int | None:
    """1-based place among waitlisted applications, by when they were waitlisted."""
    if application.status != Application.Status.WAITLISTED or application.decided_at is None:
        return None
    ahead = Application.objects.filter(
        Q(decided_at__lt=application.decided_at)
        | Q(decided_at=application.decided_at, pk__lt=application.pk),
        status=Application.Status.WAITLISTED,
    ).count()
    return ahead + 1
