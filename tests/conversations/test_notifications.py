"""Notifications: in-app with a live badge, email by preference, one reply notice per thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core import mail
from django.test import Client

from tests.conversations.squarekit import Api, make_thread, make_topic
from tests.members.mailbox import SmtpSink, body_of
from townsquare.conversations import square_services
from townsquare.conversations.models import Notification, NotificationPreference
from townsquare.conversations.notifications import (
    notify,
    preferences_for,
    set_notification_preferences,
)
from townsquare.members.models import User

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]
Capture = Callable[..., Any]


def test_a_mention_is_emailed_over_smtp_by_default(
    alice: User, bob: User, mona: User, smtp_server: SmtpSink,
    django_capture_on_commit_callbacks: Capture,
) -> None:  # fmt: skip
    topic = make_topic(mona)
    with django_capture_on_commit_callbacks(execute=True):
        thread = make_thread(alice, topic, "Need a reviewer", "@BobBaker could you look?")
    [message] = smtp_server.to("bob@example.com")
    # Python folds a non-ASCII subject onto a continuation line; readers drop the space.
    assert (
        message["Subject"].strip() == "Townsquare: Alice Archer mentioned you in “Need a reviewer”"
    )
    body = body_of(message)
    assert f"http://127.0.0.1:8000/square/threads/{thread.pk}/?post=" in body
    assert "/me/notifications/" in body and "Someone mentioned you" in body
    assert message["List-Unsubscribe"] == "<http://127.0.0.1:8000/me/notifications/>"


def test_email_off_sends_no_mail_and_in_app_off_records_no_row(
    alice: User, bob: User, mona: User, django_capture_on_commit_callbacks: Capture
) -> None:
    set_notification_preferences(bob, {"mention": (True, False)})
    set_notification_preferences(mona, {"mention": (False, True)})
    with django_capture_on_commit_callbacks(execute=True):
        make_thread(alice, make_topic(mona), body="@BobBaker @MonaManager")
    assert Notification.objects.filter(user=bob, kind="mention").count() == 1
    assert not Notification.objects.filter(user=mona).exists()
    assert [m.to for m in mail.outbox] == [["mona@example.com"]]


def test_replies_are_off_by_email_by_default_and_told_once_per_thread_until_read(
    alice: User, bob: User, mona: User, login: Login, django_capture_on_commit_callbacks: Capture
) -> None:
    thread = make_thread(alice, make_topic(mona), "Alice asks")
    with django_capture_on_commit_callbacks(execute=True):
        square_services.post_reply(bob, thread, body="one")
        square_services.post_reply(bob, thread, body="two")
        square_services.post_reply(mona, thread, body="three")
    assert Notification.objects.filter(user=alice, kind="reply").count() == 1
    assert mail.outbox == []
    # bob took part, so mona's reply told him too
    assert Notification.objects.filter(user=bob, kind="reply").count() == 1

    login(alice).get(f"/square/threads/{thread.pk}/")
    assert not Notification.objects.filter(user=alice, read_at__isnull=True).exists()
    square_services.post_reply(bob, thread, body="four")
    assert Notification.objects.filter(user=alice, kind="reply").count() == 2


def test_marking_the_reply_notice_read_rearms_it_too(
    alice: User, bob: User, mona: User, login: Login
) -> None:
    thread = make_thread(alice, make_topic(mona))
    square_services.post_reply(bob, thread, body="one")
    note = Notification.objects.get(user=alice)
    login(alice).post(f"/notifications/{note.pk}/open/")
    square_services.post_reply(bob, thread, body="two")
    assert Notification.objects.filter(user=alice, kind="reply").count() == 2


def test_the_badge_counts_unread_notifications_on_every_page(
    alice: User, bob: User, mona: User, login: Login
) -> None:
    make_thread(alice, make_topic(mona), body="@BobBaker and again")
    notify(bob, "connection_request", text="Someone wants to connect", url="/members/")
    html = login(bob).get("/members/").content.decode()
    assert '<span class="count" data-live-badge>2</span>' in html
    html = login(alice).get("/").content.decode()
    assert '<span class="count" data-live-badge hidden>0</span>' in html


def test_a_notification_pushes_the_live_badge_after_commit(
    alice: User, bob: User, django_capture_on_commit_callbacks: Capture
) -> None:
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(f"user.{bob.pk}", channel)
    with django_capture_on_commit_callbacks(execute=True):
        notify(bob, "group_invitation", text="Join us", url="/square/groups/1/", actor=alice)
    event = async_to_sync(layer.receive)(channel)
    assert event == {
        "type": "notification.badge",
        "unread": 1,
        "text": "Join us",
        "url": "/square/groups/1/",
    }


def test_opening_a_notification_marks_it_read_and_goes_where_it_points(
    alice: User, bob: User, mona: User, login: Login
) -> None:
    thread = make_thread(alice, make_topic(mona), body="@BobBaker look")
    note = Notification.objects.get(user=bob)
    page = login(bob).get("/notifications/").content.decode()
    assert "Alice Archer mentioned you" in page
    response = login(bob).post(f"/notifications/{note.pk}/open/")
    assert response["Location"] == f"/square/threads/{thread.pk}/?post={thread.posts.get().pk}"
    note.refresh_from_db()
    assert note.read_at is not None
    assert (
        "Alice Archer mentioned you"
        not in login(bob).get("/notifications/?unread=1").content.decode()
    )


def test_nobody_opens_someone_elses_notification(alice: User, bob: User) -> None:
    note = notify(bob, "connection_request", text="hi")
    client = Client()
    client.force_login(alice)
    assert client.post(f"/notifications/{note.pk}/open/").status_code == 404
    assert Api(alice).post(f"/api/v1/notifications/{note.pk}/read").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read(bob: User, login: Login) -> None:
    for i in range(3):
        notify(bob, "connection_request", text=f"request {i}")
    login(bob).post("/notifications/read/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_preferences_page_stores_a_choice_per_kind(bob: User, login: Login) -> None:
    page = login(bob).get("/me/notifications/").content.decode()
    assert "The weekly digest" in page and "email only" in page
    form = {f"{row.kind}__in_app": "on" for row in preferences_for(bob) if not row.email_only}
    form.update({"mention__email": "on"})
    del form["reply__in_app"]
    response = login(bob).post("/me/notifications/", form)
    assert response["Location"] == "/me/notifications/"
    rows = {p.kind: (p.in_app, p.email) for p in NotificationPreference.objects.filter(user=bob)}
    assert rows["reply"] == (False, False)
    assert rows["mention"] == (True, True)
    assert rows["digest"] == (False, False)


def test_notifications_over_the_api(bob: User) -> None:
    notify(bob, "connection_request", text="first", url="/members/")
    second = notify(bob, "group_invitation", text="second")
    api = Api(bob)
    listing = api.get("/api/v1/notifications").json()
    assert listing["unread"] == 2 and [n["text"] for n in listing["results"]] == ["second", "first"]
    assert listing["results"][1]["url"] == "http://testserver/members/"
    assert api.post(f"/api/v1/notifications/{second.pk}/read").json()["read_at"] is not None
    assert api.get("/api/v1/notifications", {"unread": "true"}).json()["count"] == 1
    assert api.post("/api/v1/notifications/read").json() == {"marked": 1, "unread": 0}

    prefs = api.patch(
        "/api/v1/notifications/preferences",
        {"preferences": [{"kind": "digest", "in_app": True, "email": False}]},
    ).json()
    digest = next(p for p in prefs if p["kind"] == "digest")
    assert digest == {
        "kind": "digest",
        "label": "The weekly digest",
        "in_app": False,
        "email": False,
        "email_only": True,
    }
    refused = api.patch(
        "/api/v1/notifications/preferences", {"preferences": [{"kind": "nope", "email": True}]}
    )
    assert refused.status_code == 400
