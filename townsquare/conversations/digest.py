"""The weekly digest: the community newsletter, built per member and sent by the worker.

Sections (docs/square.md): the week's top threads the member may read (by replies plus
reactions), and new members who share one of their skills (admitted this week, only
profiles and skills the member may see). Upcoming events join once the events app exists;
until then the section is left out rather than shown empty.

Sending is claimed twice over so no member gets one week's digest twice: the sweep claims a
`DigestDelivery(user, week)` row (unique) per member, and the task claims that row again
(claimed → sending) before it sends.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from townsquare.conversations.models import (
    DigestDelivery,
    NotificationPreference,
    Post,
    Reaction,
    Thread,
)
from townsquare.conversations.notifications import preference
from townsquare.conversations.square_selectors import readable_threads
from townsquare.lib.tz import is_valid_zone
from townsquare.members.models import Profile, ProfileSkill, Role, User, Visibility
from townsquare.members.selectors import DirectoryFilters, directory_queryset, is_community

logger = logging.getLogger(__name__)

TOP_THREADS = 5
NEW_MEMBERS = 8
SWEEP_BATCH = 1000
RECIPIENT_ROLES = (Role.MEMBER, Role.MANAGER, Role.ADMIN)


def week_of(moment: datetime) -> date:
    """The Monday (UTC) of the week `moment` falls in: the key of one week's digest."""
    day = moment.astimezone(UTC).date()
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class DigestThread:
    thread: Thread
    replies: int
    reactions: int
    url: str


@dataclass(frozen=True)
class DigestMember:
    member: User
    headline: str
    shared_skills: list[str]
    url: str


@dataclass
class Digest:
    """One member's digest for the week ending `until`."""

    recipient: User
    since: datetime
    until: datetime
    threads: list[DigestThread] = field(default_factory=list)
    members: list[DigestMember] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.threads and not self.members


