"""`townsquare issue_token EMAIL`: prints a working token and nothing else."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.api.conftest import ApiClient
from townsquare.api.models import ApiToken
from townsquare.members.models import User

pytestmark = pytest.mark.django_db


def test_the_command_prints_only_a_working_token(alice: User) -> None:
    out = StringIO()
    call_command("issue_token", "ALICE@example.com", "--name", "deploy script", stdout=out)
    secret = out.getvalue().strip()
    assert out.getvalue().count("\n") == 1 and secret.startswith("ts_")
    response = ApiClient(secret).get("/api/v1/me")
    assert response.status_code == 200 and response.json()["email"] == "alice@example.com"
    assert ApiToken.objects.get(user=alice).name == "deploy script"


def test_an_unknown_email_is_an_error(db: None) -> None:
    with pytest.raises(CommandError, match="No account"):
        call_command("issue_token", "nobody@example.com", stdout=StringIO())
    assert not ApiToken.objects.exists()


def test_a_deactivated_account_gets_no_token(alice: User) -> None:
    User.objects.filter(pk=alice.pk).update(is_active=False)
    with pytest.raises(CommandError):
        call_command("issue_token", "alice@example.com", stdout=StringIO())
