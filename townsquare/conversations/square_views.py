"""The Square's pages: topics, thread lists, threads with replies, reactions, pins, edits."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from townsquare.conversations import square_selectors as selectors
from townsquare.conversations import square_services as services
from townsquare.conversations.models import Thread
from townsquare.conversations.square_forms import (
    HideForm,
    PinForm,
    PostEditForm,
    ReactionForm,
    ReplyForm,
    ThreadForm,
    TopicForm,
)
from townsquare.members.access import community_required, manager_required


def form_errors_from(error: ValidationError, form: Form) -> None:
    """Puts a service's refusal on the form: on its field when it names one."""
    if hasattr(error, "error_dict"):
        for field, errs in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error.messages)


def page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def require_poster(request: HttpRequest) -> None:
    if not selectors.can_post(request.user):
        raise PermissionDenied(_("Clients read the Square; members post."))


@community_required
def square_view(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    context = {
        "topics": list(selectors.topics_overview(viewer)),
        "latest": selectors.latest_threads(viewer),
        "invitations": selectors.invitations_for(viewer),
        "can_post": selectors.can_post(viewer),
    }
    return render(request, "square/index.html", context)


@community_required
def topic_view(request: HttpRequest, topic_id: int) -> HttpResponse:
    viewer = request.user
    topic = selectors.get_topic_for(viewer, topic_id)
    page = selectors.topic_threads(viewer, topic, page_number(request))
    context = {"topic": topic, "page": page, "can_post": selectors.can_post(viewer)}
    return render(request, "square/topic.html", context)


@manager_required
def topic_create_view(request: HttpRequest) -> HttpResponse:
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.create_topic(request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(error, form)
        else:
            messages.success(request, _("Topic created."))
            return redirect("conversations:topic", topic_id=topic.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "square/topic_form.html", {"form": form}, status=status)


@manager_required
def topic_edit_view(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = selectors.get_topic_for(request.user, topic_id)
    initial = {"name": topic.name, "description": topic.description, "position": topic.position}
    form = TopicForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_topic(request.user, topic, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(error, form)
        else:
            messages.success(request, _("Topic saved."))
            return redirect("conversations:topic", topic_id=topic.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "square/topic_form.html", {"form": form, "topic": topic}, status=status)


@community_required
def thread_create_view(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = selectors.get_topic_for(request.user, topic_id)
    require_poster(request)
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.start_thread(request.user, topic=topic, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(error, form)
        else:
            return redirect("conversations:thread", thread_id=thread.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "topic": topic}
    return render(request, "square/thread_create.html", context, status=status)


def _thread_page(
    request: HttpRequest, thread: Thread, form: ReplyForm | None, status: int = 200
) -> HttpResponse:
    viewer = request.user
    page = selectors.thread_posts(viewer, thread, page_number(request))
    posts = list(page.object_list)
    reactions = selectors.reaction_summary(viewer, [p.pk for p in posts])
    for post in posts:
        post.reaction_counts = reactions[post.pk]
    if posts and request.method == "GET":
        services.mark_thread_read(viewer, thread, posts[-1].pk)
    can_reply = selectors.can_reply(viewer, thread)
    if form is None and can_reply:
        form = ReplyForm()
    context: dict[str, Any] = {
        "thread": thread,
        "page": page,
        "posts": posts,
        "form": form,
        "can_reply": can_reply,
        "is_manager": viewer.is_manager,
    }
    return render(request, "square/thread.html", context, status=status)


@community_required
def thread_view(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread = selectors.get_thread_for(request.user, thread_id)
    wanted = request.GET.get("post", "")
    if wanted.isdigit():
        number = selectors.page_of_post(request.user, thread, int(wanted))
        url = services.thread_url(thread)
        if number is None:
            return redirect(url)
        return redirect(f"{url}?page={number}#post-{wanted}")
    return _thread_page(request, thread, None)


@require_POST
@community_required
def thread_reply_view(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread = selectors.get_thread_for(request.user, thread_id)
    if not selectors.can_reply(request.user, thread):
        raise PermissionDenied
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            post = services.post_reply(request.user, thread, body=form.cleaned_data["body"])
        except ValidationError as error:
            form_errors_from(error, form)
        else:
            return redirect(services.post_url(post))
    return _thread_page(request, thread, form, status=400)


@require_POST
@manager_required
def thread_pin_view(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread = selectors.get_thread_for(request.user, thread_id)
    form = PinForm(request.POST)
    form.is_valid()
    pinned = bool(form.cleaned_data.get("pinned"))
    services.set_thread_pinned(request.user, thread, pinned)
    messages.success(request, _("Thread pinned.") if pinned else _("Thread unpinned."))
    return redirect("conversations:thread", thread_id=thread.pk)


@community_required
def post_edit_view(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.get_post_for(request.user, post_id)
    if post.author_id != request.user.pk or not selectors.can_post(request.user):
        raise PermissionDenied
    first = selectors.is_first_post(post)
    initial = {"body": post.body, "title": post.thread.title}
    form = PostEditForm(request.POST or None, initial=initial, first_post=first)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_post(
                request.user, post, body=form.cleaned_data["body"],
                title=form.cleaned_data.get("title") if first else None,
            )  # fmt: skip
        except ValidationError as error:
            form_errors_from(error, form)
        else:
            messages.success(request, _("Post saved."))
            return redirect(services.post_url(post))
    status = 400 if request.method == "POST" else 200
    return render(request, "square/post_edit.html", {"form": form, "post": post}, status=status)


@require_POST
@community_required
def post_react_view(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.get_post_for(request.user, post_id)
    if not selectors.can_reply(request.user, post.thread):
        raise PermissionDenied
    form = ReactionForm(request.POST)
    if form.is_valid():
        services.toggle_reaction(request.user, post, form.cleaned_data["emoji"])
    return redirect(services.post_url(post))


@require_POST
@manager_required
def post_hide_view(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.get_post_for(request.user, post_id)
    form = HideForm(request.POST)
    form.is_valid()
    hidden = bool(form.cleaned_data.get("hidden"))
    services.set_post_hidden(request.user, post, hidden, reason=form.cleaned_data.get("reason", ""))
    messages.success(request, _("Post hidden.") if hidden else _("Post shown again."))
    return redirect(services.post_url(post))
