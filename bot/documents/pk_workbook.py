"""The Perjanjian Kinerja workbook (.xlsx): a template to download, and its import."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, TypeVar

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from bot.documents.errors import WorkbookError, WorkbookProblem
from bot.documents.workbooks import (
    BORDER,
    WRAP_TOP,
    cell_raw_value,
    cell_text,
    new_workbook,
    normalise_header,
    open_workbook,
    print_landscape,
    set_column_widths,
    workbook_bytes,
    write_guide,
    write_header,
)
from bot.domain.errors import InvalidInput
from bot.domain.numbers import parse_number
from bot.domain.performance import (
    IndicatorSpec,
    NationalStandard,
    PerjanjianKinerja,
    Polarity,
    Target,
)

SHEET = "PK"
T = TypeVar("T")
GUIDE_SHEET = "Petunjuk"
HISTORY_YEARS = 3  # Realisasi columns in the template; a file may hold more or fewer
_TEMPLATE_ROWS = 500  # rows pre-formatted (text targets, drop-down lists) in the template
_HEADER_SEARCH_ROWS = 10  # an office's own file may have a title above the header

_POLARITY = {
    "naik": Polarity.HIGHER_IS_BETTER,
    "positif": Polarity.HIGHER_IS_BETTER,
    "maksimal": Polarity.HIGHER_IS_BETTER,
    "turun": Polarity.LOWER_IS_BETTER,
    "negatif": Polarity.LOWER_IS_BETTER,
    "minimal": Polarity.LOWER_IS_BETTER,
}
_YES = {"ya", "y", "true", "1"}
_NO = {"tidak", "t", "false", "0"}
_NO_VALUE = {"-", "–", "—"}  # how an empty optional cell is often written

# "80-90", "80 - 90", "80–90", "80 s.d. 90", "80 s/d 90", "80 sampai 90", "80% - 90%".
_RANGE = re.compile(
    r"^(?P<low>.*?\d\s*%?)\s*(?:-|–|—|s\.?\s?d\.?|s/d|sampai(?:\s+dengan)?)\s*(?P<high>\S.*)$",
    re.IGNORECASE,
)
_TARGET_HINT = "tulis misalnya 85,5 atau rentang 80 - 90"
_NUMBER_HINT = "tulis misalnya 85,5 (koma untuk desimal)"
_REALISASI = re.compile(r"^realisasi\s+(\d{4})$")
_TARGET_ANY_YEAR = re.compile(r"^target\s+(\d{4})$")


def _required_headers(year: int) -> dict[str, str]:
    return {
        "sasaran_code": "Kode Sasaran",
        "sasaran_name": "Sasaran Strategis",
        "code": "Kode Indikator",
        "name": "Indikator Kinerja",
        "satuan": "Satuan",
        "polarity": "Polaritas",
        "target": f"Target {year}",
        "renstra": "Target Renstra",
        "unit": "Unit PIC",
        "evidence": "Bukti Wajib",
    }


# Optional columns beside the earlier years: a national standard and who sets it.
_OPTIONAL_HEADERS = {"national": "Standar Nasional", "national_source": "Sumber Standar Nasional"}


def pk_headers(year: int) -> list[str]:
    """Return the template's header row for ``year``."""
    earlier = range(HISTORY_YEARS, 0, -1)
    history = [f"Realisasi {year - back}" for back in earlier]
    targets = [f"Target {year - back}" for back in earlier]
    return [*_required_headers(year).values(), *history, *targets, *_OPTIONAL_HEADERS.values()]


_EXAMPLES: tuple[tuple[object, ...], ...] = (
    (
        "SS 1",
        "Meningkatnya kualitas perencanaan dan akuntabilitas kinerja",
        "IK 1.1",
        "Persentase dokumen perencanaan dan pelaporan kinerja yang disusun tepat waktu",
        "persen",
        "naik",
        "100",
        "100",
        "RENDATIN",
        "ya",
        90,
        95,
        100,
        "100",
        "100",
        "100",
        "100",
        "Contoh: peraturan yang menetapkan standar",
    ),
    (
        "SS 1",
        "Meningkatnya kualitas perencanaan dan akuntabilitas kinerja",
        "IK 1.2",
        "Jumlah temuan hasil pemeriksaan keuangan",
        "temuan",
        "turun",
        "1 - 2",
        "0",
        "KUL",
        "tidak",
        4,
        3,
        2,
        "2 - 3",
        "2",
        "1 - 2",
        None,
        None,
    ),
)
_WIDTHS = (10, 36, 11, 48, 11, 11, 12, 12, 12, 10, 12, 12, 12, 12, 12, 12, 12, 30)
# The target columns, written as text (or Excel turns a range such as 1-2 into a date).
_TEXT_COLUMNS = ("G", "H", "N", "O", "P", "Q")


