"""The managers' review of skills members typed that matched nothing: accept or merge."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from townsquare.members.models import ProfileSkill, User
from townsquare.pulse.models import AuditEntry
from townsquare.skills.models import Skill, SkillCategory, SkillSynonym
from townsquare.skills.normalise import normalise_key
from townsquare.skills.services import find_skill, resolve_skill

REVIEW_URL = "/manage/skills/"
TYPO = "Reactt Native Web"


def decide_url(skill: Skill) -> str:
    return f"/manage/skills/{skill.pk}/"


def profile_form(user: User, skills: list[tuple[str, int, int]]) -> dict[str, Any]:
    """What the profile edit page posts: the member's fields as they are, and these skills.

    Like the page, it has one row per skill the member holds (the formset's initial forms),
    blanked where a skill is dropped.
    """
    profile = user.profile
    shown = profile.skills.count()
    skills = skills + [("", 2, 0)] * (shown - len(skills))
    data: dict[str, Any] = {
        "name": user.name,
        "time_zone": user.time_zone,
        "headline": profile.headline,
        "bio": profile.bio,
        "hourly_rate": "" if profile.hourly_rate is None else str(profile.hourly_rate),
        "currency": profile.currency,
        "available_hours": profile.available_hours,
        "available_from": "",
        "location": profile.location,
        "links": "",
        "message_policy": profile.message_policy,
        "skills-TOTAL_FORMS": len(skills),
        "skills-INITIAL_FORMS": shown,
        "skills-MIN_NUM_FORMS": 0,
        "skills-MAX_NUM_FORMS": 30,
    }
    for group in ("profile", "bio", "skills", "rate", "availability", "location", "links"):
        data[f"{group}_visibility"] = getattr(profile, f"{group}_visibility")
    for number, (name, level, years) in enumerate(skills):
        data[f"skills-{number}-name"] = name
        data[f"skills-{number}-level"] = level
        data[f"skills-{number}-years"] = years
    return data


def held(user: User) -> list[tuple[str, int, int]]:
    rows = ProfileSkill.objects.filter(profile__user=user).select_related("skill")
    return sorted((ps.skill.name, ps.level, ps.years) for ps in rows)


@pytest.fixture
def typo_holders(make_member: Callable[..., User], alice: User) -> tuple[User, User]:
    """Alice and Dana both typed the same unknown spelling; Dana also lists React Native."""
    dana = make_member(name="Dana Dev", skills=("React Native", "TypeScript"))
    for member in (alice, dana):
        entries = [(ps.skill.name, ps.level, ps.years) for ps in member.profile.skills.all()]
        client = Client()
        client.force_login(member)
        response = client.post("/me/profile/", profile_form(member, [*entries, (TYPO, 2, 1)]))
        assert response.status_code == 302
    return alice, dana


def test_an_unknown_skill_a_member_saves_waits_for_review_and_is_listed_for_the_manager(
    alice: User, mona: User, login: Callable[[User], Client]
) -> None:
    response = login(alice).post(
        "/me/profile/", profile_form(alice, [("Python", 4, 9), ("Qwik City", 2, 1)])
    )

    assert response.status_code == 302
    qwik = Skill.objects.get(key=normalise_key("Qwik City"))
    assert (qwik.name, qwik.status, qwik.created_by) == ("Qwik City", Skill.Status.PENDING, alice)
    assert ("Qwik City", 2, 1) in held(alice)
    page = login(mona).get(REVIEW_URL)
    assert page.status_code == 200
    assert [s.name for s in page.context["pending"]] == ["Qwik City"]
    assert page.context["pending"][0].holder_count == 1
    assert "Qwik City" in page.content.decode()
    assert decide_url(qwik) in page.content.decode()


@pytest.mark.parametrize("who", ["alice", "carol"])
def test_only_managers_may_open_the_review_or_decide(
    who: str,
    request: pytest.FixtureRequest,
    make_member: Callable[..., User],
    login: Callable[[User], Client],
) -> None:
    make_member(name="Pat Pending", skills=("Qwik City",))
    qwik = Skill.objects.get(name="Qwik City")
    client = login(request.getfixturevalue(who))

    assert client.get(REVIEW_URL).status_code == 404
    assert client.post(decide_url(qwik), {"action": "accept"}).status_code == 404
    qwik.refresh_from_db()
    assert qwik.status == Skill.Status.PENDING
    assert not AuditEntry.objects.filter(action__startswith="skill.").exists()


def test_a_visitor_is_sent_to_sign_in(db: Any) -> None:
    response = Client().get(REVIEW_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_accepting_makes_a_canonical_skill_that_future_input_resolves_to(
    make_member: Callable[..., User],
    mona: User,
    login: Callable[[User], Client],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    pat = make_member(name="Pat Pending", skills=("Qwik City",))
    qwik = Skill.objects.get(name="Qwik City")
    frontend = SkillCategory.objects.get(name="Frontend")

    with django_capture_on_commit_callbacks(execute=True):
        response = login(mona).post(
            decide_url(qwik), {"action": "accept", "category": frontend.pk}, follow=True
        )

    assert response.redirect_chain == [(REVIEW_URL, 302)]
    assert "“Qwik City” is now a skill." in response.content.decode()
    assert response.context["pending"] == []
    qwik.refresh_from_db()
    assert (qwik.status, qwik.category) == (Skill.Status.ACCEPTED, frontend)
    # Spellings and typos now find it, and nothing new waits for review.
    for typed in ("qwik-city", "QwikCity", "Qwik Ctiy"):
        assert find_skill(typed) == qwik
        assert resolve_skill(typed) == qwik
    assert not Skill.objects.filter(status=Skill.Status.PENDING).exists()
    assert held(pat) == [("Qwik City", 3, 4)]
    entry = AuditEntry.objects.get(action="skill.accept")
    assert (entry.actor, entry.target_type, entry.target_id) == (mona, "skills.skill", qwik.pk)
    # Decided skills are no longer pending: deciding again finds nothing.
    assert login(mona).post(decide_url(qwik), {"action": "accept"}).status_code == 404


def test_merging_moves_holders_and_makes_the_typed_spelling_a_synonym(
    typo_holders: tuple[User, User],
    mona: User,
    login: Callable[[User], Client],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    alice, dana = typo_holders
    typo = Skill.objects.get(name=TYPO)
    react_native = Skill.objects.get(name="React Native")
    assert typo.status == Skill.Status.PENDING
    assert find_skill(TYPO) is None
    page = login(mona).get(REVIEW_URL)
    assert page.context["pending"][0].holder_count == 2

    with django_capture_on_commit_callbacks(execute=True):
        response = login(mona).post(
            decide_url(typo), {"action": "merge", "into": "react native"}, follow=True
        )

    assert f"“{TYPO}” merged into React Native." in response.content.decode()
    assert not Skill.objects.filter(pk=typo.pk).exists()
    # Alice's entry moved over with its level and years; Dana already had React Native
    # and keeps her own entry, once.
    assert held(alice) == [("Django", 3, 4), ("PostgreSQL", 3, 4), ("Python", 3, 4),
                           ("React Native", 2, 1)]  # fmt: skip
    assert held(dana) == [("React Native", 3, 4), ("TypeScript", 3, 4)]
    assert ProfileSkill.objects.filter(skill=react_native).count() == 2
    synonym = SkillSynonym.objects.get(key=normalise_key(TYPO))
    assert (synonym.name, synonym.skill) == (TYPO, react_native)
    assert find_skill("reactt native web") == react_native
    assert resolve_skill(TYPO) == react_native
    assert not Skill.objects.filter(status=Skill.Status.PENDING).exists()
    entry = AuditEntry.objects.get(action="skill.merge")
    assert (entry.actor, entry.target_id) == (mona, react_native.pk)
    assert entry.data == {"merged": TYPO, "holders_moved": 1}


def test_merged_holders_are_found_by_the_canonical_name_in_directory_search(
    make_member: Callable[..., User],
    alice: User,
    mona: User,
    login: Callable[[User], Client],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    # A spelling that shares no word with "React Native", so only the merge can make the
    # member findable under the canonical name.
    ravi = make_member(name="Ravi Mobile", skills=("Reakt Nativ Mobile",))
    typo = Skill.objects.get(name="Reakt Nativ Mobile")
    assert not login(alice).get("/members/", {"q": "react native"}).context["page"].object_list

    with django_capture_on_commit_callbacks(execute=True):
        login(mona).post(decide_url(typo), {"action": "merge", "into": "React Native"})

    for query in ({"skill": "RN"}, {"q": "react native"}, {"q": "reakt nativ mobile"}):
        page = login(alice).get("/members/", query).context["page"]
        assert [p.user for p in page.object_list] == [ravi], query


def test_merging_into_a_name_that_is_no_skill_is_refused_and_changes_nothing(
    typo_holders: tuple[User, User], mona: User, login: Callable[[User], Client]
) -> None:
    alice, dana = typo_holders
    typo = Skill.objects.get(name=TYPO)
    before = (held(alice), held(dana), SkillSynonym.objects.count())

    response = login(mona).post(
        decide_url(typo), {"action": "merge", "into": "Quantum Basket Weaving"}, follow=True
    )

    assert response.status_code == 200
    assert "No accepted skill by that name." in response.content.decode()
    typo.refresh_from_db()
    assert typo.status == Skill.Status.PENDING
    assert (held(alice), held(dana), SkillSynonym.objects.count()) == before
    assert [s.name for s in response.context["pending"]] == [TYPO]
    assert not AuditEntry.objects.filter(action__startswith="skill.").exists()


def test_a_pending_skill_cannot_be_merged_into_another_pending_skill(
    typo_holders: tuple[User, User],
    make_member: Callable[..., User],
    mona: User,
    login: Callable[[User], Client],
) -> None:
    make_member(name="Pat Pending", skills=("Qwik City",))
    typo = Skill.objects.get(name=TYPO)

    response = login(mona).post(
        decide_url(typo), {"action": "merge", "into": "Qwik City"}, follow=True
    )

    assert "No accepted skill by that name." in response.content.decode()
    assert Skill.objects.filter(status=Skill.Status.PENDING).count() == 2
