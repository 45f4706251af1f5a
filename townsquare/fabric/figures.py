"""The managers' reads about the fabric: figures, sub-communities, growth, weave suggestions.

Managers only (the views check); figures are aggregates and name members only in weave
suggestions, which managers act on.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from townsquare.fabric import charts, runtime
from townsquare.fabric.models import Block, FabricSnapshot, Introduction
from townsquare.members.models import ProfileSkill, Role, User, Visibility

MAX_COMMUNITIES = 12  # the map shows the biggest ones; the rest are counted
MIN_COMMUNITY = 3  # smaller groups are not a community yet
SKILL_SAMPLE = 400  # members per community whose skills name it
DEGREE_BUCKETS = ((0, 0), (1, 1), (2, 3), (4, 7), (8, 15), (16, None))
HISTORY_DAYS = 180

NEWCOMER_DAYS = 60
WEAK_DEGREE = 1
HUBS = 100
PAGERANK_TTL = 600.0


def _members() -> np.ndarray:
    ids = User.objects.filter(
        role=Role.MEMBER, admitted_at__isnull=False, is_active=True
    ).values_list("pk", flat=True)
    return np.fromiter(ids.iterator(chunk_size=100_000), dtype=np.int64)


def _bucket_label(low: int, high: int | None) -> str:
    if high is None:
        return f"{low}+"
    return str(low) if low == high else f"{low}–{high}"


def _top_skills(groups: dict[int, list[int]], count: int = 3) -> dict[int, list[str]]:
    """The most held skills in each group of members (one query over a sample of each)."""
    owner: dict[int, int] = {}
    for key, members in groups.items():
        for pk in members[:SKILL_SAMPLE]:
            owner[pk] = key
    counters: dict[int, Counter[str]] = {key: Counter() for key in groups}
    rows = ProfileSkill.objects.filter(
        profile_id__in=list(owner), profile__skills_visibility__lte=Visibility.CONNECTIONS
    ).values_list("profile_id", "skill__name")
    for profile_id, name in rows.iterator(chunk_size=20_000):
        counters[owner[profile_id]][name] += 1
    return {key: [name for name, _n in c.most_common(count)] for key, c in counters.items()}


def fabric_figures() -> dict[str, Any]:
    """Everything a FabricSnapshot records, computed now (one engine pass, two queries).

    Shares and sizes count admitted, active members: a deactivated member's ties stay in
    the graph until removed, but they are no longer a member.
    """
    members = _members()
    with runtime.graph_for_reading() as graph:
        graph.add_nodes(members)  # members admitted since the graph was built
        if graph.ties:
            metrics = graph.metrics()
            labels, local = metrics.labels, metrics.clustering
        else:  # no ties at all: nothing to cluster (and Louvain refuses an empty matrix)
            labels = np.arange(graph.members, dtype=np.int64)
            local = np.zeros(graph.members)
        n_nodes = labels.size  # dense indices only grow: later nodes are cut off
        node_ids = graph.ids[:n_nodes]
        all_degrees = graph.degrees()[:n_nodes]
        ties = graph.ties
        between = graph.bridges_between(labels) if ties else {}
    is_member = np.isin(node_ids, members)
    degrees = all_degrees[is_member]
    n = int(is_member.sum())
    sizes = Counter(labels[is_member].tolist())
    kept = [label for label, size in sizes.most_common(MAX_COMMUNITIES) if size >= MIN_COMMUNITY]
    index = {label: i for i, label in enumerate(kept)}
    member_labels, member_ids = labels[is_member], node_ids[is_member]
    skills = _top_skills({label: member_ids[member_labels == label].tolist() for label in kept})
    # Ties inside a community: its members' ties, less those that leave it, halved.
    degree_sum = np.bincount(labels, weights=all_degrees) if labels.size else np.zeros(0)
    leaving: Counter[int] = Counter()
    community_ties = []
    for (x, y), count in between.items():
        leaving[x] += count
        leaving[y] += count
        if x in index and y in index:
            community_ties.append([index[x], index[y], int(count)])
    communities = [
        {
            "size": sizes[label],
            "skills": skills.get(label, []),
            "ties": int((degree_sum[label] - leaving[label]) // 2),
        }
        for label in kept
    ]
    degree_counts = []
    for low, high in DEGREE_BUCKETS:
        mask = degrees >= low if high is None else (degrees >= low) & (degrees <= high)
        degree_counts.append([_bucket_label(low, high), int(mask.sum())])
    return {
        "members": n,
        "ties": int(ties),
        "average_degree": float(degrees.mean()) if n else 0.0,
        "clustering": float(local[is_member].mean()) if n else 0.0,
        "isolated_share": float((degrees == 0).mean()) if n else 0.0,
        "weak_share": float((degrees <= 1).mean()) if n else 0.0,
        "communities": communities,
        "community_ties": community_ties,
        "bridges": int(sum(between.values())),
        "degrees": degree_counts,
        "unlisted_communities": sum(1 for size in sizes.values() if size >= MIN_COMMUNITY)
        - len(kept),
    }


# The overview page ----------------------------------------------------------------------


def history(days: int = HISTORY_DAYS) -> list[FabricSnapshot]:
    """The daily snapshots of the last `days` days, oldest first (one query)."""
    today = timezone.now().date()
    rows = FabricSnapshot.objects.filter(day__gte=today - timedelta(days=days), day__lte=today)
    return list(rows.order_by("day"))


@dataclass
class Overview:
    snapshot: FabricSnapshot
    history: list[FabricSnapshot]
    growth_chart: str
    share_chart: str
    degree_chart: str
    community_map: str
    communities: list[dict[str, Any]] = field(default_factory=list)
    community_ties: list[dict[str, Any]] = field(default_factory=list)


def community_name(index: int, skills: list[str]) -> str:
    return " · ".join(skills[:2]) if skills else _("Community %(n)d") % {"n": index + 1}


def overview(history: list[FabricSnapshot]) -> Overview:
    """The latest snapshot's figures and the growth up to it, drawn (no query)."""
    snapshot = history[-1]
    data = snapshot.data or {}
    communities = [
        {**c, "name": community_name(i, c.get("skills", [])), "index": i}
        for i, c in enumerate(data.get("communities", []))
    ]
    ties = [
        {"a": communities[i]["name"], "b": communities[j]["name"], "ties": n}
        for i, j, n in data.get("community_ties", [])
        if i < len(communities) and j < len(communities)
    ]
    ties.sort(key=lambda t: -t["ties"])
    growth = charts.line_chart(
        "fabric-growth",
        _("Members and connections over time"),
        [
            charts.Series(_("Members"), [(s.day, s.members) for s in history]),
            charts.Series(_("Connections"), [(s.day, s.ties) for s in history]),
        ],
    )
    shares = charts.line_chart(
        "fabric-weak",
        _("Share of members with at most one connection"),
        [
            charts.Series(_("0 or 1 connection"), [(s.day, s.weak_share) for s in history]),
            charts.Series(_("No connection"), [(s.day, s.isolated_share) for s in history]),
        ],
        percent=True,
    )
    degrees = charts.bar_chart(
        "fabric-degrees",
        _("Members by number of connections"),
        [(label, count) for label, count in data.get("degrees", [])],
    )
    cmap = charts.community_map(
        "fabric-map",
        _("Sub-communities and the ties between them"),
        [charts.MapNode(c["index"], c["size"], c["name"]) for c in communities],
        [(i, j, n) for i, j, n in data.get("community_ties", [])],
    )
    return Overview(
        snapshot=snapshot, history=history, growth_chart=growth, share_chart=shares,
        degree_chart=degrees, community_map=cmap, communities=communities, community_ties=ties,
    )  # fmt: skip


