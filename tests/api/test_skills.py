"""Skill suggestions and skill details over the API."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.api.conftest import ApiClient
from townsquare.members.models import User
from townsquare.skills.models import Skill
from townsquare.skills.services import resolve_skill

pytestmark = pytest.mark.django_db

Api = Callable[[User | None], ApiClient]


def test_suggestions_follow_what_people_type(db: None) -> None:
    client = Client()
    assert client.get("/api/v1/skills", {"q": "postgres"}).json()[0]["name"] == "PostgreSQL"
    typo = client.get("/api/v1/skills", {"q": "Pyhton"}).json()
    assert typo[0]["name"] == "Python"
    names = [s["name"] for s in client.get("/api/v1/skills", {"q": "type", "limit": 5}).json()]
    assert "TypeScript" in names and len(names) <= 5


def test_suggestions_say_which_synonym_matched(db: None) -> None:
    k8s = Client().get("/api/v1/skills", {"q": "k8s"}).json()[0]
    assert k8s["name"] == "Kubernetes" and k8s["matched"].lower() == "k8s"


def test_without_a_query_skills_are_listed_by_name(db: None) -> None:
    listed = Client().get("/api/v1/skills", {"limit": 3}).json()
    assert len(listed) == 3
    assert [s["name"] for s in listed] == sorted((s["name"] for s in listed), key=str)


def test_pending_skills_are_never_suggested(alice: User) -> None:
    resolve_skill("Zzyzx Weaving", actor=alice)
    assert Client().get("/api/v1/skills", {"q": "zzyzx"}).json() == []


def test_a_skill_with_its_synonyms(db: None) -> None:
    skill = Skill.objects.get(name="Kubernetes")
    body = Client().get(f"/api/v1/skills/{skill.pk}").json()
    assert body["name"] == "Kubernetes" and body["pending"] is False
    assert "k8s" in [s.lower() for s in body["synonyms"]]
    assert body["category"] and body["domain"] == "engineering"


def test_a_pending_skill_is_for_managers_only(alice: User, mona: User, api_as: Api) -> None:
    pending = resolve_skill("Zzyzx Weaving", actor=alice)
    as_member = api_as(alice).get(f"/api/v1/skills/{pending.pk}")
    missing = api_as(alice).get("/api/v1/skills/987654")
    assert as_member.status_code == missing.status_code == 404
    assert as_member.json() == missing.json()
    as_manager = api_as(mona).get(f"/api/v1/skills/{pending.pk}")
    assert as_manager.status_code == 200 and as_manager.json()["pending"] is True


@pytest.mark.parametrize("query", [{"limit": 0}, {"limit": 51}, {"q": "x" * 101}])
def test_bad_suggestion_queries_are_422(db: None, query: dict[str, object]) -> None:
    assert Client().get("/api/v1/skills", query).status_code == 422
