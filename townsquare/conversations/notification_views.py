"""Notification pages: the list (open one, mark all read) and per-kind preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from townsquare.conversations import notifications as service
from townsquare.conversations.square_forms import PreferencesForm
from townsquare.conversations.square_views import page_number

PER_PAGE = 30


@login_required
def notifications_view(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    rows = service.notifications_for(request.user, unread_only=unread_only)
    page = Paginator(rows, PER_PAGE).get_page(page_number(request))
    context = {"page": page, "unread_only": unread_only}
    return render(request, "notifications/list.html", context)


@require_POST
@login_required
def notification_open_view(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Marks one read and goes where it points (only ever somewhere on this site)."""
    note = service.get_notification_for(request.user, notification_id)
    service.mark_notification_read(request.user, note)
    if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts=None):
        return redirect(note.url)
    return redirect("conversations:notifications")


@require_POST
@login_required
def notifications_read_all_view(request: HttpRequest) -> HttpResponse:
    count = service.mark_all_notifications_read(request.user)
    if count:
        messages.success(request, _("All notifications are marked read."))
    return redirect("conversations:notifications")


@login_required
def notification_preferences_view(request: HttpRequest) -> HttpResponse:
    rows = service.preferences_for(request.user)
    form = PreferencesForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        service.set_notification_preferences(request.user, form.choices())
        messages.success(request, _("Your notification settings are saved."))
        return redirect("conversations:notification-preferences")
    return render(request, "notifications/preferences.html", {"form": form})
