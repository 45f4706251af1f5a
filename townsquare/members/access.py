"""Decorators for who may open a page; everything finer is a selector's job."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse


def community_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in and admitted (any role); applicants are sent to their application."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if user.admitted_at is None:
            from django.shortcuts import redirect

            return redirect("members:application")
        return view(request, *args, **kwargs)

    return wrapper


def manager_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Community managers and admins; anyone else signed in gets a 404 (nothing to see here)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_manager:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
