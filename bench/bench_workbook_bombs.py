"""What reading an uploaded workbook costs: a normal one, the largest real one, and two bombs.

    .venv/bin/python bench/bench_workbook_bombs.py
    .venv/bin/python bench/bench_workbook_bombs.py --code /path/to/an/older/checkout

Each case runs in a fresh interpreter, so one case's peak memory does not hide in another:
the child imports the bot (bot.app, and the workbook modules with openpyxl) and reads a
tiny workbook once, as a bot that has served an upload would have, then reads the case's
file as a staf's upload is read (``parse_entry_workbook``; the PK with ``parse_pk_workbook``).
Wall time is ``time.perf_counter`` around that call; peak memory is the child's maximum
resident set size (``resource.getrusage``), against its size just before the call.

The floor is the example office's KUL entry template (4 indicators) filled in. The bombs are
the issue's: (a) that same file plus one cell in row 1,048,576 (7 KB); (b) that same file
with its sheet padded by identical rows, 260 KB packed and 75 MB unpacked
(tests/hostile_files.py builds both). ``--code`` runs the children against another checkout
(e.g. main before issue 11) to measure what the bot did before; files are built here.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_SECONDS = 600
TARGET_SECONDS = 5.0  # issue 11: each bomb refused within 5 s
TARGET_RSS_MB = 300  # ... with the process under 300 MB
CASES = ("floor", "largest", "at-limits", "row-bomb", "zip-bomb")
LABELS = {
    "floor": "floor: KUL entry template, 4 indicators, filled",
    "largest": "largest real file: PK of 2,000 indicators",
    "at-limits": "the most a file may hold: 5,000 rows × 39 cells",
    "row-bomb": "bomb (a): the floor + one cell in row 1,048,576",
    "zip-bomb": "bomb (b): the floor padded with 725,000 equal rows",
}


# --------------------------------------------------------------------------- the files


def _entry_template() -> bytes:
    from datetime import date

    from bot.documents import EntryTemplateRow, EntryWorkbookMeta, build_entry_workbook

    meta = EntryWorkbookMeta(
        office_code="kpu-kota-bengkulu",
        office_name="KPU Kota Bengkulu",
        unit_code="KUL",
        unit_name="Sub Bagian Keuangan, Umum dan Logistik",
        year=2026,
        period="tahunan",
        period_label="Tahunan 2026",
        cycle_id=7,
        deadline=date(2026, 11, 30),
    )
    rows = [
        EntryTemplateRow(
            f"IK 3.{n}", "Meningkatnya akuntabilitas", f"Indikator {n}", "persen", "95", False
        )
        for n in range(1, 5)
    ]
    return build_entry_workbook(meta, rows)


def _filled_entry() -> bytes:
    from tests.hostile_files import edited

    def fill(workbook: object) -> None:
        sheet = workbook["Isian"]  # type: ignore[index]
        for row in range(9, 13):
            sheet.cell(row=row, column=7, value=90 + row)
            sheet.cell(row=row, column=8, value="Realisasi sesuai rencana kegiatan.")

    return edited(_entry_template(), fill)  # type: ignore[arg-type]


def _largest_pk(indicators: int = 2_000) -> bytes:
    from bot.documents import build_pk_template
    from tests.hostile_files import edited

    units = ("KUL", "TEKNIS", "RENDATIN", "HUKUM")

    def fill(workbook: object) -> None:
        sheet = workbook["PK"]  # type: ignore[index]
        sheet.delete_rows(2, 2)
        for n in range(indicators):
            values = (
                f"SS {n // 20}",
                f"Sasaran strategis {n // 20} dengan nama sepanjang aslinya di kantor",
                f"IK {n // 20}.{n}",
                f"Indikator kinerja {n} dengan nama sepanjang aslinya di Perjanjian Kinerja",
                "persen",
                "naik",
                "85,5",
                "80 - 90",
                units[n % 4],
                "ya",
            )
            for column, value in enumerate(values, start=1):
                sheet.cell(row=n + 2, column=column, value=value)

    return edited(build_pk_template(2026), fill)  # type: ignore[arg-type]


def _at_limits(floor: bytes) -> bytes:
    """The floor with its sheet filled up to the guard's limits, every cell a number."""
    from bot.documents.xlsx_guard import MAX_ROWS
    from tests.hostile_files import rewrite_parts

    def grow(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        rows = "".join(
            f'<row r="{row}">'
            + "".join(f'<c r="{_letters(column)}{row}"><v>{row}</v></c>' for column in range(1, 40))
            + "</row>"
            for row in range(13, MAX_ROWS + 1)
        )
        text = data.decode().replace("</sheetData>", rows + "</sheetData>")
        return text.replace(
            '<dimension ref="A1:K12"/>', f'<dimension ref="A1:AM{MAX_ROWS}"/>'
        ).encode()

    return rewrite_parts(floor, grow)


def _letters(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(column))


def _build(case: str) -> bytes:
    from tests.hostile_files import row_bomb, zip_bomb

    if case == "largest":
        return _largest_pk()
    floor = _filled_entry()
    builders = {
        "floor": lambda: floor,
        "at-limits": lambda: _at_limits(floor),
        "row-bomb": lambda: row_bomb(floor),
        "zip-bomb": lambda: zip_bomb(floor),
    }
    return builders[case]()


def _unpacked(data: bytes) -> int:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(info.file_size for info in archive.infolist())


# --------------------------------------------------------------------------- the child


def _child(case: str, path: str, code: str) -> None:
    sys.path.insert(0, code)
    import bot.app  # noqa: F401  (the bot's own weight, as a running bot carries it)
    from bot.documents import WorkbookError, parse_entry_workbook, parse_pk_workbook

    data = Path(path).read_bytes()
    warm = Path(path).with_name("floor.xlsx").read_bytes()
    parse_entry_workbook(warm)  # openpyxl and the templates' code loaded, as after one upload
    start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    try:
        if case == "largest":
            result = parse_pk_workbook(
                data, year=2026, unit_codes=("KUL", "TEKNIS", "RENDATIN", "HUKUM")
            )
            outcome = f"read, {len(result.indicators)} indicators"
        else:
            parsed = parse_entry_workbook(data)
            outcome = f"read, {len(parsed.rows)} rows"
    except WorkbookError as error:
        outcome = "refused: " + error.report()[:70] + "…"
    seconds = time.perf_counter() - started
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "start_mb": start_rss / 1024,
                "peak_mb": peak_rss / 1024,
                "outcome": outcome,
            }
        )
    )


