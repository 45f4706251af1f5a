"""CPU accounting for bench/web.py, from /proc: which processes used how much, and when
the machine is busy with others (it is often shared).
"""

from __future__ import annotations

import os
import resource
import time
from dataclasses import dataclass
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def settle(limit: float, quiet: float = 0.8) -> None:
    """Waits up to `limit` seconds for the 1-minute load average to drop below `quiet`."""
    deadline = time.monotonic() + limit
    while os.getloadavg()[0] >= quiet and time.monotonic() < deadline:
        time.sleep(5)


def process_cpu(pids: set[int]) -> dict[int, float]:
    """CPU seconds (user + system) each process has used so far."""
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime
    return used


def cpu_between(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used in between: by processes alive at both ends, and by those started
    in between (all of theirs); processes that ended in between are lost."""
    return sum(max(0.0, used - before.get(pid, 0.0)) for pid, used in after.items())


def group_pids(pgid: int) -> set[int]:
    pids = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid:  # pgrp
                pids.add(int(entry.name))
    return pids


def machine_busy() -> float:
    """CPU seconds all processes have used so far (from /proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values[:8]) - idle) / CLOCK_TICKS


@dataclass
class CpuSample:
    app: dict[int, float]
    db: dict[int, float]
    wrk: float
    busy: float
    at: float


def sample_cpu(server_pgid: int, db_pids: set[int]) -> CpuSample:

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return CpuSample(
        app=process_cpu(group_pids(server_pgid)),
        db=process_cpu(db_pids),
        wrk=children.ru_utime + children.ru_stime,
        busy=machine_busy(),
        at=time.monotonic(),
    )
