"""Rows of the authorization matrix for the Square, groups and notifications (pages and API).

The rules (docs/square.md): the admitted community reads the Square, clients only read,
members and staff write; invite-only groups and their threads do not exist for outsiders
(404); notifications are their owner's alone (404 for anyone else).

Variants: `foreign` is someone else's object the role may see (a topic thread, an open
group), `hidden` is one it may not (an invite-only group and its thread), `own` is the
role's own (its post, group, invitation or notification; roles without one fall back to
`foreign`), `missing` does not exist.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from tests.security.matrix import MISSING, ROLES, Row, World, community, managers, signed_in, static
from townsquare.conversations import groups, square_services
from townsquare.conversations.models import Group, GroupInvitation
from townsquare.conversations.notifications import notify
from townsquare.conversations.square_selectors import can_post

OBJECT = ("foreign", "hidden", "missing")
OWNED = ("own", "foreign", "hidden", "missing")
MINE = ("own", "foreign", "missing")
POSTERS = ("member", "manager", "admin")


def _square(world: World) -> SimpleNamespace:
    """The objects every row looks at, built once per test."""
    cached = getattr(world, "square_objects", None)
    if cached is not None:
        return cached
    other = world.other_member
    topic = square_services.create_topic(world.user("manager"), name="Matrix topic")
    thread = square_services.start_thread(other, topic=topic, title="Foreign thread", body="hi")
    open_group = groups.create_group(other, name="Matrix open group")
    secret = groups.create_group(other, name="Matrix secret group", access=Group.Access.INVITE)
    secret_thread = square_services.start_thread(other, group=secret, title="Secret", body="shh")
    objects = SimpleNamespace(
        topic=topic, thread=thread, post=thread.posts.get(), open_group=open_group,
        secret=secret, secret_thread=secret_thread, secret_post=secret_thread.posts.get(),
        foreign_invitation=GroupInvitation.objects.create(
            group=secret, invitee=world.hidden_member, invited_by=other
        ),
        foreign_notification=notify(other, "connection_request", text="not yours"),
    )  # fmt: skip
    world.square_objects = objects  # type: ignore[attr-defined]
    return objects


def _poster(world: World, role: str) -> Any:
    user = world.user(role)
    return user if user is not None and can_post(user) else None


def topic_id(world: World, role: str, variant: str) -> int:
    return _square(world).topic.pk if variant != "missing" else MISSING


def thread_id(world: World, role: str, variant: str) -> int:
    objects = _square(world)
    return {"foreign": objects.thread.pk, "hidden": objects.secret_thread.pk}.get(variant, MISSING)


def post_id(world: World, role: str, variant: str) -> int:
    objects = _square(world)
    user = _poster(world, role)
    if variant == "own" and user is not None:
        mine = square_services.start_thread(user, topic=objects.topic, title="Mine", body="mine")
        return mine.posts.get().pk
    if variant in ("own", "foreign"):
        return objects.post.pk
    return objects.secret_post.pk if variant == "hidden" else MISSING


def group_id(world: World, role: str, variant: str) -> int:
    objects = _square(world)
    user = _poster(world, role)
    if variant == "own" and user is not None:
        mine = groups.create_group(user, name=f"Matrix group of {role}")
        groups.join_group(world.other_member, mine)
        return mine.pk
    if variant in ("own", "foreign"):
        return objects.open_group.pk
    return objects.secret.pk if variant == "hidden" else MISSING


def invitation_id(world: World, role: str, variant: str) -> int:
    objects = _square(world)
    user = _poster(world, role)
    if variant == "own" and user is not None:
        return GroupInvitation.objects.create(
            group=objects.secret, invitee=user, invited_by=world.other_member
        ).pk
    return objects.foreign_invitation.pk if variant in ("own", "foreign") else MISSING


def notification_id(world: World, role: str, variant: str) -> int:
    objects = _square(world)
    user = world.user(role)
    if variant == "own" and user is not None:
        return notify(user, "connection_request", text="yours").pk
    return objects.foreign_notification.pk if variant in ("own", "foreign") else MISSING


def page(outcomes: dict[str, str], *, client: dict[str, str] | str | None = None) -> dict[str, Any]:
    """A community page by variant: posters get `outcomes`, clients `client` (or the same)."""
    expect: dict[str, Any] = {"anonymous": "login", "applicant": "away"}
    for role in POSTERS:
        expect[role] = outcomes
    expect["client"] = outcomes if client is None else client
    return expect


def api(
    outcomes: dict[str, str] | str, *, client: dict[str, str] | str | None = None
) -> dict[str, Any]:
    """An API operation for the community: 401 anonymous, 403 applicants."""
    expect: dict[str, Any] = {"anonymous": "401", "applicant": "403"}
    for role in POSTERS:
        expect[role] = outcomes
    expect["client"] = outcomes if client is None else client
    return expect


def _path(template: str, pick: Any) -> Any:
    return lambda w, r, v: template.format(pick(w, r, v))


VISIBLE = {"foreign": "ok", "hidden": "404", "missing": "404"}
ACTED = {"foreign": "away", "hidden": "404", "missing": "404"}
CLIENT_REFUSED = {"foreign": "403", "hidden": "404", "missing": "404"}

DECISIONS: dict[str, Row] = {
    # Square pages
    "conversations:square": Row("GET", static("/square/"), community("ok")),
    "conversations:topic-create": Row("GET", static("/square/topics/new/"), managers("ok")),
    "conversations:topic": Row(
        "GET",
        _path("/square/topics/{}/", topic_id),
        community({"foreign": "ok", "missing": "404"}),
        variants=("foreign", "missing"),
    ),
    "conversations:topic-edit": Row(
        "GET",
        _path("/square/topics/{}/edit/", topic_id),
        managers({"foreign": "ok", "missing": "404"}),
        variants=("foreign", "missing"),
    ),
    "conversations:thread-create": Row(
        "GET",
        _path("/square/topics/{}/new/", topic_id),
        page({"foreign": "ok", "missing": "404"}, client={"foreign": "403", "missing": "404"}),
        variants=("foreign", "missing"),
    ),
    "conversations:thread": Row(
        "GET", _path("/square/threads/{}/", thread_id), page(VISIBLE), variants=OBJECT
    ),
    "conversations:thread-reply": Row(
        "POST",
        _path("/square/threads/{}/reply/", thread_id),
        page(ACTED, client=CLIENT_REFUSED),
        variants=OBJECT,
        data={"body": "matrix reply"},
    ),
    "conversations:thread-pin": Row(
        "POST",
        _path("/square/threads/{}/pin/", thread_id),
        managers(ACTED),
        variants=OBJECT,
        data={"pinned": "on"},
    ),
    "conversations:post-edit": Row(
        "GET",
        _path("/square/posts/{}/edit/", post_id),
        page(
            {"own": "ok", "foreign": "403", "hidden": "404", "missing": "404"},
            client={"own": "403", "foreign": "403", "hidden": "404", "missing": "404"},
        ),
        variants=OWNED,
    ),  # fmt: skip
    "conversations:post-react": Row(
        "POST",
        _path("/square/posts/{}/react/", post_id),
        page(ACTED, client=CLIENT_REFUSED),
        variants=OBJECT,
        data={"emoji": "heart"},
    ),
    "conversations:post-hide": Row(
        "POST",
        _path("/square/posts/{}/hide/", post_id),
        managers(ACTED),
        variants=OBJECT,
        data={"hidden": "on"},
    ),
    # Group pages
    "conversations:groups": Row("GET", static("/square/groups/"), community("ok")),
    "conversations:group-create": Row(
        "GET",
        static("/square/groups/new/"),
        page("ok", client="403"),  # type: ignore[arg-type]
    ),
    "conversations:group": Row(
        "GET", _path("/square/groups/{}/", group_id), page(VISIBLE), variants=OBJECT
    ),
    "conversations:group-thread-create": Row(
        "GET",
        _path("/square/groups/{}/new/", group_id),
        page(
            {"own": "ok", "foreign": "403", "hidden": "404", "missing": "404"},
            client={"own": "403", "foreign": "403", "hidden": "404", "missing": "404"},
        ),
        variants=OWNED,
    ),  # fmt: skip
    "conversations:group-join": Row(
        "POST",
        _path("/square/groups/{}/join/", group_id),
        page({"own": "away", **ACTED}, client={"own": "403", **CLIENT_REFUSED}),
        variants=OWNED,
    ),
    "conversations:group-leave": Row(
        "POST",
        _path("/square/groups/{}/leave/", group_id),
        page({"own": "away", **ACTED}),
        variants=OWNED,
    ),
    # Olga is in the role's own group already: the invitation gets as far as being refused.
    "conversations:group-invite": Row(
        "POST",
        _path("/square/groups/{}/invite/", group_id),
        page({"own": "400", **CLIENT_REFUSED}, client={"own": "403", **CLIENT_REFUSED}),
        variants=OWNED,
        data={"member": "@OlgaOther"},
    ),
    "conversations:group-member-remove": Row(
        "POST",
        lambda w, r, v: f"/square/groups/{group_id(w, r, v)}/members/{w.other_member.pk}/remove/",
        page({"own": "away", **CLIENT_REFUSED}, client={"own": "403", **CLIENT_REFUSED}),
        variants=OWNED,
    ),
    "conversations:group-invitation-respond": Row(
        "POST",
        _path("/square/invitations/{}/", invitation_id),
        page(
            {"own": "away", "foreign": "404", "missing": "404"},
            client={"own": "404", "foreign": "404", "missing": "404"},
        ),
        variants=MINE,
        data={"accept": "0"},
    ),  # fmt: skip
    # Notification pages
    "conversations:notifications": Row("GET", static("/notifications/"), signed_in("ok")),
    "conversations:notifications-read-all": Row(
        "POST", static("/notifications/read/"), signed_in("away")
    ),
    "conversations:notification-open": Row(
        "POST",
        _path("/notifications/{}/open/", notification_id),
        {
            "anonymous": "login",
            **{r: {"own": "away", "foreign": "404", "missing": "404"} for r in ROLES[1:]},
        },
        variants=MINE,
    ),
    "conversations:notification-preferences": Row(
        "GET", static("/me/notifications/"), signed_in("ok")
    ),
    # API: the Square
    "GET /api/v1/square/topics": Row("GET", static("/api/v1/square/topics"), api("ok"), api=True),
    "POST /api/v1/square/topics": Row(
        "POST",
        static("/api/v1/square/topics"),
        managers("ok", others="403", anonymous="401"),
        data={"name": "Matrix made"},
        api=True,
    ),
    "PATCH /api/v1/square/topics/{topic_id}": Row(
        "PATCH",
        _path("/api/v1/square/topics/{}", topic_id),
        managers({"foreign": "ok", "missing": "404"}, others="403", anonymous="401"),
        variants=("foreign", "missing"),
        data={"position": 3},
        api=True,
    ),
    "GET /api/v1/square/topics/{topic_id}/threads": Row(
        "GET",
        _path("/api/v1/square/topics/{}/threads", topic_id),
        api({"foreign": "ok", "missing": "404"}),
        variants=("foreign", "missing"),
        api=True,
    ),
    "POST /api/v1/square/topics/{topic_id}/threads": Row(
        "POST",
        _path("/api/v1/square/topics/{}/threads", topic_id),
        api({"foreign": "ok", "missing": "404"}, client="403"),
        variants=("foreign", "missing"),
        data={"title": "Matrix", "body": "thread"},
        api=True,
    ),
    "GET /api/v1/square/threads/{thread_id}": Row(
        "GET",
        _path("/api/v1/square/threads/{}", thread_id),
        api(VISIBLE),
        variants=OBJECT,
        api=True,
    ),
    "POST /api/v1/square/threads/{thread_id}/pin": Row(
        "POST",
        _path("/api/v1/square/threads/{}/pin", thread_id),
        managers(VISIBLE, others="403", anonymous="401"),
        variants=OBJECT,
        data={"pinned": True},
        api=True,
    ),
    "GET /api/v1/square/threads/{thread_id}/posts": Row(
        "GET",
        _path("/api/v1/square/threads/{}/posts", thread_id),
        api(VISIBLE),
        variants=OBJECT,
        api=True,
    ),
    "POST /api/v1/square/threads/{thread_id}/posts": Row(
        "POST",
        _path("/api/v1/square/threads/{}/posts", thread_id),
        api(VISIBLE, client="403"),
        variants=OBJECT,
        data={"body": "matrix reply"},
        api=True,
    ),
    "PATCH /api/v1/square/posts/{post_id}": Row(
        "PATCH",
        _path("/api/v1/square/posts/{}", post_id),
        api({"own": "ok", "foreign": "403", "hidden": "404", "missing": "404"}, client="403"),
        variants=OWNED,
        data={"body": "edited"},
        api=True,
    ),
    "POST /api/v1/square/posts/{post_id}/reactions": Row(
        "POST",
        _path("/api/v1/square/posts/{}/reactions", post_id),
        api(VISIBLE, client="403"),
        variants=OBJECT,
        data={"emoji": "heart"},
        api=True,
    ),
    # API: groups
    "GET /api/v1/groups": Row("GET", static("/api/v1/groups"), api("ok"), api=True),
    "POST /api/v1/groups": Row(
        "POST",
        static("/api/v1/groups"),
        api("ok", client="403"),
        data={"name": "Matrix made"},
        api=True,
    ),
    "GET /api/v1/groups/invitations": Row(
        "GET", static("/api/v1/groups/invitations"), api("ok", client="403"), api=True
    ),
    "POST /api/v1/groups/invitations/{invitation_id}": Row(
        "POST",
        _path("/api/v1/groups/invitations/{}", invitation_id),
        api({"own": "ok", "foreign": "404", "missing": "404"}, client="403"),
        variants=MINE,
        data={"accept": False},
        api=True,
    ),
    "GET /api/v1/groups/{group_id}": Row(
        "GET", _path("/api/v1/groups/{}", group_id), api(VISIBLE), variants=OBJECT, api=True
    ),
    "POST /api/v1/groups/{group_id}/join": Row(
        "POST",
        _path("/api/v1/groups/{}/join", group_id),
        api({"own": "ok", **VISIBLE}, client="403"),
        variants=OWNED,
        api=True,
    ),
    "POST /api/v1/groups/{group_id}/leave": Row(
        "POST",
        _path("/api/v1/groups/{}/leave", group_id),
        api({"own": "ok", **VISIBLE}, client="403"),
        variants=OWNED,
        api=True,
    ),
    # The invitee does not exist: a member gets 404 for them, a non-member 403 first.
    "POST /api/v1/groups/{group_id}/invitations": Row(
        "POST",
        _path("/api/v1/groups/{}/invitations", group_id),
        api({"own": "404", "foreign": "403", "hidden": "404", "missing": "404"}, client="403"),
        variants=OWNED,
        data={"member_id": MISSING},
        api=True,
    ),
    "GET /api/v1/groups/{group_id}/threads": Row(
        "GET", _path("/api/v1/groups/{}/threads", group_id), api(VISIBLE), variants=OBJECT, api=True
    ),
    "POST /api/v1/groups/{group_id}/threads": Row(
        "POST",
        _path("/api/v1/groups/{}/threads", group_id),
        api({"own": "ok", "foreign": "403", "hidden": "404", "missing": "404"}, client="403"),
        variants=OWNED,
        data={"title": "Matrix", "body": "thread"},
        api=True,
    ),
    # API: notifications (anyone signed in has their own)
    "GET /api/v1/notifications": Row(
        "GET", static("/api/v1/notifications"), signed_in("ok", anonymous="401"), api=True
    ),
    "POST /api/v1/notifications/read": Row(
        "POST", static("/api/v1/notifications/read"), signed_in("ok", anonymous="401"), api=True
    ),
    "POST /api/v1/notifications/{notification_id}/read": Row(
        "POST",
        _path("/api/v1/notifications/{}/read", notification_id),
        {
            "anonymous": "401",
            **{r: {"own": "ok", "foreign": "404", "missing": "404"} for r in ROLES[1:]},
        },
        variants=MINE,
        api=True,
    ),
    "GET /api/v1/notifications/preferences": Row(
        "GET",
        static("/api/v1/notifications/preferences"),
        signed_in("ok", anonymous="401"),
        api=True,
    ),
    "PATCH /api/v1/notifications/preferences": Row(
        "PATCH",
        static("/api/v1/notifications/preferences"),
        signed_in("ok", anonymous="401"),
        data={"preferences": [{"kind": "digest", "email": False}]},
        api=True,
    ),
}

assert all(set(row.expect) == set(ROLES) for row in DECISIONS.values())