def build_pk_template(year: int) -> bytes:
    """Build the Perjanjian Kinerja template for ``year``, with two example rows and a guide."""
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = SHEET
    headers = pk_headers(year)
    write_header(sheet, 1, headers)
    for row, values in enumerate(_EXAMPLES, start=2):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            cell.border = BORDER
            cell.alignment = WRAP_TOP
    # Text format, or Excel turns a range such as 1-2 into the date 1 February.
    for letter in _TEXT_COLUMNS:
        for row in range(2, _TEMPLATE_ROWS + 1):
            sheet[f"{letter}{row}"].number_format = "@"
    _add_choice(sheet, "F", ("naik", "turun"), "Polaritas: naik atau turun")
    _add_choice(sheet, "J", ("ya", "tidak"), "Bukti Wajib: ya atau tidak")
    set_column_widths(sheet, _WIDTHS)
    sheet.freeze_panes = "A2"
    print_landscape(sheet, title_rows="1:1")
    _write_guide(workbook.create_sheet(GUIDE_SHEET), year)
    return workbook_bytes(workbook)


def _add_choice(sheet: Any, column: str, choices: tuple[str, ...], message: str) -> None:
    validation = DataValidation(
        type="list",
        formula1=f'"{",".join(choices)}"',
        allow_blank=True,
        showErrorMessage=False,  # the import accepts synonyms too; the list is only a help
        showInputMessage=True,
        prompt=message,
    )
    validation.add(f"{column}2:{column}{_TEMPLATE_ROWS}")
    sheet.add_data_validation(validation)


def _write_guide(sheet: Any, year: int) -> None:
    notes = (
        f"PETUNJUK PENGISIAN PERJANJIAN KINERJA {year}",
        "1. Isi satu baris per indikator kinerja pada lembar PK. Dua baris pertama adalah "
        "contoh: ganti atau hapus.",
        "2. Jangan mengubah judul kolom. Urutan kolom boleh diubah; kolom lain (misalnya No "
        "atau Keterangan) diabaikan.",
        "3. Kirim file ini ke bot Lapkin. Bila ada kesalahan, bot menyebut lembar, kolom dan "
        "barisnya, misalnya PK!G7 (kolom G, baris 7).",
    )
    write_guide(sheet, notes, _column_guide(year), first_width=20)


def _column_guide(year: int) -> tuple[tuple[str, str], ...]:
    return (
        (
            "Kode Sasaran",
            "Kode sasaran strategis, misalnya SS 1. Pada baris berikutnya dengan sasaran yang "
            "sama, Kode Sasaran dan Sasaran Strategis boleh dikosongkan (atau selnya "
            "digabung): keduanya diambil dari baris di atasnya.",
        ),
        ("Sasaran Strategis", "Nama sasaran strategis. Satu kode sasaran selalu bernama sama."),
        (
            "Kode Indikator",
            "Kode indikator kinerja, misalnya IK 1.1. Tidak boleh ada kode yang sama.",
        ),
        ("Indikator Kinerja", "Nama indikator kinerja sesuai Perjanjian Kinerja."),
        ("Satuan", "Satuan ukuran: persen, dokumen, laporan, kegiatan, dan sebagainya."),
        (
            "Polaritas",
            "naik bila makin tinggi makin baik (misalnya persentase partisipasi pemilih); "
            "turun bila makin rendah makin baik (misalnya jumlah temuan pemeriksaan).",
        ),
        (
            f"Target {year}",
            f"Target tahun {year}: satu angka, misalnya 85,5 (koma untuk desimal, titik untuk "
            "ribuan), atau rentang, misalnya 80-90 atau 80 - 90. Sel berformat Teks agar "
            "Excel tidak mengubah rentang menjadi tanggal.",
        ),
        (
            "Target Renstra",
            "Target akhir periode Renstra, ditulis seperti kolom Target; boleh kosong.",
        ),
        (
            "Unit PIC",
            "Kode unit (Sub Bagian) penanggung jawab, sesuai file organisasi, misalnya KUL "
            "atau RENDATIN.",
        ),
        (
            "Bukti Wajib",
            "ya bila unit wajib mengunggah bukti dukung, tidak bila tidak; kosong berarti tidak.",
        ),
        (
            "Realisasi (tahun)",
            "Realisasi tahun-tahun sebelumnya, untuk perbandingan dalam Laporan Kinerja; boleh "
            f"kosong. Kolom Realisasi boleh dihapus atau ditambah, misalnya 'Realisasi "
            f"{year - HISTORY_YEARS - 1}'.",
        ),
        (
            "Target (tahun sebelumnya)",
            f"Target tahun-tahun sebelumnya, misalnya 'Target {year - 1}', ditulis seperti kolom "
            "Target: Laporan Kinerja membandingkan capaiannya dengan capaian tahun ini. Boleh "
            "kosong, dihapus atau ditambah.",
        ),
        (
            "Standar Nasional",
            "Standar nasional indikator bila ada, ditulis seperti kolom Target; kosong berarti "
            "tidak ada standar nasional (Laporan Kinerja menyebutnya demikian).",
        ),
        ("Sumber Standar Nasional", "Peraturan atau lembaga yang menetapkan standar itu."),
    )


