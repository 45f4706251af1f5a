"""The graph engine of this process: built from the database, kept in step with it.

Every process (WSGI worker, ASGI server, task worker) holds one `Graph`. It is built lazily
on first use from all `Connection` rows, then kept current by replaying the `GraphChange`
rows committed since (one indexed query per use, usually answering one row). It is rebuilt
from scratch when the gap is large, when the rows it last saw were pruned or rolled back,
or when a rebuild marker asks for it (`services.request_graph_rebuild`).

Change ids come from a sequence, and on PostgreSQL a transaction may commit after one with
a higher id: an id skipped in the sequence is therefore awaited for `AWAIT_SECONDS` (a
rolled-back transaction leaves a hole forever; an open one fills it soon).

Use it as `with graph_for_reading() as graph: ...`. The runtime's lock serialises
syncing; reading needs no lock, because the engine publishes each change as a new
immutable state and a query reads one state.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
from django.db import connection
from django.db.models import Q

from townsquare.fabric.models import Connection, GraphChange
from townsquare.members.models import Role, User

if TYPE_CHECKING:
    from townsquare.fabric.engine import Graph

# More pending changes than this: a rebuild is cheaper than replaying them one by one.
MAX_REPLAY = 5000
AWAIT_SECONDS = 120.0
# How far back, at build time, ids missing from the sequence are still awaited.
BUILD_LOOKBACK = 200
# A change row between member 0 and member 0 asks every process to rebuild.
REBUILD_MARKER = (0, 0)
FETCH_CHUNK = 100_000
CHANGE_FIELDS = ("pk", "member_a", "member_b", "added", "created_at")

T = TypeVar("T")

# (id, member_a, member_b, added, created_at) of a change row: the last one applied is
# checked on every sync, so a pruned or rolled-back sequence is noticed.
Change = tuple[Any, ...]


def _member_ids() -> np.ndarray:
    ids = User.objects.filter(
        role=Role.MEMBER, admitted_at__isnull=False, is_active=True
    ).values_list("pk", flat=True)
    return np.fromiter(ids.iterator(chunk_size=FETCH_CHUNK), dtype=np.int64)


def _edges() -> tuple[np.ndarray, np.ndarray]:
    """Every connection as two id arrays, streamed from a plain cursor (2M rows in ~1 s)."""
    table = connection.ops.quote_name(Connection._meta.db_table)
    chunks: list[np.ndarray] = []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT member_a_id, member_b_id FROM {table}")  # noqa: S608 (no input)
        while rows := cursor.fetchmany(FETCH_CHUNK):
            chunks.append(np.asarray(rows, dtype=np.int64).reshape(-1, 2))
    if not chunks:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    pairs = np.concatenate(chunks)
    return pairs[:, 0].copy(), pairs[:, 1].copy()


class GraphRuntime:
    """One process's graph and how far into the change sequence it has read."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.lock = threading.RLock()
        self._clock = clock
        self._graph: Graph | None = None
        self._seen: Change | None = None  # the last change applied
        self._awaited: dict[int, float] = {}  # id missing from the sequence → since when
        self._memo: dict[str, tuple[int, float, Any]] = {}
        self.builds = 0  # for tests and the fabric view's footnote

    # Building -----------------------------------------------------------------------

    def rebuild(self) -> Graph:
        with self.lock:
            # The last change id is read before the edges: a change committed in between
            # is then replayed on top, which adding or removing idempotently makes harmless.
            last = GraphChange.objects.order_by("-pk").values_list(*CHANGE_FIELDS).first()
            # Imported here: numpy and scipy load on first use, not with every process.
            from townsquare.fabric.engine import Graph

            a, b = _edges()
            graph = Graph.from_edges(a, b, nodes=_member_ids())
            self._graph = graph
            self._seen = last
            self._awaited = {}
            if last is not None:
                present = set(
                    GraphChange.objects.filter(
                        pk__gt=last[0] - BUILD_LOOKBACK, pk__lte=last[0]
                    ).values_list("pk", flat=True)
                )
                now = self._clock()
                start = max(1, last[0] - BUILD_LOOKBACK + 1)
                self._awaited = {i: now for i in range(start, last[0]) if i not in present}
            graph.version = self.version
            self._memo.clear()
            self.builds += 1
            return graph

    def reset(self) -> None:
        """Forgets the graph; the next use builds it again (tests, after a bulk load)."""
        with self.lock:
            self._graph = None
            self._seen = None
            self._awaited = {}
            self._memo.clear()

    @property
    def version(self) -> int:
        return self._seen[0] if self._seen is not None else 0

    # Keeping current ----------------------------------------------------------------

    def sync(self) -> Graph:
        """The graph with every committed change applied (building it when needed)."""
        with self.lock:
            if self._graph is None:
                return self.rebuild()
            now = self._clock()
            self._awaited = {i: t for i, t in self._awaited.items() if now - t < AWAIT_SECONDS}
            since = self.version
            # The last applied row comes back too: if it is gone or changed, rows were
            # pruned or rolled back under us, and only a rebuild is safe.
            rows = list(
                GraphChange.objects.filter(_since(since, self._awaited))
                .order_by("pk")
                .values_list(*CHANGE_FIELDS)[: MAX_REPLAY + 2]
            )
            if self._seen is not None and self._seen not in rows:
                return self.rebuild()
            fresh = [r for r in rows if r[0] != since]
            if not fresh:
                return self._graph
            newest = max(fresh, key=lambda r: r[0])
            if (
                len(fresh) > MAX_REPLAY
                or newest[0] - since > 2 * MAX_REPLAY
                or any((r[1], r[2]) == REBUILD_MARKER for r in fresh)
            ):
                return self.rebuild()
            self._apply(self._graph, fresh)
            if newest[0] > since:
                expected = set(range(since + 1, newest[0]))
                got = {r[0] for r in fresh}
                for missing in expected - got:
                    self._awaited.setdefault(missing, now)
                self._seen = newest
            for r in fresh:
                self._awaited.pop(r[0], None)
            self._graph.version = self.version
            return self._graph

    @staticmethod
    def _apply(graph: Graph, rows: list[Change]) -> None:
        """Applies changes by their net effect per pair (the last change of a pair wins)."""
        final: dict[tuple[int, int], bool] = {}
        for _pk, a, b, added, _at in sorted(rows, key=lambda r: r[0]):
            final[(a, b) if a < b else (b, a)] = added
        adds = [pair for pair, added in final.items() if added]
        removes = [pair for pair, added in final.items() if not added]
        if removes:
            graph.remove_edges(np.asarray(removes, dtype=np.int64).reshape(-1, 2))
        if adds:
            graph.add_edges(np.asarray(adds, dtype=np.int64).reshape(-1, 2))

    # Reading ------------------------------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[Graph]:
        yield self.sync()

    def memo(
        self, key: str, compute: Callable[[Graph], T], *, ttl: float, graph: Graph | None = None
    ) -> T:
        """`compute(graph)`, remembered for `ttl` seconds whatever changes meanwhile:
        expensive figures (PageRank) may lag a few ties behind on the managers' pages.

        Computed outside the lock, so paths and suggestions do not wait for it. Pass the
        `graph` the caller already synced to save the sync's query.
        """
        graph = graph if graph is not None else self.sync()
        now = self._clock()
        with self.lock:
            hit = self._memo.get(key)
        if hit is not None and now - hit[1] < ttl:
            return hit[2]
        value = compute(graph)
        with self.lock:
            self._memo[key] = (self.version, now, value)
        return value


def _since(version: int, awaited: dict[int, float]) -> Q:
    condition = Q(pk__gte=version) if version else Q(pk__gt=0)
    if awaited:
        condition |= Q(pk__in=sorted(awaited))
    return condition


_runtime = GraphRuntime()


def runtime() -> GraphRuntime:
    """This process's runtime (nothing is built until it is first read)."""
    return _runtime


@contextmanager
def graph_for_reading() -> Iterator[Graph]:
    with _runtime.reading() as graph:
        yield graph
