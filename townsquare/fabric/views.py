"""The fabric's pages: People, introductions, and the managers' fabric view.

Every action is a POST form that works without JavaScript and comes back to the page it was
sent from (a safe `next`) with a message.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from townsquare.fabric import figures, selectors, services
from townsquare.fabric.forms import AcceptIntroForm, ForwardForm, IntroAskForm, NoteForm, WeaveForm
from townsquare.fabric.models import Introduction
from townsquare.members.access import community_required, manager_required
from townsquare.members.selectors import get_member_for


def member_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Admitted members; applicants go to their application, other roles home."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if user.admitted_at is None:
            return redirect("members:application")
        if not selectors.is_fabric_member(user):
            return redirect("home")
        return view(request, *args, **kwargs)

    return wrapper


def _back(request: HttpRequest, default: str) -> HttpResponse:
    """To the `next` the form carried when it is on this site, else to `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def _refused(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _profile_url(member_id: int) -> str:
    return reverse("members:profile", kwargs={"member_id": member_id})


PEOPLE = "fabric:people"


# People ---------------------------------------------------------------------------------


@member_required
def people_view(request: HttpRequest) -> HttpResponse:
    page = selectors.people_page(request.user)
    return render(request, "fabric/people.html", {"page": page})


@member_required
def connect_view(request: HttpRequest, member_id: int) -> HttpResponse:
    member = get_member_for(request.user, member_id)
    if member.pk == request.user.pk:
        raise Http404
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.request_connection(request.user, member, form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            if sent.status == sent.Status.ACCEPTED:
                messages.success(
                    request, _("You are now connected with %(name)s.") % {"name": member.name}
                )
            else:
                messages.success(request, _("Request sent to %(name)s.") % {"name": member.name})
            return _back(request, _profile_url(member.pk))
    status = 400 if request.method == "POST" else 200
    relation = selectors.relation_to(request.user, member)
    context = {"member": member, "form": form, "relation": relation}
    return render(request, "fabric/connect.html", context, status=status)


@require_POST
@member_required
def disconnect_view(request: HttpRequest, member_id: int) -> HttpResponse:
    member = selectors.get_connection_for(request.user, member_id)
    try:
        services.remove_connection(request.user, member)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request, _("You are no longer connected with %(name)s.") % {"name": member.name}
        )
    return _back(request, reverse(PEOPLE))


@require_POST
@member_required
def follow_view(request: HttpRequest, member_id: int) -> HttpResponse:
    member = get_member_for(request.user, member_id)
    try:
        services.follow(request.user, member)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("You follow %(name)s.") % {"name": member.name})
    return _back(request, _profile_url(member.pk))


@require_POST
@member_required
def unfollow_view(request: HttpRequest, member_id: int) -> HttpResponse:
    member = selectors.get_followee_for(request.user, member_id)
    services.unfollow(request.user, member)
    messages.success(request, _("You no longer follow %(name)s.") % {"name": member.name})
    return _back(request, reverse(PEOPLE))


@member_required
def block_view(request: HttpRequest, member_id: int) -> HttpResponse:
    """GET asks for confirmation (a block ends things); POST blocks."""
    member = get_member_for(request.user, member_id)
    if request.user.pk == member.pk:
        raise Http404
    if request.method == "POST":
        services.block(request.user, member)
        messages.success(request, _("You blocked %(name)s.") % {"name": member.name})
        return redirect(PEOPLE)
    return render(request, "fabric/block.html", {"member": member})


@require_POST
@member_required
def unblock_view(request: HttpRequest, member_id: int) -> HttpResponse:
    member = selectors.get_blocked_for(request.user, member_id)
    services.unblock(request.user, member)
    messages.success(request, _("You unblocked %(name)s.") % {"name": member.name})
    return redirect(reverse(PEOPLE) + "#blocked")


@require_POST
@member_required
def dismiss_view(request: HttpRequest, member_id: int) -> HttpResponse:
    member = get_member_for(request.user, member_id)
    try:
        services.dismiss_suggestion(request.user, member)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("We will not suggest %(name)s again.") % {"name": member.name})
    return _back(request, reverse(PEOPLE) + "#suggestions")


def _answer_request(
    request: HttpRequest,
    request_id: int,
    find: Callable[..., Any],
    act: Callable[..., Any],
    done: str,
) -> HttpResponse:
    connection_request = find(request.user, request_id)
    try:
        act(request.user, connection_request)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, done)
    return _back(request, reverse(PEOPLE) + "#requests")


@require_POST
@member_required
def request_accept_view(request: HttpRequest, request_id: int) -> HttpResponse:
    return _answer_request(
        request, request_id, selectors.get_incoming_request_for,
        services.accept_connection_request, _("You are now connected."),
    )  # fmt: skip


@require_POST
@member_required
def request_decline_view(request: HttpRequest, request_id: int) -> HttpResponse:
    return _answer_request(
        request, request_id, selectors.get_incoming_request_for,
        services.decline_connection_request, _("Request declined."),
    )  # fmt: skip


@require_POST
@member_required
def request_withdraw_view(request: HttpRequest, request_id: int) -> HttpResponse:
    return _answer_request(
        request, request_id, selectors.get_outgoing_request_for,
        services.withdraw_connection_request, _("Request withdrawn."),
    )  # fmt: skip


# Introductions --------------------------------------------------------------------------


@member_required
def intro_ask_view(request: HttpRequest, member_id: int) -> HttpResponse:
    """Shows the way to the member (as far as the viewer may see it) and asks."""
    viewer = request.user
    target = get_member_for(viewer, member_id)
    if target.pk == viewer.pk:
        raise Http404
    form = IntroAskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            intro = services.ask_for_intro(viewer, target, form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("%(name)s has been asked to introduce you.") % {"name": intro.introducer.name},
            )
            return redirect("fabric:intro", intro_id=intro.pk)
    path = selectors.intro_path(viewer, target)
    connected = path is not None and len(path) < 3
    steps = None
    if path and not connected:
        steps = selectors.path_view(viewer, path, named=(viewer.pk, target.pk))
    context = {
        "target": target,
        "form": form,
        "steps": steps,
        "connected": connected,
        "open_intro": selectors.relation_to(viewer, target).intro_open,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "fabric/intro_ask.html", context, status=status)


@member_required
def intros_view(request: HttpRequest) -> HttpResponse:
    return render(request, "fabric/intros.html", {"lists": selectors.intros_for(request.user)})


@community_required
def intro_view(request: HttpRequest, intro_id: int) -> HttpResponse:
    viewer = request.user
    intro = selectors.get_intro_for(viewer, intro_id)
    role = selectors.intro_role(viewer, intro)
    people = (intro.requester_id, intro.introducer_id, intro.target_id)
    steps = selectors.path_view(viewer, intro.path, named=people)
    conversation_url = None
    if intro.conversation_id and role in ("requester", "introducer", "target"):
        conversation_url = reverse(
            "conversations:conversation", kwargs={"conversation_id": intro.conversation_id}
        )
    other = None
    if intro.status == Introduction.Status.ACCEPTED and role in ("requester", "target"):
        other_id = intro.target_id if role == "requester" else intro.requester_id
        if not selectors.are_connected_ids(viewer.pk, other_id):
            other = intro.target if role == "requester" else intro.requester
    context = {
        "intro": intro,
        "role": role,
        "steps": steps,
        "conversation_url": conversation_url,
        "connect_with": other,
        "forward_form": ForwardForm(),
        "accept_form": AcceptIntroForm(),
    }
    return render(request, "fabric/intro.html", context)


def _intro_action(request: HttpRequest, intro_id: int, act: Callable[..., str]) -> HttpResponse:
    intro = selectors.get_intro_for(request.user, intro_id)
    try:
        done = act(request.user, intro)
    except ValidationError as error:
        _refused(request, error)
    except PermissionError:
        raise Http404 from None  # the viewer takes part, but not in the role this needs
    else:
        messages.success(request, done)
    return redirect("fabric:intro", intro_id=intro.pk)


@require_POST
@member_required
def intro_forward_view(request: HttpRequest, intro_id: int) -> HttpResponse:
    form = ForwardForm(request.POST)

    def act(viewer: Any, intro: Introduction) -> str:
        if not form.is_valid():
            raise ValidationError(form.errors["note"])
        intro = services.forward_intro(viewer, intro, form.cleaned_data["note"])
        if intro.status == Introduction.Status.FORWARDED:
            return _("Forwarded to %(name)s.") % {"name": intro.target.name}
        return _("Passed on to %(name)s, who knows the way on.") % {"name": intro.introducer.name}

    return _intro_action(request, intro_id, act)


@require_POST
@member_required
def intro_decline_view(request: HttpRequest, intro_id: int) -> HttpResponse:
    def act(viewer: Any, intro: Introduction) -> str:
        if intro.introducer_id == viewer.pk and intro.status == Introduction.Status.ASKED:
            services.decline_to_forward(viewer, intro)
            return _("You did not pass it on.")
        services.decline_intro(viewer, intro)
        return _("Introduction declined.")

    return _intro_action(request, intro_id, act)


@require_POST
@member_required
def intro_accept_view(request: HttpRequest, intro_id: int) -> HttpResponse:
    form = AcceptIntroForm(request.POST)
    connect = form.is_valid() and form.cleaned_data["connect"]

    def act(viewer: Any, intro: Introduction) -> str:
        services.accept_intro(viewer, intro, connect=connect)
        return _("Introduction accepted: you three now share a conversation.")

    return _intro_action(request, intro_id, act)


@require_POST
@member_required
def intro_withdraw_view(request: HttpRequest, intro_id: int) -> HttpResponse:
    def act(viewer: Any, intro: Introduction) -> str:
        services.withdraw_intro(viewer, intro)
        return _("Introduction withdrawn.")

    return _intro_action(request, intro_id, act)


# The managers' fabric view --------------------------------------------------------------


@manager_required
def fabric_view(request: HttpRequest) -> HttpResponse:
    history = figures.history()
    if not history or history[-1].day != timezone.now().date():
        # The first visit of the day takes today's snapshot when the task has not run yet.
        services.take_fabric_snapshot()
        history = figures.history()
    overview = figures.overview(history)
    context = {
        "overview": overview,
        "weave": figures.weave_suggestions(),
        "woven": figures.recently_woven(),
        "weave_form": WeaveForm(),
    }
    return render(request, "fabric/manage.html", context)


@require_POST
@manager_required
def weave_view(request: HttpRequest) -> HttpResponse:
    form = WeaveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This suggestion is no longer valid."))
        return redirect("fabric:manage")
    manager = request.user
    newcomer = get_member_for(manager, form.cleaned_data["newcomer"])
    member = get_member_for(manager, form.cleaned_data["member"])
    try:
        intro = services.weave_introduction(manager, newcomer, member, form.cleaned_data["note"])
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("You introduced %(newcomer)s to %(member)s.")
            % {"newcomer": newcomer.name, "member": member.name},
        )
        return redirect(reverse("fabric:manage") + f"#woven-{intro.pk}")
    return redirect("fabric:manage")
