"""`townsquare seed`: a deterministic, realistic community with the demo cast."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from townsquare.fabric.models import Connection
from townsquare.members import services
from townsquare.members.models import Application, Profile, ProfileSkill, Role, User
from townsquare.members.seeding.archetypes import all_skill_names
from townsquare.members.seeding.generate import Generator, SkillRef
from townsquare.members.seeding.graph import weave
from townsquare.skills.models import Skill
from townsquare.skills.services import read_shipped_taxonomy

CAST = ("alice", "bob", "carol", "mona", "admin", "eve")
SEED_PASSWORD = "seeded-password-for-tests"


def seed(**options: Any) -> None:
    options.setdefault("members", 60)
    options.setdefault("seed", 7)
    call_command("seed", verbosity=0, **options)


def snapshot() -> dict[str, tuple]:
    """What must not change between two runs with one seed: people, skills, rates, ties."""
    skills: dict[int, list[tuple[str, int, int]]] = {}
    for row in ProfileSkill.objects.select_related("skill").order_by("skill__name"):
        skills.setdefault(row.profile_id, []).append((row.skill.name, row.level, row.years))
    by_id = {u.pk: u.email for u in User.objects.all()}
    ties = sorted(
        tuple(sorted((by_id[a], by_id[b])))
        for a, b in Connection.objects.values_list("member_a_id", "member_b_id")
    )
    out: dict[str, tuple] = {"ties": tuple(ties)}
    for user in User.objects.select_related("profile").order_by("email"):
        profile = getattr(user, "profile", None)
        out[user.email] = (
            user.name, user.role, user.time_zone, user.referral_code,
            profile.headline if profile else None,
            profile.hourly_rate if profile else None,
            profile.currency if profile else None,
            profile.profile_visibility if profile else None,
            tuple(skills.get(user.pk, ())),
        )  # fmt: skip
    return out


@pytest.mark.django_db
def test_same_seed_gives_the_same_community() -> None:
    seed()
    first = snapshot()
    User.objects.all().delete()
    seed()
    assert snapshot() == first
    User.objects.all().delete()
    seed(seed=8)
    assert snapshot() != first


@pytest.mark.django_db
def test_seed_creates_the_requested_community() -> None:
    seed(members=60, connections_per_member=10)
    members = User.objects.filter(role=Role.MEMBER, admitted_at__isnull=False)
    assert members.count() == 60
    assert User.objects.filter(role=Role.CLIENT).count() >= 3
    assert User.objects.filter(role=Role.MANAGER).count() >= 2  # mona and one more
    applicants = User.objects.filter(role=Role.MEMBER, admitted_at__isnull=True)
    assert applicants.count() >= 5
    assert Application.objects.filter(status=Application.Status.SUBMITTED).exists()
    assert all(a.reason for a in Application.objects.exclude(status=Application.Status.SUBMITTED))
    # About ten ties per member on average (each tie counts for both ends).
    ties = Connection.objects.count()
    assert 6 <= 2 * ties / 60 <= 14
    assert Profile.objects.filter(available_hours=0).exists()
    assert Profile.objects.filter(available_hours__gt=0).exists()


@pytest.mark.django_db
def test_demo_cast_exists_with_its_roles() -> None:
    seed()
    cast = {
        u.email.split("@")[0]: u
        for u in User.objects.filter(email__endswith="@demo.townsquare.local")
    }
    assert set(cast) == set(CAST)
    assert cast["alice"].role == Role.MEMBER and cast["alice"].admitted_at is not None
    assert cast["bob"].role == Role.MEMBER and cast["bob"].admitted_at is not None
    assert cast["carol"].role == Role.CLIENT
    assert cast["mona"].role == Role.MANAGER
    assert cast["admin"].role == Role.ADMIN
    assert cast["eve"].is_applicant
    assert cast["eve"].application.status == Application.Status.SUBMITTED
    low, high = sorted((cast["alice"].pk, cast["bob"].pk))
    assert Connection.objects.filter(member_a_id=low, member_b_id=high).exists()
    alice_skills = set(cast["alice"].profile.skills.values_list("skill__name", flat=True))
    assert {"Python", "Django", "PostgreSQL"} <= alice_skills


@pytest.mark.django_db
@pytest.mark.parametrize("who", CAST)
def test_demo_cast_signs_in_with_the_password(who: str) -> None:
    seed(password=SEED_PASSWORD)
    client = Client()
    response = client.post(
        reverse("members:login"),
        {"email": f"{who}@demo.townsquare.local", "password": SEED_PASSWORD},
    )
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") is not None


@pytest.mark.django_db
def test_without_a_password_only_the_cast_can_sign_in() -> None:
    seed()
    alice = User.objects.get(email="alice@demo.townsquare.local")
    assert alice.check_password("townsquare-demo")
    others = User.objects.exclude(email__endswith="@demo.townsquare.local")
    assert others.exists()
    assert not any(u.has_usable_password() for u in others)


@pytest.mark.django_db
def test_seed_refuses_a_database_that_has_accounts(alice: User) -> None:
    with pytest.raises(CommandError, match="already has 1 account"):
        seed()


@pytest.mark.django_db
def test_backend_python_members_hold_django_far_more_often_than_figma() -> None:
    seed(members=60)
    python_backend = Profile.objects.filter(
        headline__contains="backend engineer", skills__skill__name="Python"
    )
    held = Counter(
        ProfileSkill.objects.filter(profile__in=python_backend).values_list(
            "skill__name", flat=True
        )
    )
    assert held["Django"] >= 2
    assert held["Django"] > held["Figma"]


def test_skills_co_occur_as_in_real_roles_across_many_members() -> None:
    rows = list(read_shipped_taxonomy())
    refs = {r.name: SkillRef(id=i, terms=(r.name, *r.synonyms)) for i, r in enumerate(rows, 1)}
    generator = Generator(
        members=3000, seed=3, connections_per_member=0,
        now=datetime(2026, 1, 1, tzinfo=UTC), skills=refs,
        password_hash="!", cast_password_hash="!",
    )  # fmt: skip
    name_of = {ref.id: name for name, ref in refs.items()}
    held: dict[int, set[str]] = {}
    headline: dict[int, str] = {}
    generator.cast_and_staff()
    for batch in generator.member_batches(1000):
        for profile_id, skill_id, _level, _years in batch.profile_skills:
            held.setdefault(profile_id, set()).add(name_of[skill_id])
        for row in batch.profiles:
            headline[row[0]] = row[1]
    python_backend = [
        p for p, names in held.items() if "Python" in names and "backend" in headline[p]
    ]
    designers = [p for p, names in held.items() if "product designer" in headline[p].lower()]
    assert len(python_backend) > 100
    django = sum("Django" in held[p] for p in python_backend)
    figma = sum("Figma" in held[p] for p in python_backend)
    assert django > 0.5 * len(python_backend)
    assert figma < 0.05 * len(python_backend)
    assert sum("Figma" in held[p] for p in designers) > 0.8 * len(designers)


@pytest.mark.django_db
def test_every_archetype_skill_exists_in_the_shipped_taxonomy() -> None:
    accepted = set(
        Skill.objects.filter(status=Skill.Status.ACCEPTED).values_list("name", flat=True)
    )
    assert all_skill_names() <= accepted


@pytest.mark.django_db
def test_directory_finds_seeded_members_by_skill_synonym() -> None:
    seed()
    bob = User.objects.get(email="bob@demo.townsquare.local")
    client = Client()
    client.force_login(bob)
    by_filter = client.get(reverse("members:directory"), {"skill": "postgres"})
    by_text = client.get(reverse("members:directory"), {"q": "postgres"})
    for response in (by_filter, by_text):
        assert response.status_code == 200
        assert "Alice Archer" in {p.user.name for p in response.context["page"].object_list}
    for profile in by_filter.context["page"].object_list:
        assert profile.skills.filter(skill__name="PostgreSQL").exists()
    # Text search also finds members whose bio mentions it; each match says it somewhere.
    for profile in by_text.context["page"].object_list:
        assert "postgres" in profile.search_document.casefold()


@pytest.mark.django_db
def test_seeded_search_documents_match_what_the_profile_service_builds() -> None:
    seed()
    for profile in Profile.objects.select_related("user")[:25]:
        skills = [ps.skill for ps in profile.skills.select_related("skill")]
        rebuilt = services.build_search_document(profile, skills)
        assert set(rebuilt.split("\n")) == set(profile.search_document.split("\n"))


def test_ties_cluster_inside_role_families_and_regions() -> None:
    rng = random.Random(5)
    n = 4000
    groups = [rng.randrange(6) for _ in range(n)]
    regions = [rng.randrange(7) for _ in range(n)]
    ties = weave(
        random.Random(1), uids=range(1, n + 1), groups=groups, roles=groups, regions=regions,
        per_member=10,
    )  # fmt: skip
    assert all(a < b for a, b in ties)
    assert 8 <= 2 * len(ties) / n <= 11
    same_group = sum(groups[a - 1] == groups[b - 1] for a, b in ties) / len(ties)
    same_both = sum(
        groups[a - 1] == groups[b - 1] and regions[a - 1] == regions[b - 1] for a, b in ties
    ) / len(ties)
    # By chance alone these would be about 1/6 and 1/42.
    assert same_group > 0.6
    assert same_both > 0.5


@pytest.mark.django_db
def test_the_bulk_load_puts_every_index_and_constraint_back() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("Indexes are only set aside on PostgreSQL.")
    tables = [m._meta.db_table for m in (User, Profile, ProfileSkill, Application, Connection)]

    def schema() -> tuple[list, list]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), "
                "condeferrable, condeferred FROM pg_constraint "
                "WHERE conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
                [tables],
            )
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY 1",
                [tables],
            )
            return constraints, cursor.fetchall()

    before = schema()
    seed()
    assert schema() == before
