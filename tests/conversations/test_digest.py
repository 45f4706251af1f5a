"""The weekly digest: built per member, received by a real SMTP server, sent once a week."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from tests.conversations.squarekit import make_group, make_thread, make_topic
from tests.members.mailbox import SmtpSink, body_of
from townsquare.conversations import square_services
from townsquare.conversations.digest import (
    build_digest,
    deliver_digest,
    enqueue_weekly_digests,
    week_of,
)
from townsquare.conversations.models import DigestDelivery, Group
from townsquare.conversations.notifications import set_notification_preferences
from townsquare.conversations.tasks import send_weekly_digest
from townsquare.members.models import User, Visibility

Capture = Callable[..., Any]
MONDAY = "2026-03-09 08:00Z"  # the sweep runs Monday morning; the window is the 7 days before


@pytest.fixture
def week(
    alice: User, bob: User, carol: User, mona: User, eve: User, make_member: Callable[..., User]
) -> Iterator[dict[str, Any]]:
    """A week of Square activity and newcomers; time stands at the Monday sweep afterwards."""
    with time_machine.travel("2026-02-01 10:00Z", tick=False):
        topic = make_topic(mona, "Work talk")
        old = make_member(name="Otto Old", skills=("Python",))
        stale = make_thread(bob, topic, "Last month's thread")
        square_services.post_reply(alice, stale, body="old reply")
    with time_machine.travel("2026-03-03 09:00Z", tick=False):
        hot = make_thread(bob, topic, "Hot thread: pricing retainers")
        quiet = make_thread(mona, topic, "Quiet thread: tooling")
        secret_group = make_group(bob, "Bob's circle", access=Group.Access.INVITE)
        secret = make_thread(bob, secret_group, "Secret plans")
        newcomer = make_member(
            name="Nina Newcomer", skills=("Python", "Go"), headline="Go and Python"
        )
        hidden = make_member(
            name="Hugo Hidden", skills=("Python",), profile_visibility=Visibility.ONLY_ME
        )
        shy = make_member(
            name="Sam Shy", skills=("Python",), skills_visibility=Visibility.CONNECTIONS
        )
        other = make_member(name="Rita Rust", skills=("Rust",))
    with time_machine.travel("2026-03-05 15:30Z", tick=False):
        for person in (alice, mona, newcomer):
            square_services.post_reply(person, hot, body="my two cents")
        square_services.toggle_reaction(alice, hot.posts.first(), "heart")
        square_services.post_reply(alice, quiet, body="one reply")
        square_services.post_reply(bob, secret, body="shh")
        square_services.post_reply(bob, secret, body="shh again")
        square_services.post_reply(bob, secret, body="and again")
        square_services.post_reply(bob, secret, body="and again and again")
    with time_machine.travel(MONDAY, tick=False):
        yield {
            "hot": hot, "quiet": quiet, "stale": stale, "secret": secret, "newcomer": newcomer,
            "hidden": hidden, "shy": shy, "other": other, "old": old,
        }  # fmt: skip


@pytest.mark.django_db
def test_the_digest_is_received_by_a_real_smtp_server_with_top_threads_and_new_members(
    alice: User, bob: User, carol: User, eve: User, week: dict[str, Any], smtp_server: SmtpSink,
    django_capture_on_commit_callbacks: Capture,
) -> None:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        queued = enqueue_weekly_digests()
    claimed = set(DigestDelivery.objects.values_list("user__name", flat=True))
    assert queued == len(claimed) == 8
    assert "Carol Client" not in claimed and "Eve Early" not in claimed

    [message] = smtp_server.to("alice@example.com")
    assert message["Subject"].strip() == "Your week in Townsquare"
    assert message["List-Unsubscribe"] == "<http://127.0.0.1:8000/me/notifications/>"
    text = body_of(message)
    assert "Hello Alice Archer" in text
    # Top threads: by replies plus reactions this week; the hot one first.
    assert text.index("Hot thread: pricing retainers") < text.index("Quiet thread: tooling")
    assert "3 replies · 1 reaction" in text
    assert f"http://127.0.0.1:8000/square/threads/{week['hot'].pk}/" in text
    assert "Last month's thread" not in text
    assert "Secret plans" not in text  # alice is not in bob's invite-only group
    # New members who share a skill and whom alice may see.
    assert "Nina Newcomer — Go and Python" in text and "Shares: Python" in text
    for name in ("Hugo Hidden", "Sam Shy", "Rita Rust", "Otto Old"):
        assert name not in text
    # Times in alice's zone (Europe/Berlin): the hot thread's last post was 15:30 UTC.
    assert "Thu 5 Mar, 16:30" in text
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Hot thread: pricing retainers" in html and "Nina Newcomer" in html

    # bob's digest has his invite-only group's thread; clients and applicants get none.
    assert "Secret plans" in body_of(smtp_server.to("bob@example.com")[0])
    assert smtp_server.to("carol@client.example") == [] and smtp_server.to("eve@example.com") == []

    # A second sweep in the same week sends nothing again, nor does a stray task.
    received = len(smtp_server.messages)
    with django_capture_on_commit_callbacks(execute=True):
        assert enqueue_weekly_digests() == 0
        send_weekly_digest.enqueue(alice.pk, week_of_now())
    assert len(smtp_server.messages) == received
    assert DigestDelivery.objects.get(user=alice).status == DigestDelivery.Status.SENT


def week_of_now() -> str:
    from django.utils import timezone

    return week_of(timezone.now()).isoformat()


@pytest.mark.django_db
def test_the_week_key_is_the_monday_in_utc() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    late_sunday_in_tokyo = datetime(2026, 3, 9, 1, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert week_of(late_sunday_in_tokyo) == date(2026, 3, 2)
    assert week_of(datetime(2026, 3, 9, 8, 0, tzinfo=ZoneInfo("UTC"))) == date(2026, 3, 9)


@pytest.mark.django_db
def test_members_who_turned_the_digest_off_are_not_claimed_or_sent_one(
    alice: User, week: dict[str, Any], django_capture_on_commit_callbacks: Capture
) -> None:
    from django.core import mail

    set_notification_preferences(alice, {"digest": (False, False)})
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_weekly_digests()
    assert "alice@example.com" not in [m.to[0] for m in mail.outbox]
    assert not DigestDelivery.objects.filter(user=alice).exists()
    # A task queued before she opted out does not send either.
    assert deliver_digest(alice.pk) == DigestDelivery.Status.SKIPPED


@pytest.mark.django_db
def test_a_week_with_nothing_to_tell_sends_nothing(
    alice: User, mona: User, django_capture_on_commit_callbacks: Capture
) -> None:
    from django.core import mail

    with time_machine.travel(MONDAY, tick=False):
        assert build_digest(alice).is_empty
        with django_capture_on_commit_callbacks(execute=True):
            enqueue_weekly_digests()
    assert mail.outbox == []
    assert DigestDelivery.objects.get(user=alice).status == DigestDelivery.Status.EMPTY


@pytest.mark.django_db
def test_two_sweeps_racing_claim_each_member_once(
    alice: User, week: dict[str, Any], django_capture_on_commit_callbacks: Capture
) -> None:
    from django.core import mail

    # The second sweep starts before the first one's tasks ran: both see alice as due.
    with django_capture_on_commit_callbacks(execute=False) as first:
        first_count = enqueue_weekly_digests()
    with django_capture_on_commit_callbacks(execute=False) as second:
        second_count = enqueue_weekly_digests()
    assert first_count > 0 and second_count == 0
    for callback in [*first, *second, *first]:  # and even a task run twice
        callback()
    assert [m.to for m in mail.outbox].count(["alice@example.com"]) == 1


@pytest.mark.django_db(transaction=True)
def test_send_digest_queues_the_sweep_for_the_database_worker_which_sends_over_smtp(
    settings: Any, smtp_server: SmtpSink, make_member: Callable[..., User], mona: User
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with time_machine.travel("2026-03-04 10:00Z", tick=False):
        reader = make_member(name="Wanda Worker")
        thread = make_thread(mona, make_topic(mona), "Worker thread")
        square_services.post_reply(reader, thread, body="a reply")
    with time_machine.travel(MONDAY, tick=True):
        call_command("send_digest")
        assert smtp_server.messages == []  # queued, not sent: the worker sends
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    [message] = smtp_server.to("wanda@example.com")
    assert "Worker thread" in body_of(message)
    assert len(smtp_server.to("mona@example.com")) == 1
