"""Weave suggestions: weakly tied newcomers paired with well-connected members, sent with one
click by a community manager."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from townsquare.conversations.models import Notification
from townsquare.fabric import figures, services
from townsquare.fabric.models import Introduction
from townsquare.members.models import User
from townsquare.pulse.models import AuditEntry


@pytest.fixture
def hubs(make_member: Callable[..., User], connect: Callable[..., None]) -> dict[str, User]:
    """An established circle: Hana (Django, well connected) and Gil (Go, also central)."""
    people = {
        "hana": make_member(name="Hana Hub", skills=("Django", "Python")),
        "gil": make_member(name="Gil Go", skills=("Go",)),
    }
    others = [
        make_member(name=f"Old {i}", email=f"old{i}@example.com", skills=("Figma",))
        for i in range(4)
    ]
    for other in others:
        connect(people["hana"], other)
    connect(people["gil"], others[0])
    connect(people["gil"], others[1])
    connect(people["hana"], people["gil"])
    # They joined long ago: not newcomers themselves.
    User.objects.filter(pk__in=[u.pk for u in [*people.values(), *others]]).update(
        admitted_at=timezone.now() - timedelta(days=400)
    )
    return people


def test_an_isolated_newcomer_is_paired_with_a_hub_who_shares_their_skills(
    hubs: dict[str, User], make_member: Callable[..., User]
) -> None:
    nina = make_member(name="Nina New", skills=("Django",))
    gus = make_member(name="Gus Gopher", skills=("Go",))

    suggestions = {s.newcomer.name: s for s in figures.weave_suggestions()}

    assert suggestions["Nina New"].member == hubs["hana"]
    assert suggestions["Nina New"].shared_skills == ("Django",)
    assert suggestions["Gus Gopher"].member == hubs["gil"]
    assert "both Go" in suggestions["Gus Gopher"].reason
    assert nina.pk != gus.pk


def test_well_tied_newcomers_and_open_introductions_are_not_suggested(
    hubs: dict[str, User],
    make_member: Callable[..., User],
    connect: Callable[..., None],
    mona: User,
) -> None:
    busy = make_member(name="Busy Bo", skills=("Django",))
    tied = make_member(name="Tied Ty", skills=("Django",))
    connect(tied, hubs["gil"])
    connect(tied, make_member(name="Friend", skills=("Figma",)))
    services.weave_introduction(mona, busy, hubs["hana"])

    names = [s.newcomer.name for s in figures.weave_suggestions()]

    assert "Busy Bo" not in names and "Tied Ty" not in names


def test_one_click_sends_a_woven_introduction(
    hubs: dict[str, User],
    make_member: Callable[..., User],
    mona: User,
    login: Callable[[User], Client],
) -> None:
    nina = make_member(name="Nina New", skills=("Django",))
    client = login(mona)
    page = client.get("/manage/fabric/").content.decode()
    assert "Nina New" in page and "Introduce them" in page

    response = client.post(
        "/manage/fabric/weave/", {"newcomer": nina.pk, "member": hubs["hana"].pk}
    )

    intro = Introduction.objects.get()
    assert response["Location"] == f"/manage/fabric/#woven-{intro.pk}"
    assert (intro.requester, intro.introducer, intro.target) == (nina, mona, hubs["hana"])
    assert intro.woven_by == mona
    assert intro.status == Introduction.Status.FORWARDED
    assert Notification.objects.filter(user=hubs["hana"], kind="intro_forwarded").exists()
    assert Notification.objects.filter(user=nina, kind="intro_forwarded").exists()
    assert AuditEntry.objects.filter(action="fabric.weave", actor=mona).exists()
    assert client.get(f"/intros/{intro.pk}/").status_code == 200  # the weaver follows it


def test_the_member_accepts_a_woven_introduction_like_any_other(
    hubs: dict[str, User], make_member: Callable[..., User], mona: User
) -> None:
    nina = make_member(name="Nina New", skills=("Django",))
    intro = services.weave_introduction(mona, nina, hubs["hana"], "Nina just joined.")

    services.accept_intro(hubs["hana"], intro, connect=True)

    intro.refresh_from_db()
    assert set(intro.conversation.participants.values_list("user_id", flat=True)) == {
        nina.pk, mona.pk, hubs["hana"].pk,
    }  # fmt: skip


def test_only_managers_weave_and_never_twice_for_a_pair(
    hubs: dict[str, User],
    make_member: Callable[..., User],
    mona: User,
    alice: User,
    login: Callable[[User], Client],
) -> None:
    nina = make_member(name="Nina New", skills=("Django",))
    with pytest.raises(PermissionError):
        services.weave_introduction(alice, nina, hubs["hana"])
    assert (
        login(alice)
        .post("/manage/fabric/weave/", {"newcomer": nina.pk, "member": hubs["hana"].pk})
        .status_code
        == 404
    )

    services.weave_introduction(mona, nina, hubs["hana"])
    with pytest.raises(ValidationError, match="already open"):
        services.weave_introduction(mona, nina, hubs["hana"])
