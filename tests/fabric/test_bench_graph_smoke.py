"""bench/graph.py runs end to end on a tiny generated community (--quick) and prints every
row of its table; its generator gives what it is asked for."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "graph.py"
ROWS = (
    "build from edge arrays (s)",
    "graph memory (MB)",
    "shortest path median / p99 (ms)",
    "people you may know top 10 median / p99 (ms)",
    "PageRank (s)",
    "average clustering (s)",
    "communities, Louvain (s)",
    "fabric metrics total (s)",
)


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_graph", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_graph"] = module
    spec.loader.exec_module(module)
    return module


def test_quick_run_prints_every_row_and_agrees_with_networkx(
    bench: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = tmp_path / "graph.json"
    argv = ["--quick", "--members", "2000", "--ties", "16000", "--communities", "40"]
    assert bench.main([*argv, "--queries", "100", "--json", str(result)]) == 0
    out = capsys.readouterr().out
    table = [line for line in out.splitlines() if line.startswith("| ")]
    assert [line.split(" | ")[0].removeprefix("| ") for line in table[1:]] == list(ROWS)
    assert all(line.rstrip(" |").split(" | ")[-1] in {"PASS", "FAIL", "-"} for line in table[1:])
    facts = json.loads(result.read_text())["facts"]
    checked = facts["checked_queries"]
    assert facts["same_path_length"] == facts["real_paths"] == checked == 100
    assert facts["same_people_you_may_know"] == checked
    assert facts["pagerank_max_abs_diff"] < 1e-6
    assert facts["members"] == 2000 and facts["ties"] == 16000


def test_the_generator_is_deterministic_with_exact_sizes(bench: ModuleType) -> None:
    a, b, members = bench.synthetic_community(3000, 30000, 60, seed=3)
    again = bench.synthetic_community(3000, 30000, 60, seed=3)
    assert all(np.array_equal(x, y) for x, y in zip((a, b, members), again, strict=True))
    assert sorted(members.tolist()) == list(range(1, 3001))
    pairs = {(min(x, y), max(x, y)) for x, y in zip(a.tolist(), b.tolist(), strict=True)}
    assert len(pairs) == a.size == 30000
    assert not (a == b).any()


def test_the_table_marks_missed_targets(bench: ModuleType) -> None:
    rows = [
        bench.row("PageRank (s)", 0.2, 8.6),
        bench.row("fabric metrics total (s)", 6.0, 50.0, 5.0, "<= 5 s", False),
    ]
    table = bench.format_table(rows)
    assert "| PageRank (s) | 0.200 | 8.60 | 43.0x | - | - |" in table
    assert table.splitlines()[-1].endswith("| FAIL |")
