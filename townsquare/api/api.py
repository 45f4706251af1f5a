"""The REST API at /api/v1: one NinjaAPI, a router per area, one error shape everywhere."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from townsquare.api.auth import SIGNED_IN
from townsquare.api.routers import (
    applications,
    conversations,
    fabric,
    groups,
    me,
    members,
    notifications,
    skills,
    square,
)

DESCRIPTION = """\
Townsquare's API: your account and profile, the member directory, skills, and admission.
This document is the reference; docs/api.md is the short guide.

**Authentication.** Send a personal API token as `Authorization: Bearer ts_…` (create and
revoke tokens at `/me/tokens/`, or `townsquare issue_token EMAIL` on the server). A browser
that is signed in to the site may call the API with its session cookie; unsafe methods then
need the `X-CSRFToken` header. A request with an `Authorization` header is judged by that
token alone.

**Status codes.**
- `401` — the operation needs a caller and none was identified, or the token is unknown,
  revoked or belongs to a deactivated account (a bad token is never treated as anonymous).
- `403` — the caller is known, but their role may not use this operation at all: the
  directory before admission, the admission queue for anyone but community managers,
  profile edits for roles without a profile, applying while signed in, or a browser call
  without its CSRF token.
- `404` — the object does not exist *or the caller may not see it*: the two are
  indistinguishable on purpose (member profiles, applications, skills). Acting on an object
  you may not see (deciding an application) is also a 404.
- `400` — the input was well-formed but a rule refused it; `422` — the input did not match
  the schema. Both carry `{"detail": "…", "errors": {"field": ["message", …]}}`; a refused
  write changes nothing.
- `429` — too many requests; wait for the `Retry-After` seconds.

Every error body has a `detail`. Lists are paginated with `page` and `per_page` (at most
100) and answer `{count, page, pages, per_page, results}`. Times are ISO 8601 in UTC; money
is a decimal string. Profile parts the caller may not see are `null`, exactly as they are
missing from the profile page.
"""

api = NinjaAPI(
    title="Townsquare API",
    version="1",
    description=DESCRIPTION,
    # Included under the "api" app namespace (townsquare/api/urls.py): URL names are
    # "api:api-v1:<operation>", and ninja reverses its own root through the full path.
    urls_namespace="api:api-v1",
    auth=SIGNED_IN,
    # The interactive docs page loads scripts from a CDN, which the site's CSP forbids;
    # the OpenAPI document at /api/v1/openapi.json is the reference.
    docs_url=None,
)


def error(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(request, 404, _("Not found."))


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = error(request, 401, _("Authentication required: a valid API token or session."))
    response["WWW-Authenticate"] = 'Bearer realm="townsquare"'
    return response


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    # Ninja sets Retry-After on the response this returns.
    return error(request, 429, _("Too many requests; try again later."))


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error(request, exc.status_code, exc.message)


@api.exception_handler(PermissionError)
def forbidden(request: HttpRequest, exc: PermissionError) -> HttpResponse:
    # Services raise PermissionError when a role may not act; routers check first, so this
    # is the backstop that keeps such a slip a 403 instead of a 500.
    return error(request, 403, _("You may not do this."))


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    """`("body", "payload", "skills", 0, "level")` → `skills.0.level`; `("query", "page")` → `page`."""
    parts = list(loc)
    if parts and parts[0] == "body":
        parts = parts[2:]  # the source and the body parameter's own name
    elif parts:
        parts = parts[1:]
    return ".".join(str(p) for p in parts) or NON_FIELD_ERRORS


def _message(item: dict[str, Any]) -> str:
    # A validator's own ValueError message, without pydantic's "Value error, " in front.
    cause = item.get("ctx", {}).get("error")
    return str(cause) if cause else str(item.get("msg", ""))


@api.exception_handler(NinjaValidationError)
def invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        errors.setdefault(_field(item.get("loc", ())), []).append(_message(item))
    return error(request, 422, _("The input is not valid."), errors=errors)


def validation_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {field: list(messages) for field, messages in exc.message_dict.items()}
    return {NON_FIELD_ERRORS: list(exc.messages)}


@api.exception_handler(DjangoValidationError)
def refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    errors = validation_errors(exc)
    detail = " ".join(m for messages in errors.values() for m in messages)
    return error(request, 400, detail or _("The input is not valid."), errors=errors)


api.add_router("/me", me.router, tags=["me"])
api.add_router("/members", members.router, tags=["members"])
api.add_router("/skills", skills.router, tags=["skills"])
api.add_router("/applications", applications.router, tags=["applications"])
api.add_router("/conversations", conversations.router, tags=["conversations"])
api.add_router("/square", square.router, tags=["square"])
api.add_router("/groups", groups.router, tags=["groups"])
api.add_router("/notifications", notifications.router, tags=["notifications"])
api.add_router("", fabric.router, tags=["fabric"])