def top_threads(
    viewer: User, since: datetime, until: datetime, limit: int = TOP_THREADS
) -> list[DigestThread]:
    """The viewer's readable threads with the most replies plus reactions in the window."""
    window = Q(created_at__gte=since, created_at__lt=until)
    posts = (
        Post.objects.filter(window, thread=OuterRef("pk"), hidden=False)
        .order_by()
        .values("thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    reactions = (
        Reaction.objects.filter(window, post__thread=OuterRef("pk"), post__hidden=False)
        .order_by()
        .values("post__thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # The first post of a thread opened this week is not a reply.
    opened = Case(When(window, then=Value(1)), default=Value(0), output_field=IntegerField())
    replies = Coalesce(Subquery(posts, output_field=IntegerField()), 0) - opened
    ranked = (
        readable_threads(viewer)
        .filter(hidden=False)
        # Only threads with activity in the window (indexed on created_at) are scored.
        .filter(
            Q(pk__in=Post.objects.filter(window).values("thread_id"))
            | Q(pk__in=Reaction.objects.filter(window).values("post__thread_id"))
        )
        .annotate(
            week_replies=replies,
            week_reactions=Coalesce(Subquery(reactions, output_field=IntegerField()), 0),
        )
        .annotate(score=F("week_replies") + F("week_reactions"))
        .filter(score__gt=0)
        .select_related("topic", "group", "author")
        .order_by("-score", "-last_post_at", "-id")[:limit]
    )
    return [
        DigestThread(
            thread=t,
            replies=t.week_replies,
            reactions=t.week_reactions,
            url=settings.SITE_URL + reverse("conversations:thread", kwargs={"thread_id": t.pk}),
        )
        for t in ranked
    ]


def new_members_in_skills(
    viewer: User, since: datetime, until: datetime, limit: int = NEW_MEMBERS
) -> list[DigestMember]:
    """Members admitted in the window who share a skill with the viewer, as the viewer may see
    them: listed in the directory for them, with skills shown to the whole community."""
    mine = ProfileSkill.objects.filter(profile__user=viewer).values("skill_id")
    profiles = list(
        directory_queryset(viewer, DirectoryFilters())
        .filter(
            user__admitted_at__gte=since,
            user__admitted_at__lt=until,
            skills_visibility__lte=Visibility.MEMBERS,
            pk__in=ProfileSkill.objects.filter(skill_id__in=mine).values("profile_id"),
        )
        .exclude(user=viewer)[:limit]
    )
    if not profiles:
        return []
    shared: dict[int, list[str]] = {p.pk: [] for p in profiles}
    for row in (
        ProfileSkill.objects.filter(profile_id__in=list(shared), skill_id__in=mine)
        .select_related("skill")
        .order_by("profile_id", "-level", "skill__name")
    ):
        shared[row.profile_id].append(row.skill.name)
    return [
        DigestMember(
            member=p.user,
            headline=p.headline,
            shared_skills=shared[p.pk],
            url=settings.SITE_URL + reverse("members:profile", kwargs={"member_id": p.user_id}),
        )
        for p in profiles
    ]


def build_digest(recipient: User, *, now: datetime | None = None) -> Digest:
    until = now or timezone.now()
    since = until - timedelta(days=7)
    digest = Digest(recipient=recipient, since=since, until=until)
    if not is_community(recipient):
        return digest
    digest.threads = top_threads(recipient, since, until)
    if Profile.objects.filter(user=recipient).exists():
        digest.members = new_members_in_skills(recipient, since, until)
    return digest


def render_digest(digest: Digest) -> EmailMultiAlternatives:
    """The email: plain text and HTML, times in the recipient's zone."""
    user = digest.recipient
    zone = user.time_zone if is_valid_zone(user.time_zone) else "UTC"
    context = {
        "digest": digest,
        "user": user,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "square_url": settings.SITE_URL + reverse("conversations:square"),
        "preferences_url": settings.SITE_URL + reverse("conversations:notification-preferences"),
    }
    with timezone.override(zone):
        text = render_to_string("conversations/email/digest.txt", context)
        html = render_to_string("conversations/email/digest.html", context)
    subject = _("Your week in %(site)s") % {"site": settings.SITE_NAME}
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
        headers={"List-Unsubscribe": f"<{context['preferences_url']}>"},
    )
    message.attach_alternative(html, "text/html")
    return message


# Sending ----------------------------------------------------------------------------------


def _claim_for_sending(user_id: int, week: date) -> bool:
    """Moves this week's row from claimed to sending; only one caller ever succeeds."""
    DigestDelivery.objects.get_or_create(user_id=user_id, week=week)
    return (
        DigestDelivery.objects.filter(
            user_id=user_id, week=week, status=DigestDelivery.Status.CLAIMED
        ).update(status=DigestDelivery.Status.SENDING)
        == 1
    )


def _finish(user_id: int, week: date, status: str) -> str:
    DigestDelivery.objects.filter(user_id=user_id, week=week).update(
        status=status, sent_at=timezone.now() if status == DigestDelivery.Status.SENT else None
    )
    return status


def deliver_digest(user_id: int, *, week: date | None = None, now: datetime | None = None) -> str:
    """Builds and emails one member's digest for the week, at most once; returns the outcome.

    1. Claims the week's row (creating it when the sweep did not), claimed → sending.
    2. Skips people who left, lost access, or turned the digest email off.
    3. Sends nothing when there is nothing to tell (status "empty").
    4. Sends over the configured SMTP server; a failure is recorded and raised.
    """
    now = now or timezone.now()
    week = week or week_of(now)
    with transaction.atomic():
        if not _claim_for_sending(user_id, week):
            return "claimed-elsewhere"
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return "gone"
    if not (is_community(user) and user.role in RECIPIENT_ROLES and user.email):
        return _finish(user_id, week, DigestDelivery.Status.SKIPPED)
    if not preference(user.pk, "digest")[1]:
        return _finish(user_id, week, DigestDelivery.Status.SKIPPED)
    digest = build_digest(user, now=now)
    if digest.is_empty:
        return _finish(user_id, week, DigestDelivery.Status.EMPTY)
    try:
        render_digest(digest).send()
    except Exception:
        _finish(user_id, week, DigestDelivery.Status.FAILED)
        raise
    return _finish(user_id, week, DigestDelivery.Status.SENT)


def digest_recipients(week: date) -> QuerySet:
    """Ids of people due this week's digest: admitted, active, with email, not opted out,
    not claimed yet."""
    return (
        User.objects.filter(is_active=True, admitted_at__isnull=False, role__in=RECIPIENT_ROLES)
        .exclude(email="")
        .exclude(pk__in=DigestDelivery.objects.filter(week=week).values("user_id"))
        .exclude(
            pk__in=NotificationPreference.objects.filter(kind="digest", email=False).values(
                "user_id"
            )
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def enqueue_weekly_digests(*, now: datetime | None = None) -> int:
    """The sweep: claims this week's digest for everyone due one and queues a task each.

    Claims are rows of DigestDelivery, unique per (user, week), created in bulk with this
    sweep's own token; a row another sweep created first keeps its token, so each sweep
    queues exactly the rows it claimed and a second sweep in the same week queues none.
    """
    from townsquare.conversations.tasks import send_weekly_digest

    now = now or timezone.now()
    week = week_of(now)
    token = uuid.uuid4().hex
    total = 0
    while True:
        batch = list(digest_recipients(week)[:SWEEP_BATCH])
        if not batch:
            break
        with transaction.atomic():
            DigestDelivery.objects.bulk_create(
                [DigestDelivery(user_id=pk, week=week, claim=token) for pk in batch],
                ignore_conflicts=True,
            )
            mine = list(
                DigestDelivery.objects.filter(claim=token, user_id__in=batch).values_list(
                    "user_id", flat=True
                )
            )
            for user_id in mine:
                transaction.on_commit(
                    lambda user_id=user_id: send_weekly_digest.enqueue(user_id, week.isoformat())
                )
        total += len(mine)
    logger.info("digest sweep for week %s queued %d digests", week, total)
    return total
