"""The budget workbook (.xlsx): a template to download, and its import (LKjIP chapter III.B).

How a filled sheet is read:

- The header row (within the first rows, so a title may sit above it) names the columns
  Program, Kegiatan, Pagu and Realisasi, in any order; "Pagu Anggaran", "Pagu 2026" or
  "Realisasi (Rp)" are read too, and other columns are ignored.
- One row per kegiatan. An empty Program cell takes the program of the row above, as merged
  cells leave it; a row with only a Program is a heading for the rows under it.
- A row named "Jumlah" or "Total" is a sum the office added and is skipped, so nothing is
  counted twice.
- Amounts are number cells or text such as "Rp 1.234.567" (bot.domain.budget.parse_amount);
  both are required, not negative, and a realisasi above its pagu is allowed (the caller
  warns with ``budget_warnings``).
- An optional Sasaran column names the sasaran strategis the kegiatan serves ("SS 1", or
  "SS 1, SS 3" for several); empty is dukungan manajemen. Given the year's sasaran codes,
  a code that is not one of them is a problem of its cell.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from openpyxl.utils import get_column_letter

from bot.documents.errors import WorkbookError, WorkbookProblem
from bot.documents.workbooks import (
    BORDER,
    WRAP_TOP,
    cell_raw_value,
    cell_text,
    is_percent_format,
    new_workbook,
    normalise_header,
    open_workbook,
    print_landscape,
    set_column_widths,
    workbook_bytes,
    write_guide,
    write_header,
)
from bot.domain.budget import (
    BudgetLine,
    amount_problem,
    parse_amount,
    parse_sasaran_codes,
    unknown_sasaran,
    unknown_sasaran_message,
)
from bot.domain.errors import InvalidInput

SHEET = "Anggaran"
GUIDE_SHEET = "Petunjuk"
HEADERS = {"program": "Program", "kegiatan": "Kegiatan", "pagu": "Pagu", "realisasi": "Realisasi"}
OPTIONAL_HEADERS = {"sasaran": "Sasaran"}
_SASARAN_HEADERS = {"sasaran", "sasaran strategis", "kode sasaran"}
_TEMPLATE_ROWS = 200  # rows pre-formatted as rupiah in the template
_HEADER_SEARCH_ROWS = 10  # an office's own file may have a title above the header
_AMOUNT_FORMAT = "#,##0"
_AMOUNT_HINT = "tulis misalnya 1.234.567 atau Rp 1.234.567"
_TOTAL_NAMES = {"jumlah", "total", "jumlah total", "total anggaran", "jumlah anggaran"}
_AMOUNT_HEADER = re.compile(
    r"^(?P<name>pagu|realisasi)(?: anggaran)?(?: (?P<year>\d{4}))?(?: \(rp\))?$"
)

_EXAMPLES: tuple[tuple[str, str, int, int, str | None], ...] = (
    ("Program Dukungan Manajemen", "Layanan perkantoran", 3_245_780_000, 3_158_402_117, None),
    (
        "Program Penyelenggaraan Pemilu dan Pemilihan",
        "Sosialisasi, pendidikan pemilih dan partisipasi masyarakat",
        524_600_000,
        468_286_150,
        "SS 2",
    ),
)
_WIDTHS = (40, 52, 20, 20, 16)


def build_budget_template(year: int) -> bytes:
    """Build the budget template for ``year``, with two example rows and a guide."""
    workbook = new_workbook()
    workbook.properties.title = f"Anggaran {year}"
    sheet = workbook.active
    sheet.title = SHEET
    write_header(sheet, 1, [*HEADERS.values(), *OPTIONAL_HEADERS.values()])
    for row, values in enumerate(_EXAMPLES, start=2):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            cell.border = BORDER
            cell.alignment = WRAP_TOP
    for letter in ("C", "D"):
        for row in range(2, _TEMPLATE_ROWS + 1):
            sheet[f"{letter}{row}"].number_format = _AMOUNT_FORMAT
    set_column_widths(sheet, _WIDTHS)
    sheet.freeze_panes = "A2"
    print_landscape(sheet, title_rows="1:1")
    _write_guide(workbook.create_sheet(GUIDE_SHEET), year)
    return workbook_bytes(workbook)


def _write_guide(sheet: Any, year: int) -> None:
    notes = (
        f"PETUNJUK PENGISIAN ANGGARAN {year}",
        "1. Isi satu baris per kegiatan pada lembar Anggaran. Dua baris pertama adalah contoh: "
        "ganti atau hapus.",
        "2. Jangan mengubah judul kolom. Urutan kolom boleh diubah; kolom lain (misalnya No "
        "atau Keterangan) diabaikan.",
        "3. Baris Jumlah atau Total tidak perlu diisi; bila ada, baris itu dilewati.",
        "4. Kolom Sasaran boleh dikosongkan: kegiatan tanpa sasaran dihitung sebagai dukungan "
        "manajemen bagi seluruh sasaran. Bab III LKjIP menyajikan anggaran per sasaran dari "
        "kolom ini.",
        "5. Kirim file ini ke bot Lapkin. Bila ada kesalahan, bot menyebut lembar, kolom dan "
        "barisnya, misalnya Anggaran!C5 (kolom C, baris 5).",
    )
    write_guide(sheet, notes, _column_guide(year), first_width=16)


def _column_guide(year: int) -> tuple[tuple[str, str], ...]:
    return (
        (
            "Program",
            "Nama program, misalnya Program Dukungan Manajemen. Pada baris berikutnya dengan "
            "program yang sama, kolom ini boleh dikosongkan (atau selnya digabung): programnya "
            "diambil dari baris di atasnya.",
        ),
        ("Kegiatan", "Nama kegiatan. Satu kegiatan hanya satu baris dalam satu program."),
        (
            "Pagu",
            f"Pagu anggaran kegiatan tahun {year} dalam rupiah: angka, misalnya 412500000, atau "
            "teks, misalnya Rp 412.500.000 (titik untuk ribuan, koma untuk desimal). Tidak "
            "boleh negatif.",
        ),
        (
            "Realisasi",
            "Realisasi anggaran dalam rupiah, ditulis seperti kolom Pagu; tulis 0 bila belum "
            "ada realisasi. Realisasi di atas pagu tetap diterima, tetapi bot akan "
            "mengingatkan.",
        ),
        (
            "Sasaran",
            f"Kode sasaran strategis Perjanjian Kinerja {year} yang didukung kegiatan ini, "
            "misalnya SS 1; beberapa sasaran dipisahkan koma, misalnya SS 1, SS 3. Kosongkan "
            "untuk kegiatan dukungan manajemen (layanan perkantoran, gaji dan operasional) "
            "yang menunjang seluruh sasaran.",
        ),
    )


@dataclass
class _Columns:
    row: int
    by_name: dict[str, int]  # field name → column number


@dataclass
class _Reader:
    """Read budget rows one by one, collecting every problem on the way."""

    sheet: Any
    columns: _Columns
    year: int
    known_sasaran: Collection[str] | None = None  # the year's PK sasaran, when known
    problems: list[WorkbookProblem] = field(default_factory=list)
    rows_by_line: dict[tuple[str, str], int] = field(default_factory=dict)  # folded names
    program: str | None = None  # the program of the rows above

    def problem(self, row: int, name: str, message: str) -> None:
        """Note a problem in the ``name`` column of ``row``."""
        letter = get_column_letter(self.columns.by_name[name])
        self.problems.append(WorkbookProblem(self.sheet.title, row, letter, message))

    def read(self, row: int) -> BudgetLine | None:
        """Return the row's budget line, or None for a heading, a total or a broken row."""
        cells = {
            name: self.sheet.cell(row=row, column=column)
            for name, column in self.columns.by_name.items()
        }
        program = cell_text(cells["program"].value)
        kegiatan = cell_text(cells["kegiatan"].value)
        codes = parse_sasaran_codes(
            cell_text(cells["sasaran"].value) if "sasaran" in cells else None
        )
        if (program or kegiatan or "").casefold() in _TOTAL_NAMES and not (program and kegiatan):
            return None
        amounts_empty = all(cell_text(cells[name].value) is None for name in ("pagu", "realisasi"))
        if program is not None and kegiatan is None and amounts_empty and not codes:
            self.program = program  # a heading for the kegiatan below it
            return None
        before = len(self.problems)
        if program is None:
            program = self.program
            if program is None:
                self.problem(row, "program", "Program kosong")
        else:
            self.program = program
        if kegiatan is None:
            self.problem(
                row,
                "kegiatan",
                "Kegiatan kosong; isi nama kegiatan, atau hapus baris ini bila isinya jumlah "
                "per program",
            )
        pagu = self._amount(row, cells["pagu"], "pagu")
        realisasi = self._amount(row, cells["realisasi"], "realisasi")
        if self.known_sasaran is not None and (
            unknown := unknown_sasaran(codes, self.known_sasaran)
        ):
            known = list(self.known_sasaran)
            self.problem(row, "sasaran", unknown_sasaran_message(unknown, known, self.year))
        if program is not None and kegiatan is not None:
            key = (program.casefold(), kegiatan.casefold())
            first = self.rows_by_line.setdefault(key, row)
            if first != row:
                self.problem(
                    row,
                    "kegiatan",
                    f"kegiatan '{kegiatan}' pada program '{program}' sudah ada di baris {first}",
                )
        if (
            len(self.problems) > before
            or program is None
            or kegiatan is None
            or pagu is None
            or realisasi is None
        ):
            return None
        return BudgetLine(
            program=program,
            kegiatan=kegiatan,
            pagu=pagu,
            realisasi=realisasi,
            sasaran_codes=codes,
        )

    def _amount(self, row: int, cell: Any, name: str) -> Decimal | None:
        label = HEADERS[name]
        value = cell.value
        if isinstance(value, date | datetime | time):
            self.problem(
                row,
                name,
                f"{label} terbaca sebagai tanggal ({cell_text(value)}); format sel sebagai "
                "Angka lalu ketik ulang jumlahnya",
            )
            return None
        if isinstance(value, int | float | Decimal) and is_percent_format(cell.number_format):
            self.problem(row, name, f"{label} berformat persen; isi jumlah rupiah, {_AMOUNT_HINT}")
            return None
        raw = cell_raw_value(value, cell.number_format)
        if raw is None:
            hint = "; tulis 0 bila belum ada realisasi" if name == "realisasi" else ""
            self.problem(row, name, f"{label} kosong{hint}")
            return None
        try:
            amount = parse_amount(raw)
        except InvalidInput:
            self.problem(row, name, f"{label} '{raw}' bukan jumlah rupiah; {_AMOUNT_HINT}")
            return None
        problem = amount_problem(amount)
        if problem:
            self.problem(row, name, f"{label} {problem}")
            return None
        return amount


