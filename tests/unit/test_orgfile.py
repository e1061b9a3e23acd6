"""The organisation file: valid files load, and every problem names its line and field."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from bot.domain.performance import NationalStandard, Target
from bot.domain.roles import Role
from bot.orgfile import (
    OrganisationFileError,
    dump_organisation,
    load_organisation,
    parse_organisation,
)
from tests.conftest import EXAMPLE_ORG

EXAMPLE_TEXT = EXAMPLE_ORG.read_text(encoding="utf-8")


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def _problems(text: str) -> list[str]:
    with pytest.raises(OrganisationFileError) as caught:
        parse_organisation(text, name="org.yaml")
    return caught.value.report().splitlines()


def test_example_loads_with_four_units_and_every_role() -> None:
    spec = load_organisation(EXAMPLE_ORG)

    assert [unit.code for unit in spec.units] == ["KUL", "TEKNIS", "RENDATIN", "HUKUM"]
    held = {role for person in spec.people for role in person.roles}
    assert held == set(Role)
    assert spec.office.region_code == "1771"
    assert spec.category_scale[0].label == "Sangat Baik"


def test_dump_reads_back_to_the_same_organisation() -> None:
    spec = load_organisation(EXAMPLE_ORG)

    assert parse_organisation(dump_organisation(spec)) == spec
    assert spec.renstra is not None and spec.renstra.periode == (2025, 2029)


def test_the_renstra_gives_each_indicator_its_yearly_targets() -> None:
    renstra = load_organisation(EXAMPLE_ORG).renstra
    assert renstra is not None
    plan = renstra.to_domain()

    assert plan.years == (2025, 2026, 2027, 2028, 2029) and plan.covers(2026)
    assert not plan.covers(2030)
    assert plan.end_target_of("IK 1.3") == Target.exactly(Decimal(75))
    assert plan.targets_of("IK 4.2")[2026] == Target(Decimal(80), Decimal(90))
    assert plan.targets_of("IK 9.9") == {}


@pytest.mark.parametrize(
    ("original", "replacement", "message"),
    [
        ("  periode: 2025-2029", "  periode: 2025", "periode: 2025-2029"),
        ("  periode: 2025-2029", "  periode: 2029-2025", "up to 10 years"),
        ("{2025: 67, 2026: 70,", "{2024: 67, 2026: 70,", "outside the Renstra's years 2025-2029"),
        ("{2025: 10, 2026: 12,", "{2025: sepuluh, 2026: 12,", "'sepuluh' is not a number"),
    ],
)
def test_a_bad_renstra_is_refused_with_its_reason(
    original: str, replacement: str, message: str
) -> None:
    assert EXAMPLE_TEXT.count(original) == 1
    problems = _problems(EXAMPLE_TEXT.replace(original, replacement))

    assert any("renstra" in line and message in line for line in problems), problems


def test_earlier_targets_and_a_national_standard_are_read_per_indicator() -> None:
    spec = load_organisation(EXAMPLE_ORG)
    by_code = {i.code: i for i in spec.perjanjian_kinerja[0].to_domain().indicators}

    assert by_code["IK 1.3"].history_targets == {
        2024: Target.exactly(Decimal(65)),
        2025: Target.exactly(Decimal(67)),
    }
    assert by_code["IK 3.1"].national_standard == NationalStandard(
        Target.exactly(Decimal(95)),
        "Indikator Kinerja Pelaksanaan Anggaran (IKPA), Kementerian Keuangan",
    )
    assert by_code["IK 1.1"].national_standard is None


@pytest.mark.parametrize(
    ("original", "replacement", "field", "message", "anchor"),
    [
        ('nip: "199001052015031002"', 'nip: "12ab"', "people[2].nip", "8 to 20 digits", "12ab"),
        ("    roles: [staf]\n", "    roles: [tukang]\n", "people[2].roles", "tidak", "tukang"),
        ('  region_code: "1771"', "  region_code: Bkl", "office.region_code", "pattern", "Bkl"),
        ("    number: 2\n", "    number: -2\n", "units[1].number", "greater than", "-2"),
        ('  start: "07:30"', '  start: "17:30"', "office_hours", "start before", "office_hours:"),
        ("days: [senin,", "days: [moonday,", "office_hours.days", "unknown day", "moonday"),
        ("{seq}/{class", "{nomor}/{class", "letter_number.pattern", "nomor", "{nomor}"),
        ("{min: 0, label: S", "{min: 10, label: S", "category_scale", "0", "category_scale:"),
    ],
)
def test_each_bad_field_is_reported_with_its_line(
    original: str, replacement: str, field: str, message: str, anchor: str
) -> None:
    assert original in EXAMPLE_TEXT
    broken = EXAMPLE_TEXT.replace(original, replacement, 1)

    problems = _problems(broken)

    expected_line = next(
        n
        for n, line in enumerate(broken.splitlines(), 1)
        if line.startswith(anchor) or (not anchor.endswith(":") and anchor in line)
    )
    matching = [p for p in problems if f" {field}:" in p and message in p]
    assert matching, problems
    assert matching[0].startswith("org.yaml:")
    assert int(matching[0].split(":")[1]) == expected_line, (matching[0], expected_line)


def test_missing_field_points_at_the_person() -> None:
    broken = EXAMPLE_TEXT.replace("    jabatan: Pranata Komputer\n", "", 1)

    problems = _problems(broken)

    person_line = _line_of(broken, '"199309092020121005"')
    assert any(f"org.yaml:{person_line}: people[6].jabatan: Field required" in p for p in problems)


def test_unknown_unit_and_duplicate_nip_are_reported() -> None:
    broken = EXAMPLE_TEXT.replace(
        "    unit: HUKUM\n    roles: [staf]", "    unit: PENGAWASAN\n    roles: [staf]"
    ).replace('nip: "199205172019032011"', 'nip: "199001052015031002"')

    problems = "\n".join(_problems(broken))

    assert "people[8].unit: unit 'PENGAWASAN' is not among the units" in problems
    assert "people[4].nip: NIP 199001052015031002 appears twice" in problems


def test_staff_without_unit_is_refused() -> None:
    broken = EXAMPLE_TEXT.replace("    unit: KUL\n    roles: [staf]", "    roles: [staf]")

    assert any(
        "people[2].unit: a person with role ['staf'] needs a unit" in p for p in _problems(broken)
    )


def test_unknown_top_level_key_is_refused() -> None:
    problems = _problems(EXAMPLE_TEXT + "\nunits_extra: []\n")

    assert any("units_extra: Extra inputs are not permitted" in p for p in problems)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("office: [unclosed", "not valid YAML"),
        ("- just\n- a list\n", "expected a mapping"),
        ("", "expected a mapping"),
    ],
)
def test_unreadable_documents_are_refused(text: str, message: str) -> None:
    assert any(message in p for p in _problems(text))


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(OrganisationFileError) as caught:
        load_organisation(tmp_path / "nope.yaml")

    assert caught.value.report() == f"{tmp_path / 'nope.yaml'}: file not found"


def test_unquoted_office_hours_are_read_as_clock_times() -> None:
    text = EXAMPLE_TEXT.replace('start: "07:30"', "start: 07:30").replace(
        'end: "16:00"', "end: 16:00"
    )

    spec = parse_organisation(text)

    assert (spec.office_hours.start.hour, spec.office_hours.start.minute) == (7, 30)
    assert spec.office_hours.end.hour == 16


def test_the_signature_image_is_found_beside_the_organisation_file(tmp_path: Path) -> None:
    text = EXAMPLE_TEXT.replace(
        "  parent_office: KPU Provinsi Bengkulu",
        "  parent_office: KPU Provinsi Bengkulu\n  tanda_tangan: ttd/sekretaris.png",
        1,
    )
    (tmp_path / "org.yaml").write_text(text, encoding="utf-8")

    spec = load_organisation(tmp_path / "org.yaml")

    assert spec.office.tanda_tangan == str((tmp_path / "ttd" / "sekretaris.png").resolve())
    assert load_organisation(EXAMPLE_ORG).office.tanda_tangan is None
