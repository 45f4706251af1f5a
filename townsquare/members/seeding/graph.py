"""A community-shaped graph of ties: planted clusters, some bridges, a heavy-tailed degree.

Plain Python on a `random.Random`, without Django, so that it can be tested alone.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

# Where a new tie goes: inside the member's small community, to someone in the same role,
# to someone in the same region, or to anyone.
IN_COMMUNITY, SAME_ROLE, SAME_REGION = 0.6, 0.75, 0.9
COMMUNITY_SIZE = (25, 80)
DEGREE_SIGMA = 0.8


def weave(
    rng: random.Random,
    *,
    uids: Sequence[int],
    groups: Sequence[int],
    roles: Sequence[int],
    regions: Sequence[int],
    per_member: float,
) -> set[tuple[int, int]]:
    """Ties as (lower uid, higher uid) pairs, about `per_member` per member on average.

    Members of one group (a role family) in one region are shuffled into communities of
    25-80 people; most ties stay inside them, some cross to the same role or region
    elsewhere, a few go anywhere. Each member starts a log-normally distributed number of
    ties averaging `per_member / 2` (every tie has two ends), so a few are hubs.
    """
    n = len(uids)
    if n < 2 or per_member <= 0:
        return set()
    clusters: dict[tuple[int, int], list[int]] = {}
    by_role: dict[int, list[int]] = {}
    by_region: dict[int, list[int]] = {}
    for i in range(n):
        clusters.setdefault((groups[i], regions[i]), []).append(i)
        by_role.setdefault(roles[i], []).append(i)
        by_region.setdefault(regions[i], []).append(i)
    community: list[list[int]] = [[] for _ in range(n)]
    for key in sorted(clusters):
        members = clusters[key]
        rng.shuffle(members)
        start = 0
        while start < len(members):
            chunk = members[start : start + rng.randint(*COMMUNITY_SIZE)]
            for i in chunk:
                community[i] = chunk
            start += len(chunk)
    everyone = list(range(n))
    shift = 1 << 32
    keys: set[int] = set()  # a * shift + b: half the memory of a set of tuples
    mu = math.log(per_member / 2) - DEGREE_SIGMA * DEGREE_SIGMA / 2
    for i in range(n):
        want = int(rng.lognormvariate(mu, DEGREE_SIGMA) + 0.5)
        added = 0
        for _attempt in range(want * 3):
            r = rng.random()
            if r < IN_COMMUNITY:
                pool = community[i]
            elif r < SAME_ROLE:
                pool = by_role[roles[i]]
            elif r < SAME_REGION:
                pool = by_region[regions[i]]
            else:
                pool = everyone
            j = pool[int(rng.random() * len(pool))]
            if j == i:
                continue
            a, b = (uids[i], uids[j]) if uids[i] < uids[j] else (uids[j], uids[i])
            key = a * shift + b
            if key not in keys:
                keys.add(key)
                added += 1
                if added == want:
                    break
    return {divmod(key, shift) for key in keys}
