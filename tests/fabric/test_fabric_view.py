"""The managers' fabric view: figures, sub-communities, growth charts and the map."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from townsquare.fabric import figures, services
from townsquare.fabric.models import FabricSnapshot
from townsquare.fabric.tasks import take_fabric_snapshot
from townsquare.members.models import User


@pytest.fixture
def fabric(make_member: Callable[..., User], connect: Callable[..., None]) -> list[User]:
    """Two tight circles (Python people, designers) with one bridge, and a loner."""
    py = [
        make_member(name=f"Py {i}", email=f"py{i}@example.com", skills=("Python", "Django"))
        for i in range(4)
    ]
    ds = [
        make_member(name=f"Ds {i}", email=f"ds{i}@example.com", skills=("Figma",)) for i in range(4)
    ]
    for circle in (py, ds):
        for i, a in enumerate(circle):
            for b in circle[i + 1 :]:
                connect(a, b)
    connect(py[0], ds[0])
    make_member(name="Lonely Lou", email="lou@example.com", skills=("Rust",))
    return py + ds


def test_figures_count_members_ties_and_the_weakly_tied(fabric: list[User]) -> None:
    values = figures.fabric_figures()

    assert values["members"] == 9
    assert values["ties"] == 13
    assert values["average_degree"] == pytest.approx(26 / 9)
    assert values["isolated_share"] == pytest.approx(1 / 9)
    assert values["weak_share"] == pytest.approx(1 / 9)
    sizes = sorted(c["size"] for c in values["communities"])
    assert sizes == [4, 4]
    skills = {tuple(c["skills"][:1]) for c in values["communities"]}
    assert ("Figma",) in skills
    assert values["community_ties"] == [[0, 1, 1]]
    assert {c["ties"] for c in values["communities"]} == {6}


def test_the_view_renders_figures_charts_and_the_map_for_managers(
    fabric: list[User], mona: User, login: Callable[[User], Client]
) -> None:
    FabricSnapshot.objects.create(
        day=timezone.now().date() - timedelta(days=7), members=5, ties=4, average_degree=1.6,
        clustering=0.1, isolated_share=0.4, weak_share=0.6, communities=1,
    )  # fmt: skip

    response = login(mona).get("/manage/fabric/")

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<svg") == 4
    for text in ('role="img"', "<title", "Members and connections over time",
                 "Sub-communities and the ties between them", "Figma", "Python"):  # fmt: skip
        assert text in page
    assert FabricSnapshot.objects.filter(day=timezone.now().date()).exists()  # taken on demand


def test_members_and_clients_get_not_found(
    alice: User, carol: User, login: Callable[[User], Client]
) -> None:
    assert login(alice).get("/manage/fabric/").status_code == 404
    assert login(carol).get("/manage/fabric/").status_code == 404


def test_the_view_pins_its_query_count(
    fabric: list[User],
    mona: User,
    login: Callable[[User], Client],
    django_assert_max_num_queries: Any,
) -> None:
    client = login(mona)
    client.get("/manage/fabric/")  # today's snapshot and the graph, once

    # Session, manager, the history, the graph's change check, six for weave suggestions,
    # and the navigation's two badges.
    with django_assert_max_num_queries(12):
        assert client.get("/manage/fabric/").status_code == 200


def test_an_empty_community_renders(mona: User, login: Callable[[User], Client]) -> None:
    response = login(mona).get("/manage/fabric/")

    assert response.status_code == 200
    assert "No newcomer is left without ties right now." in response.content.decode()


def test_the_command_and_the_task_record_todays_snapshot_once(fabric: list[User]) -> None:
    call_command("fabric_snapshot", "--quiet")
    result = take_fabric_snapshot.enqueue()

    snapshot = FabricSnapshot.objects.get()
    assert result.return_value == snapshot.pk
    assert (snapshot.members, snapshot.ties, snapshot.communities) == (9, 13, 2)
    assert snapshot.data["degrees"][0] == ["0", 1]


def test_the_task_takes_a_day(fabric: list[User]) -> None:
    take_fabric_snapshot.enqueue("2026-01-31")

    assert FabricSnapshot.objects.get().day == date(2026, 1, 31)


def test_a_snapshot_can_be_refreshed(fabric: list[User], connect: Callable[..., None]) -> None:
    first = services.take_fabric_snapshot()
    connect(fabric[1], fabric[5])

    second = services.take_fabric_snapshot()

    assert first.pk == second.pk
    assert second.ties == 14
