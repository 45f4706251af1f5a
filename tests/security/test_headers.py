"""Every response carries the security headers; unsafe methods need a CSRF token."""

from __future__ import annotations

import pytest
from django.test import Client

from townsquare.lib.security import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.django_db

PAGES = ["/", "/apply/", "/accounts/login/", "/healthz", "/members/", "/no-such-page/"]


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_security_headers(client: Client, path: str) -> None:
    response = client.get(path)
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_pages_carry_no_inline_script_or_style(client: Client) -> None:
    # The CSP forbids inline code; a page that relied on it would silently break.
    for path in ("/", "/apply/", "/accounts/login/"):
        html = client.get(path).content.decode()
        assert "<script>" not in html
        assert "style=" not in html
        assert "<style" not in html


@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/apply/", "/accounts/logout/", "/accounts/password-reset/"]
)
def test_a_post_without_csrf_token_is_refused(path: str) -> None:
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(path, {"email": "alice@example.com", "password": "x"})
    assert response.status_code == 403


def test_a_post_with_csrf_token_from_the_page_is_accepted() -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.get("/accounts/login/")
    token = strict.cookies["csrftoken"].value
    response = strict.post(
        "/accounts/login/", {"email": "nobody@example.com", "password": "x"}, HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200  # the form answered (wrong password), not a 403