class _CellError(Exception):
    """A cell's content cannot be used; the message says why, in Indonesian."""


@dataclass
class _Columns:
    row: int
    required: dict[str, int]  # field name → column number
    history: dict[int, int]  # year → column number of its realisasi
    history_targets: dict[int, int] = field(default_factory=dict)  # year → its target's column
    optional: dict[str, int] = field(default_factory=dict)  # _OPTIONAL_HEADERS' names


@dataclass
class _Reader:
    """Read indicator rows one by one, collecting every problem on the way."""

    sheet: str
    year: int
    columns: _Columns
    units: dict[str, str]  # case-folded unit code → the code as configured
    problems: list[WorkbookProblem] = field(default_factory=list)
    sasaran_names: dict[str, tuple[str, int]] = field(default_factory=dict)  # by folded code
    indicator_rows: dict[str, int] = field(default_factory=dict)
    last_sasaran: tuple[str, str] | None = None

    def read(self, sheet: Any, row: int) -> IndicatorSpec | None:
        """Return the row's indicator, or None after noting what is wrong with it."""
        before = len(self.problems)
        cells = {
            name: sheet.cell(row=row, column=col) for name, col in self.columns.required.items()
        }
        headers = _required_headers(self.year)

        def text(name: str) -> str | None:
            return cell_text(cells[name].value)

        def problem(name: str, message: str) -> None:
            column = get_column_letter(self.columns.required[name])
            self.problems.append(WorkbookProblem(self.sheet, row, column, message))

        def required(name: str) -> str:
            value = text(name)
            if value is None:
                problem(name, f"{headers[name]} kosong")
            return value or ""

        sasaran = self._sasaran(row, text("sasaran_code"), text("sasaran_name"), problem)
        code = required("code")
        if code:
            first = self.indicator_rows.setdefault(code.casefold(), row)
            if first != row:
                problem("code", f"kode indikator '{code}' sudah dipakai di baris {first}")
        name = required("name")
        satuan = required("satuan")
        polarity = _POLARITY.get(required("polarity").casefold())
        if polarity is None and text("polarity") is not None:
            problem(
                "polarity", f"polaritas '{text('polarity')}' tidak dikenal; tulis naik atau turun"
            )
        target = renstra = None
        try:
            target = _target(cells["target"], label="target")
            if target is None:
                problem("target", f"{headers['target']} kosong")
        except _CellError as exc:
            problem("target", str(exc))
        try:
            renstra = _target(cells["renstra"], label="target Renstra")
        except _CellError as exc:
            problem("renstra", str(exc))
        unit = self.units.get(required("unit").casefold())
        if unit is None and text("unit") is not None:
            known = ", ".join(sorted(self.units.values()))
            problem(
                "unit",
                f"unit PIC '{text('unit')}' tidak dikenal; gunakan kode unit dari file "
                f"organisasi: {known}",
            )
        evidence = _yes_no(text("evidence"))
        if evidence is None:
            problem(
                "evidence", f"bukti wajib '{text('evidence')}' tidak dikenal; tulis ya atau tidak"
            )
        history = self._history(sheet, row)
        history_targets = self._history_targets(sheet, row)
        national = self._national(sheet, row)
        if (
            len(self.problems) > before
            or sasaran is None
            or target is None
            or polarity is None
            or unit is None
            or evidence is None
        ):
            return None
        return IndicatorSpec(
            code=code,
            sasaran_code=sasaran[0],
            sasaran_name=sasaran[1],
            name=name,
            satuan=satuan,
            polarity=polarity,
            target=target,
            unit_code=unit,
            evidence_required=evidence,
            renstra_target=renstra,
            history=history,
            history_targets=history_targets,
            national_standard=national,
        )

    def _sasaran(
        self, row: int, code: str | None, name: str | None, problem: Callable[[str, str], None]
    ) -> tuple[str, str] | None:
        # Offices merge the sasaran cells over their indicators, which leaves these empty.
        if code is None:
            last = self.last_sasaran
            if last is not None and (name is None or name.casefold() == last[1].casefold()):
                return last
            problem("sasaran_code", "Kode Sasaran kosong")
            return None
        known = self.sasaran_names.get(code.casefold())
        if name is None:
            if known is None:
                problem("sasaran_name", "Sasaran Strategis kosong")
                return None
            name = known[0]
        elif known is not None and known[0].casefold() != name.casefold():
            problem(
                "sasaran_name",
                f"sasaran '{code}' sudah bernama '{known[0]}' di baris {known[1]}, "
                f"di sini '{name}'",
            )
            return None
        self.sasaran_names.setdefault(code.casefold(), (name, row))
        self.last_sasaran = (code, name)
        return self.last_sasaran

    def _history_targets(self, sheet: Any, row: int) -> dict[int, Target]:
        return self._by_year(sheet, row, self.columns.history_targets, _target, "target")

    def _history(self, sheet: Any, row: int) -> dict[int, Decimal]:
        return self._by_year(sheet, row, self.columns.history, _number, "realisasi")

    def _by_year(
        self,
        sheet: Any,
        row: int,
        columns: dict[int, int],
        read: Callable[..., T | None],
        label: str,
    ) -> dict[int, T]:
        """Read one cell per earlier year with ``read``, noting each unreadable cell."""
        values: dict[int, T] = {}
        for year, column in sorted(columns.items()):
            value = self._cell(sheet, row, column, read, label=f"{label} {year}")
            if value is not None:
                values[year] = value
        return values

    def _cell(
        self, sheet: Any, row: int, column: int, read: Callable[..., T | None], *, label: str
    ) -> T | None:
        """Read a cell with ``read``; an unreadable one is noted as a problem and gives None."""
        try:
            return read(sheet.cell(row=row, column=column), label=label)
        except _CellError as exc:
            letter = get_column_letter(column)
            self.problems.append(WorkbookProblem(self.sheet, row, letter, str(exc)))
            return None

    def _national(self, sheet: Any, row: int) -> NationalStandard | None:
        column = self.columns.optional.get("national")
        value = (
            self._cell(sheet, row, column, _target, label="standar nasional")
            if column is not None
            else None
        )
        if value is None:
            return None
        source_column = self.columns.optional.get("national_source")
        source = (
            cell_text(sheet.cell(row=row, column=source_column).value)
            if source_column is not None
            else None
        )
        return NationalStandard(value, source)