# Weave suggestions ----------------------------------------------------------------------


@dataclass(frozen=True)
class WeaveSuggestion:
    """An introduction that would strengthen the fabric: a weakly tied newcomer and a
    well-connected member, best with skills in common."""

    newcomer: User
    member: User
    newcomer_degree: int
    member_degree: int
    shared_skills: tuple[str, ...]

    @property
    def reason(self) -> str:
        tie = ngettext(
            "%(name)s has %(n)d connection", "%(name)s has %(n)d connections", self.newcomer_degree
        ) % {"name": self.newcomer.name, "n": self.newcomer_degree}
        hub = ngettext(
            "%(name)s has %(n)d connection", "%(name)s has %(n)d connections", self.member_degree
        ) % {"name": self.member.name, "n": self.member_degree}
        if self.shared_skills:
            return _("%(tie)s, %(hub)s; both %(skills)s") % {
                "tie": tie, "hub": hub, "skills": ", ".join(self.shared_skills[:3]),
            }  # fmt: skip
        return _("%(tie)s, %(hub)s") % {"tie": tie, "hub": hub}


def _hubs(graph: Any) -> list[tuple[int, float]]:
    """The best-connected members by PageRank, best first."""
    scores = graph.pagerank()
    ids = graph.ids[: scores.size]
    top = np.argsort(-scores, kind="stable")[: HUBS * 3]
    return [(int(ids[i]), float(scores[i])) for i in top]


