"""Writes about skills: resolving free text, loading taxonomies, and the manager's merge/accept."""

from __future__ import annotations

import csv
import threading
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from townsquare.pulse.services import record_audit
from townsquare.skills.models import Domain, Skill, SkillCategory, SkillSynonym
from townsquare.skills.normalise import SkillMatcher, normalise_key

TAXONOMY_CSV = Path(__file__).resolve().parent / "data" / "taxonomy.csv"
_VERSION_KEY = "skills:matcher-version"
_local = threading.local()


def _bump_matcher_version() -> None:
    # Every process rebuilds its matcher when the shared version changes (after commit).
    # A fresh random version rather than a counter: a counter starts again from 0 when the
    # cache is flushed or evicts the key (or a test database is flushed and reloaded), and a
    # process that last built at a number the counter reaches again keeps a stale matcher.
    transaction.on_commit(lambda: cache.set(_VERSION_KEY, uuid.uuid4().hex, timeout=None))


def matcher() -> SkillMatcher:
    """This process's matcher over accepted skills, rebuilt when skills change."""
    version = cache.get(_VERSION_KEY)
    if version is None:
        # The version was lost with the cache: nobody can know they are current, so start a
        # new one (the first process to get here wins) and everyone rebuilds once.
        cache.add(_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(_VERSION_KEY)
    current = getattr(_local, "matcher", None)
    if current is None or _local.version != version:
        names: dict[int, list[str]] = {}
        for skill_id, name in Skill.objects.filter(status=Skill.Status.ACCEPTED).values_list(
            "pk", "name"
        ):
            names[skill_id] = [name]
        for skill_id, name in SkillSynonym.objects.filter(
            skill__status=Skill.Status.ACCEPTED
        ).values_list("skill_id", "name"):
            names.setdefault(skill_id, []).append(name)
        _local.matcher = SkillMatcher(names.items())
        _local.version = version
    return _local.matcher


def find_skill(text: str) -> Skill | None:
    """The accepted skill that free text names (synonyms and typos included), if any."""
    found = matcher().match(text)
    if found is None:
        return None
    return Skill.objects.filter(pk=found.skill_id).first()


def suggest_canonical(text: str) -> Skill | None:
    """The closest accepted skill for a manager to consider when merging."""
    found = matcher().suggest(text, limit=1)
    return Skill.objects.filter(pk=found[0].skill_id).first() if found else None


@transaction.atomic
def resolve_skill(text: str, *, actor: Any = None) -> Skill:
    """The canonical skill for free text, or a pending one kept for a manager to review."""
    text = " ".join((text or "").split())[:100]
    key = normalise_key(text)
    if not key:
        raise ValidationError(_("A skill needs a name."))
    skill = find_skill(text)
    if skill is not None:
        return skill
    existing = Skill.objects.filter(key=key).first()  # a pending one someone typed before
    if existing is not None:
        return existing
    return Skill.objects.create(
        name=text, key=key, status=Skill.Status.PENDING, created_by=actor if actor else None
    )


@transaction.atomic
def accept_skill(manager: Any, skill: Skill, *, category: SkillCategory | None = None) -> Skill:
    if not manager.is_manager:
        raise PermissionError("Only community managers review skills.")
    if skill.status != Skill.Status.PENDING:
        raise ValidationError(_("This skill is not pending."))
    skill.status = Skill.Status.ACCEPTED
    skill.category = category or skill.category
    skill.save(update_fields=["status", "category"])
    record_audit(manager, "skill.accept", skill, data={"name": skill.name})
    _bump_matcher_version()
    return skill


@transaction.atomic
def merge_skill(manager: Any, pending: Skill, *, into: Skill) -> Skill:
    """Folds a pending skill into a canonical one: holders move over, its name becomes a synonym."""
    from townsquare.members.models import ProfileSkill

    if not manager.is_manager:
        raise PermissionError("Only community managers review skills.")
    if pending.status != Skill.Status.PENDING or pending.pk == into.pk:
        raise ValidationError(_("Only a pending skill can be merged into another skill."))
    holders_of_target = ProfileSkill.objects.filter(skill=into).values("profile_id")
    # A member who already holds the target keeps that entry; the duplicate goes.
    ProfileSkill.objects.filter(skill=pending, profile_id__in=holders_of_target).delete()
    moved = ProfileSkill.objects.filter(skill=pending).update(skill=into)
    name, key = pending.name, pending.key
    record_audit(manager, "skill.merge", into, data={"merged": name, "holders_moved": moved})
    pending.delete()
    if not SkillSynonym.objects.filter(key=key).exists() and key != into.key:
        SkillSynonym.objects.create(skill=into, name=name, key=key)
    _reindex_holders(into)
    _bump_matcher_version()
    return into


def _reindex_holders(skill: Skill) -> None:
    """Rebuilds the directory text of the skill's holders: its holders or synonyms changed."""
    from townsquare.members.models import Profile
    from townsquare.members.services import build_search_document

    profiles = list(
        Profile.objects.filter(skills__skill=skill)
        .select_related("user")
        .prefetch_related("skills__skill__synonyms")
    )
    for profile in profiles:
        skills = [ps.skill for ps in profile.skills.all()]
        profile.search_document = build_search_document(profile, skills)
    Profile.objects.bulk_update(profiles, ["search_document"], batch_size=500)


@dataclass(frozen=True)
class TaxonomyRow:
    name: str
    category: str
    domain: str
    synonyms: tuple[str, ...]
    uri: str = ""


def read_shipped_taxonomy(path: Path = TAXONOMY_CSV) -> Iterator[TaxonomyRow]:
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            yield TaxonomyRow(
                name=row["name"].strip(),
                category=row["category"].strip(),
                domain=row["domain"].strip(),
                synonyms=tuple(s.strip() for s in row["synonyms"].split("|") if s.strip()),
            )


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    synonyms: int = 0
    skipped: list[str] | None = None


@transaction.atomic
def load_taxonomy(rows: Iterable[TaxonomyRow]) -> ImportReport:
    """Adds or updates skills; a synonym that already names another skill is skipped, reported."""
    report = ImportReport(skipped=[])
    categories = {c.name: c for c in SkillCategory.objects.all()}
    by_key = {s.key: s for s in Skill.objects.all()}
    by_uri = {s.external_uri: s for s in by_key.values() if s.external_uri}
    taken = dict(SkillSynonym.objects.values_list("key", "skill_id"))
    for row in rows:
        key = normalise_key(row.name)
        if not key:
            continue
        category = None
        if row.category:
            category = categories.get(row.category)
            if category is None:
                domain = row.domain if row.domain in Domain.values else Domain.OTHER
                category = SkillCategory.objects.create(name=row.category, domain=domain)
                categories[row.category] = category
        skill = by_uri.get(row.uri) if row.uri else None
        skill = skill or by_key.get(key)
        if skill is None:
            if key in taken:
                report.skipped.append(f"{row.name}: already a synonym of another skill")
                continue
            skill = Skill.objects.create(
                name=row.name, key=key, category=category, external_uri=row.uri
            )
            by_key[key] = skill
            report.created += 1
        else:
            changed = False
            # A skill keeps the category it has: an import files only uncategorised skills.
            if category is not None and skill.category_id is None:
                skill.category, changed = category, True
            if row.uri and not skill.external_uri:
                skill.external_uri, changed = row.uri, True
            if skill.status != Skill.Status.ACCEPTED:
                skill.status, changed = Skill.Status.ACCEPTED, True
            if changed:
                skill.save()
                report.updated += 1
        for synonym in row.synonyms:
            skey = normalise_key(synonym)
            if not skey or skey == skill.key:
                continue
            if skey in by_key and by_key[skey].pk != skill.pk:
                report.skipped.append(f"{synonym}: names the skill {by_key[skey].name}")
                continue
            if skey in taken:
                if taken[skey] != skill.pk:
                    report.skipped.append(f"{synonym}: already a synonym of another skill")
                continue
            SkillSynonym.objects.create(skill=skill, name=synonym, key=skey)
            taken[skey] = skill.pk
            report.synonyms += 1
    _bump_matcher_version()
    return report
