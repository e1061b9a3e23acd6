"""The budget: amounts, totals and absorption, warnings, and the organisation file's anggaran."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from bot.domain.budget import (
    BudgetLine,
    amount_problem,
    budget_problems,
    budget_totals,
    budget_warnings,
    parse_amount,
)
from bot.domain.errors import InvalidInput
from bot.domain.pk_spec import BudgetEntry, BudgetYearEntry
from bot.orgfile import OrganisationFileError, dump_organisation, parse_organisation
from tests.conftest import EXAMPLE_ORG

D = Decimal
EXAMPLE_TEXT = EXAMPLE_ORG.read_text(encoding="utf-8")
PROGRAM = "Program Dukungan Manajemen"


def line(pagu: str, realisasi: str, kegiatan: str = "Layanan perkantoran") -> BudgetLine:
    return BudgetLine(PROGRAM, kegiatan, D(pagu), D(realisasi))


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([], (D(0), D(0), None)),
        ([line("0", "0")], (D(0), D(0), None)),
        ([line("0", "5")], (D(0), D(5), None)),
        ([line("1000", "921")], (D(1000), D(921), D("92.10"))),
        ([line("600", "570"), line("400", "380", "B")], (D(1000), D(950), D("95.00"))),
        ([line("3", "2")], (D(3), D(2), D("66.67"))),
        ([line("800", "1")], (D(800), D(1), D("0.13"))),  # 0,125: half-up, as reports round
        ([line("100", "150")], (D(100), D(150), D("150.00"))),  # overspending is allowed
        (
            [line("3245780000", "3158402117"), line("412500000.50", "378945600.25", "B")],
            (D("3658280000.50"), D("3537347717.25"), D("96.69")),
        ),
    ],
)
def test_budget_totals_and_absorption(
    lines: list[BudgetLine], expected: tuple[Decimal, Decimal, Decimal | None]
) -> None:
    assert budget_totals(lines) == expected


@pytest.mark.parametrize("broken", [D("NaN"), D("sNaN"), D("Infinity")])
def test_a_broken_amount_gives_no_absorption_instead_of_an_error(broken: Decimal) -> None:
    pagu, _, absorption = budget_totals([line("100", "50"), BudgetLine("P", "K", broken, D(1))])

    assert absorption is None and not pagu.is_finite()


@given(
    st.lists(
        st.tuples(
            st.decimals(min_value=0, max_value=10**15, places=2),
            st.decimals(min_value=0, max_value=10**15, places=2),
        ),
        max_size=20,
    )
)
def test_totals_are_the_sums_and_absorption_their_ratio(
    pairs: list[tuple[Decimal, Decimal]],
) -> None:
    lines = [BudgetLine("P", str(n), pagu, realisasi) for n, (pagu, realisasi) in enumerate(pairs)]

    pagu, realisasi, absorption = budget_totals(lines)

    assert pagu == sum((p for p, _ in pairs), D(0))
    assert realisasi == sum((r for _, r in pairs), D(0))
    if pagu == 0:
        assert absorption is None
    else:
        assert absorption is not None and abs(absorption - realisasi / pagu * 100) <= D("0.005")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rp 1.234.567", D(1234567)),
        ("Rp. 3.245.780.000", D(3245780000)),
        ("1.234.567,50", D("1234567.50")),
        ("Rp1.500,-", D(1500)),
        ("412500000", D(412500000)),
        ("-", D(0)),  # nil, as accounting formats show 0
        ("Rp -", D(0)),
        ("  Rp–  ", D(0)),
        (1234, D(1234)),
        (12.5, D("12.5")),
        (D("99.99"), D("99.99")),
        ("-5", D(-5)),  # read here; refused by amount_problem
    ],
)
def test_amounts_are_read_as_indonesians_write_money(
    text: str | int | float | Decimal, expected: Decimal
) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("85%", "persentase"),
        ("Rp satu juta", "tidak dapat dibaca"),
        ("1,234.5", "tidak dapat dibaca"),
        ("", "belum ada"),
    ],
)
def test_text_that_is_not_an_amount_is_refused(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_amount(text)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (D(0), None),
        (D("1e18"), None),
        (D("-1"), "tidak boleh negatif (-Rp1)"),
        (D("1e19"), "terlalu besar (Rp10.000.000.000.000.000.000); periksa kembali angkanya"),
        (D("NaN"), "bukan angka yang sah"),
        (D("-Infinity"), "bukan angka yang sah"),
    ],
)
def test_amount_rules(value: Decimal, problem: str | None) -> None:
    assert amount_problem(value) == problem


def test_budget_problems_name_the_line_and_the_amount() -> None:
    lines = [line("100", "50"), line("-5", "0", "Sosialisasi"), line("10", "NaN", "Keuangan")]

    assert budget_problems(lines) == [
        f"Sosialisasi ({PROGRAM}): pagu tidak boleh negatif (-Rp5).",
        f"Keuangan ({PROGRAM}): realisasi bukan angka yang sah.",
    ]


@pytest.mark.parametrize(
    ("lines", "warnings"),
    [
        ([line("100", "100"), line("100", "0", "B")], []),
        (
            [line("1000000", "1053000")],
            [
                f"Layanan perkantoran ({PROGRAM}): realisasi Rp1.053.000 melebihi pagu "
                "Rp1.000.000 (penyerapan 105,3%)."
            ],
        ),
        (
            [line("0", "2500")],
            [f"Layanan perkantoran ({PROGRAM}): ada realisasi Rp2.500 padahal pagunya Rp0."],
        ),
        ([line("0", "0")], []),
        (
            [line("10", "5"), BudgetLine(PROGRAM.upper(), "layanan PERKANTORAN", D(1), D(1))],
            [
                f"layanan PERKANTORAN ({PROGRAM.upper()}): tercatat lebih dari sekali; periksa "
                "agar tidak terhitung ganda."
            ],
        ),
        ([line("-10", "5"), line("NaN", "5", "B")], []),  # problems, not warnings
    ],
)
def test_budget_warnings_flag_what_is_allowed_but_odd(
    lines: list[BudgetLine], warnings: list[str]
) -> None:
    assert budget_warnings(lines) == warnings


# The organisation file's anggaran ---------------------------------------------------------


def entry(pagu: object, realisasi: object = 0) -> BudgetEntry:
    return BudgetEntry.model_validate(
        {
            "program": PROGRAM,
            "kegiatan": "Layanan perkantoran",
            "pagu": pagu,
            "realisasi": realisasi,
        }
    )


@pytest.mark.parametrize(
    ("pagu", "expected"),
    [
        (412500000, D(412500000)),
        ("Rp 412.500.000", D(412500000)),
        ("412.500.000,75", D("412500000.75")),
        (1500.5, D("1500.5")),
        ("-", D(0)),
        (D("1e18"), D("1e18")),
    ],
)
def test_budget_entries_accept_numbers_and_indonesian_text(pagu: object, expected: Decimal) -> None:
    assert entry(pagu).pagu == expected


@pytest.mark.parametrize(
    ("pagu", "message"),
    [
        (-5, "greater than or equal to 0"),
        ("Rp -5.000", "greater than or equal to 0"),
        (10**19, "less than or equal to"),
        ("85%", "is not an amount"),
        ("lima juta", "is not an amount"),
        (True, "write an amount"),
        ([1, 2], "write an amount"),
        (float("nan"), "finite"),
    ],
)
def test_budget_entries_refuse_what_is_not_an_amount(pagu: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        entry(pagu)


def test_a_budget_year_converts_to_domain_lines_in_file_order() -> None:
    year = BudgetYearEntry.model_validate(
        {
            "year": 2026,
            "lines": [
                {"program": "P1", "kegiatan": "K2", "pagu": "Rp 1.000", "realisasi": 900},
                {"program": "P1", "kegiatan": "K1", "pagu": 500, "realisasi": "Rp 600"},
            ],
        }
    )

    assert year.to_domain() == (
        BudgetLine("P1", "K2", D(1000), D(900)),
        BudgetLine("P1", "K1", D(500), D(600)),
    )


def test_the_example_office_has_a_plausible_2026_budget() -> None:
    spec = parse_organisation(EXAMPLE_TEXT)

    (year,) = spec.anggaran
    lines = year.to_domain()
    assert year.year == 2026 and 5 <= len(lines) <= 6
    assert {line.program for line in lines} == {
        "Program Dukungan Manajemen",
        "Program Penyelenggaraan Pemilu dan Pemilihan",
    }
    assert all(line.absorption is not None and D(85) <= line.absorption <= D(98) for line in lines)
    assert budget_problems(lines) == [] and budget_warnings(lines) == []
    assert budget_totals(lines) == (D(5623950000), D(5303234417), D("94.30"))


def _problems(text: str) -> list[str]:
    with pytest.raises(OrganisationFileError) as caught:
        parse_organisation(text, name="org.yaml")
    return caught.value.report().splitlines()


def _line_of(text: str, needle: str, occurrence: int = 1) -> int:
    lines = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    return lines[occurrence - 1]


EXTRA_YEAR = """  - year: 2026
    lines:
      - {program: Program Dukungan Manajemen, kegiatan: Layanan perkantoran, pagu: 1, realisasi: 1}
