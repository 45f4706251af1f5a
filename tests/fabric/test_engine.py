"""The graph engine alone, checked against NetworkX on the SNAP ego-Facebook graph (4,039
people, 88,234 ties) and on small graphs drawn by hand. No database."""

from __future__ import annotations

import gzip
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from townsquare.fabric.engine import Graph

SNAP = Path(__file__).resolve().parent / "data" / "snap-facebook-combined.txt.gz"


def read_snap() -> tuple[np.ndarray, np.ndarray]:
    """The file: the number of people, then `a b 1` per tie and direction, then -1."""
    with gzip.open(SNAP, "rt") as fh:
        numbers = np.array(fh.read().split(), dtype=np.int64)
    body = numbers[1:-1] if numbers[-1] == -1 else numbers[1:]
    triples = body.reshape(-1, 3)
    return triples[:, 0], triples[:, 1]


@pytest.fixture(scope="module")
def snap() -> tuple[Graph, nx.Graph]:
    a, b = read_snap()
    reference = nx.Graph()
    reference.add_edges_from(zip(a.tolist(), b.tolist(), strict=True))
    return Graph.from_edges(a, b), reference


def graph_of(edges: list[tuple[int, int]], nodes: list[int] | None = None) -> Graph:
    pairs = np.array(edges, dtype=np.int64).reshape(-1, 2)
    extra = None if nodes is None else np.array(nodes, dtype=np.int64)
    return Graph.from_edges(pairs[:, 0], pairs[:, 1], extra)


def expected_suggestions(reference: nx.Graph, member: int, k: int) -> list[tuple[int, int]]:
    """Non-neighbours by number of common neighbours (most first, then lowest id)."""
    mine = set(reference[member])
    counts = {
        other: len(list(nx.common_neighbors(reference, member, other)))
        for friend in mine
        for other in reference[friend]
        if other != member and other not in mine
    }
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:k]


def random_members(graph: Graph, count: int, seed: int) -> list[int]:
    return np.random.default_rng(seed).choice(graph.ids, count).tolist()


# -- building -----------------------------------------------------------------------------


def test_snap_builds_with_every_member_and_tie_once(snap: tuple[Graph, nx.Graph]) -> None:
    graph, reference = snap
    assert graph.members == reference.number_of_nodes() == 4039
    assert graph.ties == reference.number_of_edges() == 88234
    assert graph.adjacency().indices.dtype == np.int32


def test_duplicates_and_self_loops_are_dropped() -> None:
    graph = graph_of([(1, 2), (2, 1), (1, 2), (3, 3), (2, 3)])
    assert graph.ties == 2
    assert graph.neighbours(1) == [2]
    assert graph.degree(3) == 1


def test_ids_that_are_not_dense_work() -> None:
    for far in (99999, 2**40):  # a small table and the sorted-search path
        graph = graph_of([(10, 1000), (1000, far)], nodes=[7, -5])
        assert graph.members == 5
        assert graph.shortest_path(10, far) == [10, 1000, far]
        assert graph.degree(7) == 0
        assert graph.degree(-5) == 0
        assert graph.mutual_count(10, far) == 1
        assert graph.friends_of_friends(10) == [(far, 1)]
        assert 1000 in graph
        assert 11 not in graph
        assert graph.index_of([10, 11]).tolist()[1] == -1


def test_an_empty_graph_answers_without_error() -> None:
    graph = graph_of([])
    assert graph.members == 0
    assert graph.shortest_path(1, 2) is None
    assert graph.friends_of_friends(1) == []
    assert graph.pagerank().size == 0
    assert graph.metrics().members == 0
    alone = graph_of([], nodes=[1, 2, 3])
    assert alone.communities().tolist() == [0, 1, 2]
    assert alone.metrics().isolated_share == 1.0


# -- paths --------------------------------------------------------------------------------


def test_shortest_path_lengths_equal_networkx_and_are_real_paths(
    snap: tuple[Graph, nx.Graph],
) -> None:
    graph, reference = snap
    members = random_members(graph, 600, seed=1)
    for src, dst in zip(members[::2], members[1::2], strict=True):
        path = graph.shortest_path(src, dst, max_depth=50)
        assert path is not None
        assert len(path) - 1 == nx.shortest_path_length(reference, src, dst)
        assert path[0] == src and path[-1] == dst
        assert all(reference.has_edge(x, y) for x, y in zip(path, path[1:], strict=False))


