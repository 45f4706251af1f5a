"""Keeps database triggers in place after every migrate.

SQLite cannot alter most columns in place, so Django rebuilds a table (create, copy, drop,
rename) for many schema changes, and the old table's triggers go with it. The search index
and the audit log's guards live in triggers, so after each migrate we put back any that a
rebuild dropped (and re-index the search table if its triggers had been missing).
"""

from __future__ import annotations

import importlib
import re
from typing import Any

from django.db import connections

_NAME = re.compile(r"CREATE TRIGGER (\w+)", re.IGNORECASE)


def ensure_sqlite_triggers(
    using: str, migration: str, statements: str, after_repair: list[str] | None = None
) -> list[str]:
    """Re-creates the named migration's SQLite triggers that are missing; returns their names."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    module = importlib.import_module(migration)
    wanted = {
        match.group(1): sql for sql in getattr(module, statements) if (match := _NAME.search(sql))
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        existing = {row[0] for row in cursor.fetchall()}
        missing = [name for name in wanted if name not in existing]
        tables = {row for row in connection.introspection.table_names(cursor)}
        if not missing or not _targets_exist(wanted, missing, tables):
            return []
        for name in missing:
            cursor.execute(wanted[name])
        for sql in after_repair or []:
            cursor.execute(sql)
    return missing


def _targets_exist(wanted: dict[str, str], missing: list[str], tables: set[str]) -> bool:
    # Before the migration that creates them has run, there is nothing to repair.
    for name in missing:
        target = re.search(r"\bON\s+(\w+)", wanted[name], re.IGNORECASE)
        if target is None or target.group(1) not in tables:
            return False
    return True


def repair_after_migrate(**kwargs: Any) -> None:
    using = kwargs.get("using", "default")
    ensure_sqlite_triggers(
        using,
        "townsquare.members.migrations.0003_profile_search_index",
        "SQLITE_FORWARD",
        after_repair=["INSERT INTO members_profile_fts(members_profile_fts) VALUES ('rebuild')"],
    )
    ensure_sqlite_triggers(
        using, "townsquare.pulse.migrations.0002_audit_append_only", "SQLITE_FORWARD"
    )
