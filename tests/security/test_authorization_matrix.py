"""The authorization matrix: every URL and API operation × every role × own/foreign/missing.

Each route has one row in DECISIONS. A route without a row fails
`test_every_route_has_a_row`, so a new URL cannot ship without saying who may use it.

Outcomes:
  ok      2xx (or a redirect that is not to the login page, where the row says so)
  login   302 to the sign-in page
  away    302 somewhere other than the sign-in page (e.g. an applicant sent to their application)
  400/401/403/404/405/429  that status
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.security import rows
from tests.security.matrix import (
    OBJECT_VARIANTS,
    OWN_FOREIGN_MISSING,
    PROFILE_EXPECT,
    ROLES,
    Row,
    World,
    application_path,
    community,
    everyone,
    managers,
    member_path,
    signed_in,
    skill_path,
    static,
    token_path,
)  # fmt: skip
from townsquare.api.services import issue_token
from townsquare.members import services as member_services
from townsquare.members.models import User
from townsquare.skills.services import resolve_skill

DECISIONS: dict[str, Row] = {
    "home": Row("GET", static("/"), everyone("ok")),
    "healthz": Row("GET", static("/healthz"), everyone("ok")),
    "members:login": Row("GET", static("/accounts/login/"), everyone("ok")),
    "members:logout": Row("POST", static("/accounts/logout/"), everyone("away")),
    "members:verify-email-resend": Row(
        "POST", static("/accounts/verify/resend/"), signed_in("away")
    ),
    "members:verify-email": Row("GET", static("/accounts/verify/forged-token/"), everyone("400")),
    "members:password-reset": Row("GET", static("/accounts/password-reset/"), everyone("ok")),
    "members:password-reset-done": Row(
        "GET", static("/accounts/password-reset/sent/"), everyone("ok")
    ),
    "members:password-reset-confirm": Row(
        "GET", static("/accounts/reset/MQ/forged-token/"), everyone("ok")
    ),
    "members:password-reset-complete": Row("GET", static("/accounts/reset/done/"), everyone("ok")),
    "members:apply": Row("GET", static("/apply/"), {**signed_in("away"), "anonymous": "ok"}),
    "members:application": Row(
        "GET",
        static("/application/"),
        {**signed_in("away"), "applicant": "ok"},
    ),
    "members:invite": Row("GET", static("/invite/"), {**community("away"), "member": "ok"}),
    "members:directory": Row("GET", static("/members/"), community("ok")),
    "members:profile": Row(
        "GET",
        lambda w, r, v: f"/members/{member_path(w, r, v)}/",
        PROFILE_EXPECT,
        variants=OBJECT_VARIANTS,
    ),
    "members:avatar": Row(
        "GET",
        lambda w, r, v: f"/members/{member_path(w, r, v)}/avatar.svg",
        PROFILE_EXPECT,
        variants=OBJECT_VARIANTS,
    ),
    "members:profile-edit": Row(
        "GET",
        static("/me/profile/"),
        {**signed_in("away"), "applicant": "ok", "member": "ok"},
    ),
    "members:review-queue": Row("GET", static("/manage/applications/"), managers("ok")),
    "members:application-review": Row(
        "GET",
        lambda w, r, v: f"/manage/applications/{application_path(w, r, v)}/",
        managers({"foreign": "ok", "missing": "404"}),
        variants=("foreign", "missing"),
    ),
    "skills:review": Row("GET", static("/manage/skills/"), managers("ok")),
    "skills:decide": Row(
        "POST",
        lambda w, r, v: f"/manage/skills/{skill_path(w, r, v)}/",
        managers({"foreign": "away", "missing": "404"}),
        variants=("foreign", "missing"),
        data={"action": "merge", "into": "no such skill"},
    ),
    "api:tokens": Row("GET", static("/me/tokens/"), signed_in("ok")),
    "api:token-revoke": Row(
        "POST",
        lambda w, r, v: f"/me/tokens/{token_path(w, r, v)}/revoke/",
        {
            "anonymous": "login",
            **{role: {"own": "away", "foreign": "404", "missing": "404"} for role in ROLES[1:]},
        },
        variants=OWN_FOREIGN_MISSING,
    ),
}
DECISIONS.update(rows.collect())


def html_route_names() -> set[str]:
    """Every named URL pattern outside the API's own namespace."""
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or ""
                if ns.startswith("api-v1"):
                    continue
                walk(p.url_patterns, f"{namespace}{ns}:" if ns else namespace)
            elif isinstance(p, URLPattern):
                assert p.name, f"URL pattern {p.pattern} has no name, so it cannot have a row"
                names.add(f"{namespace}{p.name}")

    walk(get_resolver().url_patterns, "")
    return names


