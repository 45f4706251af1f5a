"""`townsquare send_digest [--now]`: queue this week's digests (run it weekly from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from townsquare.conversations import digest, tasks


class Command(BaseCommand):
    help = (
        "Queue the weekly digest sweep for the background worker; with --now, run the sweep "
        "here (it still queues one task per member). Safe to run twice: each member gets "
        "one digest a week."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            action="store_true",
            help="Run the sweep in this process instead of queueing it for the worker.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            count = digest.enqueue_weekly_digests()
            self.stdout.write(f"Queued {count} digest(s).")
        else:
            result = tasks.enqueue_weekly_digests.enqueue()
            self.stdout.write(f"Queued the digest sweep (task {result.id}).")