"""


def test_a_year_budgeted_twice_is_reported_with_its_line() -> None:
    text = EXAMPLE_TEXT + EXTRA_YEAR

    problems = _problems(text)

    line_no = _line_of(text, "  - year: 2026", occurrence=3)  # PK, budget, the twin
    assert problems == [f"org.yaml:{line_no}: anggaran[1].year: the budget for 2026 appears twice"]


def test_a_kegiatan_listed_twice_in_a_year_is_reported_with_its_line() -> None:
    twin = (
        "      - {program: program dukungan manajemen, kegiatan: "
        '"PERENCANAAN, DATA DAN INFORMASI", pagu: 1, realisasi: 1}\n'
    )
    text = EXAMPLE_TEXT + twin

    problems = _problems(text)

    assert problems == [
        f"org.yaml:{len(text.splitlines())}: anggaran[0].lines[6].kegiatan: kegiatan "
        "'PERENCANAAN, DATA DAN INFORMASI' of 'program dukungan manajemen' appears twice"
    ]


def test_a_bad_amount_is_reported_with_its_line() -> None:
    original = 'pagu: "Rp 412.500.000"'
    assert original in EXAMPLE_TEXT
    text = EXAMPLE_TEXT.replace(original, 'pagu: "Rp 412.500.000 juta"')

    problems = _problems(text)

    assert len(problems) == 1
    assert problems[0].startswith(f"org.yaml:{_line_of(text, '412.500.000 juta')}: ")
    assert "anggaran[0].lines[1].pagu: 'Rp 412.500.000 juta' is not an amount" in problems[0]


@pytest.mark.parametrize(
    "amount", ["1234.567", "1E+3", "0.000001", "1000000.25", "1E+18", "0", "3245780000"]
)
def test_every_amount_dumps_and_reads_back_exactly(amount: str) -> None:
    spec = parse_organisation(EXAMPLE_TEXT)
    odd = BudgetYearEntry(
        year=2027,
        lines=(BudgetEntry(program="P", kegiatan="K", pagu=D(amount), realisasi=D(amount)),),
    )
    changed = spec.model_copy(update={"anggaran": (*spec.anggaran, odd)})

    again = parse_organisation(dump_organisation(changed))

    assert again == changed
    assert str(again.anggaran[1].lines[0].pagu.normalize()) == str(D(amount).normalize())


@pytest.mark.parametrize(
    ("sasaran", "expected"),
    [
        ("SS 1", ("SS 1",)),
        (["SS 1"], ("SS 1",)),
        ("SS 1, SS 3", ("SS 1", "SS 3")),
        (["SS 1", "SS  3", "ss1"], ("SS 1", "SS 3")),  # each code once, spaces tidied
        (None, ()),
        ("", ()),
    ],
)
def test_a_budget_line_names_the_sasaran_it_serves(
    sasaran: object, expected: tuple[str, ...]
) -> None:
    line = BudgetEntry.model_validate(
        {"program": "P", "kegiatan": "K", "pagu": 1, "realisasi": 1, "sasaran": sasaran}
    )

    assert line.sasaran == expected


@pytest.mark.parametrize("sasaran", [1, [1, 2], {"SS 1": 1}])
def test_a_sasaran_that_is_not_a_code_is_refused(sasaran: object) -> None:
    with pytest.raises(ValidationError, match="sasaran code"):
        BudgetEntry.model_validate(
            {"program": "P", "kegiatan": "K", "pagu": 1, "realisasi": 1, "sasaran": sasaran}
        )


def test_the_example_maps_its_kegiatan_to_the_sasaran_they_serve() -> None:
    (year,) = parse_organisation(EXAMPLE_TEXT).anggaran

    assert {line.kegiatan: line.sasaran_codes for line in year.to_domain()} == {
        "Layanan perkantoran (gaji, tunjangan dan operasional kantor)": (),
        "Pengelolaan keuangan dan barang milik negara": ("SS 3",),
        "Perencanaan, data dan informasi": ("SS 1",),
        "Hukum, sumber daya manusia dan organisasi": ("SS 4",),
        "Pemutakhiran data pemilih berkelanjutan": ("SS 1",),
        "Sosialisasi, pendidikan pemilih dan partisipasi masyarakat": ("SS 2",),
    }


def test_a_sasaran_not_in_the_years_pk_is_refused_with_its_line() -> None:
    original = 'realisasi: "Rp 1.003.286.150", sasaran: SS 2}'
    assert original in EXAMPLE_TEXT
    text = EXAMPLE_TEXT.replace(original, 'realisasi: "Rp 1.003.286.150", sasaran: [SS 2, SS 7]}')

    problems = _problems(text)

    assert problems == [
        f"org.yaml:{_line_of(text, 'SS 7')}: anggaran[0].lines[5].sasaran: sasaran SS 7 tidak "
        "ada dalam Perjanjian Kinerja 2026 (sasarannya: SS 1, SS 2, SS 3, SS 4); perbaiki "
        "kodenya, atau kosongkan bila kegiatan ini dukungan manajemen untuk seluruh sasaran"
    ]


def test_a_budget_for_a_year_without_a_pk_in_the_file_keeps_its_codes() -> None:
    # The PK may come later from .xlsx: the import checks it then, the LKjIP says the rest.
    text = EXAMPLE_TEXT.replace("anggaran:\n  - year: 2026", "anggaran:\n  - year: 2027")

    (year,) = parse_organisation(text).anggaran

    assert year.year == 2027 and year.to_domain()[1].sasaran_codes == ("SS 3",)


def test_the_sasaran_of_a_line_dump_and_read_back() -> None:
    spec = parse_organisation(EXAMPLE_TEXT)

    dumped = dump_organisation(spec)

    assert parse_organisation(dumped) == spec
    assert "realisasi: 378945600\n    sasaran:\n    - SS 3\n" in dumped
    budget = dumped[dumped.index("\nanggaran:") : dumped.index("\nrenstra:")]
    assert budget.count("sasaran:\n") == 5  # layanan perkantoran has none, and no empty key
