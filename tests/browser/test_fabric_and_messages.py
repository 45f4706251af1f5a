"""The social fabric end to end in a real browser: two members connect, a third asks for an
introduction through them, and two people talk in messages that arrive without a reload.

Served over ASGI (`live_asgi_server`): the live socket at /ws/live/ is part of the story.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import LiveAsgiServer
from tests.browser.test_admission import sign_in
from tests.conftest import PASSWORD
from townsquare.fabric import runtime, services
from townsquare.members.models import User

CONNECT_NOTE = "We met at the Django meetup in Lisbon; let's stay in touch."
INTRO_NOTE = "I am building a marketplace on Django and would love Alice's advice on payments."
FORWARD_NOTE = "Dan is sharp and kind; you two will get on. Alice knows payments inside out."
HELLO = "Hi Dan! Happy to talk payments. What are you building?"
REPLY = "Hi Alice, thank you! A marketplace for bike repairs, on Django and PostgreSQL."


@pytest.fixture(autouse=True)
def _fresh_graph() -> Iterator[None]:
    # The graph engine lives for the process and the rows it read are flushed between
    # tests (their ids reused): start from the database this test builds.
    runtime.runtime().reset()
    yield
    runtime.runtime().reset()


def go(page: Page, section: str) -> None:
    """Follows a link of the main navigation."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name=section).click()


def open_live(page: Page) -> None:
    """Waits until the page's live socket is open (live.js saw "hello"), then remembers the
    document: `same_document` tells later whether the page was ever reloaded or left."""
    page.wait_for_function("() => window.townsquareLive && window.townsquareLive.isOpen()")
    page.evaluate("() => { window.sameDocument = true; }")


def same_document(page: Page) -> bool:
    return page.evaluate("() => window.sameDocument === true")


def messages_in(page: Page) -> Locator:
    return page.locator("[data-message-list] [data-message-id]")


def said(who: str, text: str) -> re.Pattern[str]:
    """A message as the list shows it: who said it (or "You"), its time, then the text."""
    return re.compile(rf"^\s*{re.escape(who)}\b.*{re.escape(text)}\s*$", re.S)


def send(page: Page, text: str) -> None:
    page.get_by_label("Message").fill(text)
    page.get_by_role("button", name="Send").click()
    # Acknowledged over the socket: the box empties, no page load.
    expect(page.get_by_label("Message")).to_have_value("")


