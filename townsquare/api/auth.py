"""Who is calling the API: a personal token, a signed-in browser session, or nobody.

Operations list these in order. A request that carries an Authorization header is judged
by its token alone: a bad token answers 401 rather than falling back to the session or to
anonymous access, so a client never silently loses its identity.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from townsquare.api.services import authenticate_token
from townsquare.members.models import User


class BearerToken(HttpBearer):
    """`Authorization: Bearer ts_…`, a personal API token from /me/tokens/."""

    openapi_description = "A personal API token (create one at /me/tokens/)."

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return authenticate_token(token)


class BrowserSession(SessionAuth):
    """The site's session cookie, for pages that call the API; unsafe methods need CSRF."""

    openapi_description = "The signed-in browser session; POST/PATCH also need X-CSRFToken."

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        # A token, when present, decides alone; with no session cookie there is no session
        # to protect with a CSRF check (an anonymous POST is judged by the operation).
        if (
            "Authorization" in request.headers
            or settings.SESSION_COOKIE_NAME not in request.COOKIES
        ):
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key is None:
            return None
        user = request.user
        return user if user.is_authenticated and user.is_active else None


def anonymous(request: HttpRequest) -> AnonymousUser | None:
    """Lets a caller with no credentials through as AnonymousUser (never a bad token)."""
    if "Authorization" in request.headers:
        return None
    return AnonymousUser()


bearer = BearerToken()
session = BrowserSession()
SIGNED_IN = [bearer, session]
OPTIONAL = [bearer, session, anonymous]
# Appended to an operation's OpenAPI `security` list: "or no credentials at all".
OPTIONAL_SECURITY = {"security": [{}]}
