"""Rows of the authorization matrix for the social fabric: pages and API operations.

Fabric actions are for admitted members: on pages other roles are sent home ("away") and
applicants to their application; in the API they get 403. Objects the caller does not take
part in (someone else's request or introduction, a member they do not follow or block) are
404. Path functions create what a variant needs: "own" is the caller's own request,
introduction, follow or block (only a member has one), "foreign" someone else's.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tests.security.matrix import MISSING, OBJECT_VARIANTS, ROLES, Row, World, member_path, static
from townsquare.fabric import runtime
from townsquare.fabric.models import Block, Connection, ConnectionRequest, Follow, Introduction
from townsquare.members import services as member_services
from townsquare.members.models import Profile, Role, User

OWN_FOREIGN_MISSING = ("own", "foreign", "missing")
# A member with a fixed id, for request bodies (rows' data cannot name objects made later).
FIXED_ID = 876_543


def members_only(outcome: Any, *, others: str = "away") -> dict[str, Any]:
    return {
        "anonymous": "login", "applicant": "away", "member": outcome,
        "client": others, "manager": others, "admin": others,
    }  # fmt: skip


def api_members(outcome: Any) -> dict[str, Any]:
    return {
        "anonymous": "401", "applicant": "403", "member": outcome,
        "client": "403", "manager": "403", "admin": "403",
    }  # fmt: skip


def _member(email: str, name: str) -> User:
    found = User.objects.filter(email=email).first()
    if found is not None:
        return found
    return member_services.create_account(email=email, name=name, role=Role.MEMBER)


def _fixed() -> User:
    found = User.objects.filter(pk=FIXED_ID).first()
    if found is None:
        found = User.objects.create_user(
            email="fixed@example.com", name="Fiona Fixed", role=Role.MEMBER, pk=FIXED_ID,
            admitted_at=timezone.now(),
        )  # fmt: skip
        Profile.objects.create(user=found)
    return found


def _connect(a: User, b: User) -> None:
    low, high = sorted((a.pk, b.pk))
    Connection.objects.get_or_create(member_a_id=low, member_b_id=high)
    runtime.runtime().reset()  # ties written directly: let the engine read them afresh


def _caller_member(world: World, role: str) -> User | None:
    user = world.user(role)
    return user if user is not None and user.role == Role.MEMBER and user.admitted_at else None


def _other(world: World) -> User:
    return world.other_member


def _third() -> User:
    return _member("third@example.com", "Theo Third")


# Objects per variant --------------------------------------------------------------------


def connected_path(world: World, role: str, variant: str) -> int:
    me = _caller_member(world, role)
    if variant == "own" and me is not None:
        _connect(me, _other(world))
        return _other(world).pk
    return _other(world).pk if variant == "foreign" else MISSING


def followed_path(world: World, role: str, variant: str) -> int:
    me = _caller_member(world, role)
    if variant == "own" and me is not None:
        Follow.objects.get_or_create(follower=me, followee=_other(world))
    return _other(world).pk if variant in ("own", "foreign") else MISSING


def blocked_path(world: World, role: str, variant: str) -> int:
    me = _caller_member(world, role)
    if variant == "own" and me is not None:
        Block.objects.get_or_create(blocker=me, blocked=_other(world))
    return _other(world).pk if variant in ("own", "foreign") else MISSING


def _request(sender: User, recipient: User) -> int:
    row, _created = ConnectionRequest.objects.get_or_create(
        sender=sender, recipient=recipient, status=ConnectionRequest.Status.PENDING
    )
    return row.pk


def incoming_request_path(world: World, role: str, variant: str) -> int:
    me = _caller_member(world, role)
    if variant == "own" and me is not None:
        return _request(_other(world), me)
    return _request(_other(world), _third()) if variant in ("own", "foreign") else MISSING


def outgoing_request_path(world: World, role: str, variant: str) -> int:
    me = _caller_member(world, role)
    if variant == "own" and me is not None:
        return _request(me, _other(world))
    return _request(_other(world), _third()) if variant in ("own", "foreign") else MISSING


def _intro(requester: User, introducer: User, target: User, **fields: Any) -> int:
    intro = Introduction.objects.create(
        requester=requester, introducer=introducer, target=target,
        path=[requester.pk, introducer.pk, target.pk], **fields,
    )  # fmt: skip
    return intro.pk


def _foreign_intro(world: World) -> int:
    return _intro(_other(world), _third(), _fixed())


def intro_path(world: World, role: str, variant: str, *, as_: str = "requester") -> int:
    """An introduction the caller takes part in as `as_` ("own"), or one among others."""
    if variant == "missing":
        return MISSING
    user = world.user(role)
    me = _caller_member(world, role)
    if variant == "own" and me is not None:
        other, third = _other(world), _third()
        if as_ == "requester":
            return _intro(me, other, third)
        if as_ == "introducer":
            _connect(other, me)
            _connect(me, third)
            return _intro(other, me, third)
        return _intro(
            other, third, me, status=Introduction.Status.FORWARDED, forwarded_at=timezone.now()
        )
    if variant == "own" and user is not None and user.is_manager:
        return _intro(
            _other(world), user, _third(), status=Introduction.Status.FORWARDED,
            forwarded_at=timezone.now(), woven_by=user,
        )  # fmt: skip
    return _foreign_intro(world)


def path_to_fixed(world: World, role: str, variant: str) -> str:
    """A chain caller — Pat — Fiona for members, so the path and the ask have a way."""
    me = _caller_member(world, role)
    fixed = _fixed()
    if me is not None:
        pat = _member("pat@example.com", "Pat Path")
        _connect(me, pat)
        _connect(pat, fixed)
    return "/api/v1/introductions"


def request_to_fixed(world: World, role: str, variant: str) -> str:
    _fixed()
    return "/api/v1/connections/requests"


def fabric_path(world: World, role: str, variant: str) -> str:
    path_to_fixed(world, role, variant)
    to = {"foreign": FIXED_ID, "hidden": world.hidden_member.pk, "missing": MISSING}[variant]
    return f"/api/v1/fabric/path?to={to}"


AS_MEMBER = {"own": "404", "foreign": "ok", "hidden": "404", "missing": "404"}
ACT_ON_MEMBER = {"own": "away", "foreign": "away", "hidden": "404", "missing": "404"}
OWN_ONLY = {"own": "away", "foreign": "404", "missing": "404"}
API_OWN_ONLY = {"own": "ok", "foreign": "404", "missing": "404"}

DECISIONS: dict[str, Row] = {
    # Pages ------------------------------------------------------------------------------
    "fabric:people": Row("GET", static("/people/"), members_only("ok")),
    "fabric:intros": Row("GET", static("/intros/"), members_only("ok")),
    "fabric:connect": Row(
        "GET",
        lambda w, r, v: f"/people/{member_path(w, r, v)}/connect/",
        members_only(AS_MEMBER),
        variants=OBJECT_VARIANTS,
    ),
    "fabric:intro-ask": Row(
        "GET",
        lambda w, r, v: f"/people/{member_path(w, r, v)}/intro/",
        members_only(AS_MEMBER),
        variants=OBJECT_VARIANTS,
    ),
    "fabric:block": Row(
        "GET",
        lambda w, r, v: f"/people/{member_path(w, r, v)}/block/",
        members_only(AS_MEMBER),
        variants=OBJECT_VARIANTS,
    ),
    # Following yourself is refused with a message on the page it came from.
    "fabric:follow": Row(
        "POST",
        lambda w, r, v: f"/people/{member_path(w, r, v)}/follow/",
        members_only(ACT_ON_MEMBER),
        variants=OBJECT_VARIANTS,
    ),
    "fabric:dismiss": Row(
        "POST",
        lambda w, r, v: f"/people/{member_path(w, r, v)}/dismiss/",
        members_only(ACT_ON_MEMBER),
        variants=OBJECT_VARIANTS,
    ),
    "fabric:disconnect": Row(
        "POST",
        lambda w, r, v: f"/people/{connected_path(w, r, v)}/disconnect/",
        members_only(OWN_ONLY),
        variants=OWN_FOREIGN_MISSING,
    ),
    "fabric:unfollow": Row(
        "POST",
        lambda w, r, v: f"/people/{followed_path(w, r, v)}/unfollow/",
        members_only(OWN_ONLY),
        variants=OWN_FOREIGN_MISSING,
    ),
    "fabric:unblock": Row(
        "POST",
        lambda w, r, v: f"/people/{blocked_path(w, r, v)}/unblock/",
        members_only(OWN_ONLY),
        variants=OWN_FOREIGN_MISSING,
    ),
    "fabric:request-accept": Row(
        "POST",
        lambda w, r, v: f"/people/requests/{incoming_request_path(w, r, v)}/accept/",
        members_only(OWN_ONLY),
        variants=OWN_FOREIGN_MISSING,
    ),
    "fabric:request-decline": Row(
        "POST",
        lambda w, r, v: f"/people/requests/{incoming_request_path(w, r, v)}/decline/",
        members_only(OWN_ONLY),
        variants=OWN_FOREIGN_MISSING,
    ),
    "fabric:request-withdraw": Row(
        "POST",
        lambda w, r, v: f"/people/requests/{outgoing_request_path(w, r, v)}/withdraw/",
        members_only(OWN_ONLY),
        variants=OWN_FOREIGN_MISSING,
    ),
    # The community manager who wove an introduction may open it; clients have none.
    "fabric:intro": Row(
        "GET",
        lambda w, r, v: f"/intros/{intro_path(w, r, v)}/",
        {
            "anonymous": "login",
            "applicant": "away",
            "member": {"own": "ok", "foreign": "404", "missing": "404"},
            "client": {"own": "404", "foreign": "404", "missing": "404"},
            "manager": {"own": "ok", "foreign": "404", "missing": "404"},
            "admin": {"own": "ok", "foreign": "404", "missing": "404"},
        },
        variants=OWN_FOREIGN_MISSING,
    ),
    "fabric:intro-forward": Row(
        "POST",
        lambda w, r, v: f"/intros/{intro_path(w, r, v, as_='introducer')}/forward/",
        members_only(OWN_ONLY),
        variants=OWN_FOREIGN_MISSING,
    ),
    "fabric:intro-decline": Row(
        "POST",
        lambda w, r, v: f"/intros/{intro_path(w, r, v, as_='introducer')}/decline/",
        members_only(OWN_ONLY),
        variants=OWN_FOREIGN_MISSING,
    ),
    "fabric:intro-accept": Row(
        "POST",
        lambda w, r, v: f"/intros/{intro_path(w, r, v, as_='target')}/accept/",
        members_only(OWN_ONLY),
        variants=OWN_FOREIGN_MISSING,
    ),
    "fabric:intro-withdraw": Row(
        "POST",
        lambda w, r, v: f"/intros/{intro_path(w, r, v)}/withdraw/",
        members_only(OWN_ONLY),
        variants=OWN_FOREIGN_MISSING,
    ),
    "fabric:manage": Row(
        "GET",
        static("/manage/fabric/"),
        {
            "anonymous": "login",
            "applicant": "404",
            "member": "404",
            "client": "404",
            "manager": "ok",
            "admin": "ok",
        },
    ),  # fmt: skip
    # Without the suggestion's ids the form is refused and the manager is sent back.
    "fabric:weave": Row(
        "POST",
        static("/manage/fabric/weave/"),
        {
            "anonymous": "login",
            "applicant": "404",
            "member": "404",
            "client": "404",
            "manager": "away",
            "admin": "away",
        },
    ),  # fmt: skip
    # API ----------------------------------------------------------------------------------
    "GET /api/v1/fabric/path": Row(
        "GET",
        fabric_path,
        api_members({"foreign": "ok", "hidden": "404", "missing": "404"}),
        variants=("foreign", "hidden", "missing"),
        api=True,
    ),
    "GET /api/v1/fabric/suggestions": Row(
        "GET", static("/api/v1/fabric/suggestions"), api_members("ok"), api=True
    ),
    "GET /api/v1/connections": Row(
        "GET", static("/api/v1/connections"), api_members("ok"), api=True
    ),
    "GET /api/v1/connections/requests": Row(
        "GET", static("/api/v1/connections/requests"), api_members("ok"), api=True
    ),
    "POST /api/v1/connections/requests": Row(
        "POST",
        request_to_fixed,
        api_members("ok"),
        data={"to": FIXED_ID, "note": "Matrix"},
        api=True,
    ),
    "POST /api/v1/connections/requests/{request_id}/accept": Row(
        "POST",
        lambda w, r, v: f"/api/v1/connections/requests/{incoming_request_path(w, r, v)}/accept",
        api_members(API_OWN_ONLY),
        variants=OWN_FOREIGN_MISSING,
        api=True,
    ),
    "POST /api/v1/connections/requests/{request_id}/decline": Row(
        "POST",
        lambda w, r, v: f"/api/v1/connections/requests/{incoming_request_path(w, r, v)}/decline",
        api_members(API_OWN_ONLY),
        variants=OWN_FOREIGN_MISSING,
        api=True,
    ),
    "POST /api/v1/connections/requests/{request_id}/withdraw": Row(
        "POST",
        lambda w, r, v: f"/api/v1/connections/requests/{outgoing_request_path(w, r, v)}/withdraw",
        api_members(API_OWN_ONLY),
        variants=OWN_FOREIGN_MISSING,
        api=True,
    ),
    "DELETE /api/v1/connections/{member_id}": Row(
        "DELETE",
        lambda w, r, v: f"/api/v1/connections/{connected_path(w, r, v)}",
        api_members(API_OWN_ONLY),
        variants=OWN_FOREIGN_MISSING,
        api=True,
    ),
    # Following or blocking yourself is a refused input (400), not a hidden object.
    "POST /api/v1/follows/{member_id}": Row(
        "POST",
        lambda w, r, v: f"/api/v1/follows/{member_path(w, r, v)}",
        api_members({"own": "400", "foreign": "ok", "hidden": "404", "missing": "404"}),
        variants=OBJECT_VARIANTS,
        api=True,
    ),
    "DELETE /api/v1/follows/{member_id}": Row(
        "DELETE",
        lambda w, r, v: f"/api/v1/follows/{followed_path(w, r, v)}",
        api_members(API_OWN_ONLY),
        variants=OWN_FOREIGN_MISSING,
        api=True,
    ),
    "POST /api/v1/blocks/{member_id}": Row(
        "POST",
        lambda w, r, v: f"/api/v1/blocks/{member_path(w, r, v)}",
        api_members({"own": "400", "foreign": "ok", "hidden": "404", "missing": "404"}),
        variants=OBJECT_VARIANTS,
        api=True,
    ),
    "DELETE /api/v1/blocks/{member_id}": Row(
        "DELETE",
        lambda w, r, v: f"/api/v1/blocks/{blocked_path(w, r, v)}",
        api_members(API_OWN_ONLY),
        variants=OWN_FOREIGN_MISSING,
        api=True,
    ),
    "GET /api/v1/introductions": Row(
        "GET", static("/api/v1/introductions"), api_members("ok"), api=True
    ),
    "POST /api/v1/introductions": Row(
        "POST",
        path_to_fixed,
        api_members("ok"),
        data={"to": FIXED_ID, "note": "Matrix"},
        api=True,
    ),
    "GET /api/v1/introductions/{intro_id}": Row(
        "GET",
        lambda w, r, v: f"/api/v1/introductions/{intro_path(w, r, v)}",
        {
            "anonymous": "401",
            "applicant": "403",
            "member": API_OWN_ONLY,
            "client": {"own": "404", "foreign": "404", "missing": "404"},
            "manager": API_OWN_ONLY,
            "admin": API_OWN_ONLY,
        },
        variants=OWN_FOREIGN_MISSING,
        api=True,
    ),
    "POST /api/v1/introductions/{intro_id}/forward": Row(
        "POST",
        lambda w, r, v: f"/api/v1/introductions/{intro_path(w, r, v, as_='introducer')}/forward",
        api_members(API_OWN_ONLY),
        variants=OWN_FOREIGN_MISSING,
        data={"note": "You two should talk."},
        api=True,
    ),
    "POST /api/v1/introductions/{intro_id}/decline": Row(
        "POST",
        lambda w, r, v: f"/api/v1/introductions/{intro_path(w, r, v, as_='introducer')}/decline",
        api_members(API_OWN_ONLY),
        variants=OWN_FOREIGN_MISSING,
        api=True,
    ),
    "POST /api/v1/introductions/{intro_id}/accept": Row(
        "POST",
        lambda w, r, v: f"/api/v1/introductions/{intro_path(w, r, v, as_='target')}/accept",
        api_members(API_OWN_ONLY),
        variants=OWN_FOREIGN_MISSING,
        data={"connect": True},
        api=True,
    ),
    "POST /api/v1/introductions/{intro_id}/withdraw": Row(
        "POST",
        lambda w, r, v: f"/api/v1/introductions/{intro_path(w, r, v)}/withdraw",
        api_members(API_OWN_ONLY),
        variants=OWN_FOREIGN_MISSING,
        api=True,
    ),
}

assert all(set(row.expect) == set(ROLES) for row in DECISIONS.values())
