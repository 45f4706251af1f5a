"""Site-wide pages: home and the health check."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from townsquare.members.models import Application, Profile, Role, User


def home_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    context: dict[str, object] = {}
    if user.is_authenticated and user.is_manager:
        context["pending"] = Application.objects.filter(status=Application.Status.SUBMITTED).count()
    if user.is_authenticated and user.role == Role.MEMBER and user.admitted_at is not None:
        context["profile"] = Profile.objects.filter(user=user).first()
    context["member_count"] = User.objects.filter(
        role=Role.MEMBER, admitted_at__isnull=False, is_active=True
    ).count()
    return render(request, "home.html", context)


def healthz_view(request: HttpRequest) -> HttpResponse:
    """200 once the process serves requests and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
