"""Directory text search on the database's own engine: SQLite FTS5 or PostgreSQL full-text.

The searchable text lives in `Profile.search_document`. On SQLite an FTS5 table kept in step
by triggers indexes it; on PostgreSQL a stored generated tsvector column with a GIN index
does (both made by migration 0002). Queries are turned into plain AND-of-terms so that
user input never reaches either engine's query syntax.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import QuerySet

_TERM = re.compile(r"[\w+#]+", re.UNICODE)
MAX_TERMS = 8


def query_terms(text: str) -> list[str]:
    terms = [t.casefold() for t in _TERM.findall(text or "")]
    return terms[:MAX_TERMS]


def _fts5_query(terms: list[str]) -> str:
    # Each term quoted (so "c++" or "and" are literal) and prefix-matched for type-ahead.
    return " AND ".join('"{}"*'.format(t.replace('"', "")) for t in terms)


def search_profiles(queryset: QuerySet, text: str) -> QuerySet:
    """Filters a Profile queryset to those matching `text`, with a `rank` (higher is better)."""
    terms = query_terms(text)
    if not terms:
        # No words (only punctuation): nothing matches, but callers still order by rank.
        return queryset.extra(select={"rank": "0"}).none()  # noqa: S610
    # .extra() because the ORM cannot join a virtual table or an unmodelled column; every
    # value goes in as a parameter.
    if connection.vendor == "postgresql":
        lexemes = [re.sub(r"\W", "", t) for t in terms]
        tsquery = " & ".join(f"{lx}:*" for lx in lexemes if lx) or "''"
        return queryset.extra(  # noqa: S610
            select={"rank": "ts_rank_cd(members_profile.search_vector, to_tsquery('simple', %s))"},
            select_params=[tsquery],
            where=["members_profile.search_vector @@ to_tsquery('simple', %s)"],
            params=[tsquery],
        )
    # FTS5's rank is bm25(), lower for better matches: negate it to sort like PostgreSQL.
    return queryset.extra(  # noqa: S610
        select={"rank": "-members_profile_fts.rank"},
        tables=["members_profile_fts"],
        where=[
            "members_profile_fts.rowid = members_profile.user_id",
            "members_profile_fts MATCH %s",
        ],
        params=[_fts5_query(terms)],
    )


def order_by_rank(queryset: QuerySet) -> QuerySet:
    return queryset.order_by("-rank", "pk")