def test_shortest_path_is_none_between_components_and_beyond_max_depth() -> None:
    graph = graph_of([(1, 2), (2, 3), (3, 4), (10, 11)])
    assert graph.shortest_path(1, 10) is None
    assert graph.shortest_path(1, 4, max_depth=2) is None
    assert graph.shortest_path(1, 4, max_depth=3) == [1, 2, 3, 4]
    assert graph.shortest_path(1, 1) == [1]
    assert graph.shortest_path(1, 404) is None


def test_shortest_path_avoids_members_the_mask_excludes() -> None:
    # 1 - 2 - 9 is the short way; 1 - 3 - 4 - 9 the long one.
    graph = graph_of([(1, 2), (2, 9), (1, 3), (3, 4), (4, 9)])
    assert graph.shortest_path(1, 9) == [1, 2, 9]
    assert graph.shortest_path(1, 9, allowed=graph.allowed_mask([2])) == [1, 3, 4, 9]
    assert graph.shortest_path(1, 9, allowed=lambda ids: ids != 2) == [1, 3, 4, 9]
    assert graph.shortest_path(1, 9, allowed=graph.allowed_mask([2, 4])) is None
    # The two ends are never filtered out.
    assert graph.shortest_path(1, 9, allowed=graph.allowed_mask([1, 9, 3, 4])) == [1, 2, 9]
    with pytest.raises(ValueError, match="one entry per member"):
        graph.shortest_path(1, 9, allowed=np.ones(graph.members + 1, dtype=bool))


def test_members_added_after_a_mask_was_made_are_not_allowed() -> None:
    graph = graph_of([(1, 2), (2, 9), (1, 3), (3, 4), (4, 9)])
    mask = graph.allowed_mask([2])
    graph.add_edges([(1, 5), (5, 9)])
    assert graph.shortest_path(1, 9) == [1, 2, 9]
    assert graph.shortest_path(1, 9, allowed=mask) == [1, 3, 4, 9]
    assert graph.shortest_path(1, 9, allowed=graph.allowed_mask([2])) == [1, 5, 9]


def test_masked_paths_equal_networkx_on_the_remaining_graph(
    snap: tuple[Graph, nx.Graph],
) -> None:
    graph, reference = snap
    hidden = set(random_members(graph, 400, seed=2))
    mask = graph.allowed_mask(hidden)
    members = [m for m in random_members(graph, 200, seed=3) if m not in hidden]
    for src, dst in zip(members[::2], members[1::2], strict=False):
        remaining = reference.subgraph(set(reference) - (hidden - {src, dst}))
        try:
            expected = nx.shortest_path_length(remaining, src, dst)
        except nx.NetworkXNoPath:
            expected = None
        path = graph.shortest_path(src, dst, allowed=mask, max_depth=50)
        assert (None if path is None else len(path) - 1) == expected
        assert path is None or not hidden & set(path[1:-1])


# -- recommendations ----------------------------------------------------------------------


def test_friends_of_friends_equal_networkx_common_neighbours(
    snap: tuple[Graph, nx.Graph],
) -> None:
    graph, reference = snap
    hubs = sorted(reference.degree, key=lambda item: -item[1])[:5]
    for member in random_members(graph, 60, seed=4) + [m for m, _ in hubs]:
        assert graph.friends_of_friends(member, k=10) == expected_suggestions(reference, member, 10)


def test_friends_of_friends_leave_out_the_excluded() -> None:
    graph = graph_of([(1, 2), (2, 3), (2, 4), (1, 5), (5, 4)])
    assert graph.friends_of_friends(1) == [(4, 2), (3, 1)]
    assert graph.friends_of_friends(1, exclude={4, 404}) == [(3, 1)]
    assert graph.friends_of_friends(1, k=1) == [(4, 2)]
    assert graph.friends_of_friends(404) == []


