"""The Square and groups over the API: the pages' rules, JSON shapes, and 404 for the unseen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conversations.squarekit import Api, make_group, make_thread, make_topic
from townsquare.conversations import groups, square_services
from townsquare.conversations.models import Group, GroupInvitation, Notification, Topic
from townsquare.members.models import User

pytestmark = pytest.mark.django_db


def test_a_member_lists_topics_starts_a_thread_and_reads_it_back(alice: User, mona: User) -> None:
    topic = make_topic(mona, "Rates", description="Money talk")
    api = Api(alice)
    [listed] = api.get("/api/v1/square/topics").json()
    assert listed["name"] == "Rates" and listed["thread_count"] == 0
    created = api.post(
        f"/api/v1/square/topics/{topic.pk}/threads",
        {"title": "Day rates in 2026", "body": "What do you **charge**?"},
    )
    assert created.status_code == 201
    thread = created.json()
    assert thread["title"] == "Day rates in 2026" and thread["post_count"] == 1
    assert thread["author"]["name"] == "Alice Archer" and thread["can_reply"] is True
    page = api.get(f"/api/v1/square/topics/{topic.pk}/threads").json()
    assert page["count"] == 1 and page["results"][0]["id"] == thread["id"]
    posts = api.get(f"/api/v1/square/threads/{thread['id']}/posts").json()["results"]
    assert posts[0]["body_html"] == "<p>What do you <strong>charge</strong>?</p>\n"
    assert [r["emoji"] for r in posts[0]["reactions"]] == [
        "thumbs_up", "heart", "tada", "smile", "thinking", "eyes",
    ]  # fmt: skip


def test_replies_edits_and_reactions_over_the_api(alice: User, bob: User, mona: User) -> None:
    thread = make_thread(alice, make_topic(mona))
    reply = Api(bob).post(f"/api/v1/square/threads/{thread.pk}/posts", {"body": "Hi @AliceArcher"})
    assert reply.status_code == 201
    post_id = reply.json()["id"]
    assert Notification.objects.filter(user=alice, kind="mention").exists()

    edited = Api(bob).patch(f"/api/v1/square/posts/{post_id}", {"body": "Hello again"}).json()
    assert edited["body"] == "Hello again" and edited["edited_at"] is not None
    assert Api(alice).patch(f"/api/v1/square/posts/{post_id}", {"body": "no"}).status_code == 403

    on = Api(alice).post(f"/api/v1/square/posts/{post_id}/reactions", {"emoji": "tada"}).json()
    assert on["on"] is True
    assert {r["emoji"]: (r["count"], r["mine"]) for r in on["reactions"]}["tada"] == (1, True)
    off = Api(alice).post(f"/api/v1/square/posts/{post_id}/reactions", {"emoji": "tada"}).json()
    assert off["on"] is False
    bad = Api(alice).post(f"/api/v1/square/posts/{post_id}/reactions", {"emoji": "poop"})
    assert bad.status_code == 400 and "emoji" in bad.json()["errors"]


def test_roles_on_the_square_api(alice: User, carol: User, eve: User, mona: User) -> None:
    topic = make_topic(mona)
    thread = make_thread(alice, topic)
    assert Api(None).get("/api/v1/square/topics").status_code == 401
    assert Api(eve).get("/api/v1/square/topics").status_code == 403
    assert Api(carol).get(f"/api/v1/square/threads/{thread.pk}").status_code == 200
    assert (
        Api(carol).post(f"/api/v1/square/threads/{thread.pk}/posts", {"body": "hi"}).status_code
        == 403
    )
    assert Api(alice).post("/api/v1/square/topics", {"name": "Mine"}).status_code == 403
    assert Api(mona).post("/api/v1/square/topics", {"name": "Ours"}).status_code == 201
    renamed = Api(mona).patch(f"/api/v1/square/topics/{topic.pk}", {"position": 5}).json()
    assert (
        renamed["position"] == 5 and renamed["name"] == "General" and renamed["thread_count"] == 1
    )
    assert (
        Api(alice).post(f"/api/v1/square/threads/{thread.pk}/pin", {"pinned": True}).status_code
        == 403
    )
    assert (
        Api(mona)
        .post(f"/api/v1/square/threads/{thread.pk}/pin", {"pinned": True})
        .json()["is_pinned"]
    )
    assert set(Topic.objects.values_list("name", flat=True)) == {"General", "Ours"}


def test_missing_and_invisible_objects_are_404(
    alice: User, bob: User, make_member: Callable[..., Any]
) -> None:
    outsider = make_member(name="Olga Outsider")
    group = make_group(alice, "Founders", access=Group.Access.INVITE, members=(bob,))
    thread = make_thread(alice, group)
    post_id = thread.posts.get().pk
    api = Api(outsider)
    for path in (
        f"/api/v1/groups/{group.pk}",
        f"/api/v1/groups/{group.pk}/threads",
        f"/api/v1/square/threads/{thread.pk}",
        f"/api/v1/square/threads/{thread.pk}/posts",
        "/api/v1/square/threads/987654",
        "/api/v1/square/topics/987654/threads",
    ):
        assert api.get(path).status_code == 404, path
    assert (
        api.post(f"/api/v1/square/posts/{post_id}/reactions", {"emoji": "eyes"}).status_code == 404
    )
    assert api.post(f"/api/v1/groups/{group.pk}/join").status_code == 404
    assert (
        Api(alice).post(f"/api/v1/groups/{group.pk}/invitations", {"member_id": 987654}).status_code
        == 404
    )


def test_groups_over_the_api(alice: User, bob: User) -> None:
    created = Api(alice).post("/api/v1/groups", {"name": "Founders", "access": "invite"})
    assert created.status_code == 201
    group = created.json()
    assert group["role"] == "owner" and group["member_count"] == 1
    assert Api(bob).get("/api/v1/groups").json()["count"] == 0
    invited = Api(alice).post(f"/api/v1/groups/{group['id']}/invitations", {"member_id": bob.pk})
    assert invited.status_code == 201
    [pending] = Api(bob).get("/api/v1/groups/invitations").json()
    assert pending["group_name"] == "Founders" and pending["invited_by"]["name"] == "Alice Archer"
    answer = Api(bob).post(f"/api/v1/groups/invitations/{pending['id']}", {"accept": True})
    assert answer.json()["status"] == "accepted"
    assert Api(bob).get(f"/api/v1/groups/{group['id']}").json()["role"] == "member"
    thread = Api(bob).post(f"/api/v1/groups/{group['id']}/threads", {"title": "Hi", "body": "all"})
    assert thread.status_code == 201
    assert Api(bob).get(f"/api/v1/groups/{group['id']}/threads").json()["count"] == 1
    assert Api(bob).post(f"/api/v1/groups/{group['id']}/leave").status_code == 204
    assert Api(bob).get(f"/api/v1/groups/{group['id']}").status_code == 404


def test_joining_an_open_group_and_refusals(alice: User, bob: User, carol: User) -> None:
    open_group = make_group(alice, "Open house")
    closed = make_group(alice, "Founders", access=Group.Access.INVITE)
    assert Api(bob).post(f"/api/v1/groups/{open_group.pk}/join").json()["role"] == "member"
    assert Api(carol).post(f"/api/v1/groups/{open_group.pk}/join").status_code == 403
    assert Api(bob).post(f"/api/v1/groups/{closed.pk}/join").status_code == 404
    groups.invite_to_group(alice, closed, bob)
    assert Api(bob).post(f"/api/v1/groups/{closed.pk}/join").json()["role"] == "member"
    assert GroupInvitation.objects.get().status == GroupInvitation.Status.ACCEPTED
    again = Api(alice).post(f"/api/v1/groups/{closed.pk}/invitations", {"member_id": bob.pk})
    assert again.status_code == 400 and "in the group already" in again.json()["detail"]


def test_the_thread_list_api_keeps_its_query_count(
    alice: User, bob: User, mona: User, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    topic = make_topic(mona)
    for i in range(12):
        author, replier = (alice, bob) if i % 2 else (bob, alice)
        square_services.post_reply(replier, make_thread(author, topic, f"T{i}"), body="re")
    api = Api(alice)
    with django_assert_max_num_queries(6):
        assert api.get(f"/api/v1/square/topics/{topic.pk}/threads").json()["count"] == 12


SQUARE_OPERATIONS = {
    ("get", "/api/v1/square/topics"): "square_topics_list",
    ("post", "/api/v1/square/topics"): "square_topics_create",
    ("patch", "/api/v1/square/topics/{topic_id}"): "square_topics_update",
    ("get", "/api/v1/square/topics/{topic_id}/threads"): "square_topic_threads_list",
    ("post", "/api/v1/square/topics/{topic_id}/threads"): "square_topic_threads_create",
    ("get", "/api/v1/square/threads/{thread_id}"): "square_threads_get",
    ("post", "/api/v1/square/threads/{thread_id}/pin"): "square_threads_pin",
    ("get", "/api/v1/square/threads/{thread_id}/posts"): "square_posts_list",
    ("post", "/api/v1/square/threads/{thread_id}/posts"): "square_posts_create",
    ("patch", "/api/v1/square/posts/{post_id}"): "square_posts_update",
    ("post", "/api/v1/square/posts/{post_id}/reactions"): "square_reactions_toggle",
    ("get", "/api/v1/groups"): "groups_list",
    ("post", "/api/v1/groups"): "groups_create",
    ("get", "/api/v1/groups/invitations"): "groups_invitations_list",
    ("post", "/api/v1/groups/invitations/{invitation_id}"): "groups_invitations_answer",
    ("get", "/api/v1/groups/{group_id}"): "groups_get",
    ("post", "/api/v1/groups/{group_id}/join"): "groups_join",
    ("post", "/api/v1/groups/{group_id}/leave"): "groups_leave",
    ("post", "/api/v1/groups/{group_id}/invitations"): "groups_invite",
    ("get", "/api/v1/groups/{group_id}/threads"): "groups_threads_list",
    ("post", "/api/v1/groups/{group_id}/threads"): "groups_threads_create",
    ("get", "/api/v1/notifications"): "notifications_list",
    ("post", "/api/v1/notifications/read"): "notifications_read_all",
    ("post", "/api/v1/notifications/{notification_id}/read"): "notifications_read",
    ("get", "/api/v1/notifications/preferences"): "notifications_preferences_get",
    ("patch", "/api/v1/notifications/preferences"): "notifications_preferences_update",
}


def test_the_openapi_document_lists_the_square_group_and_notification_operations() -> None:
    schema = Api(None).get("/api/v1/openapi.json").json()
    found = {
        (method, path): operation["operationId"]
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if path.startswith(("/api/v1/square", "/api/v1/groups", "/api/v1/notifications"))
    }
    assert found == SQUARE_OPERATIONS
