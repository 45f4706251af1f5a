"""The People page and the Connect / Follow / Block / Intro block on profiles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from townsquare.fabric import selectors, services
from townsquare.fabric.models import ConnectionRequest, Follow
from townsquare.members.models import User, Visibility


def test_the_people_page_lists_requests_connections_follows_and_blocks(
    alice: User, bob: User, make_member: Callable[..., User], login: Callable[[User], Client]
) -> None:
    asker = make_member(name="Asker Ash")
    asked = make_member(name="Asked Ada")
    followed = make_member(name="Followed Fred")
    blocked = make_member(name="Blocked Bea")
    services.request_connection(asker, alice, "Let us talk Django.")
    services.request_connection(alice, asked)
    services.follow(alice, followed)
    services.block(alice, blocked)

    page = login(alice).get("/people/").content.decode()

    for text in ("Asker Ash", "Let us talk Django.", "Asked Ada", "Followed Fred", "Blocked Bea",
                 "Bob Baker", "You have 1 connection."):  # fmt: skip
        assert text in page


def test_the_people_page_pins_its_query_count(
    alice: User,
    bob: User,
    make_member: Callable[..., User],
    connect: Callable[..., None],
    login: Callable[[User], Client],
    django_assert_max_num_queries: Any,
) -> None:
    client = login(alice)
    client.get("/people/")  # builds the graph: once per process, not per page
    for i in range(8):
        person = make_member(name=f"Person {i}", email=f"p{i}@example.com", skills=("Python",))
        connect(alice, person)
        services.request_connection(
            make_member(name=f"Asker {i}", email=f"a{i}@example.com"), alice
        )
        services.follow(alice, person)

    # Session and viewer, nine for the page's lists and suggestions, the graph's change
    # check, and the navigation's two badges.
    with django_assert_max_num_queries(15):
        response = client.get("/people/")

    assert response.status_code == 200
    assert response.content.decode().count("/accept/") == 8


def test_members_whose_profile_is_closed_are_listed_without_a_link(
    alice: User, make_member: Callable[..., User], login: Callable[[User], Client]
) -> None:
    hidden = make_member(name="Hal Hidden", profile_visibility=Visibility.ONLY_ME)
    services.connect_members(alice, hidden)

    page = login(alice).get("/people/").content.decode()

    assert "Hal Hidden" in page
    assert f'href="/members/{hidden.pk}/"' not in page


def test_answering_a_request_from_the_page(
    alice: User, make_member: Callable[..., User], login: Callable[[User], Client]
) -> None:
    olga = make_member(name="Olga Other")
    request = services.request_connection(olga, alice)

    response = login(alice).post(f"/people/requests/{request.pk}/accept/")

    assert response["Location"] == "/people/#requests"
    request.refresh_from_db()
    assert request.status == ConnectionRequest.Status.ACCEPTED


def test_someone_elses_request_is_not_found(
    alice: User, bob: User, make_member: Callable[..., User], login: Callable[[User], Client]
) -> None:
    olga = make_member(name="Olga Other")
    request = services.request_connection(olga, bob)

    assert login(alice).post(f"/people/requests/{request.pk}/accept/").status_code == 404
    assert login(olga).post(f"/people/requests/{request.pk}/accept/").status_code == 404


def test_connect_from_a_profile_with_a_note(
    alice: User, make_member: Callable[..., User], login: Callable[[User], Client]
) -> None:
    olga = make_member(name="Olga Other")
    client = login(alice)

    form = client.get(f"/people/{olga.pk}/connect/")
    assert form.status_code == 200
    response = client.post(f"/people/{olga.pk}/connect/", {"note": "Hello!"})

    assert response["Location"] == f"/members/{olga.pk}/"
    assert ConnectionRequest.objects.get(sender=alice, recipient=olga).note == "Hello!"
    again = client.post(f"/people/{olga.pk}/connect/", {"note": "Again"})
    assert again.status_code == 400
    assert "already asked Olga Other" in again.content.decode()


def test_the_next_url_must_stay_on_the_site(
    alice: User, make_member: Callable[..., User], login: Callable[[User], Client]
) -> None:
    olga = make_member(name="Olga Other")

    response = login(alice).post(f"/people/{olga.pk}/follow/", {"next": "https://evil.example/"})

    assert response["Location"] == f"/members/{olga.pk}/"
    assert Follow.objects.filter(follower=alice, followee=olga).exists()


def test_the_profile_offers_connect_follow_block_and_an_intro(
    alice: User, make_member: Callable[..., User], login: Callable[[User], Client]
) -> None:
    olga = make_member(name="Olga Other")

    page = login(alice).get(f"/members/{olga.pk}/").content.decode()

    assert f'href="/people/{olga.pk}/connect/"' in page
    assert f'action="/people/{olga.pk}/follow/"' in page
    assert f'href="/people/{olga.pk}/block/"' in page
    assert f'href="/people/{olga.pk}/intro/"' in page


def test_the_connect_page_shows_where_things_stand(
    alice: User, bob: User, make_member: Callable[..., User], login: Callable[[User], Client]
) -> None:
    olga, pia = make_member(name="Olga Other"), make_member(name="Pia Python")
    theirs = services.request_connection(olga, alice)
    mine = services.request_connection(alice, pia)
    services.follow(alice, pia)
    client = login(alice)

    assert (
        f"/people/requests/{theirs.pk}/accept/"
        in client.get(f"/people/{olga.pk}/connect/").content.decode()
    )
    page = client.get(f"/people/{pia.pk}/connect/").content.decode()
    assert f"/people/requests/{mine.pk}/withdraw/" in page
    assert "You follow Pia Python." in page
    assert (
        "You are connected with Bob Baker."
        in client.get(f"/people/{bob.pk}/connect/").content.decode()
    )
    assert "You are connected." in client.get(f"/members/{bob.pk}/").content.decode()


def test_no_fabric_block_on_your_own_profile_or_for_clients(
    alice: User, bob: User, carol: User, login: Callable[[User], Client]
) -> None:
    assert (
        "/people/"
        not in login(alice).get(f"/members/{alice.pk}/").content.decode().split("<main")[1]
    )
    assert "/connect/" not in login(carol).get(f"/members/{bob.pk}/").content.decode()


def test_the_relation_to_a_member_is_one_query(
    alice: User, make_member: Callable[..., User], django_assert_num_queries: Any
) -> None:
    olga = make_member(name="Olga Other")

    with django_assert_num_queries(1):
        relation = selectors.relation_to(alice, olga)

    assert relation.can_act and not relation.connected


def test_the_profile_block_adds_no_query(
    alice: User,
    make_member: Callable[..., User],
    login: Callable[[User], Client],
    django_assert_max_num_queries: Any,
) -> None:
    olga = make_member(name="Olga Other", skills=("Go", "Rust"))
    client = login(alice)
    client.get(f"/members/{olga.pk}/")

    # Session, viewer, member (with whether they are connected), skills, and the
    # navigation's two badges: the fabric block reads what the member already carries.
    with django_assert_max_num_queries(6):
        page = client.get(f"/members/{olga.pk}/")
    assert f'href="/people/{olga.pk}/connect/"' in page.content.decode()
