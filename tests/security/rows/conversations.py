"""Rows of the authorization matrix for private conversations (pages and API).

Variants: "own" is a conversation the caller takes part in (an introduction conversation
made for the test, which any role can be put in), "foreign" one between other people,
"missing" an id that does not exist. Applicants never reach a conversation (pages send them
to their application, the API answers 403); everyone else sees only their own.
"""

from __future__ import annotations

from typing import Any

from tests.security.matrix import (
    MISSING,
    ROLES,
    Row,
    World,
    community,
    member_path,
)
from townsquare.conversations import services
from townsquare.members import services as member_services
from townsquare.members.models import MessagePolicy, Profile, Role, User

VARIANTS = ("own", "foreign", "missing")


def _third(world: World, tag: str) -> User:
    return member_services.create_account(
        email=f"matrix-{tag}@example.com", name=f"Matrix {tag}", role=Role.MEMBER
    )


def conversation_path(world: World, role: str, variant: str) -> int:
    """Creates the conversation the variant needs (the test's database rolls back)."""
    user = world.user(role)
    if variant == "own" and user is not None and user.admitted_at is not None:
        return services.start_intro_conversation(world.other_member, user, world.hidden_member).pk
    if variant in ("own", "foreign"):
        return services.start_intro_conversation(
            world.other_member, world.hidden_member, _third(world, "third")
        ).pk
    return MISSING


def _opens_to_everyone(world: World) -> None:
    Profile.objects.filter(user=world.other_member).update(
        message_policy=MessagePolicy.MEMBERS, client_contact=True
    )


def start_path(world: World, role: str, variant: str) -> int:
    _opens_to_everyone(world)
    return member_path(world, role, variant)


NEW_CONVERSATION: dict[str, Any] = {"with": []}


def new_conversation_path(world: World, role: str, variant: str) -> str:
    # The body needs an id only known once the world exists: filled in here, before the call.
    _opens_to_everyone(world)
    NEW_CONVERSATION["with"] = [world.other_member.pk]
    return "/api/v1/conversations"


OWN_ONLY = {"own": "ok", "foreign": "404", "missing": "404"}
API_OWN_ONLY: dict[str, str | dict[str, str]] = {
    "anonymous": "401",
    "applicant": "403",
    **{role: OWN_ONLY for role in ("member", "client", "manager", "admin")},
}

DECISIONS: dict[str, Row] = {
    "conversations:inbox": Row("GET", lambda w, r, v: "/messages/", community("ok")),
    "conversations:conversation": Row(
        "GET",
        lambda w, r, v: f"/messages/{conversation_path(w, r, v)}/",
        community(OWN_ONLY),
        variants=VARIANTS,
    ),
    # Starting redirects to the conversation, or back to the profile with the reason.
    "conversations:start": Row(
        "POST",
        lambda w, r, v: f"/messages/new/{start_path(w, r, v)}/",
        community({"foreign": "away", "hidden": "404", "missing": "404"}),
        variants=("foreign", "hidden", "missing"),
    ),
    "conversations:leave": Row(
        "POST",
        lambda w, r, v: f"/messages/{conversation_path(w, r, v)}/leave/",
        community({"own": "away", "foreign": "404", "missing": "404"}),
        variants=VARIANTS,
    ),
    "GET /api/v1/conversations": Row(
        "GET",
        lambda w, r, v: "/api/v1/conversations",
        community("ok", applicant="403", anonymous="401"),
        api=True,
    ),
    "POST /api/v1/conversations": Row(
        "POST",
        new_conversation_path,
        community("ok", applicant="403", anonymous="401"),
        data=NEW_CONVERSATION,
        api=True,
    ),
    "GET /api/v1/conversations/{conversation_id}/messages": Row(
        "GET",
        lambda w, r, v: f"/api/v1/conversations/{conversation_path(w, r, v)}/messages",
        API_OWN_ONLY,
        variants=VARIANTS,
        api=True,
    ),
    "POST /api/v1/conversations/{conversation_id}/messages": Row(
        "POST",
        lambda w, r, v: f"/api/v1/conversations/{conversation_path(w, r, v)}/messages",
        API_OWN_ONLY,
        variants=VARIANTS,
        data={"body": "Checking who may send."},
        api=True,
    ),
    "POST /api/v1/conversations/{conversation_id}/read": Row(
        "POST",
        lambda w, r, v: f"/api/v1/conversations/{conversation_path(w, r, v)}/read",
        API_OWN_ONLY,
        variants=VARIANTS,
        data={"up_to": 1},
        api=True,
    ),
}

assert all(set(row.expect) == set(ROLES) for row in DECISIONS.values())
