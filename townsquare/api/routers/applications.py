"""Admission over the API: apply (anonymous), and the managers' queue and decisions."""

from __future__ import annotations

import math
import threading
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.responses import Status
from ninja.throttling import BaseThrottle

from townsquare.api.auth import OPTIONAL, OPTIONAL_SECURITY
from townsquare.api.schemas import (
    ApplicationDetailOut,
    ApplicationIn,
    ApplicationPageOut,
    ApplicationQuery,
    DecisionIn,
    ObjectId,
    application_out,
    errors,
    profile_skills_out,
    skill_entries,
)
from townsquare.lib import ratelimit
from townsquare.members import selectors, services
from townsquare.members.models import Application, User

router = Router()

# Shared with the /apply/ page: one budget of applications per address, whichever door.
APPLY_SCOPE = "apply-ip"
APPLY_LIMIT = 10
APPLY_WINDOW = 60 * 60


class ApplyRateLimit(BaseThrottle):
    """Counts every POST before its body is read, so malformed ones count too."""

    _verdicts = threading.local()  # allow_request and wait run back to back on one thread

    def allow_request(self, request: HttpRequest) -> bool:
        verdict = ratelimit.hit(
            APPLY_SCOPE, ratelimit.client_ip(request), APPLY_LIMIT, APPLY_WINDOW
        )
        self._verdicts.retry_after = verdict.retry_after
        return verdict.allowed

    def wait(self) -> float | None:
        return getattr(self._verdicts, "retry_after", APPLY_WINDOW)


def _check_new_account(payload: ApplicationIn) -> None:
    """The /apply/ form's rules that need the database or the password validators."""
    problems: dict[str, list[str]] = {}
    if User.objects.filter(email__iexact=payload.email).exists():
        problems["email"] = [_("An account with this email exists; sign in instead.")]
    try:
        candidate = User(email=payload.email, name=payload.name)
        password_validation.validate_password(payload.password, candidate)
    except ValidationError as error:
        problems["password"] = list(error.messages)
    if problems:
        raise ValidationError(problems)


@router.post(
    "",
    auth=OPTIONAL,
    throttle=ApplyRateLimit(),
    openapi_extra=OPTIONAL_SECURITY,
    response={201: ApplicationDetailOut, **errors(400, 403, 422, 429)},
    operation_id="applications_create",
    summary="Apply to join",
)
def create_application(request: HttpRequest, payload: ApplicationIn) -> Status:
    """Creates the applicant's account, profile draft and application, like the /apply/ page.

    For people without an account (signed-in callers get 403). Limited to 10 an hour per
    address, shared with the page (429 with Retry-After). The applicant is sent an email to
    verify their address; they sign in on the site with the password they chose.
    """
    if request.auth.is_authenticated:
        raise HttpError(403, _("You already have an account."))
    _check_new_account(payload)
    try:
        with transaction.atomic():
            user = services.register_applicant(
                email=payload.email, name=payload.name, password=payload.password,
                time_zone=payload.time_zone,
            )  # fmt: skip
            entries = skill_entries(user, [{"name": name} for name in payload.skills])
            services.update_profile(user, user.profile, headline=payload.headline, skills=entries)
            application = services.submit_application(
                user, why=payload.why, referral_code=payload.referral_code
            )
    except IntegrityError:
        # Two requests for one address at once: the second finds the first's account.
        raise ValidationError(
            {"email": [_("An account with this email exists; sign in instead.")]}
        ) from None
    return Status(201, _detail(user, application))


def _detail(viewer: Any, application: Application) -> dict[str, Any]:
    view = selectors.profile_view_for(viewer, application.user)
    return {
        **application_out(viewer, application),
        "skills": profile_skills_out(view.skills) if view.skills is not None else None,
        "waitlist_position": selectors.waitlist_position(application),
    }


@router.get(
    "",
    response={200: ApplicationPageOut, **errors(401, 403, 422)},
    operation_id="applications_list",
    summary="The admission queue",
)
def list_applications(request: HttpRequest, query: Query[ApplicationQuery]) -> dict[str, Any]:
    """Applications with one status (default `submitted`), oldest first. Community managers
    and admins only; anyone else signed in gets 403.
    """
    viewer = request.auth
    if not viewer.is_manager:
        raise HttpError(403, _("Only community managers review applications."))
    queue = selectors.review_queue(viewer, query.status).select_related("decided_by")
    paginator = Paginator(queue, query.per_page)
    try:
        rows = list(paginator.page(query.page).object_list)
    except EmptyPage:
        rows = []
    return {
        "count": paginator.count,
        "page": query.page,
        "pages": math.ceil(paginator.count / query.per_page),
        "per_page": query.per_page,
        "results": [application_out(viewer, a) for a in rows],
    }


@router.get(
    "/{application_id}",
    response={200: ApplicationDetailOut, **errors(401, 404, 422)},
    operation_id="applications_get",
    summary="An application",
)
def get_application(request: HttpRequest, application_id: ObjectId) -> dict[str, Any]:
    """A community manager sees any application; an applicant sees their own. 404 otherwise."""
    viewer = request.auth
    return _detail(viewer, selectors.get_application_for(viewer, application_id))


@router.post(
    "/{application_id}/decision",
    response={200: ApplicationDetailOut, **errors(400, 401, 404, 422)},
    operation_id="applications_decide",
    summary="Decide an application",
)
def decide_application(
    request: HttpRequest, application_id: ObjectId, payload: DecisionIn
) -> dict[str, Any]:
    """Approve, waitlist or decline, with a reason the applicant sees (and is emailed).

    Community managers and admins only; for anyone else the application does not exist
    (404). A decided application (approved or declined) answers 400; a waitlisted one may
    still be decided.
    """
    viewer = request.auth
    application = selectors.get_application_for(viewer, application_id)
    if not viewer.is_manager:
        raise Http404  # an applicant sees their own application but does not decide it
    application = services.decide_application(
        viewer, application, decision=payload.decision, reason=payload.reason,
        ip=ratelimit.client_ip(request),
    )  # fmt: skip
    return _detail(viewer, application)
