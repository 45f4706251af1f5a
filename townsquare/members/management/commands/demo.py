"""`townsquare demo`: what `make run` does: migrate, seed once, print logins, serve."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from townsquare.members.models import User

DEMO_PASSWORD = "townsquare-demo"  # noqa: S105 - printed on purpose for the local demo


class Command(BaseCommand):
    help = "Migrate, seed a demo community on first run, print demo logins and serve it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", type=int, default=400)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if not User.objects.exists():
            self.stdout.write("Seeding a demo community (first run)…")
            call_command("seed", members=options["members"], seed=1, password=DEMO_PASSWORD)
        logins = [
            ("member", "alice@demo.townsquare.local"),
            ("client", "carol@demo.townsquare.local"),
            ("community manager", "mona@demo.townsquare.local"),
            ("admin", "admin@demo.townsquare.local"),
        ]
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password: {DEMO_PASSWORD})"))
        for role, email in logins:
            if User.objects.filter(email=email).exists():
                self.stdout.write(f"  {role:<18} {email}")
        self.stdout.write("")
        # One ASGI process serves pages and websockets (in-memory channel layer), with the
        # background worker beside it: the embedded default needs nothing else running.
        call_command(
            "serve", host=options["host"], port=options["port"], asgi=True, with_worker=True
        )
