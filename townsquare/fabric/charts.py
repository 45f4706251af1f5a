"""Small SVG charts drawn on the server: a line chart, a bar chart and the community map.

Each returns markup that works without JavaScript or inline styles (the CSP forbids them):
colours come from classes in townsquare.css, and every chart names itself with <title> and
<desc> for screen readers. Pages put the same numbers in a table next to the chart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 56, 28, 16, 36
LEGEND = 14  # extra room above the plot for a legend


@dataclass(frozen=True)
class Series:
    name: str
    points: Sequence[tuple[date, float]]


def _fmt(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (1, 2, 2.5 or 5 times a power of ten)."""
    if high <= low:
        high = low + 1
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step * 0.5:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _open(chart_id: str, title: str, desc: str, width: int, height: int, css: str) -> list[str]:
    return [
        f'<svg class="chart {css}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" preserveAspectRatio="xMidYMid meet" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def line_chart(
    chart_id: str,
    title: str,
    series: Sequence[Series],
    *,
    width: int = 640,
    height: int = 240,
    y_from_zero: bool = True,
    percent: bool = False,
) -> SafeString:
    """Lines over days, with a y axis of round ticks, a few date labels and a legend."""
    days = sorted({d for s in series for d, _v in s.points})
    values = [v for s in series for _d, v in s.points]
    desc = "; ".join(
        _("%(series)s: %(value)s on %(day)s")
        % {
            "series": s.name,
            "value": f"{_fmt(s.points[-1][1] * (100 if percent else 1))}{'%' if percent else ''}",
            "day": date_format(s.points[-1][0], "j M Y"),
        }
        for s in series
        if s.points
    )
    parts = _open(chart_id, title, desc or _("No data yet."), width, height, "line-chart")
    if not days:
        parts.append(
            f'<text x="{width / 2}" y="{height / 2}" class="chart-empty" text-anchor="middle">—</text></svg>'
        )
        return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)
    low = 0.0 if y_from_zero else min(values)
    ticks = nice_ticks(low, max(values) if values else 1.0)
    y_low, y_high = ticks[0], ticks[-1]
    top = PAD_TOP + (LEGEND if len(series) > 1 else 0)
    plot_w = width - PAD_LEFT - PAD_RIGHT
    plot_h = height - top - PAD_BOTTOM
    first, last = days[0].toordinal(), days[-1].toordinal()
    span = max(last - first, 1)

    def x(day: date) -> float:
        return PAD_LEFT + (day.toordinal() - first) / span * plot_w

    def y(value: float) -> float:
        return top + plot_h - (value - y_low) / ((y_high - y_low) or 1) * plot_h

    parts.append('<g class="axis">')
    for tick in ticks:
        label = f"{_fmt(tick * 100)}%" if percent else _fmt(tick)
        parts.append(
            f'<line class="grid" x1="{PAD_LEFT}" x2="{width - PAD_RIGHT}" y1="{y(tick):.1f}" '
            f'y2="{y(tick):.1f}"/><text x="{PAD_LEFT - 6}" y="{y(tick) + 4:.1f}" '
            f'text-anchor="end">{escape(label)}</text>'
        )
    step = max(1, math.ceil(len(days) / 6))
    for day in days[::step]:
        parts.append(
            f'<text x="{x(day):.1f}" y="{height - 12}" text-anchor="middle">'
            f"{escape(date_format(day, 'j M'))}</text>"
        )
    parts.append(
        f'<line class="baseline" x1="{PAD_LEFT}" x2="{width - PAD_RIGHT}" '
        f'y1="{top + plot_h}" y2="{top + plot_h}"/></g>'
    )
    for index, s in enumerate(series):
        css = f"series series-{index % 4}"
        points = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in sorted(s.points))
        if len(s.points) == 1:
            d, v = s.points[0]
            parts.append(f'<circle class="{css}" cx="{x(d):.1f}" cy="{y(v):.1f}" r="3"/>')
        else:
            parts.append(f'<polyline class="{css}" fill="none" points="{points}"/>')
    if len(series) > 1:
        for index, s in enumerate(series):
            lx = PAD_LEFT + 8 + index * 150
            parts.append(
                f'<g class="legend"><rect class="series-{index % 4}" x="{lx}" y="2" width="10" '
                f'height="10"/><text x="{lx + 14}" y="11">{escape(s.name)}</text></g>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def bar_chart(
    chart_id: str,
    title: str,
    bars: Sequence[tuple[str, float]],
    *,
    width: int = 640,
    bar_height: int = 22,
) -> SafeString:
    """Horizontal bars with their labels on the left and values at their ends."""
    label_w = 160
    height = PAD_TOP + len(bars) * (bar_height + 6) + 8
    desc = "; ".join(f"{label}: {_fmt(value)}" for label, value in bars)
    parts = _open(chart_id, title, desc or _("No data yet."), width, max(height, 40), "bar-chart")
    top = max((v for _l, v in bars), default=0) or 1
    plot_w = width - label_w - 60
    for index, (label, value) in enumerate(bars):
        y = PAD_TOP + index * (bar_height + 6)
        w = max(value / top * plot_w, 1 if value else 0)
        short = label if len(label) <= 24 else label[:23] + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + bar_height * 0.7:.1f}" text-anchor="end">'
            f"{escape(short)}</text>"
            f'<rect class="bar" x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_height}" rx="3"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + bar_height * 0.7:.1f}">{escape(_fmt(value))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


