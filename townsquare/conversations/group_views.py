"""Group pages: the list, creating one, a group with its threads and members, and its actions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from townsquare.conversations import groups as services
from townsquare.conversations import mentions, square_services
from townsquare.conversations import square_selectors as selectors
from townsquare.conversations.models import GroupMembership
from townsquare.conversations.square_forms import (
    GroupForm,
    InvitationResponseForm,
    InviteForm,
    ThreadForm,
)
from townsquare.conversations.square_views import (
    form_errors_from,
    page_number,
    require_poster,
)
from townsquare.members.access import community_required


@community_required
def groups_view(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    context = {
        "groups": selectors.groups_overview(viewer),
        "invitations": selectors.invitations_for(viewer),
        "can_post": selectors.can_post(viewer),
    }
    return render(request, "square/groups.html", context)


@community_required
def group_create_view(request: HttpRequest) -> HttpResponse:
    require_poster(request)
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.create_group(request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(error, form)
        else:
            messages.success(request, _("Your group is ready. Invite people in."))
            return redirect("conversations:group", group_id=group.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "square/group_create.html", {"form": form}, status=status)


def _group_page(
    request: HttpRequest, group_id: int, invite_form: InviteForm | None = None, status: int = 200
) -> HttpResponse:
    viewer = request.user
    group = selectors.get_group_for(viewer, group_id)
    role = group.viewer_role
    readable = selectors.can_read_group_threads(viewer, group)
    context = {
        "group": group,
        "role": role,
        "is_owner": role == GroupMembership.Role.OWNER,
        "can_post": selectors.can_post(viewer),
        "page": selectors.group_threads(viewer, group, page_number(request)) if readable else None,
        "members": selectors.group_members(group) if readable else [],
        "invitation": selectors.pending_invitation(viewer, group) if role is None else None,
        "invite_form": invite_form or (InviteForm() if role is not None else None),
    }
    return render(request, "square/group.html", context, status=status)


@community_required
def group_view(request: HttpRequest, group_id: int) -> HttpResponse:
    return _group_page(request, group_id)


@community_required
def group_thread_create_view(request: HttpRequest, group_id: int) -> HttpResponse:
    group = selectors.get_group_for(request.user, group_id)
    require_poster(request)
    if group.viewer_role is None:
        raise PermissionDenied(_("Join the group to start a thread in it."))
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = square_services.start_thread(request.user, group=group, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(error, form)
        else:
            return redirect("conversations:thread", thread_id=thread.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "group": group}
    return render(request, "square/thread_create.html", context, status=status)


@require_POST
@community_required
def group_join_view(request: HttpRequest, group_id: int) -> HttpResponse:
    group = selectors.get_group_for(request.user, group_id)
    require_poster(request)
    try:
        services.join_group(request.user, group)
    except PermissionError:
        raise PermissionDenied(_("This group is invite-only.")) from None
    messages.success(request, _("Welcome to %(group)s.") % {"group": group.name})
    return redirect("conversations:group", group_id=group.pk)


@require_POST
@community_required
def group_leave_view(request: HttpRequest, group_id: int) -> HttpResponse:
    group = selectors.get_group_for(request.user, group_id)
    services.leave_group(request.user, group)
    messages.success(request, _("You left %(group)s.") % {"group": group.name})
    if group.is_open:
        return redirect("conversations:group", group_id=group.pk)
    return redirect("conversations:groups")


@require_POST
@community_required
def group_invite_view(request: HttpRequest, group_id: int) -> HttpResponse:
    group = selectors.get_group_for(request.user, group_id)
    require_poster(request)
    if group.viewer_role is None:
        raise PermissionDenied(_("Only the group's members invite people."))
    form = InviteForm(request.POST)
    if form.is_valid():
        invitee = mentions.resolve_person(request.user, form.cleaned_data["member"])
        if invitee is None:
            form.add_error(
                "member", _("We could not find that member. Try @ and their name without spaces.")
            )
        else:
            try:
                services.invite_to_group(request.user, group, invitee)
            except ValidationError as error:
                form_errors_from(error, form)
            else:
                messages.success(request, _("%(name)s is invited.") % {"name": invitee.name})
                return redirect("conversations:group", group_id=group.pk)
    return _group_page(request, group_id, invite_form=form, status=400)


@require_POST
@community_required
def group_member_remove_view(request: HttpRequest, group_id: int, member_id: int) -> HttpResponse:
    group = selectors.get_group_for(request.user, group_id)
    if group.viewer_role != GroupMembership.Role.OWNER:
        raise PermissionDenied(_("Only the group's owners remove members."))
    member = selectors.get_group_member(group, member_id).user
    try:
        services.remove_group_member(request.user, group, member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is no longer in the group.") % {"name": member.name})
    return redirect("conversations:group", group_id=group.pk)


@require_POST
@community_required
def group_invitation_respond_view(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = selectors.get_invitation_for(request.user, invitation_id)
    form = InvitationResponseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or decline."))
        return redirect("conversations:group", group_id=invitation.group_id)
    accept = form.cleaned_data["accept"]
    services.respond_to_invitation(request.user, invitation, accept=accept)
    if accept:
        messages.success(request, _("Welcome to %(group)s.") % {"group": invitation.group.name})
        return redirect("conversations:group", group_id=invitation.group_id)
    messages.success(request, _("Invitation declined."))
    return redirect("conversations:groups")
