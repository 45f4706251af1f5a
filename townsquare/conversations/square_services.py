"""Every write to the Square: topics, threads, posts, reactions, pins, moderation, reading.

Permission slips raise PermissionError (views and the API check first); refusals a person
can fix raise ValidationError with a message for them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from townsquare.conversations import mentions
from townsquare.conversations.models import (
    Group,
    GroupMembership,
    Mention,
    Post,
    Reaction,
    Thread,
    ThreadWatch,
    Topic,
)
from townsquare.conversations.notifications import mark_notifications_read_under, notify
from townsquare.conversations.square_selectors import can_post, can_reply, is_first_post
from townsquare.lib import ratelimit
from townsquare.members.models import User
from townsquare.members.selectors import blocked_between, is_community
from townsquare.pulse.services import record_audit

MAX_BODY = 20_000
# Posting limits per member: generous for conversation, tight enough to stop a flood.
POSTS_PER_WINDOW, POST_WINDOW = 30, 10 * 60
THREADS_PER_WINDOW, THREAD_WINDOW = 10, 60 * 60


def one_line(text: str | None) -> str:
    """Titles and names on one line: they end up in email subjects and notices."""
    return " ".join((text or "").split())


def thread_url(thread: Thread) -> str:
    return reverse("conversations:thread", kwargs={"thread_id": thread.pk})


def post_url(post: Post) -> str:
    """A link to a post that lands on the page of the thread that shows it."""
    return f"{thread_url(post.thread)}?post={post.pk}"


def _check_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Write something first.")]})
    if len(body) > MAX_BODY:
        raise ValidationError(
            {"body": [_("Keep a post under %(n)s characters.") % {"n": f"{MAX_BODY:,}"}]}
        )
    return body


def _check_rate(actor: User, scope: str, limit: int, window: int) -> None:
    if not ratelimit.hit(scope, str(actor.pk), limit, window).allowed:
        raise ValidationError(_("You are posting very fast; wait a few minutes and try again."))


def _require_manager(actor: User) -> None:
    if not (is_community(actor) and actor.is_manager):
        raise PermissionError("community managers only")


# Topics -----------------------------------------------------------------------------------


def _check_topic_name(name: str, exclude: int | None = None) -> str:
    name = one_line(name)
    if not name:
        raise ValidationError({"name": [_("A topic needs a name.")]})
    taken = Topic.objects.filter(name__iexact=name).exclude(pk=exclude)
    if taken.exists():
        raise ValidationError({"name": [_("There is a topic with this name already.")]})
    return name


@transaction.atomic
def create_topic(actor: User, *, name: str, description: str = "", position: int = 0) -> Topic:
    _require_manager(actor)
    name = _check_topic_name(name)
    try:
        with transaction.atomic():
            topic = Topic.objects.create(
                name=name, description=description.strip(), position=position
            )
    except IntegrityError:  # the same name, created a moment ago
        raise ValidationError({"name": [_("There is a topic with this name already.")]}) from None
    record_audit(actor, "square.topic.create", topic, data={"name": topic.name})
    return topic


@transaction.atomic
def update_topic(
    actor: User, topic: Topic, *, name: str, description: str = "", position: int = 0
) -> Topic:
    _require_manager(actor)
    topic.name = _check_topic_name(name, exclude=topic.pk)
    topic.description = description.strip()
    topic.position = position
    topic.save(update_fields=["name", "description", "position"])
    record_audit(actor, "square.topic.update", topic, data={"name": topic.name})
    return topic


# Threads and posts ------------------------------------------------------------------------


def _can_write_in_group(actor: User, group: Group) -> bool:
    return GroupMembership.objects.filter(group=group, user=actor).exists()


@transaction.atomic
def start_thread(
    actor: User, *, title: str, body: str, topic: Topic | None = None, group: Group | None = None
) -> Thread:
    """Opens a thread with its first post.

    1. Checks the actor may post there (a topic; or a group they belong to).
    2. Creates the thread and the first post, mentions resolved and rendered.
    3. The author watches the thread; mentioned people are notified.
    """
    if (topic is None) == (group is None):
        raise ValueError("a thread lives in exactly one topic or one group")
    if not can_post(actor) or (group is not None and not _can_write_in_group(actor, group)):
        raise PermissionError("may not start a thread here")
    title = one_line(title)
    if not title:
        raise ValidationError({"title": [_("A thread needs a title.")]})
    body = _check_body(body)
    _check_rate(actor, "square-thread", THREADS_PER_WINDOW, THREAD_WINDOW)
    now = timezone.now()
    thread = Thread.objects.create(
        topic=topic, group=group, title=title[:160], author=actor, last_post_at=now,
        last_poster=actor,
    )  # fmt: skip
    post = _create_post(actor, thread, body)
    Thread.objects.filter(pk=thread.pk).update(
        post_count=1, last_post_id=post.pk, last_post_at=post.created_at
    )
    thread.refresh_from_db()
    ThreadWatch.objects.create(thread=thread, user=actor, last_read_post_id=post.pk)
    return thread


def _create_post(actor: User, thread: Thread, body: str) -> Post:
    refs = mentions.find_refs(body)
    resolved = mentions.resolve(actor, refs, thread)
    post = Post.objects.create(
        thread=thread, author=actor, body=body, body_html=mentions.render_body(body, resolved)
    )
    _mention(actor, post, set(resolved.values()))
    return post


def _mention(actor: User, post: Post, people: set[User]) -> set[int]:
    """Records and notifies the people newly named in this post; returns their ids."""
    already = set(Mention.objects.filter(post=post).values_list("user_id", flat=True))
    new = [u for u in people if u.pk != actor.pk and u.pk not in already][: mentions.MAX_MENTIONS]
    Mention.objects.bulk_create([Mention(post=post, user=u) for u in new])
    title = Truncator(post.thread.title).chars(80)
    for person in new:
        notify(
            person,
            "mention",
            text=_("%(name)s mentioned you in “%(title)s”") % {"name": actor.name, "title": title},
            url=post_url(post),
            actor=actor,
        )
    return {u.pk for u in new}


@transaction.atomic
def post_reply(actor: User, thread: Thread, *, body: str) -> Post:
    """Adds a reply to a thread.

    1. Checks the actor may reply (a topic thread; a group thread of their group).
    2. Creates the post (mentions resolved, rendered, recorded, notified) and moves the
       thread's counters and last activity.
    3. The author watches the thread and has read it up to their reply.
    4. Other watchers who may still read the thread get a "reply" notification — one per
       thread until they read it; people just mentioned are not told twice.
    """
    if not can_reply(actor, thread):
        raise PermissionError("may not reply here")
    body = _check_body(body)
    _check_rate(actor, "square-post", POSTS_PER_WINDOW, POST_WINDOW)
    post = _create_post(actor, thread, body)
    Thread.objects.filter(pk=thread.pk).update(post_count=F("post_count") + 1)
    Thread.objects.filter(pk=thread.pk, last_post_id__lt=post.pk).update(
        last_post_id=post.pk, last_post_at=post.created_at, last_poster=actor
    )
    watch, created = ThreadWatch.objects.get_or_create(
        thread=thread, user=actor, defaults={"last_read_post_id": post.pk}
    )
    if not created:
        ThreadWatch.objects.filter(pk=watch.pk).update(
            last_read_post_id=post.pk, reply_notified_at=None, reply_notification=None
        )
    mentioned = set(Mention.objects.filter(post=post).values_list("user_id", flat=True))
    _notify_watchers(actor, thread, post, skip=mentioned)
    return post


def _notify_watchers(actor: User, thread: Thread, post: Post, *, skip: set[int]) -> None:
    watches = list(
        ThreadWatch.objects.filter(thread=thread)
        .exclude(user=actor)
        .exclude(user_id__in=skip)
        .exclude(user_id__in=blocked_between(actor))
        .select_related("user", "reply_notification")
    )
    if not watches:
        return
    if thread.group_id is not None and thread.group.access != Group.Access.OPEN:
        in_group = set(
            GroupMembership.objects.filter(group_id=thread.group_id).values_list(
                "user_id", flat=True
            )
        )
    else:
        in_group = None
    title = Truncator(thread.title).chars(80)
    now = timezone.now()
    for watch in watches:
        person = watch.user
        if not is_community(person) or (in_group is not None and person.pk not in in_group):
            continue
        note = watch.reply_notification
        pending = watch.reply_notified_at is not None and (note is None or note.read_at is None)
        if pending:
            continue
        note = notify(
            person,
            "reply",
            text=_("%(name)s replied in “%(title)s”") % {"name": actor.name, "title": title},
            url=post_url(post),
            actor=actor,
        )
        ThreadWatch.objects.filter(pk=watch.pk).update(
            reply_notified_at=now, reply_notification=note
        )


@transaction.atomic
def edit_post(actor: User, post: Post, *, body: str, title: str | None = None) -> Post:
    """Changes one's own post (and the thread's title, from its first post).

    Newly mentioned people are notified; people mentioned before are not told again.
    """
    if post.author_id != actor.pk or not can_post(actor):
        raise PermissionError("only the author edits a post")
    body = _check_body(body)
    thread = post.thread
    if title is not None and is_first_post(post):
        title = one_line(title)
        if not title:
            raise ValidationError({"title": [_("A thread needs a title.")]})
        if title != thread.title:
            thread.title = title[:160]
            thread.save(update_fields=["title"])
    if body != post.body:
        resolved = mentions.resolve(actor, mentions.find_refs(body), thread)
        post.body = body
        post.body_html = mentions.render_body(body, resolved)
        post.edited_at = timezone.now()
        post.save(update_fields=["body", "body_html", "edited_at"])
        _mention(actor, post, set(resolved.values()))
    return post


@transaction.atomic
def toggle_reaction(actor: User, post: Post, emoji: str) -> bool:
    """Adds the reaction, or takes it back if the actor had it; True when it is now on."""
    if emoji not in Reaction.Emoji.values:
        raise ValidationError({"emoji": [_("Choose one of the offered reactions.")]})
    if not can_reply(actor, post.thread):
        raise PermissionError("may not react here")
    deleted, _rows = Reaction.objects.filter(post=post, user=actor, emoji=emoji).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            Reaction.objects.create(post=post, user=actor, emoji=emoji)
    except IntegrityError:
        pass  # a double click raced us: the reaction is on either way
    return True


# Managers: pins and moderation ------------------------------------------------------------


@transaction.atomic
def set_thread_pinned(actor: User, thread: Thread, pinned: bool) -> Thread:
    _require_manager(actor)
    if thread.is_pinned != pinned:
        thread.is_pinned = pinned
        thread.pinned_at = timezone.now() if pinned else None
        thread.save(update_fields=["is_pinned", "pinned_at"])
        record_audit(actor, "square.thread.pin" if pinned else "square.thread.unpin", thread)
    return thread


def _refresh_thread_stats(thread: Thread) -> None:
    visible = Post.objects.filter(thread=thread, hidden=False).order_by("-id")
    last = visible.first()
    Thread.objects.filter(pk=thread.pk).update(
        post_count=visible.count(),
        last_post_id=last.pk if last else 0,
        last_post_at=last.created_at if last else thread.created_at,
        last_poster=last.author_id if last else None,
    )


@transaction.atomic
def set_post_hidden(actor: User, post: Post, hidden: bool, *, reason: str = "") -> Post:
    """Hides a post from everyone but managers (or shows it again); the first post's thread
    is hidden with it."""
    _require_manager(actor)
    if post.hidden != hidden:
        post.hidden = hidden
        post.save(update_fields=["hidden"])
        if is_first_post(post):
            Thread.objects.filter(pk=post.thread_id).update(hidden=hidden)
        _refresh_thread_stats(post.thread)
        record_audit(
            actor, "square.post.hide" if hidden else "square.post.show", post, reason=reason
        )
    return post


# Reading ----------------------------------------------------------------------------------


@transaction.atomic
def mark_thread_read(user: Any, thread: Thread, up_to_post_id: int) -> None:
    """The member has seen the thread up to this post: their notices about it are read."""
    if not user.is_authenticated:
        return
    ThreadWatch.objects.filter(thread=thread, user=user).filter(
        Q(last_read_post_id__lt=up_to_post_id) | Q(reply_notified_at__isnull=False)
    ).update(
        last_read_post_id=Greatest(F("last_read_post_id"), Value(up_to_post_id)),
        reply_notified_at=None,
        reply_notification=None,
    )
    mark_notifications_read_under(user, thread_url(thread))
