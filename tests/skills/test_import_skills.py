"""`townsquare import_skills FILE` with a small ESCO-like CSV."""

from __future__ import annotations

import csv
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from townsquare.skills.models import Domain, Skill, SkillCategory
from townsquare.skills.services import find_skill, resolve_skill

ESCO = "http://data.europa.eu/esco/skill/"
# The columns ESCO's skills_en.csv has; only conceptUri, preferredLabel and altLabels matter.
COLUMNS = [
    "conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels",
    "hiddenLabels", "status", "modifiedDate", "description",
]  # fmt: skip


def esco_row(uri: str, label: str, alt_labels: str = "", **extra: str) -> dict[str, str]:
    return {
        "conceptType": "KnowledgeSkillCompetence",
        "conceptUri": uri,
        "skillType": "skill/competence",
        "reuseLevel": "sector-specific",
        "preferredLabel": label,
        "altLabels": alt_labels,
        "hiddenLabels": "",
        "status": "released",
        "modifiedDate": "2024-01-25T10:00:00.000Z",
        "description": "Something, with a comma\nand a second line.",
        **extra,
    }


ROWS = [
    # Newline-separated alternative labels inside one quoted field, as ESCO ships them.
    esco_row(ESCO + "a1", "manage a music library", "catalogue music\nkeep a music archive"),
    esco_row(ESCO + "b2", "beekeeping", "apiculture\nkeep bees\n"),
    esco_row(ESCO + "c3", "lighthouse keeping", "lamp keeping"),
]


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    def write(
        rows: list[dict[str, str]], *, columns: list[str] = COLUMNS, name: str = "skills_en.csv"
    ) -> Path:
        path = tmp_path / name
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        return path

    return write


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_skills", *args, stdout=out)
    return out.getvalue()


def test_import_creates_skills_with_their_alternative_labels_as_synonyms(
    db: Any, write_csv: Callable[..., Path]
) -> None:
    output = run(str(write_csv(ROWS)))

    assert "Read 3 rows" in output
    assert "Skills created: 3, updated: 0; synonyms added: 5; skipped: 0." in output
    library = Skill.objects.get(external_uri=ESCO + "a1")
    assert library.name == "manage a music library"
    assert library.status == Skill.Status.ACCEPTED
    assert sorted(library.synonyms.values_list("name", flat=True)) == [
        "catalogue music",
        "keep a music archive",
    ]
    assert library.category is not None
    assert (library.category.name, library.category.domain) == ("Imported (ESCO)", Domain.OTHER)
    assert Skill.objects.get(external_uri=ESCO + "b2").synonyms.count() == 2


def test_running_the_import_again_changes_nothing(db: Any, write_csv: Callable[..., Path]) -> None:
    path = write_csv(ROWS)
    run(str(path))
    before = list(Skill.objects.order_by("pk").values_list("pk", "name", "external_uri"))

    output = run(str(path))

    assert "Skills created: 0, updated: 0; synonyms added: 0; skipped: 0." in output
    assert list(Skill.objects.order_by("pk").values_list("pk", "name", "external_uri")) == before


def test_a_relabelled_concept_is_matched_by_its_uri_not_duplicated(
    db: Any, write_csv: Callable[..., Path]
) -> None:
    run(str(write_csv(ROWS)))
    relabelled = [esco_row(ESCO + "b2", "apiary management", "beekeeping\napiculture\nbee farming")]

    output = run(str(write_csv(relabelled, name="next_release.csv")))

    assert "Skills created: 0," in output
    assert Skill.objects.filter(external_uri=ESCO + "b2").count() == 1
    bees = Skill.objects.get(external_uri=ESCO + "b2")
    assert "bee farming" in set(bees.synonyms.values_list("name", flat=True))
    assert not Skill.objects.filter(name="apiary management").exists()


def test_pipe_separated_alternative_labels_are_accepted_too(
    db: Any, write_csv: Callable[..., Path]
) -> None:
    run(str(write_csv([esco_row(ESCO + "d4", "sail making", "sailmaking | canvas work|")])))

    sails = Skill.objects.get(external_uri=ESCO + "d4")
    assert sorted(sails.synonyms.values_list("name", flat=True)) == ["canvas work"]
    # "sailmaking" is the same key as the name itself, so it is not a synonym.


