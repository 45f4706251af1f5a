"""`townsquare fabric_snapshot`: record today's figures of the fabric (for a cron or by hand)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from townsquare.fabric import services


class Command(BaseCommand):
    help = (
        "Record (or refresh) today's fabric snapshot: members, connections, average degree, "
        "clustering, weakly tied share and sub-communities. The fabric view shows the "
        "history. The daily sweep enqueues the task take_fabric_snapshot, which does the same."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="print nothing on success")

    def handle(self, *args: Any, **options: Any) -> None:
        snapshot = services.take_fabric_snapshot()
        if not options["quiet"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Fabric on {snapshot.day}: {snapshot.members} members, {snapshot.ties} "
                    f"connections, {snapshot.average_degree:.2f} on average, "
                    f"{snapshot.weak_share:.0%} with at most one, "
                    f"{snapshot.communities} sub-communities."
                )
            )