@pytest.mark.browser
def test_members_connect_get_introduced_and_talk_live(
    live_asgi_server: LiveAsgiServer,
    new_page: Callable[..., Page],
    make_member: Callable[..., User],
    alice: User,
) -> None:
    base = live_asgi_server.url
    # Alice and Bob are not connected yet; Dan knows Bob only. Everyone keeps the default
    # message policy (connections only): the introduction's conversation is the way in.
    bob = make_member(name="Bob Baker", skills=("React",), headline="Frontend developer")
    dan = make_member(name="Dan Dorsey", skills=("Django",), headline="Founder, bike repairs")
    services.connect_members(bob, dan)

    # 1. Bob is signed in and looking at People; his socket is open.
    bob_page = new_page()
    sign_in(bob_page, base, bob.email, PASSWORD)
    go(bob_page, "People")
    expect(bob_page.get_by_role("heading", name="People", level=1)).to_be_visible()
    open_live(bob_page)
    bell = bob_page.locator("[data-live-badge]")
    expect(bell).to_be_hidden()

    # 2. Alice opens Bob's profile and asks to connect, with a note.
    alice_page = new_page()
    sign_in(alice_page, base, alice.email, PASSWORD)
    alice_page.goto(f"{base}/members/{bob.pk}/")
    expect(alice_page.get_by_role("heading", name="Bob Baker", level=1)).to_be_visible()
    alice_page.get_by_role("link", name="Connect", exact=True).click()
    expect(alice_page.get_by_role("heading", name="Connect with Bob Baker")).to_be_visible()
    alice_page.get_by_label("Note").fill(CONNECT_NOTE)
    alice_page.get_by_role("button", name="Send request").click()
    expect(alice_page.get_by_text("Request sent to Bob Baker.")).to_be_visible()

    # 3. Bob's bell lights up without a reload; the request is on People, and he accepts.
    expect(bell).to_have_text("1")
    expect(bell).to_be_visible()
    assert same_document(bob_page)
    go(bob_page, "People")
    requests = bob_page.locator("#requests")
    expect(requests.locator(".result")).to_have_count(1)
    expect(requests.locator(".result")).to_contain_text("Alice Archer")
    expect(requests.locator(".result")).to_contain_text(CONNECT_NOTE)
    requests.get_by_role("button", name="Accept").click()
    expect(bob_page.get_by_text("You are now connected.")).to_be_visible()
    expect(bob_page.locator("#requests .result")).to_have_count(0)
    expect(bob_page.locator("#connections")).to_contain_text("Alice Archer")

    # 4. Dan, who knows Bob but not Alice, opens Alice's profile and asks for an intro:
    #    the way goes through Bob.
    dan_page = new_page()
    sign_in(dan_page, base, dan.email, PASSWORD)
    dan_page.goto(f"{base}/members/{alice.pk}/")
    expect(dan_page.get_by_role("heading", name="Alice Archer", level=1)).to_be_visible()
    dan_page.get_by_role("link", name="Ask for an intro").click()
    expect(
        dan_page.get_by_role("heading", name="Ask for an introduction to Alice Archer")
    ).to_be_visible()
    expect(dan_page.locator(".path-step")).to_have_text(["Dan Dorsey", "Bob Baker", "Alice Archer"])
    expect(dan_page.get_by_text("Bob Baker is asked first.")).to_be_visible()
    dan_page.get_by_label("What you would like to talk about").fill(INTRO_NOTE)
    dan_page.get_by_role("button", name="Ask for the introduction").click()
    expect(dan_page.get_by_text("Bob Baker has been asked to introduce you.")).to_be_visible()
    expect(
        dan_page.get_by_role("heading", name="Introducing Dan Dorsey to Alice Archer")
    ).to_be_visible()
    expect(dan_page.get_by_text("Waiting for Bob Baker.")).to_be_visible()

    # 5. Bob finds the request among his introductions and forwards it with a note.
    go(bob_page, "People")
    bob_page.get_by_role("link", name="1 introduction waits for you.").click()
    expect(bob_page.get_by_role("heading", name="Introductions", level=1)).to_be_visible()
    bob_page.get_by_role("link", name="Dan Dorsey → Alice Archer").click()
    expect(bob_page.get_by_role("heading", name="Will you pass it on?")).to_be_visible()
    expect(bob_page.get_by_text(INTRO_NOTE)).to_be_visible()
    bob_page.get_by_label("Your note to pass on").fill(FORWARD_NOTE)
    bob_page.get_by_role("button", name="Forward").click()
    expect(bob_page.get_by_text("Forwarded to Alice Archer.")).to_be_visible()

    # 6. Alice reads both notes and accepts (and connects with Dan while she is at it).
    go(alice_page, "People")
    alice_page.get_by_role("link", name="1 introduction waits for you.").click()
    alice_page.get_by_role("link", name="Dan Dorsey → Alice Archer").click()
    expect(alice_page.get_by_role("heading", name="Would you like to meet?")).to_be_visible()
    expect(alice_page.get_by_text(INTRO_NOTE)).to_be_visible()
    expect(alice_page.get_by_text(FORWARD_NOTE)).to_be_visible()
    expect(alice_page.get_by_label("Also connect with them")).to_be_checked()
    alice_page.get_by_role("button", name="Accept").click()
    expect(
        alice_page.get_by_text("Introduction accepted: you three now share a conversation.")
    ).to_be_visible()
    alice_page.get_by_role("link", name="Open your conversation").click()
    expect(
        alice_page.get_by_role("heading", name="Bob Baker, Dan Dorsey", level=1, exact=True)
    ).to_be_visible()
    expect(alice_page.get_by_text("No messages yet. Say hello.")).to_be_visible()

    # 7. Dan finds the same conversation in his messages.
    go(dan_page, "Messages")
    dan_page.get_by_role("link", name="Bob Baker, Alice Archer").click()
    expect(
        dan_page.get_by_role("heading", name="Bob Baker, Alice Archer", level=1, exact=True)
    ).to_be_visible()

    # 8. Both pages stay open: each sees the other's message arrive, in order, never reloaded.
    open_live(alice_page)
    open_live(dan_page)
    send(alice_page, HELLO)
    expect(messages_in(dan_page)).to_have_text([said("Alice Archer", HELLO)])
    expect(messages_in(alice_page)).to_have_text([said("You", HELLO)])

    send(dan_page, REPLY)
    expect(messages_in(alice_page)).to_have_text([said("You", HELLO), said("Dan Dorsey", REPLY)])
    expect(messages_in(dan_page)).to_have_text([said("Alice Archer", HELLO), said("You", REPLY)])
    assert same_document(alice_page)
    assert same_document(dan_page)

    # What arrived live is what was stored: a fresh load shows the same two messages.
    dan_page.reload()
    expect(messages_in(dan_page)).to_have_text([said("Alice Archer", HELLO), said("You", REPLY)])
