"""People you may know: ranked by mutual connections, shared skills and groups, with reasons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from townsquare.conversations.models import Group, GroupMembership
from townsquare.fabric import services
from townsquare.fabric.selectors import people_you_may_know
from townsquare.members import services as member_services
from townsquare.members.models import User, Visibility


def names(suggestions: list[Any]) -> list[str]:
    return [s.member.name for s in suggestions]


def test_friends_of_friends_come_first_with_their_mutual_count(
    alice: User, bob: User, make_member: Callable[..., User], connect: Callable[..., None]
) -> None:
    cid = make_member(name="Cid Carver", skills=("Go",))
    dana = make_member(name="Dana Drake", skills=("Go",))
    fay = make_member(name="Fay Far", skills=("Go",))
    connect(alice, fay)
    connect(bob, cid, fay)  # cid knows bob and fay: two mutual connections with alice
    connect(bob, dana)  # dana knows bob only

    ranked = people_you_may_know(alice)

    assert names(ranked) == ["Cid Carver", "Dana Drake"]
    assert ranked[0].mutual == 2
    assert ranked[0].reason == "2 mutual connections"
    assert ranked[1].reason == "1 mutual connection"


def test_shared_skills_rank_and_read_as_both(alice: User, make_member: Callable[..., User]) -> None:
    make_member(name="Pia Python", skills=("Python", "Django"))
    make_member(name="Gus Go", skills=("Go",))
    make_member(name="Paul Postgres", skills=("PostgreSQL",))

    ranked = people_you_may_know(alice)

    assert names(ranked) == ["Pia Python", "Paul Postgres"]
    assert ranked[0].reason == "both Django, Python"


def test_mutual_connections_and_skills_combine_in_one_reason(
    alice: User, bob: User, make_member: Callable[..., User], connect: Callable[..., None]
) -> None:
    cid = make_member(name="Cid Carver", skills=("Django",))
    connect(bob, cid)

    (first,) = people_you_may_know(alice)

    assert first.member == cid
    assert first.reason == "1 mutual connection · both Django"


def test_shared_groups_count(alice: User, make_member: Callable[..., User]) -> None:
    gus = make_member(name="Gus Go", skills=("Go",))
    group = Group.objects.create(name="Remote workers", created_by=alice)
    GroupMembership.objects.create(group=group, user=alice)
    GroupMembership.objects.create(group=group, user=gus)

    (first,) = people_you_may_know(alice)

    assert first.member == gus
    assert first.reason == "1 group in common"


def test_connections_pending_requests_blocked_and_hidden_people_are_left_out(
    alice: User, bob: User, make_member: Callable[..., User]
) -> None:
    asked = make_member(name="Asked Already", skills=("Python",))
    asking = make_member(name="Asking Me", skills=("Python",))
    blocker = make_member(name="Blocker", skills=("Python",))
    make_member(name="Hidden Hal", skills=("Python",), profile_visibility=Visibility.CONNECTIONS)
    make_member(name="Quiet Skills", skills=("Python",), skills_visibility=Visibility.CONNECTIONS)
    kept = make_member(name="Kept Kim", skills=("Python",))
    services.request_connection(alice, asked)
    services.request_connection(asking, alice)
    services.block(blocker, alice)
    member_services.update_profile(bob, bob.profile, skills=[
        member_services.SkillEntry(skill=s.skill, level=3, years=1) for s in alice.profile.skills.all()
    ])  # fmt: skip

    assert names(people_you_may_know(alice)) == ["Kept Kim"]
    assert kept.pk not in {asked.pk, asking.pk}


def test_a_dismissed_suggestion_does_not_come_back(
    alice: User, make_member: Callable[..., User], login: Callable[[User], Client]
) -> None:
    pia = make_member(name="Pia Python", skills=("Python",))
    client = login(alice)
    assert "Pia Python" in client.get("/people/").content.decode()

    response = client.post(f"/people/{pia.pk}/dismiss/", {"next": "/people/#suggestions"})

    assert response["Location"] == "/people/#suggestions"
    assert people_you_may_know(alice) == []
    assert "We will not suggest Pia Python again." in client.get("/people/").content.decode()
    assert "Pia Python" not in client.get("/people/").content.decode()


def test_suggestions_take_one_engine_call_and_a_few_queries(
    alice: User,
    bob: User,
    make_member: Callable[..., User],
    connect: Callable[..., None],
    django_assert_max_num_queries: Any,
) -> None:
    for i in range(15):
        person = make_member(name=f"Person {i}", email=f"p{i}@example.com", skills=("Python",))
        connect(bob, person)
    people_you_may_know(alice)  # the graph is built (a one-off per process)

    with django_assert_max_num_queries(7):
        ranked = people_you_may_know(alice)

    assert len(ranked) == 10
    assert ranked[0].reason == "1 mutual connection · both Python"
