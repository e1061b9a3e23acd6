"""A province in one import: parents (induk) checked and ordered before their children."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.organisation import parent_problems, parents_first
from bot.orgfile import OrganisationFileError, organisation_files, parse_organisation

CHILD = """
office:
  code: kpu-kab-seluma
  name: KPU Kabupaten Seluma
  city: Tais
  address: Jl. Seluma
  region_code: "1705"
  parent_office: KPU Provinsi Bengkulu
  induk: {induk}
units:
  - {{code: RENDATIN, name: Sub Bagian Rendatin, number: 3}}
"""


def test_the_induk_is_read_from_the_office_section() -> None:
    spec = parse_organisation(CHILD.format(induk="kpu-provinsi-bengkulu"))

    assert spec.office.induk == "kpu-provinsi-bengkulu"


def test_an_office_is_not_its_own_parent() -> None:
    with pytest.raises(OrganisationFileError) as caught:
        parse_organisation(CHILD.format(induk="kpu-kab-seluma"), name="seluma.yaml")

    assert (
        "seluma.yaml:9: office.induk: an office cannot be its own parent" in caught.value.report()
    )


def test_a_badly_written_induk_is_refused_with_its_line() -> None:
    with pytest.raises(OrganisationFileError) as caught:
        parse_organisation(CHILD.format(induk="'KPU Provinsi'"), name="seluma.yaml")

    assert caught.value.problems[0].line == 9
    assert caught.value.problems[0].field == "office.induk"


def test_parents_come_first_whatever_the_file_order() -> None:
    offices = [("kab-a", "prov"), ("kab-b", "prov"), ("prov", None), ("kec", "kab-b")]

    order = parents_first(offices)

    assert [offices[i][0] for i in order] == ["prov", "kab-a", "kab-b", "kec"]


def test_a_stored_parent_puts_no_constraint() -> None:
    assert parents_first([("kab-b", "prov"), ("kab-a", "prov")]) == [0, 1]


def test_an_unknown_parent_is_named() -> None:
    problems = parent_problems([("kab-a", "prov"), ("kab-b", "provinsi")], stored={"prov": None})

    assert problems == [
        (1, "parent office 'provinsi' is neither in this import nor in the database")
    ]


def test_a_parent_in_the_database_is_known() -> None:
    assert parent_problems([("kab-a", "prov")], stored={"prov": None}) == []


def test_a_code_imported_twice_is_named() -> None:
    problems = parent_problems([("kab-a", None), ("kab-a", None)], stored={})

    assert problems == [(1, "office 'kab-a' is imported twice")]


def test_a_cycle_of_parents_is_refused() -> None:
    problems = parent_problems([("a", "b"), ("b", "a")], stored={})

    assert [index for index, _ in problems] == [0, 1]
    assert "a → b → a" in problems[0][1]


def test_a_cycle_through_the_database_is_refused() -> None:
    # b is stored with parent a; the import now makes a a child of b.
    problems = parent_problems([("a", "b")], stored={"b": "a", "a": None})

    assert problems and "cycle" in problems[0][1]


def test_a_folder_gives_its_yaml_files_by_name(tmp_path: Path) -> None:
    folder = tmp_path / "provinsi"
    folder.mkdir()
    for name in ("b.yaml", "a.yml", "notes.txt"):
        (folder / name).write_text("x", encoding="utf-8")
    single = tmp_path / "kota.yaml"

    assert organisation_files([single, folder]) == [single, folder / "a.yml", folder / "b.yaml"]
