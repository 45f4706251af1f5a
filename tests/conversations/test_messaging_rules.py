"""Who may message whom: message policies, client contact, blocks, applicants, managers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from townsquare.conversations import selectors, services
from townsquare.conversations.models import Conversation, Participant
from townsquare.fabric.models import Block
from townsquare.members.models import MessagePolicy, Profile, User

pytestmark = pytest.mark.django_db


def set_policy(member: User, policy: str, *, client_contact: bool | None = None) -> None:
    fields: dict[str, object] = {"message_policy": policy}
    if client_contact is not None:
        fields["client_contact"] = client_contact
    Profile.objects.filter(user=member).update(**fields)
    member.refresh_from_db()


@pytest.fixture
def olga(make_member: Callable[..., User]) -> User:
    """A member nobody here is connected to."""
    return make_member(name="Olga Other", skills=("Go",))


def test_a_member_may_message_a_connection_under_the_default_policy(alice: User, bob: User) -> None:
    conversation, created = services.start_direct_conversation(alice, bob)
    assert created and conversation.kind == Conversation.Kind.DIRECT
    assert conversation.direct_key == f"{min(alice.pk, bob.pk)}:{max(alice.pk, bob.pk)}"
    assert set(conversation.participants.values_list("user_id", flat=True)) == {alice.pk, bob.pk}


def test_a_pair_has_one_direct_conversation_whoever_starts_it(alice: User, bob: User) -> None:
    first, _ = services.start_direct_conversation(alice, bob)
    second, created = services.start_direct_conversation(bob, alice)
    assert second.pk == first.pk and not created
    assert Conversation.objects.filter(kind="direct").count() == 1


def test_connections_policy_refuses_a_member_who_is_not_a_connection(
    alice: User, olga: User
) -> None:
    with pytest.raises(ValidationError, match="connections only"):
        services.start_direct_conversation(olga, alice)
    assert not Conversation.objects.exists()


def test_any_member_policy_accepts_a_member_who_is_not_a_connection(
    alice: User, olga: User
) -> None:
    set_policy(alice, MessagePolicy.MEMBERS)
    conversation, created = services.start_direct_conversation(olga, alice)
    assert created


def test_nobody_policy_refuses_even_a_connection(alice: User, bob: User) -> None:
    set_policy(bob, MessagePolicy.NOBODY)
    with pytest.raises(ValidationError, match="does not accept new conversations"):
        services.start_direct_conversation(alice, bob)


def test_policy_governs_starting_an_existing_conversation_goes_on(alice: User, bob: User) -> None:
    conversation, _ = services.start_direct_conversation(alice, bob)
    set_policy(bob, MessagePolicy.NOBODY)
    reopened, created = services.start_direct_conversation(alice, bob)
    assert reopened.pk == conversation.pk and not created
    services.send_message(alice, conversation, "Still here")


def test_client_cannot_message_member_who_has_not_opted_in(carol: User, alice: User) -> None:
    set_policy(alice, MessagePolicy.MEMBERS, client_contact=False)
    with pytest.raises(ValidationError, match="not open to clients"):
        services.start_direct_conversation(carol, alice)


def test_client_may_message_member_who_opted_in_whatever_their_policy(
    carol: User, alice: User
) -> None:
    set_policy(alice, MessagePolicy.CONNECTIONS, client_contact=True)
    conversation, created = services.start_direct_conversation(carol, alice)
    assert created
    services.send_message(carol, conversation, "We have a Django project for you.")


def test_client_cannot_message_an_opted_in_member_whose_policy_is_nobody(
    carol: User, alice: User
) -> None:
    set_policy(alice, MessagePolicy.NOBODY, client_contact=True)
    with pytest.raises(ValidationError):
        services.start_direct_conversation(carol, alice)


def test_client_may_message_a_manager_but_not_another_client(carol: User, mona: User) -> None:
    from townsquare.members import services as member_services

    other_client = member_services.create_account(
        email="dave@client.example", name="Dave Client", role="client"
    )
    services.start_direct_conversation(carol, mona)
    with pytest.raises(ValidationError):
        services.start_direct_conversation(carol, other_client)


def test_member_may_message_a_client(alice: User, carol: User) -> None:
    _, created = services.start_direct_conversation(alice, carol)
    assert created


def test_manager_may_message_anyone_whatever_their_policy(
    mona: User, alice: User, carol: User
) -> None:
    set_policy(alice, MessagePolicy.NOBODY, client_contact=False)
    services.start_direct_conversation(mona, alice)
    services.start_direct_conversation(mona, carol)


@pytest.mark.parametrize("blocker", ["alice", "bob"])
def test_a_block_either_way_refuses_a_new_conversation(
    alice: User, bob: User, blocker: str
) -> None:
    a, b = (alice, bob) if blocker == "alice" else (bob, alice)
    Block.objects.create(blocker=a, blocked=b)
    with pytest.raises(ValidationError):
        services.start_direct_conversation(alice, bob)
    with pytest.raises(ValidationError):
        services.start_direct_conversation(bob, alice)


@pytest.mark.parametrize("blocker", ["alice", "bob"])
def test_a_block_either_way_stops_an_existing_conversation(
    alice: User, bob: User, blocker: str
) -> None:
    conversation, _ = services.start_direct_conversation(alice, bob)
    services.send_message(alice, conversation, "Before")
    a, b = (alice, bob) if blocker == "alice" else (bob, alice)
    Block.objects.create(blocker=a, blocked=b)
    for sender in (alice, bob):
        with pytest.raises(ValidationError, match="cannot send"):
            services.send_message(sender, conversation, "After")
    assert conversation.messages.count() == 1
    assert selectors.send_refusal(alice, selectors.get_conversation_for(alice, conversation.pk))
    with pytest.raises(ValidationError):
        services.start_direct_conversation(alice, bob)


def test_a_block_stops_the_blocked_persons_messages_in_a_shared_group(
    alice: User, bob: User, mona: User
) -> None:
    group = services.start_group_conversation(mona, [alice, bob], "Welcome")
    Block.objects.create(blocker=alice, blocked=bob)
    with pytest.raises(ValidationError):
        services.send_message(bob, group, "Hi all")
    services.send_message(mona, group, "Managers still talk to both")


def test_a_block_stops_managers_too(mona: User, alice: User) -> None:
    Block.objects.create(blocker=alice, blocked=mona)
    with pytest.raises(ValidationError):
        services.start_direct_conversation(mona, alice)


def test_applicant_cannot_message(eve: User, alice: User, mona: User) -> None:
    set_policy(alice, MessagePolicy.MEMBERS)
    with pytest.raises(PermissionError):
        services.start_direct_conversation(eve, alice)
    # Nor can anyone pull an applicant into a conversation.
    with pytest.raises(ValidationError):
        services.start_direct_conversation(mona, eve)
    assert selectors.conversations_for(eve) == []


def test_deactivated_members_cannot_be_messaged(alice: User, bob: User) -> None:
    User.objects.filter(pk=bob.pk).update(is_active=False)
    bob.refresh_from_db()
    with pytest.raises(ValidationError):
        services.start_direct_conversation(alice, bob)


def test_nobody_messages_themselves(alice: User) -> None:
    with pytest.raises(ValidationError):
        services.start_direct_conversation(alice, alice)


def test_a_group_needs_each_person_to_accept_the_starter(
    alice: User, bob: User, make_member: Callable[..., User]
) -> None:
    olga = make_member(name="Olga Other")
    with pytest.raises(ValidationError, match="Olga Other"):
        services.start_group_conversation(alice, [bob, olga], "Team")
    assert not Conversation.objects.exists()
    set_policy(olga, MessagePolicy.MEMBERS)
    group = services.start_group_conversation(alice, [bob, olga], "Team")
    assert group.kind == Conversation.Kind.GROUP and group.participants.count() == 3


def test_an_introduction_conversation_joins_three_without_policy_checks(
    alice: User, bob: User, make_member: Callable[..., User]
) -> None:
    olga = make_member(name="Olga Other")
    set_policy(olga, MessagePolicy.NOBODY)
    conversation = services.start_intro_conversation(bob, alice, olga)
    assert conversation.kind == Conversation.Kind.INTRO
    assert set(conversation.participants.values_list("user_id", flat=True)) == {
        alice.pk,
        bob.pk,
        olga.pk,
    }
    services.send_message(alice, conversation, "Thanks for the intro, Bob!")


def test_leaving_a_group_ends_access_and_delivery(alice: User, bob: User, mona: User) -> None:
    group = services.start_group_conversation(mona, [alice, bob], "Welcome")
    services.leave_conversation(bob, group)
    with pytest.raises(PermissionError):
        services.send_message(bob, group, "Still here?")
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.get_conversation_for(bob, group.pk)
    assert Participant.objects.get(conversation=group, user=bob).left_at is not None


def test_a_direct_conversation_cannot_be_left(alice: User, bob: User) -> None:
    conversation, _ = services.start_direct_conversation(alice, bob)
    with pytest.raises(ValidationError, match="block"):
        services.leave_conversation(alice, conversation)


def test_starting_conversations_is_rate_limited(
    mona: User, make_member: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "START_LIMIT", 2)
    people = [make_member(name=f"Person {i}", email=f"p{i}@example.com") for i in range(3)]
    services.start_direct_conversation(mona, people[0])
    services.start_direct_conversation(mona, people[1])
    with pytest.raises(services.RateLimited):
        services.start_direct_conversation(mona, people[2])
    # Opening an existing conversation is not a new one.
    services.start_direct_conversation(mona, people[0])
