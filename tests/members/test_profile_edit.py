"""Members edit their own profile: fields, skills typed their own way, and refused input."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from tests.members.dbstate import members_state
from townsquare.members.models import User, Visibility
from townsquare.skills.models import Skill

EDIT = "/me/profile/"


def edit_form(skills: list[tuple[str, int, int]] | None = None, **overrides: str) -> dict[str, Any]:
    """Everything the edit page posts, as a browser would send it."""
    skills = skills if skills is not None else [("Python", 4, 8)]
    data: dict[str, Any] = {
        "name": "Alice Archer",
        "time_zone": "Europe/Berlin",
        "headline": "Backend engineer for marketplaces",
        "bio": "",
        "hourly_rate": "95",
        "currency": "EUR",
        "available_hours": "20",
        "available_from": "",
        "location": "",
        "links": "",
        "message_policy": "connections",
        "profile_visibility": str(Visibility.MEMBERS),
        "bio_visibility": str(Visibility.MEMBERS),
        "skills_visibility": str(Visibility.MEMBERS),
        "rate_visibility": str(Visibility.MEMBERS),
        "availability_visibility": str(Visibility.MEMBERS),
        "location_visibility": str(Visibility.MEMBERS),
        "links_visibility": str(Visibility.MEMBERS),
        "skills-TOTAL_FORMS": str(len(skills)),
        "skills-INITIAL_FORMS": "0",
        "skills-MIN_NUM_FORMS": "0",
        "skills-MAX_NUM_FORMS": "30",
    }
    for i, (name, level, years) in enumerate(skills):
        data[f"skills-{i}-name"] = name
        data[f"skills-{i}-level"] = str(level)
        data[f"skills-{i}-years"] = str(years)
    data.update(overrides)
    return data


def skills_of(user: User) -> dict[str, tuple[int, int]]:
    return {
        ps.skill.name: (ps.level, ps.years) for ps in user.profile.skills.select_related("skill")
    }


def test_editing_saves_the_fields_and_shows_them_on_the_profile(
    alice: User, bob: User, login: Callable[[User], Client]
) -> None:
    response = login(alice).post(
        EDIT,
        edit_form(
            name="Alice A. Archer",
            time_zone="America/Toronto",
            headline="Payments and marketplaces",
            bio="I *love* ledgers.",
            hourly_rate="120",
            currency="GBP",
            available_hours="12",
            available_from="2031-02-01",
            location="Toronto",
            links="https://alice.example.org\nhttps://code.example.org/alice",
            client_contact="on",
            skills=[("Python", 4, 9), ("Django", 3, 6)],
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == f"/members/{alice.pk}/"
    alice.refresh_from_db()
    profile = alice.profile
    profile.refresh_from_db()
    assert alice.name == "Alice A. Archer"
    assert alice.time_zone == "America/Toronto"
    assert profile.headline == "Payments and marketplaces"
    assert profile.bio_html == "<p>I <em>love</em> ledgers.</p>\n"
    assert (profile.hourly_rate, profile.currency) == (Decimal("120"), "GBP")
    assert profile.rate_usd == Decimal("152.40")
    assert (profile.available_hours, profile.available_from) == (12, date(2031, 2, 1))
    assert profile.links == ["https://alice.example.org", "https://code.example.org/alice"]
    assert profile.client_contact is True
    assert skills_of(alice) == {"Python": (4, 9), "Django": (3, 6)}
    page = login(bob).get(f"/members/{alice.pk}/").content.decode()
    for shown in ("Alice A. Archer", "Payments and marketplaces", "120 GBP", "12 hours a week",
                  "Toronto", "https://code.example.org/alice", "Open to clients"):  # fmt: skip
        assert shown in page


def test_the_edit_page_shows_the_current_profile(
    alice: User, login: Callable[[User], Client]
) -> None:
    response = login(alice).get(EDIT)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Backend engineer for marketplaces"' in page
    assert 'value="PostgreSQL"' in page


def test_skills_typed_as_synonyms_are_saved_as_the_canonical_skills(
    alice: User, login: Callable[[User], Client]
) -> None:
    response = login(alice).post(
        EDIT, edit_form(skills=[("reactjs", 3, 2), ("k8s", 2, 1), ("postgres", 4, 7)])
    )

    assert response.status_code == 302
    assert skills_of(alice) == {"React": (3, 2), "Kubernetes": (2, 1), "PostgreSQL": (4, 7)}
    assert not Skill.objects.filter(name__in=["reactjs", "k8s", "postgres"]).exists()


def test_two_spellings_of_one_skill_are_saved_once(
    alice: User, login: Callable[[User], Client]
) -> None:
    login(alice).post(EDIT, edit_form(skills=[("React.js", 2, 1), ("ReactJS", 4, 5)]))

    assert skills_of(alice) == {"React": (4, 5)}


def test_an_unknown_skill_is_saved_as_pending_for_a_manager_to_review(
    alice: User, login: Callable[[User], Client]
) -> None:
    response = login(alice).post(EDIT, edit_form(skills=[("Zorblax wrangling", 3, 2)]))

    assert response.status_code == 302
    skill = Skill.objects.get(name="Zorblax wrangling")
    assert skill.status == Skill.Status.PENDING
    assert skill.created_by == alice
    assert skills_of(alice) == {"Zorblax wrangling": (3, 2)}


def test_blank_skill_rows_are_ignored_and_clearing_every_row_removes_all_skills(
    alice: User, login: Callable[[User], Client]
) -> None:
    response = login(alice).post(EDIT, edit_form(skills=[("", 2, 0), ("", 2, 0)]))

    assert response.status_code == 302
    assert skills_of(alice) == {}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("hourly_rate", "-5"),
        ("hourly_rate", "ten"),
        ("available_hours", "200"),
        ("available_hours", "-1"),
        ("time_zone", "Mars/Olympus_Mons"),
        ("time_zone", ""),
        ("currency", "XYZ"),
        ("links", "javascript:alert(1)"),
        ("links", "https://fine.example.org\nftp://files.example.org"),
        ("name", ""),
        ("profile_visibility", "7"),
        ("available_from", "next tuesday"),
    ],
)
def test_invalid_input_is_refused_with_a_field_error_and_nothing_is_saved(
    alice: User, login: Callable[[User], Client], field: str, value: str
) -> None:
    client = login(alice)
    before = members_state()

    response = client.post(
        EDIT, edit_form(headline="Should not be saved", skills=[("Rust", 2, 1)], **{field: value})
    )

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert 'class="errorlist' in response.content.decode()
    assert members_state() == before


def test_an_invalid_skill_row_is_refused_and_nothing_is_saved(
    alice: User, login: Callable[[User], Client]
) -> None:
    client = login(alice)
    before = members_state()

    response = client.post(
        EDIT, edit_form(headline="Should not be saved", skills=[("Rust", 2, 99)])
    )

    assert response.status_code == 400
    assert response.context["formset"].errors[0]["years"]
    assert members_state() == before


def test_a_member_edits_only_their_own_profile(
    alice: User, bob: User, login: Callable[[User], Client]
) -> None:
    bob_before = bob.profile.headline

    login(alice).post(EDIT, edit_form(headline="Alice's new headline"))

    bob.profile.refresh_from_db()
    alice.profile.refresh_from_db()
    assert alice.profile.headline == "Alice's new headline"
    assert bob.profile.headline == bob_before


def test_an_applicant_edits_their_profile_draft(eve: User, login: Callable[[User], Client]) -> None:
    response = login(eve).post(
        EDIT, edit_form(name="Eve Early", headline="Product designer", skills=[("Figma", 4, 6)])
    )

    assert response.status_code == 302
    eve.profile.refresh_from_db()
    assert eve.profile.headline == "Product designer"


@pytest.mark.parametrize("who", ["carol", "mona", "adam"])
def test_clients_and_staff_have_no_profile_to_edit(
    request: pytest.FixtureRequest, login: Callable[[User], Client], who: str
) -> None:
    user = request.getfixturevalue(who)
    client = login(user)
    before = members_state()

    assert client.get(EDIT)["Location"] == "/"
    response = client.post(EDIT, edit_form(name="Changed"))

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert members_state() == before


def test_signing_in_is_required_to_edit(db: Any) -> None:
    response = Client().get(EDIT)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/me/profile/")


def test_a_member_chooses_who_may_message_them(
    alice: User, login: Callable[[User], Client]
) -> None:
    response = login(alice).post(EDIT, edit_form(message_policy="nobody"))
    assert response.status_code == 302
    alice.profile.refresh_from_db()
    assert alice.profile.message_policy == "nobody"
    assert login(alice).post(EDIT, edit_form(message_policy="everyone")).status_code == 400
