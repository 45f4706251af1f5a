"""Applying to join, the applicant's status page, the review queue and invitations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from townsquare.lib import ratelimit
from townsquare.members import selectors, services
from townsquare.members.access import community_required, manager_required
from townsquare.members.forms import ApplicationForm, ApplyForm, DecisionForm, InviteForm
from townsquare.members.models import Application, Role
from townsquare.skills.services import resolve_skill


def _form_errors_from(error: ValidationError, form: object) -> None:
    if hasattr(error, "error_dict"):
        for field, errs in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)  # type: ignore[attr-defined]
    else:
        form.add_error(None, error.messages)  # type: ignore[attr-defined]


def apply_view(request: HttpRequest) -> HttpResponse:
    """The public application: creates the applicant's account, profile draft and application."""
    if request.user.is_authenticated:
        return redirect("members:application" if request.user.is_applicant else "home")
    form = ApplyForm(request.POST or None, initial={"referral_code": request.GET.get("ref", "")})
    if request.method == "POST":
        verdict = ratelimit.hit("apply-ip", ratelimit.client_ip(request), 10, 60 * 60)
        if not verdict.allowed:
            form.is_valid()
            form.add_error(None, _("Too many applications from your address; try again later."))
            response = render(request, "members/apply.html", {"form": form}, status=429)
            response["Retry-After"] = str(verdict.retry_after)
            return response
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    user = services.register_applicant(
                        email=data["email"], name=data["name"], password=data["password"],
                        time_zone=data["time_zone"],
                    )  # fmt: skip
                    entries = [
                        services.SkillEntry(skill=resolve_skill(n, actor=user), level=2, years=0)
                        for n in form.skill_names()
                    ]
                    unique = list({e.skill.pk: e for e in entries}.values())
                    services.update_profile(
                        user, user.profile, headline=data["headline"], skills=unique
                    )
                    services.submit_application(
                        user, why=data["why"], referral_code=data["referral_code"]
                    )
            except ValidationError as error:
                _form_errors_from(error, form)
            else:
                login(request, user, backend="townsquare.members.auth.EmailBackend")
                messages.success(
                    request, _("Thank you for applying. Check your email to verify it.")
                )
                return redirect("members:application")
    return render(request, "members/apply.html", {"form": form})


@login_required
def application_view(request: HttpRequest) -> HttpResponse:
    """The applicant's own status: decision, reason, waitlist position; editable while waiting."""
    user = request.user
    application = Application.objects.filter(user=user).select_related("referred_by").first()
    if user.role != Role.MEMBER or (application is None and not user.is_applicant):
        return redirect("home")
    form = None
    if user.is_applicant and (
        application is None or application.status == Application.Status.SUBMITTED
    ):
        initial = (
            {"why": application.why, "referral_code": application.referral_code}
            if application
            else {}
        )
        form = ApplicationForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                application = services.submit_application(user, **form.cleaned_data)
            except ValidationError as error:
                _form_errors_from(error, form)
            else:
                messages.success(request, _("Your application is saved."))
                return redirect("members:application")
    context = {
        "application": application,
        "form": form,
        "position": selectors.waitlist_position(application) if application else None,
    }
    return render(request, "members/application.html", context)


@manager_required
def review_queue_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", Application.Status.SUBMITTED)
    if status not in Application.Status.values:
        status = Application.Status.SUBMITTED
    queue = list(selectors.review_queue(request.user, status)[:200])
    counts = selectors.application_counts(request.user)
    tabs = [(value, label, counts.get(value, 0)) for value, label in Application.Status.choices]
    return render(
        request, "members/review_queue.html", {"queue": queue, "status": status, "tabs": tabs}
    )


@manager_required
def application_review_view(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.get_application_for(request.user, application_id)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_application(
                request.user, application, ip=ratelimit.client_ip(request), **form.cleaned_data
            )
        except ValidationError as error:
            _form_errors_from(error, form)
            if not hasattr(error, "error_dict"):
                # The page hides the form (and its errors) once an application is decided.
                messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Decision recorded; the applicant has been told."))
            return redirect("members:review-queue")
    applicant = application.user
    view = selectors.profile_view_for(request.user, applicant)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "members/application_review.html",
        {"application": application, "form": form, "view": view},
        status=status,
    )


@community_required
def invite_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role != Role.MEMBER:
        return redirect("home")
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verdict = ratelimit.hit("invite", str(user.pk), 20, 24 * 60 * 60)
        if not verdict.allowed:
            form.add_error(None, _("You have sent many invitations today; try again tomorrow."))
        else:
            try:
                services.invite_by_email(user, **form.cleaned_data)
            except ValidationError as error:
                _form_errors_from(error, form)
            else:
                messages.success(request, _("Invitation sent."))
                return redirect("members:invite")
    apply_link = request.build_absolute_uri("/apply/") + f"?ref={user.referral_code}"
    invitations = user.invitations.select_related("application")[:100]
    referrals = user.referrals.select_related("user")[:100]
    return render(
        request,
        "members/invite.html",
        {
            "form": form,
            "apply_link": apply_link,
            "invitations": invitations,
            "referrals": referrals,
        },
    )
