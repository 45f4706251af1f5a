"""What the navigation shows depends on who is looking."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    return {
        "site_name": settings.SITE_NAME,
        "nav_community": signed_in and user.admitted_at is not None,
        "nav_manager": signed_in and user.is_manager,
        "nav_applicant": signed_in and user.is_applicant,
    }
