"""The caller's notifications over the API: list, mark read, and per-kind preferences."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from townsquare.api.routers.square import PageQuery, PersonOut, absolute, paginate, person_out
from townsquare.api.schemas import InputSchema, ObjectId, Page, errors
from townsquare.conversations import notifications as service
from townsquare.conversations.models import Notification

router = Router()


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    url: str | None = Field(description="Where it points, as an absolute link.")
    actor: PersonOut | None
    created_at: datetime
    read_at: datetime | None


class NotificationPageOut(Page):
    unread: int = Field(description="Unread notifications in all (the badge).")
    results: list[NotificationOut]


class NotificationQuery(PageQuery):
    unread: bool = Field(False, description="Only unread ones.")


class MarkedOut(Schema):
    marked: int
    unread: int


class PreferenceOut(Schema):
    kind: str
    label: str
    in_app: bool
    email: bool
    email_only: bool = Field(description="Kinds that only exist as email (the weekly digest).")


class PreferenceIn(InputSchema):
    kind: str
    in_app: bool = True
    email: bool


class PreferencesIn(InputSchema):
    preferences: list[PreferenceIn] = Field(description="Kinds left out keep their choice.")


def _out(request: HttpRequest, note: Notification) -> dict[str, Any]:
    return {
        "id": note.pk,
        "kind": note.kind,
        "text": note.text,
        "url": absolute(request, note.url) if note.url else None,
        "actor": person_out(request, note.actor) if note.actor is not None else None,
        "created_at": note.created_at,
        "read_at": note.read_at,
    }


def _preferences_out(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "kind": r.kind,
            "label": str(r.label),
            "in_app": r.in_app,
            "email": r.email,
            "email_only": r.email_only,
        }
        for r in service.preferences_for(user)
    ]


@router.get(
    "",
    response={200: NotificationPageOut, **errors(401, 422)},
    operation_id="notifications_list",
    summary="Your notifications",
)
def list_notifications(request: HttpRequest, query: Query[NotificationQuery]) -> dict[str, Any]:
    """Newest first."""
    user = request.auth
    meta, rows = paginate(service.notifications_for(user, unread_only=query.unread), query)
    return {
        **meta,
        "unread": service.unread_count(user.pk),
        "results": [_out(request, n) for n in rows],
    }


@router.post(
    "/read",
    response={200: MarkedOut, **errors(401)},
    operation_id="notifications_read_all",
    summary="Mark all read",
)
def read_all(request: HttpRequest) -> dict[str, Any]:
    marked = service.mark_all_notifications_read(request.auth)
    return {"marked": marked, "unread": service.unread_count(request.auth.pk)}


@router.post(
    "/{notification_id}/read",
    response={200: NotificationOut, **errors(401, 404)},
    operation_id="notifications_read",
    summary="Mark one read",
)
def read_one(request: HttpRequest, notification_id: ObjectId) -> dict[str, Any]:
    """Only the caller's own (someone else's is a 404)."""
    note = service.get_notification_for(request.auth, notification_id)
    service.mark_notification_read(request.auth, note)
    return _out(request, note)


@router.get(
    "/preferences",
    response={200: list[PreferenceOut], **errors(401)},
    operation_id="notifications_preferences_get",
    summary="Your notification preferences",
)
def get_preferences(request: HttpRequest) -> list[dict[str, Any]]:
    """Every kind, with the caller's choice or the default."""
    return _preferences_out(request.auth)


@router.patch(
    "/preferences",
    response={200: list[PreferenceOut], **errors(400, 401, 422)},
    operation_id="notifications_preferences_update",
    summary="Change notification preferences",
)
def update_preferences(request: HttpRequest, payload: PreferencesIn) -> list[dict[str, Any]]:
    """Sets in-app and email per kind; in-app is always off for email-only kinds."""
    choices = {p.kind: (p.in_app, p.email) for p in payload.preferences}
    unknown = sorted(set(choices) - set(service.KINDS))
    if unknown:
        raise HttpError(400, _("Unknown kinds: %(kinds)s") % {"kinds": ", ".join(unknown)})
    service.set_notification_preferences(request.auth, choices)
    return _preferences_out(request.auth)
