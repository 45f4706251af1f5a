"""`townsquare issue_token EMAIL [--name NAME]`: prints a new API token for that account."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from townsquare.api.services import issue_token
from townsquare.members.models import User


class Command(BaseCommand):
    help = "Create a personal API token for the account with this email and print only its secret."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="command line", help="What the token is for.")

    def handle(self, *args: Any, email: str, name: str, **options: Any) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account with the email {email!r}.")
        if not user.is_active:
            raise CommandError(f"The account {user.email} is deactivated.")
        try:
            _token, secret = issue_token(user, name)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        # Only the secret on stdout, so that `$(townsquare issue_token …)` captures it.
        self.stdout.write(secret)