def test_extra_columns_may_be_missing_and_a_byte_order_mark_is_tolerated(
    db: Any, tmp_path: Path
) -> None:
    path = tmp_path / "minimal.csv"
    path.write_text(
        "\ufeffpreferredLabel,conceptUri,altLabels\r\n"
        f'glass blowing,{ESCO}e5,"glassblowing\nlampworking"\r\n',
        encoding="utf-8",
    )

    output = run(str(path))

    assert "Skills created: 1, updated: 0; synonyms added: 1; skipped: 0." in output
    assert Skill.objects.get(external_uri=ESCO + "e5").synonyms.get().name == "lampworking"


def test_category_and_domain_can_be_chosen(db: Any, write_csv: Callable[..., Path]) -> None:
    run(str(write_csv(ROWS)), "--category", "Crafts", "--domain", "design")

    crafts = SkillCategory.objects.get(name="Crafts")
    assert crafts.domain == Domain.DESIGN
    assert crafts.skills.count() == 3
    assert not SkillCategory.objects.filter(name="Imported (ESCO)").exists()


def test_an_unknown_domain_is_refused(db: Any, write_csv: Callable[..., Path]) -> None:
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("import_skills", str(write_csv(ROWS)), "--domain", "plumbing")


def test_rows_and_labels_that_cannot_be_imported_are_skipped_with_reasons(
    db: Any, write_csv: Callable[..., Path]
) -> None:
    rows = [
        *ROWS,
        esco_row("", "label without a uri"),
        esco_row(ESCO + "f6", "   "),
        esco_row(ESCO + "a1", "the first row again"),
        esco_row(ESCO + "g7", "x" * 101),
        esco_row(ESCO + "h8", "snake charming", "Python\nJS\n" + "y" * 101),
    ]

    output = run(str(write_csv(rows)))

    assert "Read 8 rows" in output
    assert "Skills created: 4, updated: 0; synonyms added: 5; skipped: 7." in output
    for reason in (
        "row 4 (label without a uri): no conceptUri",
        "row 5: no preferredLabel",
        "row 6 (the first row again): same conceptUri as row 1",
        "row 7 (" + "x" * 101 + "): preferredLabel longer than 100 characters",
        "row 8 (snake charming): alternative label “yyyy",
        # The shipped taxonomy already uses these for other skills.
        "Python: names the skill Python",
        "JS: already a synonym of another skill",
    ):
        assert f"skipped {reason}" in output
    charming = Skill.objects.get(external_uri=ESCO + "h8")
    assert charming.synonyms.count() == 0
    assert find_skill("Python") == Skill.objects.get(name="Python", external_uri="")


def test_a_skill_someone_typed_is_accepted_when_the_import_names_it(
    db: Any, write_csv: Callable[..., Path], alice: Any
) -> None:
    typed = resolve_skill("Lighthouse Keeping", actor=alice)
    assert typed.status == Skill.Status.PENDING

    run(str(write_csv(ROWS)))

    typed.refresh_from_db()
    assert typed.status == Skill.Status.ACCEPTED
    assert typed.external_uri == ESCO + "c3"
    assert Skill.objects.filter(key=typed.key).count() == 1


def test_imported_names_and_synonyms_resolve_once_the_import_commits(
    db: Any,
    write_csv: Callable[..., Path],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    assert find_skill("apiculture") is None
    with django_capture_on_commit_callbacks(execute=True):
        run(str(write_csv(ROWS)))

    bees = Skill.objects.get(external_uri=ESCO + "b2")
    assert find_skill("apiculture") == bees
    assert find_skill("Bee keeping") == bees
    assert resolve_skill("keep bees") == bees


def test_a_missing_file_is_a_clear_error(db: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file: .*nowhere.csv"):
        run(str(tmp_path / "nowhere.csv"))


def test_missing_columns_are_a_clear_error(db: Any, write_csv: Callable[..., Path]) -> None:
    path = write_csv(
        [{"conceptUri": ESCO + "a1", "title": "beekeeping"}], columns=["conceptUri", "title"]
    )
    with pytest.raises(CommandError, match="lacks the column\\(s\\) preferredLabel, altLabels"):
        run(str(path))
    assert not Skill.objects.filter(external_uri=ESCO + "a1").exists()


def test_a_file_that_is_not_utf8_is_a_clear_error(db: Any, tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("conceptUri,preferredLabel,altLabels\nx,caf\xe9,\n".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        run(str(path))