def parse_pk_workbook(data: bytes, *, year: int, unit_codes: Collection[str]) -> PerjanjianKinerja:
    """Read a filled Perjanjian Kinerja workbook, or raise WorkbookError listing every problem."""
    workbook = open_workbook(data)
    sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
    columns = _find_columns(sheet, year)
    reader = _Reader(
        sheet=sheet.title,
        year=year,
        columns=columns,
        units={code.casefold(): code for code in unit_codes},
    )
    used = [
        *columns.required.values(),
        *columns.history.values(),
        *columns.history_targets.values(),
        *columns.optional.values(),
    ]
    indicators: list[IndicatorSpec] = []
    seen_rows = 0
    for row in range(columns.row + 1, sheet.max_row + 1):
        if all(cell_text(sheet.cell(row=row, column=col).value) is None for col in used):
            continue
        seen_rows += 1
        spec = reader.read(sheet, row)
        if spec is not None:
            indicators.append(spec)
    if not seen_rows:
        reader.problems.append(
            WorkbookProblem(sheet.title, None, None, "belum ada indikator di bawah baris judul")
        )
    if reader.problems:
        raise WorkbookError(reader.problems)
    return PerjanjianKinerja(year=year, indicators=tuple(indicators))


def _find_columns(sheet: Any, year: int) -> _Columns:
    wanted = {normalise_header(text): name for name, text in _required_headers(year).items()}
    candidates = range(1, min(sheet.max_row, _HEADER_SEARCH_ROWS) + 1)
    header_row = max(
        candidates,
        key=lambda row: sum(normalise_header(c.value) in wanted for c in sheet[row]),
        default=None,
    )
    if header_row is None or not any(
        normalise_header(c.value) in wanted for c in sheet[header_row]
    ):
        expected = ", ".join(_required_headers(year).values())
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
    required: dict[str, int] = {}
    history: dict[int, int] = {}
    history_targets: dict[int, int] = {}
    optional: dict[str, int] = {}
    optional_names = {normalise_header(text): name for name, text in _OPTIONAL_HEADERS.items()}
    other_target_years: list[str] = []
    for cell in sheet[header_row]:
        header = normalise_header(cell.value)
        letter = get_column_letter(cell.column)
        if header in wanted:
            if wanted[header] in required:
                problems.append(
                    WorkbookProblem(
                        sheet.title,
                        header_row,
                        letter,
                        f"kolom '{cell_text(cell.value)}' ada dua kali",
                    )
                )
            required.setdefault(wanted[header], cell.column)
        elif match := _REALISASI.match(header):
            past = int(match[1])
            if past >= year:
                problems.append(
                    WorkbookProblem(
                        sheet.title,
                        header_row,
                        letter,
                        f"kolom '{cell_text(cell.value)}' harus tahun sebelum {year}",
                    )
                )
            elif past in history:
                problems.append(
                    WorkbookProblem(
                        sheet.title, header_row, letter, f"kolom 'Realisasi {past}' ada dua kali"
                    )
                )
            else:
                history[past] = cell.column
        elif header in optional_names:
            optional.setdefault(optional_names[header], cell.column)
        elif match := _TARGET_ANY_YEAR.match(header):
            other_target_years.append(match[1])
            past = int(match[1])
            if past < year and past not in history_targets:
                history_targets[past] = cell.column
    for name, text in _required_headers(year).items():
        if name in required:
            continue
        hint = ""
        if name == "target" and other_target_years:
            found = other_target_years[0]
            hint = f" (ada kolom 'Target {found}': apakah ini berkas untuk tahun {found}?)"
        problems.append(
            WorkbookProblem(sheet.title, header_row, None, f"kolom '{text}' tidak ditemukan{hint}")
        )
    if problems:
        raise WorkbookError(problems)
    return _Columns(header_row, required, history, history_targets, optional)