def test_mutual_count_and_degree_equal_networkx(snap: tuple[Graph, nx.Graph]) -> None:
    graph, reference = snap
    members = random_members(graph, 200, seed=5)
    for a, b in zip(members[::2], members[1::2], strict=True):
        assert graph.mutual_count(a, b) == len(list(nx.common_neighbors(reference, a, b)))
        assert graph.degree(a) == reference.degree(a)
        assert graph.neighbours(a) == sorted(reference[a], key=lambda m: graph.index_of([m])[0])


# -- fabric metrics -----------------------------------------------------------------------


def test_pagerank_is_within_1e6_of_networkx(snap: tuple[Graph, nx.Graph]) -> None:
    graph, reference = snap
    expected = nx.pagerank(reference, alpha=0.85, tol=1e-9)
    got = graph.pagerank(alpha=0.85, tol=1e-9)
    assert np.abs(got - np.array([expected[m] for m in graph.ids.tolist()])).max() < 1e-6
    assert got.sum() == pytest.approx(1.0)


def test_pagerank_spreads_the_rank_of_members_without_ties_like_networkx() -> None:
    graph = graph_of([(1, 2), (2, 3)], nodes=[4])
    reference = nx.Graph([(1, 2), (2, 3)])
    reference.add_node(4)
    expected = nx.pagerank(reference, tol=1e-12, max_iter=1000)
    got = graph.pagerank(tol=1e-12)
    assert np.allclose(got, [expected[m] for m in graph.ids.tolist()], atol=1e-9)


def test_average_clustering_equals_networkx(snap: tuple[Graph, nx.Graph]) -> None:
    graph, reference = snap
    average, local = graph.clustering()
    assert average == pytest.approx(nx.average_clustering(reference), abs=1e-12)
    sample = random_members(graph, 300, seed=7)
    triangles = nx.triangles(reference, sample)
    mine = graph.triangles()[graph.index_of(sample)]
    assert mine.tolist() == [triangles[m] for m in sample]
    assert local.shape == (graph.members,)


def test_clustering_of_a_small_graph() -> None:
    # A triangle with a tail and a member alone: NetworkX counts both at 0.
    graph = graph_of([(1, 2), (2, 3), (3, 1), (3, 4)], nodes=[5])
    reference = nx.Graph([(1, 2), (2, 3), (3, 1), (3, 4)])
    reference.add_node(5)
    average, local = graph.clustering()
    assert average == pytest.approx(nx.average_clustering(reference))
    assert dict(zip(graph.ids.tolist(), local.tolist(), strict=True)) == pytest.approx(
        nx.clustering(reference)
    )


def test_communities_have_modularity_above_0_7(snap: tuple[Graph, nx.Graph]) -> None:
    graph, reference = snap
    labels = graph.communities(seed=0)
    assert labels.shape == (graph.members,)
    groups: dict[int, set[int]] = {}
    for member, label in zip(graph.ids.tolist(), labels.tolist(), strict=True):
        groups.setdefault(label, set()).add(member)
    assert nx.community.modularity(reference, groups.values()) > 0.7
    assert np.array_equal(graph.communities(seed=0), labels)  # deterministic for a seed


def test_bridges_between_count_the_ties_across_communities() -> None:
    # Two triangles joined by 3 - 4, a third community tied to both.
    graph = graph_of([(1, 2), (2, 3), (3, 1), (4, 5), (5, 6), (6, 4), (3, 4), (7, 1), (7, 6)])
    labels = np.array([{1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 1, 7: 2}[m] for m in graph.ids.tolist()])
    assert graph.bridges_between(labels) == {(0, 1): 1, (0, 2): 1, (1, 2): 1}


def test_metrics_sum_up_the_fabric() -> None:
    graph = graph_of([(1, 2), (2, 3), (3, 1), (3, 4)], nodes=[5, 6])
    metrics = graph.metrics()
    assert metrics.members == 6
    assert metrics.ties == 4
    assert metrics.average_degree == pytest.approx(8 / 6)
    assert metrics.isolated_share == pytest.approx(2 / 6)
    assert metrics.share_degree_at_most_1 == pytest.approx(3 / 6)
    assert graph.share_with_degree_at_most(1) == pytest.approx(3 / 6)
    assert metrics.average_clustering == pytest.approx((1 + 1 + 1 / 3) / 6)
    assert metrics.communities == (np.bincount(metrics.labels) >= 2).sum() >= 1
    assert set(metrics.seconds) == {"pagerank", "clustering", "communities"}
    assert metrics.pagerank.shape == metrics.labels.shape == (6,)