def api_operation_keys() -> set[str]:
    from townsquare.api.api import api

    schema = api.get_openapi_schema()
    keys = set()
    for path, methods in schema["paths"].items():
        for method in methods:
            keys.add(f"{method.upper()} {path}")
    return keys


def test_every_route_has_a_row() -> None:
    routes = html_route_names() | api_operation_keys()
    missing = sorted(routes - set(DECISIONS))
    stale = sorted(set(DECISIONS) - routes)
    assert not missing, f"routes without an authorization row: {missing}"
    assert not stale, f"rows for routes that no longer exist: {stale}"


@pytest.fixture
def world(
    make_member: Callable[..., User], alice: User, carol: User, mona: User, adam: User, eve: User
) -> World:
    from townsquare.members.models import Visibility

    other = make_member(name="Olga Other", skills=("Go",))
    hidden = make_member(
        name="Hugo Hidden", skills=("Rust",), profile_visibility=Visibility.ONLY_ME
    )
    pending = resolve_skill("Quantum Basketweaving", actor=alice)
    member_services.update_profile(
        alice, alice.profile,
        skills=[member_services.SkillEntry(skill=pending, level=2, years=1)],
    )  # fmt: skip
    users: dict[str, User | None] = {
        "anonymous": None, "applicant": eve, "member": alice, "client": carol, "manager": mona,
        "admin": adam,
    }  # fmt: skip
    tokens = {role: issue_token(u, "matrix")[0] for role, u in users.items() if u is not None}
    other_token, _ = issue_token(other, "someone else's")
    return World(
        users=users, other_member=other, hidden_member=hidden, application=eve.application,
        pending_skill_id=pending.pk, tokens=tokens, other_token=other_token,
    )  # fmt: skip


def cases() -> list[Any]:
    out = []
    for key, row in DECISIONS.items():
        for role in ROLES:
            for variant in row.variants:
                out.append(pytest.param(key, role, variant, id=f"{key}|{role}|{variant}"))
    return out


def _client_for(world: World, role: str, row: Row) -> tuple[Client, dict[str, str]]:
    client = Client()
    user = world.user(role)
    headers: dict[str, str] = {}
    if user is not None:
        if row.api:
            _, secret = issue_token(user, "matrix-call")
            headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
        else:
            client.force_login(user)
    return client, headers


def classify(response: Any) -> str:
    status = response.status_code
    if status in (301, 302, 303):
        return "login" if "/accounts/login/" in response["Location"] else "away"
    if 200 <= status < 300:
        return "ok"
    return str(status)


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "role", "variant"), cases())
def test_authorization_matrix(world: World, key: str, role: str, variant: str) -> None:
    row = DECISIONS[key]
    client, headers = _client_for(world, role, row)
    path = row.path(world, role, variant)
    call = getattr(client, row.method.lower())
    if row.api and row.method in ("POST", "PATCH", "PUT"):
        response = call(path, data=row.data, content_type="application/json", **headers)
    else:
        response = call(path, data=row.data, **headers)
    expected = row.outcome(role, variant)
    assert classify(response) == expected, (
        f"{row.method} {path} as {role} ({variant}): expected {expected}, "
        f"got {response.status_code} {response.get('Location', '')}"
    )
