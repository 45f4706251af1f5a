"""From what people type to a canonical skill: comparison keys, synonyms and typo tolerance.

Plain Python without Django, so that it can be built from any rows and tested alone; the
services build one SkillMatcher per process from the accepted skills and their synonyms.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

# "+" and "#" carry meaning in skill names: C, C++ and C# are three different languages.
_KEPT_SYMBOLS = frozenset("+#")
# Below this many characters almost every key is one edit from another ("go", "c", "r").
_MIN_FUZZY_LENGTH = 4
# Keys this long are distinctive enough to forgive a second typo.
_TWO_EDIT_LENGTH = 8
# "vue3" or "python3.12" name the same skill; remainders of 1-2 characters ("es" from
# "es2020") are too short to trust.
_MIN_VERSIONLESS_LENGTH = 3


def normalise_key(text: str) -> str:
    """The comparison key of a skill name: "React.js", "reactjs" and "React JS" give "reactjs".

    Case, Unicode compatibility forms, whitespace, punctuation and symbols are dropped;
    "+" and "#" are kept so that "C", "C++" and "C#" stay apart.
    """
    # NFKC before casefold: compatibility forms such as "Ｃ" or "℃" decompose to capitals.
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum() or ch in _KEPT_SYMBOLS)


def _allowed_edits(length: int) -> int:
    if length < _MIN_FUZZY_LENGTH:
        return 0
    return 1 if length < _TWO_EDIT_LENGTH else 2


@dataclass(frozen=True)
class Match:
    """A skill found for some text.

    `matched` is the name or synonym as written in the taxonomy; `exact` is True only when
    the text's key is one of the skill's keys; `score` is the OSA similarity (0 to 1)
    between the text's key and the matched key.
    """

    skill_id: int
    matched: str
    exact: bool
    score: float


class SkillMatcher:
    """Finds the skill that free text names, forgiving spelling variants and small typos."""

    def __init__(self, skills: Iterable[tuple[int, Iterable[str]]]) -> None:
        """Takes `(skill_id, names)` pairs, the canonical name first and then its synonyms."""
        # key -> (is_synonym, skill_id, name); the database keeps keys unique, but if two
        # skills share one anyway, a canonical name beats a synonym, then the lowest id wins.
        entries: dict[str, tuple[bool, int, str]] = {}
        for skill_id, names in skills:
            for position, name in enumerate(names):
                key = normalise_key(name)
                if not key:
                    continue
                entry = (position > 0, skill_id, name)
                if key not in entries or entry[:2] < entries[key][:2]:
                    entries[key] = entry
        self._entries = {key: (skill_id, name) for key, (_, skill_id, name) in entries.items()}
        self._sorted_keys = sorted(self._entries)
        # Fuzzy candidates share the typed key's first character: a typo there is rare,
        # and allowing one turns other real words into skills ("Dash" into Bash,
        # "Cython" into Python). Grouping by it also keeps each search small.
        self._fuzzy_keys: dict[str, list[str]] = {}
        for key in self._sorted_keys:
            if len(key) >= _MIN_FUZZY_LENGTH:
                self._fuzzy_keys.setdefault(key[0], []).append(key)

    def match(self, text: str) -> Match | None:
        """The one skill `text` names: exactly, through a spelling variant, or with a typo."""
        key = normalise_key(text)
        if not key:
            return None
        found = self._exact_or_variant(key)
        if found is not None:
            return found
        fuzzy = self._fuzzy(key)
        return fuzzy[0] if fuzzy else None

    def suggest(self, text: str, limit: int = 8) -> list[Match]:
        """Autocomplete for `text`: keys it begins, shortest first, then typo matches.

        Each skill appears once, under its best-ranked name.
        """
        key = normalise_key(text)
        if not key or limit <= 0:
            return []
        exact = self._exact_or_variant(key)
        candidates = ([exact] if exact else []) + self._prefixed(key) + self._fuzzy(key)
        seen: set[int] = set()
        suggestions: list[Match] = []
        for candidate in candidates:
            if candidate.skill_id in seen:
                continue
            seen.add(candidate.skill_id)
            suggestions.append(candidate)
            if len(suggestions) == limit:
                break
        return suggestions

    def _make(self, typed: str, key: str) -> Match:
        skill_id, name = self._entries[key]
        return Match(
            skill_id=skill_id,
            matched=name,
            exact=typed == key,
            score=OSA.normalized_similarity(typed, key),
        )

    def _exact_or_variant(self, key: str) -> Match | None:
        if key in self._entries:
            return self._make(key, key)
        # People write "vuejs" for "Vue" and "next" for "Next.js" interchangeably.
        candidates = [key[:-2] if key.endswith("js") else key + "js"]
        versionless = key.rstrip("0123456789")
        if versionless != key and len(versionless) >= _MIN_VERSIONLESS_LENGTH:
            candidates.append(versionless)
        for candidate in candidates:
            if candidate in self._entries:
                return self._make(key, candidate)
        return None

    def _prefixed(self, key: str) -> list[Match]:
        found: list[str] = []
        for position in range(bisect_left(self._sorted_keys, key), len(self._sorted_keys)):
            candidate = self._sorted_keys[position]
            if not candidate.startswith(key):
                break
            found.append(candidate)
        found.sort(key=lambda candidate: (len(candidate), candidate, self._entries[candidate][0]))
        return [self._make(key, candidate) for candidate in found]

    def _fuzzy(self, key: str) -> list[Match]:
        """Keys within the typo budget that start alike, nearest first, then lowest skill id."""
        budget = _allowed_edits(len(key))
        if budget == 0:
            return []
        choices = self._fuzzy_keys.get(key[0], [])
        results = process.extract(
            key, choices, scorer=OSA.distance, score_cutoff=budget, limit=None
        )
        # The budget follows the shorter key, so a long typo cannot reach a short key by
        # two edits ("pythonic" is not "python").
        near = [
            (distance, self._entries[candidate][0], candidate)
            for candidate, distance, _ in results
            if distance <= _allowed_edits(min(len(key), len(candidate)))
        ]
        near.sort()
        return [self._make(key, candidate) for _, _, candidate in near]