def weave_suggestions(limit: int = 8) -> list[WeaveSuggestion]:
    """Pairs of (newcomer with at most one connection, well-connected member), best first.

    A newcomer is admitted within NEWCOMER_DAYS. Each member is suggested once per list;
    pairs already connected, blocked either way, or with an open introduction are left
    out, and so are profiles shown to nobody. One engine pass (PageRank cached for a few
    minutes) and four queries.
    """
    since = timezone.now() - timedelta(days=NEWCOMER_DAYS)
    recent = list(
        User.objects.filter(
            role=Role.MEMBER, is_active=True, admitted_at__gte=since,
            profile__profile_visibility__lt=Visibility.ONLY_ME,
        ).select_related("profile").order_by("-admitted_at", "-pk")[:300]
    )  # fmt: skip
    if not recent:
        return []
    with runtime.graph_for_reading() as graph:
        ranked = runtime.runtime().memo("pagerank-hubs", _hubs, ttl=PAGERANK_TTL, graph=graph)
        degree = {u.pk: graph.degree(u.pk) for u in recent}
        newcomers = [u for u in recent if degree[u.pk] <= WEAK_DEGREE]
        hub_degree = {pk: graph.degree(pk) for pk, _score in ranked}
        neighbours = {u.pk: set(graph.neighbours(u.pk)) for u in newcomers if degree[u.pk]}
    hub_ids = [pk for pk, _score in ranked if hub_degree[pk] > WEAK_DEGREE]
    if not newcomers or not hub_ids:
        return []
    open_intros = Introduction.objects.filter(status__in=("asked", "forwarded")).filter(
        Q(requester__in=newcomers) | Q(target__in=newcomers)
    )
    busy = {pk for pair in open_intros.values_list("requester_id", "target_id") for pk in pair}
    newcomers = [u for u in newcomers if u.pk not in busy]
    hubs = {
        u.pk: u
        for u in User.objects.filter(
            pk__in=hub_ids, role=Role.MEMBER, is_active=True, admitted_at__isnull=False,
            profile__profile_visibility__lt=Visibility.ONLY_ME,
        ).select_related("profile")
    }  # fmt: skip
    people = [u.pk for u in newcomers] + list(hubs)
    skills: dict[int, set[str]] = {}
    for pk, name in ProfileSkill.objects.filter(profile_id__in=people).values_list(
        "profile_id", "skill__name"
    ):
        skills.setdefault(pk, set()).add(name)
    blocked = set(
        Block.objects.filter(
            Q(blocker__in=newcomers, blocked__in=list(hubs))
            | Q(blocker__in=list(hubs), blocked__in=newcomers)
        ).values_list("blocker_id", "blocked_id")
    )
    order = [pk for pk in hub_ids if pk in hubs][:HUBS]
    used: set[int] = set()
    out: list[WeaveSuggestion] = []
    newcomers.sort(key=lambda u: (degree[u.pk], -u.admitted_at.timestamp(), u.pk))
    for newcomer in newcomers:
        mine = skills.get(newcomer.pk, set())
        candidates = [
            pk
            for pk in order
            if pk not in used
            and pk != newcomer.pk
            and pk not in neighbours.get(newcomer.pk, ())
            and (newcomer.pk, pk) not in blocked
            and (pk, newcomer.pk) not in blocked
        ]
        # Most skills in common first; among equals, the best connected (PageRank order).
        best = max(candidates, key=lambda pk: len(mine & skills.get(pk, set())), default=None)
        best_shared = mine & skills.get(best, set()) if best is not None else set()
        if best is None:
            continue
        used.add(best)
        out.append(
            WeaveSuggestion(
                newcomer=newcomer,
                member=hubs[best],
                newcomer_degree=degree[newcomer.pk],
                member_degree=hub_degree.get(best, 0),
                shared_skills=tuple(sorted(best_shared)),
            )  # fmt: skip
        )
        if len(out) >= limit:
            break
    return out


def recently_woven(limit: int = 10) -> list[Introduction]:
    return list(
        Introduction.objects.filter(woven_by__isnull=False)
        .select_related("requester", "target", "woven_by")
        .order_by("-created_at")[:limit]
    )
