"""Sign-in, sign-out, email verification; sign-up is the application (admission.py)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from townsquare.lib import ratelimit
from townsquare.members import services
from townsquare.members.forms import LoginForm


def _throttled(request: HttpRequest, form: LoginForm, retry_after: int) -> HttpResponse:
    minutes = max(1, (retry_after + 59) // 60)
    form.add_error(
        None,
        ngettext(
            "Too many failed sign-in attempts. Try again in %(n)d minute.",
            "Too many failed sign-in attempts. Try again in %(n)d minutes.",
            minutes,
        )
        % {"n": minutes},
    )
    response = render(request, "members/login.html", {"form": form}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def login_view(request: HttpRequest) -> HttpResponse:
    """Email and password, throttled per account and per address (loopback included)."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        ip = ratelimit.client_ip(request)
        window = settings.LOGIN_FAILURE_WINDOW
        for scope, ident, limit in (
            ("login-account", email, settings.LOGIN_FAILURES_PER_ACCOUNT),
            ("login-ip", ip, settings.LOGIN_FAILURES_PER_IP),
        ):
            verdict = ratelimit.peek(scope, ident, limit, window)
            if not verdict.allowed:
                return _throttled(request, form, verdict.retry_after)
        user = authenticate(request, username=email, password=form.cleaned_data["password"])
        if user is not None:
            ratelimit.reset("login-account", email, window)
            login(request, user)  # rotates the session key
            if user.is_applicant:
                return redirect(next_url or "members:application")
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
        ratelimit.hit("login-account", email, settings.LOGIN_FAILURES_PER_ACCOUNT, window)
        ratelimit.hit("login-ip", ip, settings.LOGIN_FAILURES_PER_IP, window)
        form.add_error(None, _("That email and password do not match an account."))
    return render(request, "members/login.html", {"form": form, "next": next_url})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)  # flushes the session
    messages.info(request, _("You are signed out."))
    return redirect("home")


def verify_email_view(request: HttpRequest, token: str) -> HttpResponse:
    user = services.verify_email(token)
    if user is None:
        return render(request, "members/verify_email_failed.html", status=400)
    messages.success(request, _("Thank you: your email address is verified."))
    return redirect("members:application" if user.is_applicant else "home")


@login_required
@require_POST
def resend_verification_view(request: HttpRequest) -> HttpResponse:
    verdict = ratelimit.hit("verify-resend", str(request.user.pk), 3, 60 * 60)
    if not verdict.allowed:
        messages.error(request, _("We have sent several links already; try again later."))
    elif request.user.email_verified_at is None:
        services.send_verification_email(request.user)
        messages.success(request, _("We sent a new verification link."))
    return redirect("members:application" if request.user.is_applicant else "home")
