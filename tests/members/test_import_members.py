"""`townsquare import_members FILE.csv`: members moving in from another community."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.test import Client

from tests.members.dbstate import members_state
from tests.members.mailbox import link_path_in
from townsquare.members import services
from townsquare.members.models import Profile, User
from townsquare.pulse.models import AuditEntry
from townsquare.skills.models import Skill

HEADER = "email,name,headline,skills,hourly_rate,currency,timezone,available_hours"


@pytest.fixture
def csv_file(tmp_path: Path) -> Callable[..., Path]:
    def write(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> Path:
        path = tmp_path / "members.csv"
        path.write_text("\n".join([header, *rows]) + "\n", encoding=encoding)
        return path

    return write


def run(path: Path, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_members", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(path: Path, *args: str) -> tuple[CommandError, str]:
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_members", str(path), *args, stdout=StringIO(), stderr=err)
    return raised.value, err.getvalue()


def skills_of(email: str) -> dict[str, str]:
    profile = Profile.objects.get(user__email=email)
    return {ps.skill.name: ps.skill.status for ps in profile.skills.select_related("skill")}


def test_imported_people_become_admitted_members_without_a_password(
    db: Any, csv_file: Callable[..., Path]
) -> None:
    path = csv_file(
        "ines@example.org,Inès Import,Mobile lead,Swift;reactjs;k8s,95,EUR,Europe/Paris,30",
        "Omar@Example.org,Omar Moved,Data scientist,Python; pandas ,120,USD,America/Chicago,",
    )

    out, err = run(path)

    assert "Imported 2, skipped 0." in out
    assert err == ""
    ines = User.objects.get(email="ines@example.org")
    assert ines.name == "Inès Import"
    assert ines.is_admitted
    assert not ines.is_applicant
    assert not ines.has_usable_password()
    assert ines.time_zone == "Europe/Paris"
    assert ines.profile.headline == "Mobile lead"
    assert (ines.profile.hourly_rate, ines.profile.currency) == (Decimal("95"), "EUR")
    assert ines.profile.rate_usd == Decimal("102.60")
    assert ines.profile.available_hours == 30
    assert skills_of("ines@example.org") == {
        "Swift": "accepted",
        "React": "accepted",
        "Kubernetes": "accepted",
    }
    omar = User.objects.get(email="omar@example.org")
    assert omar.profile.available_hours == 0
    assert set(skills_of("omar@example.org")) == {"Python", "pandas"}
    assert AuditEntry.objects.filter(action="account.create", target_id=ines.pk).exists()


def test_an_unknown_skill_is_imported_as_pending(db: Any, csv_file: Callable[..., Path]) -> None:
    path = csv_file("ines@example.org,Inès Import,,Zorblax wrangling;Python,,,UTC,10")

    run(path)

    assert skills_of("ines@example.org") == {"Zorblax wrangling": "pending", "Python": "accepted"}
    assert Skill.objects.get(name="Zorblax wrangling").created_by.email == "ines@example.org"


def test_imported_members_appear_in_the_directory(
    alice: User, csv_file: Callable[..., Path], login: Callable[[User], Client]
) -> None:
    run(csv_file("ines@example.org,Inès Import,Mobile lead,Swift,95,EUR,Europe/Paris,30"))

    response = login(alice).get("/members/", {"skill": "swift"})

    assert [p.user.name for p in response.context["page"].object_list] == ["Inès Import"]


def test_an_imported_member_chooses_a_password_through_reset_and_signs_in(
    db: Any, csv_file: Callable[..., Path]
) -> None:
    run(csv_file("ines@example.org,Inès Import,Mobile lead,Swift,95,EUR,Europe/Paris,30"))

    Client().post("/accounts/password-reset/", {"email": "ines@example.org"})
    [message] = mail.outbox
    client = Client()
    form = client.get(link_path_in(message.body), follow=True)
    new_password = "my first townsquare passphrase"
    client.post(
        form.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )

    signed_in = Client()
    response = signed_in.post(
        "/accounts/login/", {"email": "ines@example.org", "password": new_password}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" in signed_in.session


BAD_ROWS = [
    ("not-an-email,Nora Bad,,,,,UTC,", "email 'not-an-email' is not a valid address"),
    ("nora@example.org,,,,,,UTC,", "name is missing"),
    ("nora@example.org,Nora Bad,,,ten,,UTC,", "hourly_rate 'ten' is not a number"),
    ("nora@example.org,Nora Bad,,,-5,,UTC,", "hourly_rate '-5' must be between 0 and"),
    ("nora@example.org,Nora Bad,,,12.345,,UTC,", "hourly_rate '12.345' has more than 2 decimals"),
    ("nora@example.org,Nora Bad,,,NaN,,UTC,", "hourly_rate 'NaN' must be between"),
    ("nora@example.org,Nora Bad,,,50,DOGE,UTC,", "currency 'DOGE' is not one we know"),
    ("nora@example.org,Nora Bad,,,,,Mars/Olympus,", "timezone 'Mars/Olympus' is not a time zone"),
    ("nora@example.org,Nora Bad,,,,,US/Eastern,", "timezone 'US/Eastern' is not a time zone"),
    ("nora@example.org,Nora Bad,,,,,UTC,200", "available_hours 200 is out of range (0 to 80)"),
    ("nora@example.org,Nora Bad,,,,,UTC,-1", "available_hours -1 is out of range"),
    ("nora@example.org,Nora Bad,,,,,UTC,lots", "available_hours 'lots' is not a whole number"),
    (f"nora@example.org,Nora Bad,{'x' * 141},,,,UTC,", "headline is longer than 140 characters"),
]


@pytest.mark.parametrize(("row", "reason"), BAD_ROWS, ids=[r for _, r in BAD_ROWS])
def test_a_bad_row_is_reported_by_line_number_with_its_reason_and_skipped(
    db: Any, csv_file: Callable[..., Path], row: str, reason: str
) -> None:
    path = csv_file(
        "ines@example.org,Inès Import,Mobile lead,Swift,95,EUR,Europe/Paris,30",
        row,
        "omar@example.org,Omar Moved,Data scientist,Python,120,USD,America/Chicago,20",
    )

    out, err = run(path)

    assert "Imported 2, skipped 1." in out
    [line] = err.splitlines()
    assert line.startswith(f"line 3: {reason}")
    assert not User.objects.filter(name="Nora Bad").exists()
    assert not User.objects.filter(email="nora@example.org").exists()
    assert set(User.objects.values_list("email", flat=True)) == {
        "ines@example.org",
        "omar@example.org",
    }


def test_duplicate_addresses_in_the_file_and_in_the_database_are_skipped(
    alice: User, csv_file: Callable[..., Path]
) -> None:
    path = csv_file(
        "ines@example.org,Inès Import,,,,,UTC,",
        "ALICE@example.com,Alice Again,,,,,UTC,",
        "",
        "Ines@Example.org,Inès Twice,,,,,UTC,",
    )

    out, err = run(path)

    assert "Imported 1, skipped 2." in out
    assert err.splitlines() == [
        "line 3: email alice@example.com already has an account",
        "line 5: email ines@example.org is already on line 2 of this file",
    ]
    assert User.objects.get(email="ines@example.org").name == "Inès Import"
    assert User.objects.get(email="alice@example.com").name == "Alice Archer"


def test_line_numbers_count_lines_of_quoted_fields_that_span_lines(
    db: Any, csv_file: Callable[..., Path]
) -> None:
    path = csv_file(
        'ines@example.org,Inès Import,"Mobile lead,\nformerly iOS",Swift,,,UTC,',
        "bad-address,Nora Bad,,,,,UTC,",
    )

    out, err = run(path)

    assert err.splitlines() == ["line 4: email 'bad-address' is not a valid address"]
    assert User.objects.get(email="ines@example.org").profile.headline == (
        "Mobile lead,\nformerly iOS"
    )


def test_a_row_that_fails_midway_leaves_no_user_profile_or_skills(
    db: Any, csv_file: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_update_profile = services.update_profile

    def fails_for_omar(actor: User, profile: Profile, **fields: Any) -> Profile:
        if actor.email == "omar@example.org":
            raise IntegrityError("the disk hiccupped")
        return real_update_profile(actor, profile, **fields)

    monkeypatch.setattr(services, "update_profile", fails_for_omar)
    path = csv_file(
        "ines@example.org,Inès Import,,Swift,,,UTC,",
        "omar@example.org,Omar Moved,,Brand-new skill;Python,,,UTC,",
        "pia@example.org,Pia Next,,Go,,,UTC,",
    )

    out, err = run(path)

    assert "Imported 2, skipped 1." in out
    assert err.splitlines() == ["line 3: not saved: the disk hiccupped"]
    assert not User.objects.filter(email="omar@example.org").exists()
    assert not Profile.objects.filter(user__email="omar@example.org").exists()
    assert not Skill.objects.filter(name="Brand-new skill").exists()
    assert AuditEntry.objects.filter(action="account.create").count() == 2
    assert set(User.objects.values_list("email", flat=True)) == {
        "ines@example.org",
        "pia@example.org",
    }


def test_strict_exits_non_zero_when_any_row_failed_but_keeps_the_good_rows(
    db: Any, csv_file: Callable[..., Path]
) -> None:
    path = csv_file("ines@example.org,Inès Import,,,,,UTC,", "bad,Nora Bad,,,,,UTC,")

    error, err = run_failing(path, "--strict")

    assert error.returncode != 0
    assert "Imported 1, skipped 1." in str(error)
    assert "line 3: email 'bad' is not a valid address" in err
    assert User.objects.filter(email="ines@example.org").exists()


def test_without_strict_a_partly_good_file_succeeds(db: Any, csv_file: Callable[..., Path]) -> None:
    out, _ = run(csv_file("ines@example.org,Inès Import,,,,,UTC,", "bad,Nora Bad,,,,,UTC,"))

    assert "Imported 1, skipped 1." in out


def test_a_file_where_every_row_fails_exits_non_zero(
    db: Any, csv_file: Callable[..., Path]
) -> None:
    error, err = run_failing(csv_file("bad,Nora Bad,,,,,UTC,", "worse,,,,,,UTC,"))

    assert error.returncode != 0
    assert "Imported 0, skipped 2." in str(error)
    assert len(err.splitlines()) == 2


def test_strict_succeeds_when_every_row_is_good(db: Any, csv_file: Callable[..., Path]) -> None:
    out, err = run(csv_file("ines@example.org,Inès Import,,,,,UTC,"), "--strict")

    assert "Imported 1, skipped 0." in out
    assert err == ""


def test_a_utf8_file_with_a_byte_order_mark_and_reordered_columns_imports(
    db: Any, csv_file: Callable[..., Path]
) -> None:
    path = csv_file(
        "Zoë Łukasiewicz,zoe@example.org,Grafikerin,Figma,80,EUR,Europe/Warsaw,12,extra",
        header="Name,Email,Headline,Skills,Hourly_Rate,Currency,Timezone,Available_Hours,Notes",
        encoding="utf-8-sig",
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")

    out, _ = run(path)

    assert "Imported 1, skipped 0." in out
    assert User.objects.get(email="zoe@example.org").name == "Zoë Łukasiewicz"


def test_a_header_missing_columns_is_a_clear_error_and_imports_nothing(
    db: Any, csv_file: Callable[..., Path]
) -> None:
    path = csv_file("ines@example.org,Inès Import,UTC", header="email,name,timezone")
    before = members_state()

    error, _ = run_failing(path)

    message = str(error)
    assert "lacks the column(s) headline, skills, hourly_rate, currency, available_hours" in message
    assert "expected the columns email, name, headline" in message
    assert members_state() == before


def test_a_file_that_is_not_utf8_is_a_clear_error_and_imports_nothing(
    db: Any, csv_file: Callable[..., Path]
) -> None:
    path = csv_file(
        "ines@example.org,Ines Import,,,,,UTC,",
        "zoe@example.org,Zoë Latin,,,,,UTC,",
        encoding="latin-1",
    )
    before = members_state()

    error, _ = run_failing(path)

    assert "is not UTF-8" in str(error)
    assert members_state() == before


def test_an_empty_file_and_a_missing_file_are_clear_errors(db: Any, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")

    assert "The file is empty" in str(run_failing(empty)[0])
    assert "No such file" in str(run_failing(tmp_path / "nope.csv")[0])


def test_a_file_with_only_a_header_imports_nobody_and_succeeds(
    db: Any, csv_file: Callable[..., Path]
) -> None:
    out, err = run(csv_file())

    assert "Imported 0, skipped 0." in out
    assert err == ""
