"""bench/web.py's own logic (web_report.py) on made-up figures, with no server and no wrk;
and the gate that keeps /bench/hello out of normal routing."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from django.test import Client
from django.urls import clear_url_caches

BENCH = Path(__file__).resolve().parent.parent / "bench" / "web.py"


@pytest.fixture(scope="module")
def web() -> Iterator[ModuleType]:
    # The script imports its sibling modules (web_report, web_cpu) as a script would.
    sys.path.insert(0, str(BENCH.parent))
    try:
        spec = importlib.util.spec_from_file_location("bench_web", BENCH)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.path.remove(str(BENCH.parent))


def test_ratios_and_targets_are_judged_against_hello(web: ModuleType) -> None:
    results = [
        web.Result(name="hello", path="/bench/hello", rps=10_000, p50_ms=2, p99_ms=8),
        web.Result(name="profile", path="/members/7/", rps=2_500, p50_ms=10, p99_ms=40),
        web.Result(name="directory", path="/members/?q=x", rps=900, p50_ms=30, p99_ms=90),
        web.Result(name="api member get", path="/api/v1/members/7", rps=2_000, p50_ms=9, p99_ms=30),
    ]
    rows = {row.name: row for row in web.evaluate(results)}
    assert rows["hello"].ratio == 1.0 and rows["hello"].passed is None
    assert rows["profile"].ratio == pytest.approx(0.25) and rows["profile"].passed is True
    # 9% of hello is below the directory's 10%, though its p99 is fine.
    assert rows["directory"].passed is False
    assert rows["api member get"].passed is False  # 20% < 25%
    table = web.format_table(list(rows.values()))
    assert "PASS" in table and "FAIL" in table and "25%" in table


def test_a_url_that_answers_errors_fails_whatever_its_speed(web: ModuleType) -> None:
    results = [
        web.Result(name="hello", path="/bench/hello", rps=1_000, p50_ms=1, p99_ms=2),
        web.Result(name="profile", path="/p", rps=5_000, p50_ms=1, p99_ms=2, non_2xx=3),
    ]
    profile = web.evaluate(results)[1]
    assert profile.passed is False
    assert "3 non-2xx" in web.format_table([profile])


def test_wrk_output_is_parsed_from_the_script_line(web: ModuleType) -> None:
    output = (
        "Running 10s test @ http://127.0.0.1:8000\n"
        'BENCH_JSON {"requests": 25000, "duration_us": 10000000, "p50_us": 4100, '
        '"p99_us": 21500, "non_2xx": 0, "socket_errors": 0}\n'
    )
    result = web.parse_wrk(output, "profile", "/members/7/")
    assert result.rps == 2500
    assert (result.p50_ms, result.p99_ms) == (4.1, 21.5)
    script = web.wrk_script(["/a", '/b"c'], {"Cookie": "sessionid=x"})
    assert '"/b\\"c"' in script and '["Cookie"] = "sessionid=x"' in script


def test_query_counts_and_seed_time_are_judged(web: ModuleType) -> None:
    lines = web.query_rows({"profile": 5, "directory": 9})
    assert lines == [
        "profile: 5 queries (target <= 6): PASS",
        "directory: 9 queries (target <= 8): FAIL",
    ]
    assert "PASS" in web.seed_line(64.2, 100_000)
    assert "FAIL" in web.seed_line(130.0, 100_000)


def test_dry_run_touches_nothing(web: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    if web.shutil.which("wrk") is None:
        pytest.skip("wrk is not installed")
    assert web.main(["--dry-run", "--members", "50"]) == 0
    assert "/bench/hello" in capsys.readouterr().out


@pytest.mark.django_db
def test_hello_is_routed_only_when_the_bench_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    import townsquare.urls

    assert Client().get("/bench/hello").status_code == 404
    monkeypatch.setenv("TOWNSQUARE_BENCH_HELLO", "1")
    try:
        importlib.reload(townsquare.urls)
        clear_url_caches()
        response = Client().get("/bench/hello")
        assert response.status_code == 200 and response.content == b"Hello, world"
    finally:
        monkeypatch.delenv("TOWNSQUARE_BENCH_HELLO")
        importlib.reload(townsquare.urls)
        clear_url_caches()
    assert Client().get("/bench/hello").status_code == 404
