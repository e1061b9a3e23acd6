"""The LKjIP cover's office settings: the full name and the logo from the organisation file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.documents.charts import structure_chart
from bot.orgfile import OrganisationFileError, load_organisation
from bot.services.organisation import (
    export_organisation,
    import_organisation,
    office_full_name,
    office_logo,
)
from storage.db import Database
from storage.queries import office_by_code

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "kpu-kota-bengkulu.yaml"
NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
PNG = structure_chart(office="KPU", head=("Sekretaris", "A"), units=[("Unit", "B", 1)])


def _orgfile(folder: Path, office_lines: str) -> Path:
    example = EXAMPLE.read_text(encoding="utf-8").replace(
        "  full_name: Sekretariat Komisi Pemilihan Umum Kota Bengkulu\n", ""
    )
    # After the parent_office line (whose end may carry a comment).
    start = example.index("  parent_office: KPU Provinsi Bengkulu")
    end = example.index("\n", start) + 1
    text = example[:end] + office_lines + example[end:]
    path = folder / "org.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_logo_beside_the_file_is_stored_and_exported_with_the_full_name(
    db: Database, tmp_path: Path
) -> None:
    (tmp_path / "logo.png").write_bytes(PNG)
    spec = load_organisation(
        _orgfile(tmp_path, "  full_name: Sekretariat KPU Kota Bengkulu\n  logo: logo.png\n")
    )

    import_organisation(db=db, spec=spec, now=NOW)

    with db.session() as session:
        office = office_by_code(session, code="kpu-kota-bengkulu")
        assert office is not None
        assert office_logo(office) == PNG
        assert office_full_name(office) == "Sekretariat KPU Kota Bengkulu"
    exported = export_organisation(db=db, office_code="kpu-kota-bengkulu")
    assert exported.office.full_name == "Sekretariat KPU Kota Bengkulu"
    assert exported.office.logo == str((tmp_path / "logo.png").resolve())
    assert not import_organisation(db=db, spec=spec, now=NOW).changed


def test_without_a_full_name_it_is_spelt_out_from_the_name(db: Database, tmp_path: Path) -> None:
    import_organisation(db=db, spec=load_organisation(_orgfile(tmp_path, "")), now=NOW)

    with db.session() as session:
        office = office_by_code(session, code="kpu-kota-bengkulu")
        assert office is not None
        assert office_full_name(office) == "Sekretariat Komisi Pemilihan Umum Kota Bengkulu"
        assert office_logo(office) is None


def test_the_deployment_logo_is_the_default(db: Database, tmp_path: Path) -> None:
    (tmp_path / "default.png").write_bytes(PNG)
    spec = load_organisation(_orgfile(tmp_path, ""), default_logo=tmp_path / "default.png")

    import_organisation(db=db, spec=spec, now=NOW)

    with db.session() as session:
        office = office_by_code(session, code="kpu-kota-bengkulu")
        assert office is not None and office_logo(office) == PNG


@pytest.mark.parametrize(
    ("content", "problem"), [(None, "not found"), (b"GIF? no, text", "not an image")]
)
def test_a_missing_or_broken_logo_is_refused_with_its_line(
    tmp_path: Path, content: bytes | None, problem: str
) -> None:
    if content is not None:
        (tmp_path / "logo.png").write_bytes(content)
    path = _orgfile(tmp_path, "  logo: logo.png\n")

    with pytest.raises(OrganisationFileError) as raised:
        load_organisation(path)

    report = raised.value.report()
    assert problem in report and "office.logo" in report
    assert f"{path}:" in report  # with the line number
