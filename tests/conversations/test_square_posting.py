"""The Square's pages without JavaScript: topics, threads, replies, edits, pins, moderation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client

from tests.conversations.squarekit import make_group, make_thread, make_topic
from townsquare.conversations import square_services
from townsquare.conversations.models import Post, Thread, Topic
from townsquare.members.models import User

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def test_a_manager_creates_a_topic_and_a_member_starts_a_thread_in_it(
    alice: User, mona: User, login: Login
) -> None:
    response = login(mona).post(
        "/square/topics/new/", {"name": "Rates", "description": "Talk money", "position": 1}
    )
    topic = Topic.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/square/topics/{topic.pk}/"

    response = login(alice).post(
        f"/square/topics/{topic.pk}/new/",
        {"title": "What do you charge for Django?", "body": "I ask **for a friend**."},
    )
    thread = Thread.objects.get()
    assert response["Location"] == f"/square/threads/{thread.pk}/"
    page = login(alice).get(response["Location"]).content.decode()
    assert "What do you charge for Django?" in page
    assert "I ask <strong>for a friend</strong>." in page
    assert (
        "What do you charge for Django?"
        in login(alice).get(f"/square/topics/{topic.pk}/").content.decode()
    )


def test_a_member_may_not_create_topics(alice: User, login: Login) -> None:
    assert login(alice).get("/square/topics/new/").status_code == 404
    assert not Topic.objects.exists()


def test_a_reply_lands_on_the_thread_and_moves_it_to_the_top_of_its_topic(
    alice: User, bob: User, mona: User, login: Login
) -> None:
    topic = make_topic(mona)
    with time_machine.travel("2026-03-02 09:00Z", tick=False):
        older = make_thread(alice, topic, "Older thread")
    with time_machine.travel("2026-03-02 10:00Z", tick=False):
        make_thread(alice, topic, "Newer thread")
    with time_machine.travel("2026-03-02 11:00Z", tick=False):
        response = login(bob).post(f"/square/threads/{older.pk}/reply/", {"body": "Replying late"})
    post = Post.objects.get(body="Replying late")
    assert response["Location"] == f"/square/threads/{older.pk}/?post={post.pk}"
    assert login(bob).get(response["Location"])["Location"] == (
        f"/square/threads/{older.pk}/?page=1#post-{post.pk}"
    )
    older.refresh_from_db()
    assert older.post_count == 2 and older.last_poster == bob and older.last_post_id == post.pk
    listing = login(alice).get(f"/square/topics/{topic.pk}/").content.decode()
    assert listing.index("Older thread") < listing.index("Newer thread")


def test_markdown_is_sanitised_no_scripts_no_javascript_links(
    alice: User, mona: User, login: Login
) -> None:
    thread = make_thread(
        alice,
        make_topic(mona),
        body=(
            '<script>alert("x")</script> [click](javascript:alert(1)) '
            "<img src=x onerror=alert(2)> [fine](https://example.com)"
        ),
    )
    post_html = thread.posts.get().body_html
    assert "<script" not in post_html and "<img" not in post_html
    assert 'href="javascript' not in post_html
    assert (
        '<a href="https://example.com" rel="nofollow noopener noreferrer ugc">fine</a>' in post_html
    )
    page = login(mona).get(f"/square/threads/{thread.pk}/").content.decode()
    assert "<script>alert" not in page and 'href="javascript' not in page


def test_editing_your_own_post_marks_it_edited_and_renames_the_thread_from_the_first_post(
    alice: User, mona: User, login: Login
) -> None:
    thread = make_thread(alice, make_topic(mona), "Typo in titel", "Frist post")
    post = thread.posts.get()
    response = login(alice).post(
        f"/square/posts/{post.pk}/edit/", {"title": "Typo in title", "body": "First post"}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    thread.refresh_from_db()
    assert post.body == "First post" and post.edited_at is not None
    assert thread.title == "Typo in title"
    assert "edited" in login(alice).get(f"/square/threads/{thread.pk}/").content.decode()


def test_nobody_edits_someone_elses_post(alice: User, bob: User, mona: User, login: Login) -> None:
    post = make_thread(alice, make_topic(mona)).posts.get()
    assert (
        login(bob).post(f"/square/posts/{post.pk}/edit/", {"body": "mine now"}).status_code == 403
    )
    assert login(mona).get(f"/square/posts/{post.pk}/edit/").status_code == 403
    post.refresh_from_db()
    assert post.body == "First post" and post.edited_at is None


def test_clients_read_the_square_but_do_not_post(
    alice: User, carol: User, mona: User, login: Login
) -> None:
    topic = make_topic(mona)
    thread = make_thread(alice, topic, "Open to clients")
    page = login(carol).get(f"/square/threads/{thread.pk}/")
    assert page.status_code == 200 and "Open to clients" in page.content.decode()
    assert 'name="body"' not in page.content.decode()
    assert (
        login(carol).post(f"/square/threads/{thread.pk}/reply/", {"body": "hi"}).status_code == 403
    )
    assert login(carol).get(f"/square/topics/{topic.pk}/new/").status_code == 403
    assert thread.posts.count() == 1


def test_applicants_and_visitors_do_not_see_the_square(
    alice: User, eve: User, mona: User, login: Login
) -> None:
    thread = make_thread(alice, make_topic(mona))
    assert login(eve).get(f"/square/threads/{thread.pk}/")["Location"] == "/application/"
    assert Client().get("/square/")["Location"].startswith("/accounts/login/")


def test_only_managers_pin_and_pinned_threads_lead_the_list(
    alice: User, bob: User, mona: User, login: Login
) -> None:
    topic = make_topic(mona)
    first = make_thread(alice, topic, "First thread")
    make_thread(bob, topic, "Second thread")
    assert (
        login(alice).post(f"/square/threads/{first.pk}/pin/", {"pinned": "on"}).status_code == 404
    )
    first.refresh_from_db()
    assert not first.is_pinned

    login(mona).post(f"/square/threads/{first.pk}/pin/", {"pinned": "on"})
    first.refresh_from_db()
    assert first.is_pinned and first.pinned_at is not None
    listing = login(bob).get(f"/square/topics/{topic.pk}/").content.decode()
    assert listing.index("First thread") < listing.index("Second thread")

    login(mona).post(f"/square/threads/{first.pk}/pin/", {})
    first.refresh_from_db()
    assert not first.is_pinned


def test_hidden_posts_are_shown_to_managers_only(
    alice: User, bob: User, mona: User, login: Login
) -> None:
    thread = make_thread(alice, make_topic(mona), "Heated")
    reply = square_services.post_reply(bob, thread, body="Something rude")
    assert login(alice).post(f"/square/posts/{reply.pk}/hide/", {"hidden": "on"}).status_code == 404
    login(mona).post(f"/square/posts/{reply.pk}/hide/", {"hidden": "on"})
    assert (
        "Something rude" not in login(alice).get(f"/square/threads/{thread.pk}/").content.decode()
    )
    assert "Something rude" in login(mona).get(f"/square/threads/{thread.pk}/").content.decode()
    thread.refresh_from_db()
    assert thread.post_count == 1
    # Hiding the first post hides the thread with it.
    login(mona).post(f"/square/posts/{thread.posts.first().pk}/hide/", {"hidden": "on"})
    assert login(alice).get(f"/square/threads/{thread.pk}/").status_code == 404
    assert login(mona).get(f"/square/threads/{thread.pk}/").status_code == 200


def test_posts_paginate_and_a_link_to_a_post_lands_on_its_page(
    alice: User, bob: User, mona: User, login: Login
) -> None:
    thread = make_thread(alice, make_topic(mona))
    replies = [square_services.post_reply(bob, thread, body=f"Reply number {i}") for i in range(24)]
    target = replies[21]  # the 23rd post: page 2 at 20 a page
    response = login(alice).get(f"/square/threads/{thread.pk}/?post={target.pk}")
    assert response["Location"] == f"/square/threads/{thread.pk}/?page=2#post-{target.pk}"
    page_two = login(alice).get(f"/square/threads/{thread.pk}/?page=2").content.decode()
    assert "Reply number 21" in page_two and "Reply number 3<" not in page_two
    assert 'name="body"' in page_two  # the reply form sits on the last page


def test_times_are_shown_in_the_viewers_time_zone(
    alice: User, bob: User, mona: User, login: Login
) -> None:
    with time_machine.travel("2026-03-02 12:00Z", tick=False):
        thread = make_thread(alice, make_topic(mona))
    # alice lives in Europe/Berlin (UTC+1 in March), bob in America/New_York (UTC-5).
    assert "2 Mar 2026, 13:00" in login(alice).get(f"/square/threads/{thread.pk}/").content.decode()
    assert "2 Mar 2026, 07:00" in login(bob).get(f"/square/threads/{thread.pk}/").content.decode()


def test_the_thread_page_keeps_its_query_count_with_many_posts_and_reactions(
    alice: User,
    bob: User,
    mona: User,
    make_member: Callable[..., User],
    login: Login,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    thread = make_thread(alice, make_topic(mona))
    people = [make_member(name=f"Poster {i}", email=f"poster{i}@example.com") for i in range(6)]
    for person in people:
        post = square_services.post_reply(person, thread, body=f"Hi from {person.name}")
        square_services.toggle_reaction(bob, post, "heart")
        square_services.toggle_reaction(alice, post, "tada")
    client = login(alice)
    client.get(f"/square/threads/{thread.pk}/")  # warm the template cache
    with django_assert_max_num_queries(12):
        response = client.get(f"/square/threads/{thread.pk}/")
    assert response.status_code == 200


def test_the_topic_list_keeps_its_query_count_with_many_threads(
    alice: User,
    bob: User,
    mona: User,
    login: Login,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    topic = make_topic(mona)
    for i in range(15):
        thread = make_thread(alice if i % 2 else bob, topic, f"Thread {i}")
        square_services.post_reply(alice, thread, body="and a reply")
    client = login(bob)
    client.get(f"/square/topics/{topic.pk}/")
    with django_assert_max_num_queries(7):
        response = client.get(f"/square/topics/{topic.pk}/")
    assert response.status_code == 200 and "Thread 14" in response.content.decode()
    with django_assert_max_num_queries(7):
        assert client.get("/square/").status_code == 200


def test_a_group_thread_is_listed_with_the_group_on_the_square(
    alice: User, bob: User, login: Login
) -> None:
    group = make_group(alice, "Data folks", members=(bob,))
    make_thread(bob, group, "Group thread")
    page = login(alice).get("/square/").content.decode()
    assert "Group thread" in page and "Data folks" in page


def test_a_title_typed_with_line_breaks_is_kept_on_one_line(alice: User, mona: User) -> None:
    thread = make_thread(alice, make_topic(mona), "Bcc: someone\r\nSubject:  sneaky", "body")
    assert thread.title == "Bcc: someone Subject: sneaky"