def parse_budget_workbook(
    data: bytes, *, year: int, sasaran: Collection[str] | None = None
) -> tuple[BudgetLine, ...]:
    """Read a filled budget workbook for ``year``, or raise WorkbookError listing every problem.

    ``sasaran``: the codes of the year's Perjanjian Kinerja, when it is known; a line naming
    another code is then a problem of its Sasaran cell.
    """
    workbook = open_workbook(data)
    sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
    columns = _find_columns(sheet, year)
    reader = _Reader(sheet=sheet, columns=columns, year=year, known_sasaran=sasaran)
    lines: list[BudgetLine] = []
    for row in range(columns.row + 1, sheet.max_row + 1):
        if all(
            cell_text(sheet.cell(row=row, column=column).value) is None
            for column in columns.by_name.values()
        ):
            continue
        line = reader.read(row)
        if line is not None:
            lines.append(line)
    if not lines and not reader.problems:
        reader.problems.append(
            WorkbookProblem(
                sheet.title, None, None, "belum ada baris anggaran di bawah baris judul"
            )
        )
    if reader.problems:
        raise WorkbookError(reader.problems)
    return tuple(lines)


def _header_name(text: object, year: int) -> str | None:
    """Return which column a header names, or None; amount headers may carry this year."""
    header = normalise_header(text)
    if header in ("program", "kegiatan"):
        return header
    if header in _SASARAN_HEADERS:
        return "sasaran"
    match = _AMOUNT_HEADER.match(header)
    if match and match["year"] in (None, str(year)):
        return match["name"]
    return None


