"""Rows of the authorization matrix, one module per area; each defines `DECISIONS`.

A module's path functions may create the objects they need (they run inside the test,
with the database), so each area brings its own objects without touching the shared World.
"""

from __future__ import annotations

import importlib
import pkgutil

from tests.security.matrix import Row


def collect() -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        overlap = set(rows) & set(module.DECISIONS)
        assert not overlap, f"rows defined twice: {sorted(overlap)}"
        rows.update(module.DECISIONS)
    return rows
