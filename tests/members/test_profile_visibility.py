"""Who sees which parts of a profile: each field group at each level, for each kind of viewer."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from django.test import Client

from townsquare.members import services
from townsquare.members.models import User, Visibility
from townsquare.skills.services import resolve_skill

# Text that appears on alice's profile page only when the group is shown.
MARKERS = {
    "bio": "Restores vintage synthesizers",
    "skills": "Elixir",
    "rate": "137 EUR / hour",
    "availability": "33 hours a week",
    "location": "Porto Marker Town",
    "links": "https://alice.example.org/portfolio",
}
# The highest level each viewer reaches on alice's profile.
VIEWER_TIERS = {
    "anonymous": Visibility.PUBLIC,
    "applicant": Visibility.PUBLIC,
    "member": Visibility.MEMBERS,
    "connection": Visibility.CONNECTIONS,
    "manager": Visibility.CONNECTIONS,
    "self": Visibility.ONLY_ME,
}


def show_alice_with(alice: User, group: str, level: int) -> None:
    """Alice's profile is public; `group` is at `level` and every other group only hers."""
    levels = {f"{g}_visibility": Visibility.ONLY_ME for g in MARKERS}
    levels[f"{group}_visibility"] = level
    services.update_profile(
        alice,
        alice.profile,
        bio=f"{MARKERS['bio']} on weekends.",
        skills=[services.SkillEntry(skill=resolve_skill("Elixir"), level=3, years=2)],
        hourly_rate=137,
        currency="EUR",
        available_hours=33,
        location=MARKERS["location"],
        links=[MARKERS["links"]],
        profile_visibility=Visibility.PUBLIC,
        **levels,
    )


@pytest.fixture
def viewers(
    alice: User,
    bob: User,
    eve: User,
    mona: User,
    make_member: Callable[..., User],
    login: Callable[[User], Client],
) -> dict[str, Client]:
    stranger = make_member(name="Sam Stranger", skills=("Go",))
    return {
        "anonymous": Client(),
        "applicant": login(eve),
        "member": login(stranger),
        "connection": login(bob),
        "manager": login(mona),
        "self": login(alice),
    }


@pytest.mark.parametrize("level", list(Visibility), ids=lambda v: v.name)
@pytest.mark.parametrize("group", list(MARKERS))
def test_each_field_group_is_shown_exactly_to_viewers_at_or_above_its_level(
    alice: User, viewers: dict[str, Client], group: str, level: Visibility
) -> None:
    show_alice_with(alice, group, level)

    for viewer, client in viewers.items():
        response = client.get(f"/members/{alice.pk}/")
        assert response.status_code == 200, viewer
        page = response.content.decode()
        expected = level <= VIEWER_TIERS[viewer]
        assert (MARKERS[group] in page) == expected, (viewer, group, level)
        for other in set(MARKERS) - {group}:
            assert (MARKERS[other] in page) == (viewer == "self"), (viewer, other)


def test_the_skills_heading_is_absent_when_skills_are_hidden(
    alice: User, viewers: dict[str, Client]
) -> None:
    show_alice_with(alice, "skills", Visibility.CONNECTIONS)

    assert "<h2>Skills</h2>" in viewers["connection"].get(f"/members/{alice.pk}/").content.decode()
    assert "<h2>Skills</h2>" not in viewers["member"].get(f"/members/{alice.pk}/").content.decode()


def test_the_time_zone_is_part_of_the_location_group(
    alice: User, bob: User, make_member: Callable[..., User], login: Callable[[User], Client]
) -> None:
    kathmandu = make_member(name="Kim Kathmandu", time_zone="Asia/Kathmandu")
    services.update_profile(kathmandu, kathmandu.profile, location_visibility=Visibility.ONLY_ME)

    assert "Asia/Kathmandu" not in login(alice).get(f"/members/{kathmandu.pk}/").content.decode()
    assert "Asia/Kathmandu" in login(kathmandu).get(f"/members/{kathmandu.pk}/").content.decode()


