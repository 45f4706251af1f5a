"""Messaging pages: the inbox, a conversation (history and a send form that works without
JavaScript), starting a direct conversation and leaving a group one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from townsquare.conversations import selectors, services
from townsquare.conversations.forms import HistoryForm, MessageForm
from townsquare.conversations.models import Conversation
from townsquare.members.access import community_required
from townsquare.members.models import Role


@community_required
def inbox_view(request: HttpRequest) -> HttpResponse:
    entries = selectors.conversations_for(request.user)
    return render(request, "conversations/inbox.html", {"entries": entries})


@community_required
@require_http_methods(["GET", "POST"])
def conversation_view(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = selectors.get_conversation_for(request.user, conversation_id)
    status = 200
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                message = services.send_message(
                    request.user, conversation, form.cleaned_data["body"]
                )
            except ValidationError as error:
                form.add_error("body" if hasattr(error, "error_dict") else None, error)
                status = 400
            except services.RateLimited as limited:
                form.add_error(None, str(limited))
                status = 429
            else:
                url = reverse("conversations:conversation", args=[conversation.pk])
                return redirect(f"{url}#m{message.pk}")
        else:
            status = 400
    history = HistoryForm(request.GET)
    before = history.cleaned_data.get("before") if history.is_valid() else None
    page = selectors.messages_page(request.user, conversation, before=before)
    membership = conversation.membership  # type: ignore[attr-defined]
    last_read_id = membership.last_read_id
    if before is None and page.last_id and page.last_id > last_read_id:
        services.mark_read(request.user, conversation, page.last_id)
    participants = selectors.participants_of(request.user, conversation)
    context = {
        "conversation": conversation,
        "participants": participants,
        "others": [p for p in participants if p.pk != request.user.pk],
        "page": page,
        "form": form,
        "last_read_id": last_read_id,
        "send_refusal": selectors.send_refusal(request.user, conversation),
        "can_leave": conversation.kind != Conversation.Kind.DIRECT,
    }
    response = render(request, "conversations/conversation.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(services.SEND_WINDOW)
    return response


@community_required
@require_POST
def start_view(request: HttpRequest, member_id: int) -> HttpResponse:
    """Opens the direct conversation with someone, starting it if the rules allow."""
    other = selectors.recipient_for(request.user, member_id)
    try:
        conversation, _created = services.start_direct_conversation(request.user, other)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except services.RateLimited as limited:
        messages.error(request, str(limited))
    else:
        return redirect("conversations:conversation", conversation_id=conversation.pk)
    if other.role == Role.MEMBER:
        return redirect("members:profile", member_id=other.pk)
    return redirect("conversations:inbox")


@community_required
@require_POST
def leave_view(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = selectors.get_conversation_for(request.user, conversation_id)
    try:
        services.leave_conversation(request.user, conversation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("conversations:conversation", conversation_id=conversation.pk)
    messages.success(request, _("You left the conversation."))
    return redirect("conversations:inbox")
