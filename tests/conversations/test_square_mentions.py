"""@mentions: who is named, who is told, and who stays plain text."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.conversations.squarekit import make_group, make_thread, make_topic
from townsquare.conversations import square_services
from townsquare.conversations.mentions import Ref, find_refs
from townsquare.conversations.models import Group, Mention, Notification
from townsquare.fabric.models import Block
from townsquare.members.models import User, Visibility

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def test_mentioning_by_name_without_spaces_notifies_the_member_and_links_their_profile(
    alice: User, bob: User, mona: User
) -> None:
    thread = make_thread(alice, make_topic(mona), "Frontend help", "Ping @BobBaker, any ideas?")
    post = thread.posts.get()
    assert list(Mention.objects.values_list("user", flat=True)) == [bob.pk]
    assert (
        f'<a href="/members/{bob.pk}/" rel="nofollow noopener noreferrer ugc">@Bob Baker</a>, any ideas?'
        in post.body_html
    )
    note = Notification.objects.get(user=bob)
    assert note.kind == "mention" and note.actor == alice
    assert note.text == "Alice Archer mentioned you in “Frontend help”"
    assert note.url == f"/square/threads/{thread.pk}/?post={post.pk}"


def test_the_autocomplete_spelling_names_exactly_one_member_by_id(
    alice: User, bob: User, mona: User, make_member: Callable[..., User]
) -> None:
    twin = make_member(name="Bob Baker", email="bob2@example.com")
    thread = make_thread(alice, make_topic(mona), body=f"Thanks @[Bob Baker]({twin.pk})!")
    assert list(Mention.objects.values_list("user", flat=True)) == [twin.pk]
    assert f'href="/members/{twin.pk}/"' in thread.posts.get().body_html
    assert not Notification.objects.filter(user=bob).exists()


def test_an_ambiguous_name_mentions_nobody(
    alice: User, bob: User, mona: User, make_member: Callable[..., User]
) -> None:
    make_member(name="Bob Baker", email="bob2@example.com")
    thread = make_thread(alice, make_topic(mona), body="Hey @BobBaker")
    assert not Mention.objects.exists()
    assert "Hey @BobBaker" in thread.posts.get().body_html


def test_a_member_whose_profile_the_author_cannot_see_stays_plain_text_and_is_not_told(
    alice: User, mona: User, hidden_profile: User
) -> None:
    thread = make_thread(
        alice, make_topic(mona), body=f"@HugoHidden and @[Hugo]({hidden_profile.pk})"
    )
    assert not Mention.objects.exists()
    assert not Notification.objects.filter(user=hidden_profile).exists()
    html = thread.posts.get().body_html
    assert f"/members/{hidden_profile.pk}/" not in html and "@Hugo" in html


def test_a_connections_only_profile_is_mentionable_by_connections_only(
    alice: User, bob: User, mona: User, make_member: Callable[..., User]
) -> None:
    from townsquare.members import services as member_services

    member_services.update_profile(bob, bob.profile, profile_visibility=Visibility.CONNECTIONS)
    stranger = make_member(name="Sam Stranger")
    topic = make_topic(mona)
    make_thread(stranger, topic, body="hello @BobBaker")
    assert not Mention.objects.exists()
    make_thread(alice, topic, body="hello @BobBaker")  # alice is bob's connection
    assert Mention.objects.get().user == bob


def test_a_non_member_named_in_an_invite_only_group_is_not_told(
    alice: User, bob: User, make_member: Callable[..., User]
) -> None:
    outsider = make_member(name="Olga Outsider")
    group = make_group(alice, "Secret club", access=Group.Access.INVITE, members=(bob,))
    make_thread(alice, group, body="@BobBaker and @OlgaOutsider")
    assert list(Mention.objects.values_list("user", flat=True)) == [bob.pk]
    assert not Notification.objects.filter(user=outsider).exists()


def test_clients_and_blocked_people_are_not_mentioned(
    alice: User, bob: User, carol: User, mona: User
) -> None:
    Block.objects.create(blocker=bob, blocked=alice)
    make_thread(alice, make_topic(mona), body="@BobBaker @CarolClient")
    assert not Mention.objects.exists()
    assert not Notification.objects.exclude(user=alice).exists()


def test_managers_are_mentioned_in_bold_without_a_profile_link(alice: User, mona: User) -> None:
    thread = make_thread(alice, make_topic(mona), body="@MonaManager please pin this")
    assert "<strong>@Mona Manager</strong> please pin this" in thread.posts.get().body_html
    assert Notification.objects.get(user=mona).kind == "mention"


def test_mentions_inside_code_and_email_addresses_are_not_mentions(
    alice: User, bob: User, mona: User
) -> None:
    body = "Run `notify @BobBaker`\n\n```\n@BobBaker\n```\n\nor write to bob@BobBaker.example"
    assert find_refs(body) == []
    make_thread(alice, make_topic(mona), body=body)
    assert not Mention.objects.exists()


def test_a_handle_at_the_end_of_a_sentence_keeps_its_full_stop() -> None:
    assert find_refs("Thanks @BobBaker.") == [Ref("handle", "bobbaker")]


def test_editing_a_post_tells_only_the_newly_mentioned(
    alice: User, bob: User, mona: User, login: Login
) -> None:
    thread = make_thread(alice, make_topic(mona), body="cc @BobBaker")
    post = thread.posts.get()
    login(alice).post(
        f"/square/posts/{post.pk}/edit/",
        {"title": thread.title, "body": "cc @BobBaker @MonaManager"},
    )
    assert Notification.objects.filter(user=bob).count() == 1
    assert Notification.objects.filter(user=mona, kind="mention").count() == 1
    assert set(Mention.objects.values_list("user", flat=True)) == {bob.pk, mona.pk}


def test_a_mentioned_member_is_not_also_told_of_the_reply(
    alice: User, bob: User, mona: User
) -> None:
    thread = make_thread(bob, make_topic(mona), "Bob's thread")
    square_services.post_reply(alice, thread, body="@BobBaker see this")
    assert list(Notification.objects.filter(user=bob).values_list("kind", flat=True)) == ["mention"]
