"""Member-created groups: open or invite-only, joining, inviting, leaving, owners' powers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.conversations.squarekit import Api, make_group, make_thread
from townsquare.conversations import groups
from townsquare.conversations.models import Group, GroupInvitation, GroupMembership, Notification
from townsquare.members.models import User

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def test_a_member_starts_an_open_group_others_join_and_post_in_it(
    alice: User, bob: User, login: Login
) -> None:
    response = login(alice).post(
        "/square/groups/new/", {"name": "Remote workers", "description": "Tips", "access": "open"}
    )
    group = Group.objects.get()
    assert response["Location"] == f"/square/groups/{group.pk}/"
    assert group.memberships.get().role == GroupMembership.Role.OWNER

    assert login(bob).get(f"/square/groups/{group.pk}/new/").status_code == 403
    login(bob).post(f"/square/groups/{group.pk}/join/")
    response = login(bob).post(
        f"/square/groups/{group.pk}/new/", {"title": "Best coworking in Lisbon?", "body": "Go!"}
    )
    assert response.status_code == 302
    page = login(alice).get(f"/square/groups/{group.pk}/").content.decode()
    assert "Best coworking in Lisbon?" in page and "Bob Baker" in page


def test_open_group_threads_are_readable_by_the_community_but_only_members_reply(
    alice: User, bob: User, carol: User, login: Login
) -> None:
    thread = make_thread(alice, make_group(alice, "Open house"), "Welcome")
    assert login(bob).get(f"/square/threads/{thread.pk}/").status_code == 200
    assert login(carol).get(f"/square/threads/{thread.pk}/").status_code == 200
    assert login(bob).post(f"/square/threads/{thread.pk}/reply/", {"body": "hi"}).status_code == 403


def test_invite_only_group_threads_are_invisible_to_non_members(
    alice: User, bob: User, carol: User, mona: User, make_member: Callable[..., User], login: Login
) -> None:
    group = make_group(alice, "Founders", access=Group.Access.INVITE, members=(bob,))
    thread = make_thread(alice, group, "Private matter")
    outsider = make_member(name="Olga Outsider")
    for person in (outsider, carol, mona):
        assert login(person).get(f"/square/groups/{group.pk}/").status_code == 404
        assert login(person).get(f"/square/threads/{thread.pk}/").status_code == 404
        assert (
            login(person)
            .post(f"/square/posts/{thread.posts.get().pk}/react/", {"emoji": "eyes"})
            .status_code
            == 404
        )
        assert "Private matter" not in login(person).get("/square/").content.decode()
        assert "Founders" not in login(person).get("/square/groups/").content.decode()
        assert Api(person).get(f"/api/v1/square/threads/{thread.pk}").status_code == 404
        assert Api(person).get(f"/api/v1/groups/{group.pk}/threads").status_code == 404
    assert login(outsider).post(f"/square/groups/{group.pk}/join/").status_code == 404
    assert login(bob).get(f"/square/threads/{thread.pk}/").status_code == 200


def test_an_invitation_notifies_the_invitee_who_accepts_and_then_reads_the_threads(
    alice: User, make_member: Callable[..., User], login: Login
) -> None:
    guest = make_member(name="Gina Guest")
    group = make_group(alice, "Founders", access=Group.Access.INVITE)
    thread = make_thread(alice, group, "Private matter")
    response = login(alice).post(f"/square/groups/{group.pk}/invite/", {"member": "@GinaGuest"})
    assert response.status_code == 302
    note = Notification.objects.get(user=guest)
    assert note.kind == "group_invitation" and note.url == f"/square/groups/{group.pk}/"
    assert note.text == "Alice Archer invites you to the group “Founders”"

    page = login(guest).get(f"/square/groups/{group.pk}/").content.decode()
    assert "Accept" in page and "Private matter" not in page
    invitation = GroupInvitation.objects.get()
    login(guest).post(f"/square/invitations/{invitation.pk}/", {"accept": "1"})
    invitation.refresh_from_db()
    assert invitation.status == GroupInvitation.Status.ACCEPTED
    assert login(guest).get(f"/square/threads/{thread.pk}/").status_code == 200


def test_a_declined_invitation_leaves_the_group_closed(
    alice: User, bob: User, login: Login
) -> None:
    group = make_group(alice, "Founders", access=Group.Access.INVITE)
    invitation = groups.invite_to_group(alice, group, bob)
    login(bob).post(f"/square/invitations/{invitation.pk}/", {"accept": "0"})
    assert login(bob).get(f"/square/groups/{group.pk}/").status_code == 404
    assert (
        login(bob).post(f"/square/invitations/{invitation.pk}/", {"accept": "1"}).status_code == 404
    )


def test_only_members_invite_and_only_visible_members_can_be_invited(
    alice: User, bob: User, carol: User, hidden_profile: User, login: Login
) -> None:
    group = make_group(alice, "Open house")
    assert (
        login(bob)
        .post(f"/square/groups/{group.pk}/invite/", {"member": "@AliceArcher"})
        .status_code
        == 403
    )
    for name in ("@HugoHidden", "@CarolClient", "@NoSuchPerson"):
        response = login(alice).post(f"/square/groups/{group.pk}/invite/", {"member": name})
        assert response.status_code == 400
        assert "We could not find that member" in response.content.decode()
    assert not GroupInvitation.objects.exists()


def test_owners_remove_members_and_members_do_not(
    alice: User, bob: User, make_member: Callable[..., User], login: Login
) -> None:
    third = make_member(name="Tom Third")
    group = make_group(alice, "Open house", members=(bob, third))
    assert (
        login(bob).post(f"/square/groups/{group.pk}/members/{third.pk}/remove/").status_code == 403
    )
    login(alice).post(f"/square/groups/{group.pk}/members/{third.pk}/remove/")
    assert set(group.memberships.values_list("user", flat=True)) == {alice.pk, bob.pk}


def test_an_owner_who_leaves_hands_the_group_to_the_longest_standing_member(
    alice: User, bob: User, make_member: Callable[..., User], login: Login
) -> None:
    later = make_member(name="Lee Later")
    group = make_group(alice, "Founders", access=Group.Access.INVITE, members=(bob, later))
    response = login(alice).post(f"/square/groups/{group.pk}/leave/")
    assert response["Location"] == "/square/groups/"
    assert group.memberships.get(user=bob).role == GroupMembership.Role.OWNER
    assert group.memberships.get(user=later).role == GroupMembership.Role.MEMBER


def test_clients_neither_create_nor_join_groups(alice: User, carol: User, login: Login) -> None:
    group = make_group(alice, "Open house")
    assert login(carol).get("/square/groups/new/").status_code == 403
    assert login(carol).post(f"/square/groups/{group.pk}/join/").status_code == 403
    assert group.memberships.count() == 1


def test_group_names_are_unique_whatever_their_case(alice: User, bob: User, login: Login) -> None:
    make_group(alice, "Data Folks")
    response = login(bob).post("/square/groups/new/", {"name": "data folks", "access": "open"})
    assert response.status_code == 400
    assert "There is a group with this name already." in response.content.decode()