def test_a_profile_visible_only_to_its_member_is_not_found_by_anyone_else(
    hidden_profile: User,
    alice: User,
    bob: User,
    carol: User,
    mona: User,
    adam: User,
    login: Callable[[User], Client],
) -> None:
    for client in (Client(), login(alice), login(bob), login(carol), login(mona), login(adam)):
        assert client.get(f"/members/{hidden_profile.pk}/").status_code == 404
        assert client.get(f"/members/{hidden_profile.pk}/avatar.svg").status_code == 404

    assert login(hidden_profile).get(f"/members/{hidden_profile.pk}/").status_code == 200


def test_a_connections_only_profile_is_found_by_connections_and_managers_only(
    alice: User,
    bob: User,
    mona: User,
    make_member: Callable[..., User],
    login: Callable[[User], Client],
) -> None:
    services.update_profile(alice, alice.profile, profile_visibility=Visibility.CONNECTIONS)
    stranger = make_member(name="Sam Stranger")

    assert login(bob).get(f"/members/{alice.pk}/").status_code == 200
    assert login(mona).get(f"/members/{alice.pk}/").status_code == 200
    assert login(stranger).get(f"/members/{alice.pk}/").status_code == 404
    assert Client().get(f"/members/{alice.pk}/").status_code == 404


def test_a_members_only_profile_is_not_found_by_anonymous_visitors_or_applicants(
    alice: User, eve: User, login: Callable[[User], Client]
) -> None:
    assert alice.profile.profile_visibility == Visibility.MEMBERS

    assert Client().get(f"/members/{alice.pk}/").status_code == 404
    assert login(eve).get(f"/members/{alice.pk}/").status_code == 404


def test_an_applicants_profile_is_not_found_by_members_but_managers_see_it(
    eve: User, alice: User, carol: User, mona: User, adam: User, login: Callable[[User], Client]
) -> None:
    services.update_profile(eve, eve.profile, profile_visibility=Visibility.PUBLIC)

    assert Client().get(f"/members/{eve.pk}/").status_code == 404
    assert login(alice).get(f"/members/{eve.pk}/").status_code == 404
    assert login(carol).get(f"/members/{eve.pk}/").status_code == 404
    for manager in (mona, adam):
        response = login(manager).get(f"/members/{eve.pk}/")
        assert response.status_code == 200
        assert "Eve Early" in response.content.decode()
    assert login(eve).get(f"/members/{eve.pk}/").status_code == 200


def test_a_deactivated_members_profile_is_not_found(
    alice: User, bob: User, login: Callable[[User], Client]
) -> None:
    User.objects.filter(pk=alice.pk).update(is_active=False)

    assert login(bob).get(f"/members/{alice.pk}/").status_code == 404


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.anchors: list[dict[str, str]] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.anchors.append({k: v or "" for k, v in attrs})
        # Only scripts the page itself carries count; the site's own files come by src.
        if tag == "script" and not dict(attrs).get("src", "").startswith("/static/"):
            self.scripts += 1


def test_the_bio_is_markdown_with_scripts_and_javascript_links_removed(
    alice: User, bob: User, login: Callable[[User], Client]
) -> None:
    services.update_profile(
        alice,
        alice.profile,
        bio=(
            "I **build** marketplaces. <script>alert('bio')</script>\n\n"
            "[my work](https://alice.example.org/work) and "
            "[click me](javascript:alert('x')) and <a href=\"javascript:alert('y')\">raw</a> "
            "and <javascript:alert('z')> and [caps](JaVaScRiPt:alert('w'))"
        ),
    )

    page = login(bob).get(f"/members/{alice.pk}/").content.decode()

    assert "<strong>build</strong>" in page
    assert "<script>" not in page
    parser = _Anchors()
    parser.feed(page)
    assert parser.scripts == 0
    hrefs = [a.get("href", "") for a in parser.anchors]
    assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")]
    [work] = [a for a in parser.anchors if a.get("href") == "https://alice.example.org/work"]
    assert "nofollow" in work["rel"].split()


def test_profile_links_are_nofollow(
    alice: User, bob: User, login: Callable[[User], Client]
) -> None:
    services.update_profile(alice, alice.profile, links=["https://alice.example.org/cv"])

    parser = _Anchors()
    parser.feed(login(bob).get(f"/members/{alice.pk}/").content.decode())

    [link] = [a for a in parser.anchors if a.get("href") == "https://alice.example.org/cv"]
    assert "nofollow" in link["rel"].split()
