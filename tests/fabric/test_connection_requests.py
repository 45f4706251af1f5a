"""Asking to connect: request, accept, decline, withdraw, and the rules around them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from townsquare.conversations.models import Notification
from townsquare.fabric import services
from townsquare.fabric.models import Connection, ConnectionRequest, GraphChange
from townsquare.fabric.selectors import are_connected_ids
from townsquare.members.models import User


@pytest.fixture
def olga(make_member: Callable[..., User]) -> User:
    return make_member(name="Olga Other", skills=("Go",))


def test_a_request_notifies_the_recipient(alice: User, olga: User) -> None:
    request = services.request_connection(alice, olga, "We met at PyCon.")

    assert request.status == ConnectionRequest.Status.PENDING
    assert request.note == "We met at PyCon."
    note = Notification.objects.get(user=olga)
    assert note.kind == "connection_request"
    assert note.actor == alice
    assert "Alice Archer" in note.text
    assert note.url == "/people/#requests"


def test_accepting_connects_both_records_the_graph_change_and_tells_the_sender(
    alice: User, olga: User
) -> None:
    request = services.request_connection(alice, olga)

    services.accept_connection_request(olga, request)

    request.refresh_from_db()
    assert request.status == ConnectionRequest.Status.ACCEPTED
    assert request.responded_at is not None
    assert are_connected_ids(alice.pk, olga.pk)
    change = GraphChange.objects.get()
    assert (change.member_a, change.member_b, change.added) == (*sorted((alice.pk, olga.pk)), True)
    accepted = Notification.objects.get(user=alice)
    assert accepted.kind == "connection_accepted"
    assert accepted.url == f"/members/{olga.pk}/"


def test_declining_closes_the_request_quietly(alice: User, olga: User) -> None:
    request = services.request_connection(alice, olga)

    services.decline_connection_request(olga, request)

    request.refresh_from_db()
    assert request.status == ConnectionRequest.Status.DECLINED
    assert not are_connected_ids(alice.pk, olga.pk)
    assert not Notification.objects.filter(user=alice).exists()


def test_the_sender_withdraws_and_cannot_answer_their_own_request(alice: User, olga: User) -> None:
    request = services.request_connection(alice, olga)

    with pytest.raises(PermissionError):
        services.accept_connection_request(alice, request)
    services.withdraw_connection_request(alice, request)

    request.refresh_from_db()
    assert request.status == ConnectionRequest.Status.WITHDRAWN
    with pytest.raises(ValidationError, match="already been answered or withdrawn"):
        services.accept_connection_request(olga, request)


def test_a_second_pending_request_to_the_same_member_is_refused(alice: User, olga: User) -> None:
    services.request_connection(alice, olga)

    with pytest.raises(ValidationError, match="already asked Olga Other"):
        services.request_connection(alice, olga)
    assert ConnectionRequest.objects.count() == 1


def test_asking_someone_who_already_asked_you_accepts_their_request(
    alice: User, olga: User
) -> None:
    theirs = services.request_connection(olga, alice)

    answer = services.request_connection(alice, olga)

    assert answer.pk == theirs.pk
    assert answer.status == ConnectionRequest.Status.ACCEPTED
    assert are_connected_ids(alice.pk, olga.pk)
    assert ConnectionRequest.objects.count() == 1


def test_nobody_asks_themselves(alice: User) -> None:
    with pytest.raises(ValidationError, match="yourself"):
        services.request_connection(alice, alice)


def test_connected_members_cannot_ask_again(alice: User, bob: User) -> None:
    with pytest.raises(ValidationError, match="already connected"):
        services.request_connection(alice, bob)


def test_applicants_and_clients_do_not_send_requests(alice: User, eve: User, carol: User) -> None:
    for actor in (eve, carol):
        with pytest.raises(PermissionError):
            services.request_connection(actor, alice)


def test_an_applicant_cannot_be_asked(alice: User, eve: User) -> None:
    with pytest.raises(ValidationError, match="admitted members"):
        services.request_connection(alice, eve)


def test_a_new_member_sends_ten_requests_a_day_then_is_told_to_wait(
    make_member: Callable[..., User],
) -> None:
    newcomer = make_member(name="Nina New")
    others = [make_member(name=f"Person {i}", email=f"p{i}@example.com") for i in range(11)]
    for other in others[:10]:
        services.request_connection(newcomer, other)

    with pytest.raises(
        ValidationError, match="first 14 days you can send 10 connection requests a day"
    ):
        services.request_connection(newcomer, others[10])

    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        services.request_connection(newcomer, others[10])
    assert ConnectionRequest.objects.filter(sender=newcomer).count() == 11


def test_members_past_their_first_two_weeks_have_no_daily_limit(
    make_member: Callable[..., User],
) -> None:
    veteran = make_member(name="Vera Veteran")
    User.objects.filter(pk=veteran.pk).update(admitted_at=timezone.now() - timedelta(days=15))
    veteran.refresh_from_db()
    for i in range(12):
        services.request_connection(veteran, make_member(name=f"P {i}", email=f"v{i}@example.com"))
    assert ConnectionRequest.objects.filter(sender=veteran).count() == 12


def test_the_daily_limit_is_a_setting(make_member: Callable[..., User], settings: object) -> None:
    settings.FABRIC_NEW_MEMBER_REQUESTS_PER_DAY = 2  # type: ignore[attr-defined]
    newcomer = make_member(name="Nina New")
    for i in range(2):
        services.request_connection(newcomer, make_member(name=f"P {i}", email=f"s{i}@example.com"))
    with pytest.raises(ValidationError, match="send 2 connection requests a day"):
        services.request_connection(newcomer, make_member(name="Last", email="last@example.com"))


def test_removing_a_connection_records_the_change(alice: User, bob: User) -> None:
    services.remove_connection(bob, alice)

    assert not Connection.objects.exists()
    change = GraphChange.objects.get()
    assert change.added is False
    with pytest.raises(ValidationError, match="not connected"):
        services.remove_connection(bob, alice)
