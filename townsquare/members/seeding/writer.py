"""Writing many rows fast: COPY on PostgreSQL, bulk_create everywhere else.

Rows are tuples in a declared field order. Fields the caller leaves out get their model
default (one value for every row), so a new model field with a default does not break the
seed; one without a usable default stops it with a clear error.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.management.color import no_style
from django.db import connections, models

BULK_BATCH = 1000


class RowWriter:
    """Appends rows to tables through one database connection."""

    def __init__(self, using: str = "default") -> None:
        self.connection = connections[using]
        self.using = using
        self.copy = self.connection.vendor == "postgresql"
        self.written: dict[str, int] = {}

    def _plan(
        self, model: type[models.Model], fields: Sequence[str]
    ) -> tuple[list[models.Field], list[Any]]:
        given = [model._meta.get_field(name) for name in fields]
        names = {f.name for f in given}
        extra_fields, extra_values = [], []
        for f in model._meta.concrete_fields:
            if f.name in names or (f.primary_key and isinstance(f, models.AutoField)):
                continue
            if f.unique or not (f.has_default() or f.null):
                raise ValueError(f"The seed does not know how to fill {model.__name__}.{f.name}.")
            extra_fields.append(f)
            extra_values.append(f.get_default())
        return given + extra_fields, extra_values

    def write(self, model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple]) -> int:
        columns, extra = self._plan(model, fields)
        rows = (tuple(row) + tuple(extra) for row in rows) if extra else rows
        count = self._copy(model, columns, rows) if self.copy else self._bulk(model, columns, rows)
        label = model._meta.label
        self.written[label] = self.written.get(label, 0) + count
        return count

    def _copy(self, model: type[models.Model], columns: list[models.Field], rows: Iterable) -> int:
        quote = self.connection.ops.quote_name
        table = quote(model._meta.db_table)
        names = ", ".join(quote(f.column) for f in columns)
        # COPY's text format parses JSON from its text; psycopg adapts the rest.
        convert: list[Callable[[Any], Any] | None] = [
            json.dumps if isinstance(f, models.JSONField) else None for f in columns
        ]
        needs_convert = any(convert)
        count = 0
        with self.connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # noqa: S608
                write_row = copy.write_row
                for row in rows:
                    if needs_convert:
                        row = tuple(
                            c(v) if c is not None and v is not None else v
                            for c, v in zip(convert, row, strict=True)
                        )
                    write_row(row)
                    count += 1
        return count

    def _bulk(self, model: type[models.Model], columns: list[models.Field], rows: Iterable) -> int:
        attnames = [f.attname for f in columns]
        objects = [model(**dict(zip(attnames, row, strict=True))) for row in rows]
        model._default_manager.using(self.using).bulk_create(objects, batch_size=BULK_BATCH)
        return len(objects)

    def finish(self, models_with_explicit_ids: Sequence[type[models.Model]]) -> None:
        """Moves id sequences past explicitly written ids and refreshes planner statistics."""
        with self.connection.cursor() as cursor:
            for sql in self.connection.ops.sequence_reset_sql(no_style(), models_with_explicit_ids):
                cursor.execute(sql)
            if self.copy:
                for label in self.written:
                    model = _model(label)
                    cursor.execute(
                        f"ANALYZE {self.connection.ops.quote_name(model._meta.db_table)}"
                    )


def _model(label: str) -> type[models.Model]:
    from django.apps import apps

    return apps.get_model(label)


@contextmanager
def indexes_deferred(
    models_to_load: Sequence[type[models.Model]], using: str = "default"
) -> Iterator[None]:
    """On PostgreSQL, drops the secondary indexes, unique and foreign-key constraints of the
    tables about to be bulk-loaded, and puts them back, exactly as they were, afterwards.

    Building an index once over a million rows is several times cheaper than maintaining it
    row by row, and re-adding a foreign key checks every row in one join instead of one
    trigger per row at commit (what pg_restore does too). Primary keys and check
    constraints stay. Run it inside the loading transaction: if anything fails, the rollback
    restores the schema. Elsewhere it does nothing.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    tables = [m._meta.db_table for m in models_to_load]
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid)
               FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u')
               ORDER BY contype, conname""",
            [tables],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            """SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i
               WHERE indrelid = ANY(%s::regclass[]) AND NOT indisprimary
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
               ORDER BY 1""",
            [tables],
        )
        indexes = cursor.fetchall()
        quote = connection.ops.quote_name
        # Checks still pending from earlier in this transaction (a test that deleted rows)
        # would forbid ALTER TABLE: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # Foreign keys first: a unique constraint cannot go while a key depends on it.
        for table, name, _kind, _definition in sorted(constraints, key=lambda c: c[2] != "f"):
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, _kind, definition in sorted(constraints, key=lambda c: c[2] == "f"):
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
        # Back to Django's way: every foreign key it makes is INITIALLY DEFERRED.
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
