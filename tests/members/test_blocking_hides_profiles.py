"""A block hides both people from each other: profile pages and the directory."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from townsquare.fabric.models import Block
from townsquare.members.models import User

pytestmark = pytest.mark.django_db


def test_a_blocked_member_gets_404_on_the_blockers_profile_and_back(
    alice: User, bob: User, login: Callable[[User], Client]
) -> None:
    assert login(bob).get(f"/members/{alice.pk}/").status_code == 200
    Block.objects.create(blocker=alice, blocked=bob)
    assert login(bob).get(f"/members/{alice.pk}/").status_code == 404
    assert login(alice).get(f"/members/{bob.pk}/").status_code == 404


def test_blocked_people_vanish_from_each_others_directory(
    alice: User, make_member: Callable[..., User], login: Callable[[User], Client]
) -> None:
    olga = make_member(name="Olga Other", skills=("Python",))
    assert "Olga Other" in login(alice).get("/members/?skill=python").content.decode()
    Block.objects.create(blocker=olga, blocked=alice)
    assert "Olga Other" not in login(alice).get("/members/?skill=python").content.decode()
    assert "Alice Archer" not in login(olga).get("/members/?skill=python").content.decode()


def test_others_still_see_both(
    alice: User, bob: User, make_member: Callable[..., User], login: Callable[[User], Client]
) -> None:
    Block.objects.create(blocker=alice, blocked=bob)
    olga = make_member(name="Olga Other")
    assert login(olga).get(f"/members/{alice.pk}/").status_code == 200
    assert login(olga).get(f"/members/{bob.pk}/").status_code == 200
