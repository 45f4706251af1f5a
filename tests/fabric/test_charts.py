"""The server-drawn SVG charts: accessible, escaped, deterministic."""

from __future__ import annotations

from datetime import date, timedelta

from townsquare.fabric import charts


def days(n: int) -> list[date]:
    start = date(2026, 3, 1)
    return [start + timedelta(days=i) for i in range(n)]


def test_a_line_chart_names_itself_for_screen_readers() -> None:
    svg = charts.line_chart(
        "growth",
        "Members over time",
        [charts.Series("Members", list(zip(days(3), (3, 5, 8), strict=True)))],
    )

    assert svg.startswith("<svg")
    assert 'role="img"' in svg and 'aria-labelledby="growth-title growth-desc"' in svg
    assert '<title id="growth-title">Members over time</title>' in svg
    assert "Members: 8 on 3 Mar 2026" in svg
    assert "<polyline" in svg


def test_ticks_are_round_numbers_covering_the_data() -> None:
    assert charts.nice_ticks(0, 8) == [0, 2, 4, 6, 8]
    assert charts.nice_ticks(0, 0.37)[-1] >= 0.37
    assert charts.nice_ticks(0, 1234)[:3] == [0, 500, 1000]


def test_a_line_chart_without_data_says_so() -> None:
    svg = charts.line_chart("empty", "Nothing", [charts.Series("Members", [])])

    assert "No data yet." in svg


def test_text_is_escaped() -> None:
    svg = charts.bar_chart("bars", "<b>Title</b>", [("<script>", 3)])

    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "&lt;b&gt;Title&lt;/b&gt;" in svg


def test_the_community_map_is_deterministic_and_inside_its_box() -> None:
    nodes = [charts.MapNode(i, size, f"C{i}") for i, size in enumerate((40, 25, 10, 5))]
    edges = [(0, 1, 12), (1, 2, 3), (0, 3, 1)]

    first = charts.community_map("map", "Map", nodes, edges)
    assert first == charts.community_map("map", "Map", nodes, edges)
    positions = charts.map_layout([n.size for n in nodes], edges)
    assert positions.min() >= 0 and positions.max() <= 1
    assert first.count("<circle") == 4 and first.count("<line") == 3
    assert "C0 – C1: 12" in first