# --------------------------------------------------------------------------- the parent


def _run(case: str, path: Path, code: str) -> dict[str, object]:
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--child", case, str(path), "--code", code],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return {
            "seconds": float(TIMEOUT_SECONDS),
            "start_mb": 0,
            "peak_mb": 0,
            "outcome": "timed out",
        }
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _write_files(directory: str) -> None:
    sys.path.insert(0, str(ROOT))
    for case in CASES:
        (Path(directory) / f"{case}.xlsx").write_bytes(_build(case))


def main(code: str) -> None:
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        # Built in a process of their own: Linux carries a parent's peak RSS over into the
        # children it starts, so the parent must stay small for the children's peaks to count.
        subprocess.run([sys.executable, __file__, "--build", tmp], check=True)
        files = {case: (Path(tmp) / f"{case}.xlsx").read_bytes() for case in CASES}
        for case in CASES:
            results[case] = _run(case, Path(tmp) / f"{case}.xlsx", code)
    floor = results["floor"]
    floor_seconds = float(floor["seconds"])  # type: ignore[arg-type]
    floor_peak = float(floor["peak_mb"])  # type: ignore[arg-type]
    print(f"code: {code}")
    print(
        "| case | file KB | unpacked MB | outcome | seconds | × floor | peak RSS MB | × floor "
        "| growth MB |"
    )
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|")
    for case in CASES:
        result = results[case]
        seconds = float(result["seconds"])  # type: ignore[arg-type]
        peak = float(result["peak_mb"])  # type: ignore[arg-type]
        growth = peak - float(result["start_mb"])  # type: ignore[arg-type]
        print(
            f"| {LABELS[case]} | {len(files[case]) / 1024:.0f} "
            f"| {_unpacked(files[case]) / 2**20:.1f} | {result['outcome']} | {seconds:.4f} "
            f"| {seconds / floor_seconds:.2f} | {peak:.0f} | {peak / floor_peak:.2f} "
            f"| {growth:.1f} |"
        )
    bombs = [results[case] for case in ("row-bomb", "zip-bomb")]
    met = all(
        float(b["seconds"]) < TARGET_SECONDS and float(b["peak_mb"]) < TARGET_RSS_MB  # type: ignore[arg-type]
        for b in bombs
    )
    print(
        f"\nTarget (issue 11): each bomb refused within {TARGET_SECONDS:.0f} s with the process "
        f"under {TARGET_RSS_MB} MB: {'met' if met else 'NOT met'}."
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--code", default=str(ROOT), help="the checkout whose bot reads the files")
    parser.add_argument("--child", nargs=2, metavar=("CASE", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--build", metavar="DIRECTORY", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.build:
        _write_files(arguments.build)
    elif arguments.child:
        _child(*arguments.child, code=arguments.code)
    else:
        main(arguments.code)