def _target(cell: Any, *, label: str) -> Target | None:
    """Read a target cell: a number, a range 'a - b' with a ≤ b, or nothing."""
    value = cell.value
    text = cell_text(value) if isinstance(value, str) else None
    if text is not None and (match := _RANGE.match(text)):
        low = _parse(match["low"], label=label, original=text, hint=_TARGET_HINT)
        high = _parse(match["high"], label=label, original=text, hint=_TARGET_HINT)
        if low > high:
            raise _CellError(
                f"rentang {label} '{text}' terbalik; tulis angka terkecil terlebih dahulu, misalnya 80 - 90"
            )
        return Target(low, high)
    number = _number(cell, label=label, hint=_TARGET_HINT)
    return Target.exactly(number) if number is not None else None


def _number(cell: Any, *, label: str, hint: str = _NUMBER_HINT) -> Decimal | None:
    """Read a number cell or a number written as text; '-' and empty mean nothing."""
    value = cell.value
    if isinstance(value, date | datetime | time):
        raise _CellError(
            f"{label} terbaca sebagai tanggal ({cell_text(value)}); format sel sebagai Teks "
            "lalu ketik ulang angkanya"
        )
    raw = cell_raw_value(value, cell.number_format)
    if raw is None or isinstance(raw, Decimal):
        return raw
    if raw in _NO_VALUE:
        return None
    return _parse(raw, label=label, original=raw, hint=hint)


def _parse(text: str, *, label: str, original: str, hint: str) -> Decimal:
    try:
        return parse_number(text).value
    except InvalidInput:
        raise _CellError(f"{label} '{original}' bukan angka; {hint}") from None


def _yes_no(text: str | None) -> bool | None:
    """Read a Bukti Wajib cell; empty means no, anything unknown gives None."""
    if text is None:
        return False
    folded = text.casefold()
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    return None