@dataclass(frozen=True)
class MapNode:
    key: int
    size: int
    label: str


def map_layout(
    sizes: Sequence[int], edges: Sequence[tuple[int, int, float]], *, iterations: int = 80
) -> np.ndarray:
    """Positions in [0, 1]² for nodes: a circle by size, then a few force-layout steps.

    Deterministic (no randomness): the same figures always draw the same map.
    """
    n = len(sizes)
    if n == 0:
        return np.zeros((0, 2))
    if n == 1:
        return np.array([[0.5, 0.5]])
    angle = np.linspace(0, 2 * np.pi, n, endpoint=False)
    pos = np.column_stack([np.cos(angle), np.sin(angle)])
    weight = np.zeros((n, n))
    for i, j, w in edges:
        if i != j:
            weight[i, j] = weight[j, i] = math.log1p(w)
    if weight.max() > 0:
        weight /= weight.max()
    radius = np.sqrt(np.asarray(sizes, dtype=float))
    radius = 0.08 + 0.17 * radius / radius.max()
    for step in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.sqrt((delta**2).sum(-1)) + np.eye(n)
        wanted = radius[:, None] + radius[None, :]
        repulse = (wanted**2 / dist**2)[..., None] * delta / dist[..., None]
        attract = (weight * dist)[..., None] * delta
        force = repulse.sum(1) - attract.sum(1) - 0.05 * pos
        cool = 0.1 * (1 - step / iterations)
        length = np.sqrt((force**2).sum(-1, keepdims=True)) + 1e-9
        pos += force / length * np.minimum(length, cool)
    # One scale for both axes (a map, not a scatter plot), centred in the unit square.
    pos -= (pos.min(0) + pos.max(0)) / 2
    extent = np.abs(pos).max() or 1.0
    return 0.5 + pos / (2 * extent)


def community_map(
    chart_id: str,
    title: str,
    nodes: Sequence[MapNode],
    edges: Sequence[tuple[int, int, float]],
    *,
    width: int = 640,
    height: int = 420,
) -> SafeString:
    """Sub-communities as circles sized by members, ties between them as weighted lines.

    `edges` hold node indices (positions in `nodes`) and the number of ties between them.
    """
    desc = "; ".join(f"{n.label}: {n.size}" for n in nodes)
    parts = _open(chart_id, title, desc or _("No communities yet."), width, height, "community-map")
    if not nodes:
        parts.append("</svg>")
        return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)
    pos = map_layout([n.size for n in nodes], edges)
    biggest = max(n.size for n in nodes) or 1
    margin = 70  # the biggest circle's radius and its label fit inside
    xy = [
        (margin + p[0] * (width - 2 * margin), margin - 10 + p[1] * (height - 2 * margin))
        for p in pos
    ]
    heaviest = max((w for _i, _j, w in edges), default=1) or 1
    parts.append('<g class="ties">')
    for i, j, w in edges:
        (x1, y1), (x2, y2) = xy[i], xy[j]
        stroke = 1 + 7 * math.sqrt(w / heaviest)
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke-width="{stroke:.1f}"><title>{escape(nodes[i].label)} – '
            f"{escape(nodes[j].label)}: {w:g}</title></line>"
        )
    parts.append('</g><g class="communities">')
    for index, (node, (cx, cy)) in enumerate(zip(nodes, xy, strict=True)):
        r = 8 + 42 * math.sqrt(node.size / biggest)
        parts.append(
            f'<g class="community series-{index % 4}"><circle cx="{cx:.1f}" cy="{cy:.1f}" '
            f'r="{r:.1f}"><title>{escape(node.label)}: {node.size}</title></circle>'
            f'<text x="{cx:.1f}" y="{cy + r + 14:.1f}" text-anchor="middle">'
            f"{escape(node.label)}</text></g>"
        )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)
