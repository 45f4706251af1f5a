"""The shipped taxonomy is in every fresh database (loaded after migrate)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from townsquare.skills.models import Domain, Skill, SkillCategory, SkillSynonym
from townsquare.skills.normalise import normalise_key
from townsquare.skills.services import find_skill, load_taxonomy, read_shipped_taxonomy

DOMAINS = (Domain.ENGINEERING, Domain.DATA, Domain.DESIGN, Domain.PRODUCT, Domain.MARKETING)


def test_at_least_300_accepted_skills_are_loaded_after_migrate(db: Any) -> None:
    assert Skill.objects.filter(status=Skill.Status.ACCEPTED).count() >= 300
    assert not Skill.objects.filter(status=Skill.Status.PENDING).exists()


def test_every_shipped_skill_has_a_category_and_every_domain_has_skills(db: Any) -> None:
    assert not Skill.objects.filter(category__isnull=True).exists()
    per_domain = dict(
        Skill.objects.values_list("category__domain").annotate(n=Count("pk")).order_by()
    )
    for domain in DOMAINS:
        assert per_domain.get(domain, 0) >= 20, domain
    categories = SkillCategory.objects.values_list("domain", flat=True).distinct()
    assert set(DOMAINS) <= set(categories)
    assert SkillCategory.objects.count() >= 10


def test_well_known_skills_sit_in_their_categories(db: Any) -> None:
    placed = dict(
        Skill.objects.filter(name__in=["Python", "Figma", "Kubernetes"]).values_list(
            "name", "category__domain"
        )
    )
    assert placed == {
        "Python": Domain.ENGINEERING,
        "Figma": Domain.DESIGN,
        "Kubernetes": Domain.ENGINEERING,
    }


def test_synonyms_are_loaded_and_resolve_to_their_skill(db: Any) -> None:
    assert SkillSynonym.objects.count() >= 100
    kubernetes = Skill.objects.get(name="Kubernetes")
    assert set(kubernetes.synonyms.values_list("name", flat=True)) >= {"k8s"}
    assert SkillSynonym.objects.get(key=normalise_key("Postgres")).skill.name == "PostgreSQL"
    assert find_skill("k8s") == kubernetes
    assert find_skill("React.js") == Skill.objects.get(name="React")


def test_keys_are_the_normalised_names(db: Any) -> None:
    for skill in Skill.objects.all():
        assert skill.key == normalise_key(skill.name), skill.name
    for synonym in SkillSynonym.objects.all():
        assert synonym.key == normalise_key(synonym.name), synonym.name


def test_loading_the_shipped_taxonomy_again_changes_nothing(db: Any) -> None:
    before = (Skill.objects.count(), SkillSynonym.objects.count(), SkillCategory.objects.count())
    report = load_taxonomy(read_shipped_taxonomy())
    assert (report.created, report.updated, report.synonyms, report.skipped) == (0, 0, 0, [])
    after = (Skill.objects.count(), SkillSynonym.objects.count(), SkillCategory.objects.count())
    assert after == before
