"""The fabric's graph engine: the members' ties as a sparse adjacency matrix in memory.

No Django import: the Django side loads rows and hands arrays in, so the engine is tested
and benchmarked alone (`tests/fabric/test_engine.py`, `bench/graph.py`).

Members are arbitrary int64 ids mapped to dense indices 0..n-1 (ascending ids at build time,
then in the order they are added); a dense index never changes for the life of a `Graph`. The ties live in a CSR matrix
(int32 indices, int8 data, sorted rows, both directions). Small changes go to a pending
delta that queries apply on top of the CSR; past `compact_after` pending tie changes the
delta is folded into a new CSR.

Readers never lock: every change publishes a new immutable `_State`, and a query reads
`self._state` once. Writers serialise on a lock.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

#: A node filter for paths: a bool array over dense indices (see `Graph.allowed_mask`) or a
#: function from an array of member ids to a bool array of the same length.
Allowed = np.ndarray | Callable[[np.ndarray], np.ndarray]

_SHIFT = np.int64(32)  # a pending directed tie u -> v is the key (u << 32) | v
_LOW = np.int64(0xFFFFFFFF)
_WEDGE_CHUNK = 2_000_000  # wedges checked per step of the triangle count (bounds memory)


@dataclass(frozen=True)
class _State:
    """One consistent snapshot of the graph; never mutated once published."""

    ids: np.ndarray  # int64, dense index -> member id
    sorted_ids: np.ndarray  # int64, ids ascending
    sorted_index: np.ndarray  # int32, dense index of sorted_ids[k]
    adjacency: sp.csr_array  # n x n, int8 ones, both directions, sorted rows
    added: np.ndarray  # int64 directed keys not in the CSR yet, sorted
    removed: np.ndarray  # int64 directed keys still in the CSR but gone, sorted
    dirty: np.ndarray | None  # bool per node with a pending change; None: no delta

    @property
    def n(self) -> int:
        return int(self.ids.size)


@dataclass
class Metrics:
    """The fabric's global figures, with the seconds each computation took."""

    members: int
    ties: int
    average_degree: float
    average_clustering: float
    isolated_share: float  # degree 0
    share_degree_at_most_1: float
    communities: int  # communities with at least two members
    seconds: dict[str, float] = field(default_factory=dict)
    pagerank: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)
    labels: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64), repr=False)
    clustering: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)