def _find_columns(sheet: Any, year: int) -> _Columns:
    candidates = range(1, min(sheet.max_row, _HEADER_SEARCH_ROWS) + 1)
    header_row = max(
        candidates,
        key=lambda row: len({_header_name(cell.value, year) for cell in sheet[row]} - {None}),
        default=None,
    )
    if header_row is None or all(
        _header_name(cell.value, year) is None for cell in sheet[header_row]
    ):
        expected = ", ".join(HEADERS.values())
        raise WorkbookError(
            [
                WorkbookProblem(
                    sheet.title,
                    None,
                    None,
                    f"baris judul kolom tidak ditemukan; judul yang diperlukan: {expected}. "
                    "Unduh template dari bot",
                )
            ]
        )
    problems: list[WorkbookProblem] = []
    by_name: dict[str, int] = {}
    other_years: list[str] = []
    for cell in sheet[header_row]:
        name = _header_name(cell.value, year)
        if name is None:
            match = _AMOUNT_HEADER.match(normalise_header(cell.value))
            if match and match["year"]:
                other_years.append(match["year"])
            continue
        if name in by_name:
            problems.append(
                WorkbookProblem(
                    sheet.title,
                    header_row,
                    get_column_letter(cell.column),
                    f"kolom '{cell_text(cell.value)}' ada dua kali",
                )
            )
        by_name.setdefault(name, cell.column)
    for name, title in HEADERS.items():
        if name in by_name:
            continue
        hint = ""
        if name in ("pagu", "realisasi") and other_years:
            hint = (
                f" (ada kolom untuk tahun {other_years[0]}: apakah ini berkas anggaran tahun "
                f"{other_years[0]}, bukan {year}?)"
            )
        problems.append(
            WorkbookProblem(sheet.title, header_row, None, f"kolom '{title}' tidak ditemukan{hint}")
        )
    if problems:
        raise WorkbookError(problems)
    return _Columns(header_row, by_name)
