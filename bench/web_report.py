"""The pure half of bench/web.py: targets, results, the wrk script and the tables.

No Django, no server: tests/test_bench_smoke.py checks it on made-up figures.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Target:
    """What one benchmarked URL must reach (None: no target)."""

    min_ratio: float | None = None
    max_p99_ms: float | None = None
    max_queries: int | None = None


TARGETS = {
    "hello": Target(),
    "hello (signed in)": Target(),
    "profile": Target(min_ratio=0.20, max_p99_ms=50, max_queries=6),
    "directory": Target(min_ratio=0.10, max_p99_ms=100, max_queries=8),
    "directory (narrow)": Target(min_ratio=0.10, max_p99_ms=100, max_queries=8),
    "api member get": Target(min_ratio=0.25),
}
SEED_TARGET_SECONDS = 120.0


@dataclass
class Result:
    name: str
    path: str
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx: int = 0
    socket_errors: int = 0
    queries: int | None = None
    # CPU milliseconds per request: the server's processes, its database backends, wrk.
    app_cpu_ms: float | None = None
    db_cpu_ms: float | None = None
    wrk_cpu_ms: float | None = None
    # Share of the machine's CPU that other processes used during the run.
    neighbours: float | None = None


@dataclass
class Row:
    name: str
    path: str
    rps: float
    p50_ms: float
    p99_ms: float
    ratio: float | None
    target: str
    passed: bool | None
    notes: list[str] = field(default_factory=list)
    app_cpu_ms: float | None = None
    db_cpu_ms: float | None = None
    neighbours: float | None = None


# Pure parts (tested in tests/test_bench_smoke.py) -----------------------------------------

WRK_SCRIPT = """
wrk.headers = %(headers)s
local paths = %(paths)s
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format(
    "BENCH_JSON {\\"requests\\": %%d, \\"duration_us\\": %%d, \\"p50_us\\": %%d, " ..
    "\\"p99_us\\": %%d, \\"non_2xx\\": %%d, \\"socket_errors\\": %%d}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def wrk_script(paths: list[str], headers: dict[str, str]) -> str:
    lua_paths = "{" + ", ".join(lua_string(p) for p in paths) + "}"
    lua_headers = (
        "{" + ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items()) + "}"
    )
    return WRK_SCRIPT % {"paths": lua_paths, "headers": lua_headers}


def parse_wrk(output: str, name: str, path: str) -> Result:
    """The figures our wrk script prints on its BENCH_JSON line."""
    match = re.search(r"^BENCH_JSON (\{.*\})$", output, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"wrk printed no result for {name}:\n{output}")
    data = json.loads(match.group(1))
    seconds = data["duration_us"] / 1e6
    return Result(
        name=name,
        path=path,
        rps=data["requests"] / seconds if seconds else 0.0,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        non_2xx=data["non_2xx"],
        socket_errors=data["socket_errors"],
    )


def evaluate(results: list[Result], targets: dict[str, Target] = TARGETS) -> list[Row]:
    """Each result against the hello ceiling and its targets."""
    hello = next((r for r in results if r.name == "hello"), None)
    rows = []
    for r in results:
        target = targets.get(r.name, Target())
        ratio = r.rps / hello.rps if hello and hello.rps else None
        parts, checks, notes = [], [], []
        if target.min_ratio is not None:
            parts.append(f">= {target.min_ratio:.0%} of hello")
            checks.append(ratio is not None and ratio >= target.min_ratio)
        if target.max_p99_ms is not None:
            parts.append(f"p99 <= {target.max_p99_ms:g} ms")
            checks.append(r.p99_ms <= target.max_p99_ms)
        if r.non_2xx or r.socket_errors:
            # A page that redirects to the login or times out measures nothing.
            notes.append(f"{r.non_2xx} non-2xx, {r.socket_errors} socket errors")
            checks.append(False)
        rows.append(
            Row(
                name=r.name,
                path=r.path,
                rps=r.rps,
                p50_ms=r.p50_ms,
                p99_ms=r.p99_ms,
                ratio=ratio,
                target=", ".join(parts) or ("ceiling" if r.name == "hello" else "-"),
                passed=all(checks) if checks else None,
                notes=notes,
                app_cpu_ms=r.app_cpu_ms,
                db_cpu_ms=r.db_cpu_ms,
                neighbours=r.neighbours,
            )
        )
    return rows


def verdict(passed: bool | None) -> str:
    return "-" if passed is None else "PASS" if passed else "FAIL"


def format_table(rows: list[Row]) -> str:
    header = ("URL", "req/s", "p50 ms", "p99 ms", "vs hello", "target", "result")
    lines = [header]
    for row in rows:
        ratio = f"{row.ratio:.0%}" if row.ratio is not None else "-"
        result = verdict(row.passed) + (f" ({'; '.join(row.notes)})" if row.notes else "")
        lines.append(
            (
                f"{row.name}  {row.path}",
                f"{row.rps:,.0f}",
                f"{row.p50_ms:.1f}",
                f"{row.p99_ms:.1f}",
                ratio,
                row.target,
                result,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for n, line in enumerate(lines):
        out.append(" | ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip())
        if n == 0:
            out.append("-+-".join("-" * w for w in widths))
    return "\n".join(out)


def format_cpu_table(rows: list[Row], cpus: int) -> str:
    """CPU per request, which other load on a shared machine disturbs far less than req/s."""
    lines = [("URL", "app CPU ms/req", "DB CPU ms/req", "capacity*", "others' CPU")]
    for row in rows:
        if row.app_cpu_ms is None:
            continue
        total = row.app_cpu_ms + (row.db_cpu_ms or 0)
        capacity = f"{cpus * 1000 / total:,.0f} req/s" if total else "-"
        others = f"{row.neighbours:.0%}" if row.neighbours is not None else "-"
        lines.append(
            (row.name, f"{row.app_cpu_ms:.2f}", f"{row.db_cpu_ms or 0:.2f}", capacity, others)
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    out = [" | ".join(c.ljust(widths[i]) for i, c in enumerate(line)).rstrip() for line in lines]
    out.insert(1, "-+-".join("-" * w for w in widths))
    out.append(
        f"* {cpus} cores / (app + DB CPU per request): the ceiling with nothing else running."
    )
    return "\n".join(out)


def query_rows(counts: dict[str, int], targets: dict[str, Target] = TARGETS) -> list[str]:
    lines = []
    for name, count in counts.items():
        limit = targets.get(name, Target()).max_queries
        if limit is None:
            lines.append(f"{name}: {count} queries")
        else:
            lines.append(f"{name}: {count} queries (target <= {limit}): {verdict(count <= limit)}")
    return lines


def seed_line(seconds: float | None, members: int, note: str = "") -> str:
    if seconds is None:
        return f"seed {members:,} members: not timed {note}".rstrip()
    ok = verdict(seconds <= SEED_TARGET_SECONDS) if members >= 100_000 else "-"
    return (
        f"seed {members:,} members: {seconds:.1f} s (target <= {SEED_TARGET_SECONDS:.0f} s "
        f"for 100,000): {ok} {note}"
    ).rstrip()