def _ranges(starts: np.ndarray, stops: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Concatenated positions of the half-open ranges [starts[i], stops[i]), and the
    range number of each position."""
    lengths = stops - starts
    total = int(lengths.sum())
    which = np.repeat(np.arange(starts.size, dtype=np.int32), lengths)
    offsets = np.cumsum(lengths) - lengths
    positions = np.arange(total, dtype=np.int64) + np.repeat(starts - offsets, lengths)
    return positions, which


def _in_sorted(values: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """values[i] in sorted_keys, vectorised."""
    if sorted_keys.size == 0:
        return np.zeros(values.size, dtype=bool)
    pos = np.searchsorted(sorted_keys, values)
    pos[pos == sorted_keys.size] = 0
    return sorted_keys[pos] == values


def _kth_largest(counts: np.ndarray, k: int) -> int:
    """The k-th largest of small non-negative counts, at least 1 (a histogram: introselect
    is slow on the many equal values mutual-friend counts have)."""
    histogram = np.bincount(counts)
    from_top = np.cumsum(histogram[:0:-1])
    rank = int(np.searchsorted(from_top, k))
    return max(1, histogram.size - 1 - rank)


def _build_adjacency(n: int, rows: np.ndarray, cols: np.ndarray) -> sp.csr_array:
    """Symmetric CSR (both directions given by the caller) with duplicates merged."""
    # bool data: summing duplicates stays True (int8 could wrap round to 0 and be dropped).
    coo = sp.coo_array(
        (np.ones(rows.size, dtype=bool), (rows.astype(np.int32), cols.astype(np.int32))),
        shape=(n, n),
    )
    csr = coo.tocsr()
    csr.sum_duplicates()
    return _csr(np.ones(csr.nnz, dtype=np.int8), csr.indices, csr.indptr, n)


def _csr(data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, n: int) -> sp.csr_array:
    matrix = sp.csr_array(
        (data, indices.astype(np.int32, copy=False), indptr.astype(np.int32, copy=False)),
        shape=(n, n),
        copy=False,
    )
    matrix.has_sorted_indices = True
    return matrix


def _map_ids(arrays: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Sorted unique ids over the arrays, and each array mapped to dense indices."""
    sizes = sum(x.size for x in arrays)
    low = min((int(x.min()) for x in arrays if x.size), default=0)
    high = max((int(x.max()) for x in arrays if x.size), default=-1)
    if low >= 0 and high < max(1 << 20, 4 * sizes):
        # Database ids are small and dense: a lookup table beats sorting millions of ids.
        present = np.zeros(high + 1, dtype=bool)
        for x in arrays:
            present[x] = True
        table = np.cumsum(present, dtype=np.int32) - 1
        return np.flatnonzero(present).astype(np.int64), [table[x] for x in arrays]
    ids = np.unique(np.concatenate(arrays))
    return ids, [np.searchsorted(ids, x).astype(np.int32) for x in arrays]


class Graph:
    """An undirected graph over member ids: paths, recommendations and fabric metrics."""

    def __init__(self, state: _State, *, version: int = 0, compact_after: int = 2048) -> None:
        self._state = state
        self._lock = threading.Lock()
        self._added: set[int] = set(state.added.tolist())
        self._removed: set[int] = set(state.removed.tolist())
        #: The change sequence number last applied; set by the caller.
        self.version = version
        #: Pending tie changes past which the delta is folded into the CSR.
        self.compact_after = compact_after

    # -- building -------------------------------------------------------------------------

    @classmethod
    def from_edges(
        cls,
        a: np.ndarray,
        b: np.ndarray,
        nodes: np.ndarray | None = None,
        *,
        version: int = 0,
    ) -> Graph:
        """Build from tie endpoints a[i] -- b[i] (member ids) plus members without ties.

        Duplicates (in either direction) and self-loops are dropped.
        """
        a = np.asarray(a, dtype=np.int64).ravel()
        b = np.asarray(b, dtype=np.int64).ravel()
        if a.shape != b.shape:
            raise ValueError("a and b must have the same length")
        extra = np.asarray(nodes if nodes is not None else [], dtype=np.int64).ravel()
        ids, (ia, ib, _) = _map_ids([a, b, extra])
        keep = ia != ib
        ia, ib = ia[keep], ib[keep]
        adjacency = _build_adjacency(ids.size, np.concatenate([ia, ib]), np.concatenate([ib, ia]))
        empty = np.empty(0, dtype=np.int64)
        state = _State(
            ids=ids,
            sorted_ids=ids,
            sorted_index=np.arange(ids.size, dtype=np.int32),
            adjacency=adjacency,
            added=empty,
            removed=empty,
            dirty=None,
        )
        return cls(state, version=version)

    # -- the id map -----------------------------------------------------------------------

    @property
    def ids(self) -> np.ndarray:
        """Member ids by dense index (the order of `pagerank()`, `communities()`, ...)."""
        return self._state.ids

    @property
    def members(self) -> int:
        return self._state.n

    @property
    def ties(self) -> int:
        s = self._state
        return (s.adjacency.nnz + s.added.size - s.removed.size) // 2

    @property
    def nbytes(self) -> int:
        """Memory held by the graph's arrays (the CSR, the id map and the delta)."""
        s = self._state
        arrays = [s.ids, s.sorted_ids, s.sorted_index, s.added, s.removed]
        arrays += [s.adjacency.data, s.adjacency.indices, s.adjacency.indptr]
        if s.dirty is not None:
            arrays.append(s.dirty)
        seen: dict[int, int] = {id(x): x.nbytes for x in arrays}
        return sum(seen.values())

    def __contains__(self, member_id: object) -> bool:
        return isinstance(member_id, int | np.integer) and self._index(self._state, member_id) >= 0

    @staticmethod
    def _index(s: _State, member_id: int) -> int:
        """Dense index of a member id, or -1."""
        pos = int(np.searchsorted(s.sorted_ids, member_id))
        if pos < s.sorted_ids.size and s.sorted_ids[pos] == member_id:
            return int(s.sorted_index[pos])
        return -1

    @staticmethod
    def _indices(s: _State, member_ids: np.ndarray) -> np.ndarray:
        """Dense indices of member ids, -1 where unknown."""
        member_ids = np.asarray(member_ids, dtype=np.int64).ravel()
        if s.n == 0:
            return np.full(member_ids.size, -1, dtype=np.int64)
        pos = np.minimum(np.searchsorted(s.sorted_ids, member_ids), s.n - 1)
        found = s.sorted_ids[pos] == member_ids
        return np.where(found, s.sorted_index[pos], -1).astype(np.int64)

    def index_of(self, member_ids: Iterable[int] | np.ndarray) -> np.ndarray:
        """Dense indices of member ids (-1 for ids not in the graph)."""
        ids = member_ids if isinstance(member_ids, np.ndarray) else list(member_ids)
        return self._indices(self._state, np.asarray(ids, dtype=np.int64))

    def allowed_mask(self, exclude: Iterable[int]) -> np.ndarray:
        """A bool mask over dense indices for `shortest_path(allowed=...)`: everyone but
        the excluded member ids (unknown ids are ignored)."""
        s = self._state
        mask = np.ones(s.n, dtype=bool)
        idx = self._indices(s, np.fromiter(exclude, dtype=np.int64))
        mask[idx[idx >= 0]] = False
        return mask

    # -- neighbourhoods -------------------------------------------------------------------

    @staticmethod
    def _expand(s: _State, frontier: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every tie out of the frontier (dense indices): (neighbour, frontier node) pairs."""
        indptr, indices = s.adjacency.indptr, s.adjacency.indices
        if frontier.size == 1:
            u = int(frontier[0])
            neighbours = indices[indptr[u] : indptr[u + 1]]
            parents = np.full(neighbours.size, u, dtype=np.int32)
        else:
            positions, which = _ranges(
                indptr[frontier].astype(np.int64), indptr[frontier + 1].astype(np.int64)
            )
            neighbours, parents = indices[positions], frontier[which]
        if s.dirty is None or not s.dirty[frontier].any():
            return neighbours, parents
        if s.removed.size:
            touched = np.flatnonzero(s.dirty[parents])
            keys = (parents[touched].astype(np.int64) << _SHIFT) | neighbours[touched]
            gone = touched[_in_sorted(keys, s.removed)]
            if gone.size:
                keep = np.ones(neighbours.size, dtype=bool)
                keep[gone] = False
                neighbours, parents = neighbours[keep], parents[keep]
        if s.added.size:
            dirty = frontier[s.dirty[frontier]].astype(np.int64)
            starts = np.searchsorted(s.added, dirty << _SHIFT)
            stops = np.searchsorted(s.added, (dirty + 1) << _SHIFT)
            keys = s.added[_ranges(starts, stops)[0]]
            neighbours = np.concatenate([neighbours, (keys & _LOW).astype(np.int32)])
            parents = np.concatenate([parents, (keys >> _SHIFT).astype(np.int32)])
        return neighbours, parents

    def _row(self, s: _State, u: int) -> np.ndarray:
        """Sorted neighbours (dense indices) of dense index u."""
        neighbours = self._expand(s, np.array([u], dtype=np.int32))[0]
        if s.dirty is not None and s.dirty[u]:
            neighbours = np.sort(neighbours)
        return neighbours

    def neighbours(self, member_id: int) -> list[int]:
        """The member ids tied to a member, ascending by dense index ([] if unknown)."""
        s = self._state
        u = self._index(s, member_id)
        return [] if u < 0 else s.ids[self._row(s, u)].tolist()

    def degree(self, member_id: int) -> int:
        """Number of ties of a member (0 if unknown)."""
        s = self._state
        u = self._index(s, member_id)
        return 0 if u < 0 else int(self._row(s, u).size)

    def mutual_count(self, a: int, b: int) -> int:
        """Number of members tied to both a and b."""
        s = self._state
        u, v = self._index(s, a), self._index(s, b)
        if u < 0 or v < 0:
            return 0
        return int(np.intersect1d(self._row(s, u), self._row(s, v), assume_unique=True).size)

    def adjacency(self) -> sp.csr_array:
        """The adjacency matrix (int8 ones, both directions), pending changes folded in."""
        return self._compacted().adjacency

    def degrees(self) -> np.ndarray:
        """Degree of every member, by dense index."""
        s = self._compacted()
        return np.diff(s.adjacency.indptr)

    # -- paths ------------------------------------------------------------------------------

    def shortest_path(
        self,
        src_id: int,
        dst_id: int,
        *,
        allowed: Allowed | None = None,
        max_depth: int = 6,
    ) -> list[int] | None:
        """A shortest chain of ties from src to dst (member ids, both ends included), or
        None when there is none of at most `max_depth` ties.

        `allowed` filters the members in between (src and dst are always allowed): a bool
        mask over dense indices (`allowed_mask`; members added since it was made count as
        not allowed) or a function of an id array. Bidirectional BFS over the CSR, always
        growing the side whose frontier has fewer ties.
        """
        s = self._state
        src, dst = self._index(s, src_id), self._index(s, dst_id)
        if src < 0 or dst < 0:
            return None
        if src == dst:
            return [int(src_id)]
        if isinstance(allowed, np.ndarray) and allowed.shape != (s.n,):
            if allowed.ndim != 1 or allowed.size > s.n:
                raise ValueError("allowed mask must have at most one entry per member")
            # Built before members were added: the caller never vetted them, so they stay out.
            allowed = np.concatenate([allowed, np.zeros(s.n - allowed.size, dtype=bool)])
        indptr = s.adjacency.indptr
        pred = (np.full(s.n, -1, dtype=np.int32), np.full(s.n, -1, dtype=np.int32))
        pred[0][src], pred[1][dst] = src, dst
        fronts = [np.array([src], dtype=np.int32), np.array([dst], dtype=np.int32)]
        for _ in range(max_depth):
            costs = [int((indptr[f + 1] - indptr[f]).sum()) for f in fronts]
            side = 0 if costs[0] <= costs[1] else 1
            mine, theirs = pred[side], pred[1 - side]
            neighbours, parents = self._expand(s, fronts[side])
            fresh = mine[neighbours] == -1
            neighbours, parents = neighbours[fresh], parents[fresh]
            met = np.flatnonzero(theirs[neighbours] != -1)
            if met.size:
                meet = int(neighbours[met[0]])
                mine[meet] = parents[met[0]]
                return self._trace(s, pred, meet, src, dst)
            if isinstance(allowed, np.ndarray):
                ok = allowed[neighbours]
                neighbours, parents = neighbours[ok], parents[ok]
            elif allowed is not None:
                ok = np.asarray(allowed(s.ids[neighbours]), dtype=bool)
                neighbours, parents = neighbours[ok], parents[ok]
            mine[neighbours] = parents
            # A node reached from several parents keeps one: the entry whose parent won.
            fronts[side] = neighbours[mine[neighbours] == parents]
            if fronts[side].size == 0:
                return None
        return None

    @staticmethod
    def _trace(
        s: _State, pred: tuple[np.ndarray, np.ndarray], meet: int, src: int, dst: int
    ) -> list[int]:
        path = [meet]
        while path[-1] != src:
            path.append(int(pred[0][path[-1]]))
        path.reverse()
        while path[-1] != dst:
            path.append(int(pred[1][path[-1]]))
        return s.ids[path].tolist()

    # -- recommendations --------------------------------------------------------------------

    def friends_of_friends(
        self, member_id: int, k: int = 10, exclude: set[int] | None = None
    ) -> list[tuple[int, int]]:
        """Up to k (member id, mutual ties) not yet tied to the member, most mutual ties
        first, then lowest id; the member, their neighbours and `exclude` are left out."""
        s = self._state
        u = self._index(s, member_id)
        if u < 0 or k <= 0:
            return []
        mine = self._row(s, u)
        reach = self._expand(s, mine)[0] if mine.size else mine
        skip = np.append(mine, u)
        if exclude:
            excluded = self._indices(s, np.fromiter(exclude, dtype=np.int64))
            skip = np.concatenate([skip, excluded[excluded >= 0]])
        if reach.size * 8 < s.n:
            candidates, counts = np.unique(reach, return_counts=True)
            keep = ~_in_sorted(candidates, np.sort(skip))
            candidates, counts = candidates[keep], counts[keep]
        else:  # a hub: counting over all members is cheaper than sorting what it reaches
            tally = np.bincount(reach, minlength=s.n)
            tally[skip] = 0
            candidates = np.flatnonzero(tally >= _kth_largest(tally, k))
            counts = tally[candidates]
        if candidates.size > k:
            top = counts >= _kth_largest(counts, k)
            candidates, counts = candidates[top], counts[top]
        found = s.ids[candidates]
        order = np.lexsort((found, -counts))[:k]
        return list(zip(found[order].tolist(), counts[order].tolist(), strict=True))

    # -- changes ----------------------------------------------------------------------------

    def add_nodes(self, ids: Iterable[int] | np.ndarray, *, version: int | None = None) -> None:
        """Add members without ties (ids already present are ignored)."""
        with self._lock:
            self._publish(self._with_nodes(self._state, ids))
            if version is not None:
                self.version = version

    def add_edges(
        self, pairs: Iterable[tuple[int, int]] | np.ndarray, *, version: int | None = None
    ) -> None:
        """Add ties between member ids; unknown members are added first. Existing ties and
        self-loops are ignored."""
        self._change(pairs, add=True, version=version)

    def remove_edges(
        self, pairs: Iterable[tuple[int, int]] | np.ndarray, *, version: int | None = None
    ) -> None:
        """Remove ties between member ids; ties that do not exist are ignored."""
        self._change(pairs, add=False, version=version)

    def _change(
        self, pairs: Iterable[tuple[int, int]] | np.ndarray, *, add: bool, version: int | None
    ) -> None:
        pairs = np.asarray(pairs if isinstance(pairs, np.ndarray) else list(pairs), np.int64)
        pairs = pairs.reshape(-1, 2)
        with self._lock:
            s = self._state
            if add:
                s = self._with_nodes(s, pairs.ravel())
            idx = self._indices(s, pairs.ravel()).reshape(-1, 2)
            idx = idx[(idx[:, 0] >= 0) & (idx[:, 1] >= 0) & (idx[:, 0] != idx[:, 1])]
            keys = np.concatenate(
                [(idx[:, 0] << _SHIFT) | idx[:, 1], (idx[:, 1] << _SHIFT) | idx[:, 0]]
            )
            if keys.size > 2 * self.compact_after:
                s = self._compact(s, keys, add=add)  # a big batch: straight into a new CSR
            else:
                base = self._in_csr(s, keys)
                pending, cancel = (
                    (self._added, self._removed) if add else (self._removed, self._added)
                )
                for key, in_base in zip(keys.tolist(), base.tolist(), strict=True):
                    if key in cancel:
                        cancel.discard(key)
                    elif in_base != add:
                        pending.add(key)
                s = self._with_delta(s)
                if len(self._added) + len(self._removed) > 2 * self.compact_after:
                    s = self._compact(s, np.empty(0, np.int64), add=True)
            self._publish(s)
            if version is not None:
                self.version = version

    @staticmethod
    def _in_csr(s: _State, keys: np.ndarray) -> np.ndarray:
        """Whether each directed key is a tie of the CSR (ignoring the delta)."""
        indptr, indices = s.adjacency.indptr, s.adjacency.indices
        out = np.zeros(keys.size, dtype=bool)
        for i, (u, v) in enumerate(
            zip((keys >> _SHIFT).tolist(), (keys & _LOW).tolist(), strict=True)
        ):
            row = indices[indptr[u] : indptr[u + 1]]
            pos = int(np.searchsorted(row, v))
            out[i] = pos < row.size and row[pos] == v
        return out

    def _with_nodes(self, s: _State, ids: Iterable[int] | np.ndarray) -> _State:
        ids = np.unique(np.asarray(ids if isinstance(ids, np.ndarray) else list(ids), np.int64))
        new = ids[self._indices(s, ids) < 0]
        if new.size == 0:
            return s
        n = s.n + new.size
        dense = np.arange(s.n, n, dtype=np.int32)
        at = np.searchsorted(s.sorted_ids, new)
        indptr = s.adjacency.indptr
        indptr = np.concatenate([indptr, np.full(new.size, indptr[-1], dtype=indptr.dtype)])
        dirty = None if s.dirty is None else np.concatenate([s.dirty, np.zeros(new.size, bool)])
        return _State(
            ids=np.concatenate([s.ids, new]),
            sorted_ids=np.insert(s.sorted_ids, at, new),
            sorted_index=np.insert(s.sorted_index, at, dense),
            adjacency=_csr(s.adjacency.data, s.adjacency.indices, indptr, n),
            added=s.added,
            removed=s.removed,
            dirty=dirty,
        )

    def _with_delta(self, s: _State) -> _State:
        added = np.array(sorted(self._added), dtype=np.int64)
        removed = np.array(sorted(self._removed), dtype=np.int64)
        dirty = None
        if added.size or removed.size:
            dirty = np.zeros(s.n, dtype=bool)
            dirty[added >> _SHIFT] = True
            dirty[removed >> _SHIFT] = True
        return _State(s.ids, s.sorted_ids, s.sorted_index, s.adjacency, added, removed, dirty)

    def _compact(self, s: _State, keys: np.ndarray, *, add: bool) -> _State:
        """A new CSR holding the current ties (CSR and delta) plus or minus `keys`."""
        indptr, indices = s.adjacency.indptr, s.adjacency.indices
        rows = np.repeat(np.arange(s.n, dtype=np.int64), np.diff(indptr))
        current = (rows << _SHIFT) | indices
        gone = s.removed if add else np.union1d(s.removed, keys)
        current = current[~_in_sorted(current, gone)] if gone.size else current
        extra = np.concatenate([s.added, keys]) if add else s.added[~np.isin(s.added, keys)]
        current = np.concatenate([current, extra])
        adjacency = _build_adjacency(s.n, current >> _SHIFT, current & _LOW)
        self._added.clear()
        self._removed.clear()
        empty = np.empty(0, dtype=np.int64)
        return _State(s.ids, s.sorted_ids, s.sorted_index, adjacency, empty, empty, None)

    def _publish(self, s: _State) -> None:
        for array in (s.ids, s.sorted_ids, s.sorted_index, s.added, s.removed):
            array.flags.writeable = False
        self._state = s

    def _compacted(self) -> _State:
        """The current state with no pending delta (folding it in if need be)."""
        with self._lock:
            s = self._state
            if s.dirty is not None:
                s = self._compact(s, np.empty(0, np.int64), add=True)
                self._publish(s)
            return s

    # -- fabric metrics ---------------------------------------------------------------------

    def pagerank(self, alpha: float = 0.85, tol: float = 1e-9, max_iter: int = 1000) -> np.ndarray:
        """PageRank by dense index: power iteration, stopping like NetworkX (the L1 change
        of an iteration below n * tol); members without ties spread their rank evenly."""
        s = self._compacted()
        n = s.n
        if n == 0:
            return np.empty(0)
        adjacency = s.adjacency
        matrix = sp.csr_array(
            (np.ones(adjacency.nnz), adjacency.indices, adjacency.indptr), shape=(n, n)
        )
        degree = np.diff(adjacency.indptr).astype(np.float64)
        dangling = degree == 0
        inverse = np.divide(1.0, degree, out=np.zeros(n), where=~dangling)
        x = np.full(n, 1.0 / n)
        for _ in range(max_iter):
            spread = alpha * x[dangling].sum() + (1.0 - alpha)
            new = alpha * (matrix @ (x * inverse)) + spread / n
            if np.abs(new - x).sum() < n * tol:
                return new
            x = new
        raise RuntimeError(f"PageRank did not converge in {max_iter} iterations")

    def triangles(self) -> np.ndarray:
        """Number of triangles through each member, by dense index.

        Each tie is oriented from the lower to the higher (degree, index) end, which keeps
        every out-list short (the "forward" algorithm); each pair of out-ties u->v, u->w
        (v before w) is a triangle when v->w exists, looked up in the oriented matrix for a
        chunk of pairs at a time. A triangle counts for u, v and w.
        """
        s = self._compacted()
        n = s.n
        degree = np.diff(s.adjacency.indptr)
        rank = np.empty(n, dtype=np.int32)
        rank[np.lexsort((np.arange(n), degree))] = np.arange(n, dtype=np.int32)
        rows = np.repeat(rank, degree)
        cols = rank[s.adjacency.indices]
        up = rows < cols
        oriented = sp.csr_array(
            (np.ones(int(up.sum()), dtype=np.int8), (rows[up], cols[up])), shape=(n, n)
        )
        oriented.sum_duplicates()  # sorted rows: the lookups below binary-search them
        indptr, out = oriented.indptr.astype(np.int64), oriented.indices
        triangles = np.zeros(n, dtype=np.int64)
        tail = np.repeat(np.arange(n, dtype=np.int32), np.diff(indptr))
        later = indptr[1:][tail] - np.arange(out.size) - 1  # out-ties after each in its row
        done = np.cumsum(later)
        start = 0
        while start < out.size:
            base = int(done[start - 1]) if start else 0
            stop = int(np.searchsorted(done, base + _WEDGE_CHUNK, side="right"))
            stop = min(out.size, max(start + 1, stop))
            span = np.arange(start, stop)
            first = np.repeat(span, later[start:stop])
            second = _ranges(span + 1, span + 1 + later[start:stop])[0]
            v, w = out[first], out[second]
            closed = oriented[v, w] != 0
            for corner in (tail[first[closed]], v[closed], w[closed]):
                triangles += np.bincount(corner, minlength=n)
            start = stop
        return triangles[rank]

    def clustering(self) -> tuple[float, np.ndarray]:
        """(average local clustering coefficient over all members, members without two ties
        counting as 0 like NetworkX; the coefficient of each member by dense index)."""
        triangles = self.triangles()
        degree = self.degrees().astype(np.float64)
        pairs = degree * (degree - 1) / 2
        local = np.divide(triangles, pairs, out=np.zeros(degree.size), where=pairs > 0)
        return (float(local.mean()) if local.size else 0.0), local

    def communities(self, resolution: float = 1.0, seed: int = 0) -> np.ndarray:
        """Community label of each member by dense index (scikit-network's Louvain; labels
        numbered by decreasing size)."""
        from sknetwork.clustering import Louvain  # scikit-network imports slowly: on use

        s = self._compacted()
        if s.adjacency.nnz == 0:  # Louvain refuses an empty matrix: everyone alone
            return np.arange(s.n, dtype=np.int64)
        adjacency = sp.csr_matrix(
            (np.ones(s.adjacency.nnz), s.adjacency.indices, s.adjacency.indptr),
            shape=(s.n, s.n),
        )
        louvain = Louvain(
            resolution=resolution, random_state=seed, return_probs=False, return_aggregate=False
        )
        return np.asarray(louvain.fit_predict(adjacency), dtype=np.int64)

    def bridges_between(self, labels: np.ndarray) -> dict[tuple[int, int], int]:
        """Number of ties between each pair of communities (c1 < c2) that has any."""
        s = self._compacted()
        labels = np.asarray(labels, dtype=np.int64)
        rows = np.repeat(np.arange(s.n), np.diff(s.adjacency.indptr))
        cols = s.adjacency.indices
        once = rows < cols
        la, lb = labels[rows[once]], labels[cols[once]]
        cross = la != lb
        low, high = np.minimum(la[cross], lb[cross]), np.maximum(la[cross], lb[cross])
        span = int(labels.max()) + 1 if labels.size else 1
        keys, counts = np.unique(low * span + high, return_counts=True)
        return {
            (int(key // span), int(key % span)): int(count)
            for key, count in zip(keys.tolist(), counts.tolist(), strict=True)
        }

    def share_with_degree_at_most(self, k: int) -> float:
        """Share of members with at most k ties (0.0 for an empty graph)."""
        degree = self.degrees()
        return float((degree <= k).mean()) if degree.size else 0.0

    def metrics(self, *, seed: int = 0) -> Metrics:
        """The fabric's figures for the managers' view, timing each global computation."""
        seconds: dict[str, float] = {}
        start = time.perf_counter()
        pagerank = self.pagerank()
        seconds["pagerank"] = time.perf_counter() - start
        start = time.perf_counter()
        average, local = self.clustering()
        seconds["clustering"] = time.perf_counter() - start
        start = time.perf_counter()
        labels = self.communities(seed=seed)
        seconds["communities"] = time.perf_counter() - start
        degree = self.degrees()
        n = degree.size
        sizes = np.bincount(labels) if n else np.empty(0, np.int64)
        return Metrics(
            members=n,
            ties=self.ties,
            average_degree=float(degree.mean()) if n else 0.0,
            average_clustering=average,
            isolated_share=float((degree == 0).mean()) if n else 0.0,
            share_degree_at_most_1=self.share_with_degree_at_most(1),
            communities=int((sizes >= 2).sum()),
            seconds=seconds,
            pagerank=pagerank,
            labels=labels,
            clustering=local,
        )
