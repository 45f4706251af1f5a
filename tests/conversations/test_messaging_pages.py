"""The messaging pages without JavaScript: inbox, a conversation, sending, starting, leaving."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from townsquare.conversations import services
from townsquare.conversations.models import Conversation, Message
from townsquare.fabric.models import Block
from townsquare.members.models import MessagePolicy, Profile, User

pytestmark = pytest.mark.django_db


def test_the_inbox_lists_conversations_with_unread_counts(
    alice: User, bob: User, login: Callable[[User], Client]
) -> None:
    conversation, _ = services.start_direct_conversation(bob, alice)
    services.send_message(bob, conversation, "Lunch on Friday?")
    page = login(alice).get("/messages/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Bob Baker" in html and "Lunch on Friday?" in html and "1 unread" in html
    # The navigation counts unread messages on every page.
    assert 'data-unread-messages="1"' in html


def test_a_conversation_page_shows_history_and_marks_it_read(
    alice: User, bob: User, login: Callable[[User], Client]
) -> None:
    conversation, _ = services.start_direct_conversation(bob, alice)
    services.send_message(bob, conversation, "First *message*")
    page = login(alice).get(f"/messages/{conversation.pk}/")
    assert page.status_code == 200
    assert "First <em>message</em>" in page.content.decode()
    assert conversation.participants.get(user=alice).last_read_id == conversation.messages.get().pk
    assert 'data-unread-messages="0"' in login(alice).get("/messages/").content.decode()


def test_the_send_form_works_without_javascript(
    alice: User, bob: User, login: Callable[[User], Client]
) -> None:
    conversation, _ = services.start_direct_conversation(alice, bob)
    response = login(alice).post(f"/messages/{conversation.pk}/", {"body": "Hello **Bob**"})
    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/messages/{conversation.pk}/#m{message.pk}"
    assert message.sender == alice and message.body_html == "<p>Hello <strong>Bob</strong></p>\n"


def test_an_empty_message_is_refused_with_the_form_shown_again(
    alice: User, bob: User, login: Callable[[User], Client]
) -> None:
    conversation, _ = services.start_direct_conversation(alice, bob)
    response = login(alice).post(f"/messages/{conversation.pk}/", {"body": "  "})
    assert response.status_code == 400 and not Message.objects.exists()


def test_a_blocked_conversation_has_no_send_form(
    alice: User, bob: User, login: Callable[[User], Client]
) -> None:
    conversation, _ = services.start_direct_conversation(alice, bob)
    Block.objects.create(blocker=bob, blocked=alice)
    page = login(alice).get(f"/messages/{conversation.pk}/")
    assert "data-send-form" not in page.content.decode()
    response = login(alice).post(f"/messages/{conversation.pk}/", {"body": "hi"})
    assert response.status_code == 400 and not Message.objects.exists()


def test_older_messages_are_a_link_away(
    alice: User, bob: User, login: Callable[[User], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "SEND_LIMIT", 1000)
    conversation, _ = services.start_direct_conversation(alice, bob)
    ids = [services.send_message(alice, conversation, f"n{i}").pk for i in range(55)]
    latest = login(bob).get(f"/messages/{conversation.pk}/").content.decode()
    assert f'href="?before={ids[5]}"' in latest and "<p>n4</p>" not in latest
    assert "<p>n5</p>" in latest and " data-live>" in latest
    older = login(bob).get(f"/messages/{conversation.pk}/?before={ids[5]}").content.decode()
    assert "<p>n4</p>" in older and "<p>n5</p>" not in older
    assert " data-live>" not in older  # an old page does not take live messages


def test_someone_elses_conversation_is_not_found(
    alice: User, bob: User, mona: User, login: Callable[[User], Client]
) -> None:
    conversation, _ = services.start_direct_conversation(alice, bob)
    assert login(mona).get(f"/messages/{conversation.pk}/").status_code == 404
    assert login(mona).post(f"/messages/{conversation.pk}/", {"body": "hi"}).status_code == 404


def test_the_profile_offers_a_message_button_only_when_allowed(
    alice: User, bob: User, make_member: Callable[..., User], login: Callable[[User], Client]
) -> None:
    olga = make_member(name="Olga Other")
    assert "/messages/new/" in login(alice).get(f"/members/{bob.pk}/").content.decode()
    assert "/messages/new/" not in login(alice).get(f"/members/{olga.pk}/").content.decode()
    assert "/messages/new/" not in login(alice).get(f"/members/{alice.pk}/").content.decode()
    Profile.objects.filter(user=olga).update(message_policy=MessagePolicy.MEMBERS)
    assert "/messages/new/" in login(alice).get(f"/members/{olga.pk}/").content.decode()


def test_starting_a_conversation_from_a_profile(
    alice: User, bob: User, login: Callable[[User], Client]
) -> None:
    response = login(alice).post(f"/messages/new/{bob.pk}/")
    conversation = Conversation.objects.get()
    assert response["Location"] == f"/messages/{conversation.pk}/"
    again = login(bob).post(f"/messages/new/{alice.pk}/")
    assert again["Location"] == f"/messages/{conversation.pk}/"


def test_a_refused_start_goes_back_to_the_profile_with_the_reason(
    alice: User, make_member: Callable[..., User], login: Callable[[User], Client]
) -> None:
    olga = make_member(name="Olga Other")
    client = login(alice)
    response = client.post(f"/messages/new/{olga.pk}/", follow=True)
    assert response.redirect_chain[-1][0] == f"/members/{olga.pk}/"
    assert "connections only" in response.content.decode()
    assert not Conversation.objects.exists()


def test_leaving_a_group_from_its_page(
    alice: User, bob: User, mona: User, login: Callable[[User], Client]
) -> None:
    group = services.start_group_conversation(mona, [alice, bob], "Welcome")
    response = login(bob).post(f"/messages/{group.pk}/leave/")
    assert response["Location"] == "/messages/"
    assert login(bob).get(f"/messages/{group.pk}/").status_code == 404


def test_pages_load_scripts_from_files_only(
    alice: User, bob: User, login: Callable[[User], Client]
) -> None:
    conversation, _ = services.start_direct_conversation(alice, bob)
    html = login(alice).get(f"/messages/{conversation.pk}/").content.decode()
    assert '<script src="/static/townsquare/live.js" defer' in html
    assert '<script src="/static/townsquare/messages.js" defer' in html
    assert "<script>" not in html


def test_the_inbox_has_a_fixed_number_of_queries(
    alice: User,
    mona: User,
    make_member: Callable[..., User],
    login: Callable[[User], Client],
    django_assert_max_num_queries: Any,
) -> None:
    for i in range(8):
        person = make_member(name=f"Person {i}", email=f"p{i}@example.com")
        Profile.objects.filter(user=person).update(message_policy=MessagePolicy.MEMBERS)
        conversation, _ = services.start_direct_conversation(alice, person)
        services.send_message(person, conversation, "hi")
    client = login(alice)
    with django_assert_max_num_queries(8):
        assert client.get("/messages/").status_code == 200
