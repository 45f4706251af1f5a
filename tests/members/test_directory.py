"""The directory: text, skill, availability, rate and time-zone filters, order, pages, privacy."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from django.test import Client

from townsquare.fabric.models import Connection
from townsquare.members.models import User, Visibility

DIRECTORY = "/members/"
WINTER = datetime(2025, 1, 15, 12, 0, tzinfo=UTC)  # New York on EST (UTC-5), Berlin UTC+1
SUMMER = datetime(2025, 7, 15, 12, 0, tzinfo=UTC)  # New York on EDT (UTC-4), Berlin UTC+2


def names(response: Any) -> list[str]:
    assert response.status_code == 200, response.status_code
    return [p.user.name for p in response.context["page"].object_list]


def search(client: Client, **params: Any) -> list[str]:
    return names(client.get(DIRECTORY, params))


def connect(a: User, b: User) -> None:
    low, high = sorted((a.pk, b.pk))
    Connection.objects.create(member_a_id=low, member_b_id=high)


@pytest.fixture
def viewer(alice: User, bob: User, login: Callable[[User], Client]) -> Client:
    return login(alice)


# Text ------------------------------------------------------------------------------------


def test_text_search_finds_words_in_the_headline(viewer: Client) -> None:
    assert search(viewer, q="marketplaces") == ["Alice Archer"]
    assert search(viewer, q="frontend") == ["Bob Baker"]


def test_text_search_finds_words_in_the_bio(
    viewer: Client, make_member: Callable[..., User]
) -> None:
    make_member(name="Sid Synth", bio="On weekends I restore vintage synthesizers.")

    assert search(viewer, q="synthesizers") == ["Sid Synth"]
    assert search(viewer, q="vintage synth") == ["Sid Synth"]


def test_text_search_does_not_find_words_in_a_bio_hidden_from_members(
    viewer: Client, make_member: Callable[..., User]
) -> None:
    make_member(
        name="Sid Synth",
        bio="On weekends I restore vintage synthesizers.",
        bio_visibility=Visibility.CONNECTIONS,
    )

    assert search(viewer, q="synthesizers") == []


def test_text_search_finds_skills_by_their_synonyms(viewer: Client) -> None:
    assert search(viewer, q="postgres") == ["Alice Archer"]
    assert search(viewer, q="reactjs") == ["Bob Baker"]


def test_text_search_treats_query_syntax_as_plain_words(viewer: Client) -> None:
    for text in (
        "(marketplaces)",
        "marketplaces*",
        '"marketplaces',
        "-marketplaces",
        "^marketplaces:",
    ):
        assert search(viewer, q=text) == ["Alice Archer"], text
    # OR is a word to find, not an operator: nobody has it, so nobody matches.
    assert search(viewer, q="marketplaces OR frontend") == []
    for text in ('"', "*", "'; --", "alice AND -bob", "c++", "^"):
        response = viewer.get(DIRECTORY, {"q": text})
        assert response.status_code == 200, text


def test_a_member_matching_in_headline_and_skills_ranks_above_one_matching_once(
    viewer: Client, make_member: Callable[..., User]
) -> None:
    make_member(name="Kai Once", headline="Backend developer", skills=("Kotlin",))
    make_member(name="Kim Twice", headline="Kotlin developer", skills=("Kotlin",))

    assert search(viewer, q="kotlin") == ["Kim Twice", "Kai Once"]


# Skills ----------------------------------------------------------------------------------


def test_skill_filter_finds_holders_through_a_synonym(
    viewer: Client, make_member: Callable[..., User]
) -> None:
    make_member(name="Pat Postgres", skills=("PostgreSQL", "Go"))

    for typed in ("PostgreSQL", "postgres", "psql", "Postgre SQL"):
        response = viewer.get(DIRECTORY, {"skill": typed})
        assert sorted(names(response)) == ["Alice Archer", "Pat Postgres"], typed
        assert response.context["skill"].name == "PostgreSQL"


def test_an_unknown_skill_matches_nobody(viewer: Client) -> None:
    response = viewer.get(DIRECTORY, {"skill": "Underwater basket weaving"})

    assert names(response) == []
    assert "Nobody matches these filters" in response.content.decode()


def test_skill_filter_skips_members_whose_skills_are_hidden(
    viewer: Client, make_member: Callable[..., User]
) -> None:
    make_member(name="Pat Private", skills=("PostgreSQL",), skills_visibility=Visibility.ONLY_ME)

    assert search(viewer, skill="postgres") == ["Alice Archer"]


# Availability ----------------------------------------------------------------------------


def test_min_hours_finds_members_with_at_least_that_many_hours(
    viewer: Client, make_member: Callable[..., User]
) -> None:
    make_member(name="Fay Fulltime", hours=40)
    make_member(name="Pia Parttime", hours=8)

    assert search(viewer, min_hours=30) == ["Fay Fulltime"]
    assert sorted(search(viewer, min_hours=10)) == ["Alice Archer", "Bob Baker", "Fay Fulltime"]


def test_available_by_finds_members_free_by_that_date_and_not_those_with_no_hours(
    viewer: Client, make_member: Callable[..., User]
) -> None:
    make_member(name="Lou Later", available_from=date(2031, 6, 1))
    make_member(name="Sue Soon", available_from=date(2031, 3, 1))
    make_member(name="Ned Nohours", hours=0)

    assert sorted(search(viewer, available_by="2031-04-01")) == [
        "Alice Archer",
        "Bob Baker",
        "Sue Soon",
    ]
    assert "Lou Later" in search(viewer, available_by="2031-06-01")


def test_availability_filters_skip_members_whose_availability_is_hidden(
    viewer: Client, make_member: Callable[..., User]
) -> None:
    make_member(name="Fay Fulltime", hours=40, availability_visibility=Visibility.ONLY_ME)

    assert search(viewer, min_hours=30) == []


# Rates -----------------------------------------------------------------------------------


def test_rate_range_is_in_us_dollars_across_currencies(
    viewer: Client, make_member: Callable[..., User]
) -> None:
    # alice: 95 EUR is 102.60 USD; bob: 80 USD.
    make_member(name="Gus Pounds", rate="70", currency="GBP")  # 88.90 USD

    assert search(viewer, rate_min="100") == ["Alice Archer"]
    assert sorted(search(viewer, rate_max="90")) == ["Bob Baker", "Gus Pounds"]
    assert search(viewer, rate_min="85", rate_max="95") == ["Gus Pounds"]
    assert search(viewer, rate_min="96", rate_max="101") == []


def test_a_rate_hidden_from_members_never_matches_a_rate_filter(
    viewer: Client, make_member: Callable[..., User]
) -> None:
    make_member(name="Rita Secret", rate="150", rate_visibility=Visibility.ONLY_ME)
    make_member(name="Roy Connected", rate="150", rate_visibility=Visibility.CONNECTIONS)

    assert "Rita Secret" in search(viewer)
    assert search(viewer, rate_min="120") == []
    assert sorted(search(viewer, rate_max="1000", rate_min="0")) == ["Alice Archer", "Bob Baker"]


def test_a_reversed_rate_range_is_a_field_error(viewer: Client) -> None:
    response = viewer.get(DIRECTORY, {"rate_min": "100", "rate_max": "50"})

    assert response.status_code == 400
    assert "rate_max" in response.context["form"].errors


# Time zones ------------------------------------------------------------------------------


@pytest.fixture
def winter() -> Iterator[None]:
    with time_machine.travel(WINTER, tick=False):
        yield


@pytest.fixture
def summer() -> Iterator[None]:
    with time_machine.travel(SUMMER, tick=False):
        yield


@pytest.mark.parametrize("season", ["winter", "summer"])
def test_a_time_zone_window_finds_new_york_and_not_berlin(
    request: pytest.FixtureRequest, viewer: Client, season: str
) -> None:
    request.getfixturevalue(season)

    assert search(viewer, tz_min="-6", tz_max="-3") == ["Bob Baker"]
    assert search(viewer, tz_min="0", tz_max="3") == ["Alice Archer"]


def test_the_time_zone_window_follows_daylight_saving_time(
    alice: User, bob: User, login: Callable[[User], Client]
) -> None:
    with time_machine.travel(WINTER, tick=False):
        client = login(alice)
        assert search(client, tz_min="-5", tz_max="-5") == ["Bob Baker"]
        assert search(client, tz_min="1", tz_max="1") == ["Alice Archer"]
    with time_machine.travel(SUMMER, tick=False):
        client = login(alice)
        assert search(client, tz_min="-5", tz_max="-5") == []
        assert search(client, tz_min="-4", tz_max="-4") == ["Bob Baker"]
        assert search(client, tz_min="1", tz_max="1") == []
        assert search(client, tz_min="2", tz_max="2") == ["Alice Archer"]


def test_half_hour_zones_are_found_by_fractional_offsets(
    viewer: Client, winter: None, make_member: Callable[..., User]
) -> None:
    make_member(name="Ira India", time_zone="Asia/Kolkata")

    assert search(viewer, tz_min="5.5", tz_max="5.5") == ["Ira India"]
    assert search(viewer, tz_min="5", tz_max="5.25") == []


def test_a_time_zone_filter_skips_members_whose_location_is_hidden(
    viewer: Client, winter: None, make_member: Callable[..., User]
) -> None:
    make_member(
        name="Nina Private", time_zone="America/Chicago", location_visibility=Visibility.ONLY_ME
    )

    assert search(viewer, tz_min="-6", tz_max="-3") == ["Bob Baker"]


# Pages and privacy -----------------------------------------------------------------------


def test_results_come_in_pages_of_twenty(viewer: Client, make_member: Callable[..., User]) -> None:
    for n in range(23):
        make_member(name=f"Member {n:02d}", email=f"member{n}@example.com")

    first = viewer.get(DIRECTORY)
    second = viewer.get(DIRECTORY, {"page": 2})
    beyond = viewer.get(DIRECTORY, {"page": 9})

    assert len(names(first)) == 20
    assert len(names(second)) == 5
    assert set(names(first)).isdisjoint(names(second))
    assert len(set(names(first)) | set(names(second))) == 25
    assert names(beyond) == names(second)
    assert "25 members found" in first.content.decode()
    assert "Page 1 of 2" in first.content.decode()
    assert 'rel="next" href="?page=2"' in first.content.decode()


def test_the_next_page_link_keeps_the_filters(
    viewer: Client, make_member: Callable[..., User]
) -> None:
    for n in range(22):
        make_member(name=f"Kotlin Dev {n:02d}", email=f"k{n}@example.com", skills=("Kotlin",))

    first = viewer.get(DIRECTORY, {"skill": "kotlin", "page": 1})

    assert 'href="?skill=kotlin&amp;page=2"' in first.content.decode()
    assert len(names(viewer.get(DIRECTORY, {"skill": "kotlin", "page": 2}))) == 2


def test_a_profile_visible_only_to_its_member_is_never_listed(
    viewer: Client, hidden_profile: User
) -> None:
    assert "Hugo Hidden" not in search(viewer)
    assert search(viewer, q="Hugo") == []
    assert search(viewer, skill="Rust") == []


def test_applicants_and_other_roles_are_not_listed(
    viewer: Client, eve: User, carol: User, mona: User
) -> None:
    assert sorted(search(viewer)) == ["Alice Archer", "Bob Baker"]
    assert search(viewer, q="Eve") == []


def test_a_connections_only_profile_is_listed_only_for_connections(
    alice: User, bob: User, make_member: Callable[..., User], login: Callable[[User], Client]
) -> None:
    cleo = make_member(
        name="Cleo Closed", skills=("Kotlin",), profile_visibility=Visibility.CONNECTIONS
    )
    connect(alice, cleo)

    assert "Cleo Closed" in search(login(alice))
    assert search(login(alice), skill="kotlin") == ["Cleo Closed"]
    assert "Cleo Closed" not in search(login(bob))
    assert search(login(bob), q="Cleo") == []


def test_clients_and_managers_may_search_the_directory(
    alice: User, carol: User, mona: User, login: Callable[[User], Client]
) -> None:
    assert search(login(carol), q="marketplaces") == ["Alice Archer"]
    assert search(login(mona), q="marketplaces") == ["Alice Archer"]


def test_anonymous_visitors_are_sent_to_sign_in(db: Any) -> None:
    response = Client().get(DIRECTORY, {"q": "python"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/members/%3Fq%3Dpython"


def test_applicants_are_sent_to_their_application(
    eve: User, login: Callable[[User], Client]
) -> None:
    response = login(eve).get(DIRECTORY)

    assert response.status_code == 302
    assert response["Location"] == "/application/"


# Query counts ----------------------------------------------------------------------------


def test_a_page_of_twenty_filtered_results_takes_at_most_eight_queries(
    viewer: Client, make_member: Callable[..., User], django_assert_max_num_queries: Any
) -> None:
    for n in range(25):
        make_member(
            name=f"Kotlin Dev {n:02d}", email=f"k{n}@example.com", rate="90",
            skills=("Kotlin", "Python", "Django", "Go"), headline="Kotlin backend developer",
            time_zone="Europe/Paris",
        )  # fmt: skip
    params = {
        "q": "backend", "skill": "kotlin", "min_hours": "10", "rate_min": "50",
        "rate_max": "200", "tz_min": "-2", "tz_max": "4", "available_by": "2031-01-01",
    }  # fmt: skip

    with django_assert_max_num_queries(8):
        response = viewer.get(DIRECTORY, params)

    assert len(names(response)) == 20
    assert response.content.decode().count('<li class="skill">') == 20 * 4


def test_a_profile_page_takes_at_most_six_queries(
    alice: User,
    bob: User,
    login: Callable[[User], Client],
    django_assert_max_num_queries: Any,
) -> None:
    client = login(bob)

    with django_assert_max_num_queries(6):
        response = client.get(f"/members/{alice.pk}/")

    assert response.status_code == 200
    assert "PostgreSQL" in response.content.decode()
