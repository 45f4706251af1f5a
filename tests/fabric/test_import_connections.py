"""`townsquare import_connections FILE.csv`: ties moved in, bad rows reported by line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from townsquare.fabric.models import Connection, GraphChange
from townsquare.fabric.selectors import are_connected_ids
from townsquare.members.models import User


@pytest.fixture
def people(make_member: Callable[..., User], alice: User) -> dict[str, User]:
    return {
        "alice": alice,
        "olga": make_member(name="Olga Other"),
        "pia": make_member(name="Pia Python"),
    }


def run(tmp_path: Path, text: str, *args: str, encoding: str = "utf-8") -> tuple[str, str]:
    path = tmp_path / "ties.csv"
    path.write_bytes(text.encode(encoding))
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_connections", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_good_rows_are_connected_and_bad_ones_reported_by_line(
    people: dict[str, User], eve: User, tmp_path: Path
) -> None:
    text = (
        "email_a,email_b\n"
        "alice@example.com,olga@example.com\n"
        "ALICE@example.com , pia@example.com\n"
        "not-an-address,pia@example.com\n"
        "olga@example.com,olga@example.com\n"
        "olga@example.com,alice@example.com\n"
        "pia@example.com,nobody@example.com\n"
        "eve@example.com,pia@example.com\n"
    )

    out, err = run(tmp_path, text)

    alice, olga, pia = people["alice"], people["olga"], people["pia"]
    assert are_connected_ids(alice.pk, olga.pk) and are_connected_ids(alice.pk, pia.pk)
    assert Connection.objects.count() == 2
    assert GraphChange.objects.filter(added=True).count() == 2
    assert out.strip() == "Imported 2, already connected 0, skipped 5."
    assert err.splitlines() == [
        "line 4: email_a 'not-an-address' is not a valid address",
        "line 5: both columns name olga@example.com",
        "line 6: this pair is already on line 2",
        "line 7: no admitted member has the address nobody@example.com",
        "line 8: no admitted member has the address eve@example.com",
    ]


def test_running_the_same_file_twice_changes_nothing(
    people: dict[str, User], tmp_path: Path
) -> None:
    text = "email_b,email_a\nolga@example.com,alice@example.com\n"
    run(tmp_path, text)

    out, _err = run(tmp_path, text, "--strict")

    assert out.strip() == "Imported 0, already connected 1, skipped 0."
    assert Connection.objects.count() == 1


def test_strict_fails_when_any_row_was_skipped(people: dict[str, User], tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Imported 1, already connected 0, skipped 1.") as caught:
        run(tmp_path, "email_a,email_b\nalice@example.com,olga@example.com\nx,y\n", "--strict")
    assert caught.value.returncode == 2
    assert Connection.objects.count() == 1  # the good row stays


def test_a_file_with_only_bad_rows_fails(people: dict[str, User], tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="skipped 1"):
        run(tmp_path, "email_a,email_b\nalice@example.com,ghost@example.com\n")


def test_a_missing_column_or_a_wrong_encoding_imports_nothing(
    people: dict[str, User], tmp_path: Path
) -> None:
    with pytest.raises(CommandError, match="lacks the column"):
        run(tmp_path, "email,other\nalice@example.com,olga@example.com\n")
    with pytest.raises(CommandError, match="not UTF-8"):
        run(tmp_path, "email_a,email_b\nalice@example.com,olgä@example.com\n", encoding="latin-1")
    assert not Connection.objects.exists()


def test_a_blocked_pair_is_reported_not_connected(people: dict[str, User], tmp_path: Path) -> None:
    from townsquare.fabric import services

    services.block(people["olga"], people["alice"])

    with pytest.raises(CommandError):
        run(tmp_path, "email_a,email_b\nalice@example.com,olga@example.com\n")
    assert not Connection.objects.exists()
