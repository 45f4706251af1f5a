"""Background work for the fabric: the daily snapshot of its figures."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from townsquare.fabric import services


@task()
def take_fabric_snapshot(day: str | None = None) -> int:
    """Records the fabric's figures for `day` (ISO date; today in UTC by default).

    Safe to run twice a day: the day's snapshot is refreshed, never duplicated (one row per
    day, `update_or_create`). Returns the snapshot's id.
    """
    snapshot = services.take_fabric_snapshot(date.fromisoformat(day) if day else None)
    return snapshot.pk
