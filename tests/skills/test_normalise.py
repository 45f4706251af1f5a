"""The skill matcher alone: plain Python over the shipped taxonomy, no database."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from townsquare.skills.normalise import SkillMatcher, normalise_key

TAXONOMY = Path(__file__).resolve().parents[2] / "townsquare" / "skills" / "data" / "taxonomy.csv"


def read_taxonomy() -> dict[int, list[str]]:
    """Skill id (row number) to names, the canonical name first, as the services build it."""
    with TAXONOMY.open(newline="", encoding="utf-8") as fh:
        return {
            number: [row["name"], *(s.strip() for s in row["synonyms"].split("|") if s.strip())]
            for number, row in enumerate(csv.DictReader(fh), start=1)
        }


NAMES = read_taxonomy()
ID_OF = {names[0]: skill_id for skill_id, names in NAMES.items()}


@pytest.fixture(scope="module")
def matcher() -> SkillMatcher:
    return SkillMatcher(NAMES.items())


def matched_name(matcher: SkillMatcher, text: str) -> str | None:
    found = matcher.match(text)
    return NAMES[found.skill_id][0] if found else None


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("React.js", "reactjs"),
        ("  React JS ", "reactjs"),
        ("reactjs", "reactjs"),
        ("C++", "c++"),
        ("C#", "c#"),
        ("Ｃ＃", "c#"),  # full-width forms fold to the ASCII ones
        ("Node.js", "nodejs"),
        ("CI/CD", "cicd"),
        ("...", ""),
    ],
)
def test_normalise_key_drops_case_space_and_punctuation_but_keeps_plus_and_hash(
    text: str, key: str
) -> None:
    assert normalise_key(text) == key


@pytest.mark.parametrize("text", ["reactjs", "React.js", "react js", "REACT", "ReactJS", "React"])
def test_spellings_of_react_match_react(matcher: SkillMatcher, text: str) -> None:
    assert matched_name(matcher, text) == "React"


@pytest.mark.parametrize(
    ("text", "skill"),
    [
        ("postgres", "PostgreSQL"),
        ("Postgres", "PostgreSQL"),
        ("k8s", "Kubernetes"),
        ("K8S", "Kubernetes"),
        ("golang", "Go"),
        ("vuejs", "Vue.js"),
        ("vue3", "Vue.js"),
        ("csharp", "C#"),
        ("cpp", "C++"),
    ],
)
def test_synonyms_and_variants_match_their_canonical_skill(
    matcher: SkillMatcher, text: str, skill: str
) -> None:
    assert matched_name(matcher, text) == skill


@pytest.mark.parametrize(
    ("text", "skill"),
    [
        ("Djnago", "Django"),
        ("Pyhton", "Python"),
        ("Kubernets", "Kubernetes"),
        ("Postgress", "PostgreSQL"),
        ("javascirpt", "JavaScript"),
    ],
)
def test_small_typos_are_forgiven(matcher: SkillMatcher, text: str, skill: str) -> None:
    found = matcher.match(text)
    assert found is not None
    assert NAMES[found.skill_id][0] == skill
    assert found.exact is False
    assert 0 < found.score < 1


def test_an_exact_match_is_marked_exact_with_full_score(matcher: SkillMatcher) -> None:
    found = matcher.match("k8s")
    assert found is not None
    assert (found.matched, found.exact, found.score) == ("k8s", True, 1.0)


@pytest.mark.parametrize("text", ["java", "Java", "JAVA"])
def test_java_is_java_not_javascript(matcher: SkillMatcher, text: str) -> None:
    assert matched_name(matcher, text) == "Java"


def test_java_never_becomes_javascript_even_without_java_in_the_taxonomy() -> None:
    without_java = SkillMatcher((i, n) for i, n in NAMES.items() if n[0] != "Java")
    assert without_java.match("java") is None
    assert without_java.match("Jav") is None


def test_c_cplusplus_and_csharp_are_three_different_skills(matcher: SkillMatcher) -> None:
    found = {text: matcher.match(text) for text in ("C", "C++", "C#")}
    assert {text: NAMES[m.skill_id][0] for text, m in found.items() if m} == {
        "C": "C",
        "C++": "C++",
        "C#": "C#",
    }
    assert len({m.skill_id for m in found.values() if m}) == 3


@pytest.mark.parametrize("text", ["c+", "c##", "c#+"])
def test_short_keys_are_not_guessed_at(matcher: SkillMatcher, text: str) -> None:
    # Under four characters every key is one edit from another: no typo tolerance.
    assert matcher.match(text) is None


@pytest.mark.parametrize(
    "text", ["xyzzy", "qwertyuiop", "Reactt Native Web", "pythonic", "", "   ", "+-*/"]
)
def test_nonsense_and_empty_text_match_nothing(matcher: SkillMatcher, text: str) -> None:
    assert matcher.match(text) is None


def test_suggest_offers_skills_the_text_begins_shortest_first(matcher: SkillMatcher) -> None:
    names = [NAMES[m.skill_id][0] for m in matcher.suggest("reac")]
    assert names[0] == "React"
    assert "React Native" in names
    assert names.index("React") < names.index("React Native")
    assert all(normalise_key(m.matched).startswith("reac") for m in matcher.suggest("reac"))


def test_suggest_puts_the_exact_skill_first_and_lists_each_skill_once(
    matcher: SkillMatcher,
) -> None:
    suggestions = matcher.suggest("java")
    assert [NAMES[m.skill_id][0] for m in suggestions][:2] == ["Java", "JavaScript"]
    assert suggestions[0].exact is True
    ids = [m.skill_id for m in matcher.suggest("py", limit=20)]
    assert len(ids) == len(set(ids))


def test_suggest_respects_the_limit_and_falls_back_to_typos(matcher: SkillMatcher) -> None:
    assert len(matcher.suggest("c", limit=3)) == 3
    assert [NAMES[m.skill_id][0] for m in matcher.suggest("djnago")] == ["Django"]
    assert matcher.suggest("zzzz") == []
    assert matcher.suggest("") == []
    assert matcher.suggest("react", limit=0) == []


def test_a_canonical_name_wins_over_another_skills_synonym_with_the_same_key() -> None:
    shared = SkillMatcher([(2, ["Beta", "Alpha"]), (1, ["Alpha"])])
    found = shared.match("alpha")
    assert found is not None
    assert found.skill_id == 1