# -- changes ------------------------------------------------------------------------------


def assert_same_graph(graph: Graph, rebuilt: Graph, members: list[int]) -> None:
    assert graph.ties == rebuilt.ties
    for member in members:
        assert sorted(graph.neighbours(member)) == sorted(rebuilt.neighbours(member))
        assert graph.friends_of_friends(member, 5) == rebuilt.friends_of_friends(member, 5)
    for src, dst in zip(members[::2], members[1::2], strict=False):
        mine, theirs = graph.shortest_path(src, dst), rebuilt.shortest_path(src, dst)
        assert (mine is None) == (theirs is None)
        assert mine is None or len(mine) == len(theirs)  # type: ignore[arg-type]


@pytest.mark.parametrize("compact_after", [10_000, 40])
def test_incremental_changes_match_a_full_rebuild(compact_after: int) -> None:
    rng = np.random.default_rng(6)
    edges = {tuple(sorted(p)) for p in rng.integers(1, 400, (1500, 2)).tolist() if p[0] != p[1]}
    pairs = np.array(sorted(edges))
    graph = Graph.from_edges(pairs[:, 0], pairs[:, 1])
    graph.compact_after = compact_after
    current = set(edges)
    for step in range(30):
        gone = [tuple(p) for p in pairs[rng.choice(len(pairs), 8)].tolist()]
        new = [tuple(p) for p in rng.integers(1, 420, (8, 2)).tolist()]  # a few new members
        graph.remove_edges(gone, version=2 * step)
        graph.add_edges(new, version=2 * step + 1)
        current -= {tuple(sorted(p)) for p in gone}
        current |= {tuple(sorted(p)) for p in new if p[0] != p[1]}
    assert graph.version == 59
    final = np.array(sorted(current))
    members = sorted({m for pair in current for m in pair})
    rebuilt = Graph.from_edges(final[:, 0], final[:, 1])
    assert_same_graph(graph, rebuilt, members)
    average, _ = graph.clustering()  # global metrics fold the delta in first
    assert average == pytest.approx(rebuilt.clustering()[0])
    assert graph.adjacency().nnz == rebuilt.adjacency().nnz


def test_removing_then_adding_back_a_tie_restores_it() -> None:
    graph = graph_of([(1, 2), (2, 3)])
    graph.remove_edges([(2, 1), (5, 6), (1, 3)])  # unknown members and missing ties: ignored
    assert graph.shortest_path(1, 3) is None
    assert graph.ties == 1
    graph.add_edges([(1, 2), (1, 2)])
    assert graph.ties == 2
    assert graph.shortest_path(1, 3) == [1, 2, 3]


def test_added_members_get_ties_and_paths() -> None:
    graph = graph_of([(1, 2)])
    graph.add_nodes([50, 2], version=7)
    assert graph.members == 3
    assert graph.version == 7
    assert graph.degree(50) == 0
    graph.add_edges(np.array([[50, 2], [60, 50]]))
    assert graph.shortest_path(1, 60) == [1, 2, 50, 60]
    assert graph.friends_of_friends(1) == [(50, 1)]
    assert graph.mutual_count(2, 60) == 1


def test_a_big_batch_is_folded_straight_into_the_matrix() -> None:
    graph = graph_of([(1, 2)])
    graph.compact_after = 4
    graph.add_edges([(i, i + 1) for i in range(2, 40)])
    assert graph.ties == 39
    assert graph.shortest_path(1, 40, max_depth=50) == list(range(1, 41))
    graph.remove_edges([(i, i + 1) for i in range(10, 40)])
    assert graph.ties == 9
    assert graph.degree(40) == 0


def test_memory_counts_the_matrix_and_the_id_map(snap: tuple[Graph, nx.Graph]) -> None:
    graph, _ = snap
    adjacency = graph.adjacency()
    matrix = adjacency.data.nbytes + adjacency.indices.nbytes + adjacency.indptr.nbytes
    assert matrix < graph.nbytes < matrix + 4 * 8 * graph.members
