"""What the authorization matrix is made of: the world, rows, and role shorthands."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from townsquare.members.models import Application, User

ROLES = ("anonymous", "applicant", "member", "client", "manager", "admin")
MISSING = 987654


@dataclass
class World:
    """The people and objects every row is tried against."""

    users: dict[str, User | None]
    other_member: User
    hidden_member: User
    application: Application
    pending_skill_id: int
    tokens: dict[str, Any]
    other_token: Any

    def user(self, role: str) -> User | None:
        return self.users[role]


@dataclass(frozen=True)
class Row:
    """How to call one route and what each role gets, per object variant."""

    method: str
    path: Callable[[World, str, str], str]  # (world, role, variant) -> path
    expect: dict[str, str | dict[str, str]]
    variants: tuple[str, ...] = ("none",)
    data: dict[str, Any] = field(default_factory=dict)
    api: bool = False

    def outcome(self, role: str, variant: str) -> str:
        value = self.expect[role]
        return value if isinstance(value, str) else value[variant]


def static(path: str) -> Callable[[World, str, str], str]:
    return lambda world, role, variant: path


def everyone(outcome: str) -> dict[str, str | dict[str, str]]:
    return dict.fromkeys(ROLES, outcome)


def signed_in(outcome: str, *, anonymous: str = "login") -> dict[str, str | dict[str, str]]:
    return {"anonymous": anonymous, **dict.fromkeys(ROLES[1:], outcome)}


def community(outcome: str, *, applicant: str = "away", anonymous: str = "login") -> dict:
    return {"anonymous": anonymous, "applicant": applicant, **dict.fromkeys(ROLES[2:], outcome)}


def managers(outcome: str, *, others: str = "404", anonymous: str = "login") -> dict:
    return {
        "anonymous": anonymous,
        **dict.fromkeys(("applicant", "member", "client"), others),
        "manager": outcome,
        "admin": outcome,
    }


def member_path(world: World, role: str, variant: str) -> int:
    if variant == "own":
        user = world.user(role)
        return user.pk if user is not None and user.role == "member" else world.other_member.pk
    if variant == "hidden":
        return world.hidden_member.pk
    return world.other_member.pk if variant == "foreign" else MISSING


PROFILE_EXPECT: dict[str, str | dict[str, str]] = {
    "anonymous": {"own": "404", "foreign": "404", "hidden": "404", "missing": "404"},
    "applicant": {"own": "ok", "foreign": "404", "hidden": "404", "missing": "404"},
    **{
        role: {"own": "ok", "foreign": "ok", "hidden": "404", "missing": "404"}
        for role in ("member", "client", "manager", "admin")
    },
}
OBJECT_VARIANTS = ("own", "foreign", "hidden", "missing")


def application_path(world: World, role: str, variant: str) -> int:
    return world.application.pk if variant == "foreign" else MISSING


def skill_path(world: World, role: str, variant: str) -> int:
    return world.pending_skill_id if variant == "foreign" else MISSING


def token_path(world: World, role: str, variant: str) -> int:
    if variant == "own" and world.tokens.get(role) is not None:
        return world.tokens[role].pk
    return world.other_token.pk if variant in ("own", "foreign") else MISSING


OWN_FOREIGN_MISSING = ("own", "foreign", "missing")
