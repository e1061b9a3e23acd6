"""How long the LKjIP takes to render, and how much memory, for 40 and for 400 indicators.

    .venv/bin/python bench/bench_lkjip.py            # both sizes, a table and the growth
    .venv/bin/python bench/bench_lkjip.py --sizes 40 # one size

Each size runs in a fresh interpreter, so the peak memory of one does not hide in the other:
wall time is the best of three ``render_lkjip`` calls (charts included) after one warm-up,
and beside it the best CPU time of the same calls (``time.process_time``: on a shared
machine the wall time also counts the waits for a core, the CPU time does not; it adds
the CPU of the processes that draw the charts, ``bot.documents.chart_pool``),
peak memory is measured on a separate call by tracemalloc (Python's allocations) and by the
process's maximum resident set size (everything, Pillow's and matplotlib's buffers too).
The year is synthetic: 4 sasaran, 10 budget lines, 3 earlier years for every indicator, a
range target, a lower-is-better and a "tidak ada data" indicator every few, and the unit's
explanation on each.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.documents import (  # noqa: E402
    LkjipContent,
    LkjipInitial,
    LkjipInput,
    LkjipMeeting,
    LkjipSignature,
    chart_cache,
    chart_pool,
    render_lkjip,
)
from bot.documents.charts import MAX_BARS, MAX_PANELS  # noqa: E402
from bot.domain.analysis import Analysis  # noqa: E402
from bot.domain.budget import BudgetLine  # noqa: E402
from bot.domain.category_scale import CategoryBand  # noqa: E402
from bot.domain.measure import IndicatorInput, analyse  # noqa: E402
from bot.domain.performance import IndicatorSpec, Polarity, Target  # noqa: E402

YEAR = 2026
SASARAN = 4
BUDGET_LINES = 10
HISTORY_YEARS = 3
SIZES = (40, 400)
TARGETS = {40: 0.5, 400: 2.0}  # seconds (issue 13), for the first render and for a re-render
MEMORY_TARGET_MB = 300
SCALE = (
    CategoryBand(min=91, label="Sangat Baik"),
    CategoryBand(min=76, label="Baik"),
    CategoryBand(min=66, label="Cukup"),
    CategoryBand(min=51, label="Kurang"),
    CategoryBand(min=0, label="Sangat Kurang"),
)


def synthetic_analysis(indicators: int) -> Analysis:
    """Return a year of ``indicators`` indicators over 4 sasaran, with budget and history."""
    inputs = []
    for number in range(indicators):
        goal = number % SASARAN + 1
        lower = number % 11 == 5
        no_data = number % 13 == 12
        target = (
            Target(Decimal(80), Decimal(90))
            if number % 7 == 0
            else Target.exactly(Decimal(80 + number % 20))
        )
        spec = IndicatorSpec(
            code=f"IK {goal}.{number // SASARAN + 1}",
            sasaran_code=f"SS {goal}",
            sasaran_name=f"Meningkatnya kualitas tata kelola dan layanan bidang {goal}",
            name=f"Persentase penyelesaian dokumen dan layanan kinerja nomor {number + 1}",
            satuan="persen",
            polarity=Polarity.LOWER_IS_BETTER if lower else Polarity.HIGHER_IS_BETTER,
            target=target,
            unit_code="RENDATIN",
            renstra_target=Target.exactly(Decimal(95)),
            history={
                YEAR - back: Decimal(70 + (number + back * 5) % 25)
                for back in range(HISTORY_YEARS, 0, -1)
            },
        )
        inputs.append(
            IndicatorInput(
                spec=spec,
                unit_name="Sub Bagian Perencanaan, Data dan Informasi",
                realisasi=None if no_data else Decimal(60 + (number * 37) % 55) + Decimal("0.25"),
                penjelasan="Kegiatan dilaksanakan sesuai rencana aksi dan jadwal yang ditetapkan.",
                kendala="Keterlambatan penyampaian data dukung dari pihak terkait.",
                upaya="Koordinasi dan pemantauan dilakukan lebih awal setiap triwulan.",
                no_data_reason="Data belum dirilis instansi terkait." if no_data else None,
            )
        )
    budget = [
        BudgetLine(
            program=f"Program Dukungan Manajemen {line // 4 + 1}",
            kegiatan=f"Pengelolaan administrasi, keuangan dan layanan umum nomor {line + 1}",
            pagu=Decimal(100_000_000 + line * 12_345_678),
            realisasi=Decimal(90_000_000 + line * 11_000_000),
        )
        for line in range(BUDGET_LINES)
    ]
    return analyse(
        office_name="KPU Kota Bengkulu",
        year=YEAR,
        period_label=f"Tahunan {YEAR}",
        indicators=inputs,
        budget=budget,
        scale=SCALE,
    )


def content(analysis: Analysis) -> LkjipContent:
    """Wrap ``analysis`` as a konsep with a meeting, four Kasubbag and the Sekretaris."""
    codes = [result.code for result in analysis.indicators]
    return LkjipContent(
        analysis=analysis,
        office_name="KPU Kota Bengkulu",
        office_address="Jl. WR. Supratman No. 08 Kel. Bentiring Permai Bengkulu",
        city="Bengkulu",
        parent_office="KPU Provinsi Bengkulu",
        version=2,
        konsep=True,
        kata_pengantar=None,
        meeting=LkjipMeeting(
            held_on=date(YEAR + 1, 1, 14),
            place="Ruang Rapat KPU Kota Bengkulu",
            attendees=[f"Kasubbag {n}" for n in range(1, 5)],
            inputs=[
                LkjipInput(f"Kasubbag {n % 4 + 1}", code, "Mohon dilengkapi data dukungnya.")
                for n, code in enumerate(codes[:10])
            ],
            minutes="Rapat reviu dibuka oleh Ketua Tim.\nSeluruh masukan ditindaklanjuti.",
        ),
        initials=[
            LkjipInitial(
                f"Kasubbag {n}",
                f"Kepala Sub Bagian {n}",
                datetime(YEAR + 1, 1, 15, n, tzinfo=UTC) if n % 2 else None,
            )
            for n in range(1, 5)
        ],
        signature=LkjipSignature(
            "Sekretaris", "197001011990031001", "Sekretaris KPU Kota Bengkulu", "Bengkulu", None
        ),
        generated_on=date(YEAR + 1, 1, 10),
    )


def _worker_pids() -> list[int]:
    # The pool's own bookkeeping (private to concurrent.futures, read only here): the
    # workers are the forkserver's children, so RUSAGE_CHILDREN never counts them.
    pool = chart_pool._pool
    return list(getattr(pool, "_processes", None) or {})


def _worker_cpu() -> float:
    """CPU seconds the chart workers have used so far (user + system, from /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in _worker_pids():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # a worker that has just exited
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _worker_peak_rss_mb() -> float:
    """The largest resident set a chart worker reached (VmHWM), 0 without workers."""
    peaks = [0.0]
    for pid in _worker_pids():
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
    return max(peaks)


def _cpu() -> float:
    return time.process_time() + _worker_cpu()


def measure(indicators: int) -> dict[str, float]:
    """Render ``indicators`` indicators: best-of-3 seconds, peak memory, document size."""
    report = content(synthetic_analysis(indicators))
    render_lkjip(content(synthetic_analysis(8)))  # warm-up: imports, font files, caches
    times, cpu = [], []
    for _ in range(3):
        chart_cache.clear()  # the first render of a year: every chart is drawn
        gc.collect()
        start, start_cpu = time.perf_counter(), _cpu()
        data = render_lkjip(report)
        times.append(time.perf_counter() - start)
        cpu.append(_cpu() - start_cpu)
    again, again_cpu = [], []
    for _ in range(3):  # the next version or the signed copy: the charts are reused
        gc.collect()
        start, start_cpu = time.perf_counter(), _cpu()
        render_lkjip(report)
        again.append(time.perf_counter() - start)
        again_cpu.append(_cpu() - start_cpu)
    chart_cache.clear()
    gc.collect()
    tracemalloc.start()
    render_lkjip(report)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    charts = sum(
        -(-len(s.indicators) // MAX_BARS) + -(-len(s.indicators) // MAX_PANELS)
        for s in report.analysis.sasaran
    )
    return {
        "indicators": indicators,
        "charts": charts + 1,
        "seconds": min(times),
        "again_seconds": min(again),
        "cpu_seconds": min(cpu),
        "again_cpu_seconds": min(again_cpu),
        "peak_mb": peak / 2**20,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "workers": chart_pool.workers(),
        "worker_rss_mb": _worker_peak_rss_mb(),
        "docx_kb": len(data) / 1024,
    }


def measure_sizes(sizes: list[int]) -> list[dict[str, float]]:
    """Measure each size in a fresh interpreter; return their figures in order."""
    results = []
    for size in sizes:
        child = subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            check=True,
            capture_output=True,
            text=True,
        )
        results.append(json.loads(child.stdout.strip().splitlines()[-1]))
    return results


def main() -> None:
    """Run each size in its own interpreter and print the table, the growth and the targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child's single size
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    results = measure_sizes(args.sizes)
    print(
        f"{'indikator':>9} {'grafik':>6} {'detik':>7} {'lagi':>6} {'CPU':>6} {'CPU lagi':>8} "
        f"{'puncak MB':>9} {'RSS MB':>7} {'pekerja':>7} {'RSS pekerja':>11} {'docx KB':>8}"
    )
    for row in results:
        print(
            f"{row['indicators']:>9} {row['charts']:>6} {row['seconds']:>7.2f} "
            f"{row['again_seconds']:>6.2f} {row['cpu_seconds']:>6.2f} "
            f"{row['again_cpu_seconds']:>8.2f} "
            f"{row['peak_mb']:>9.1f} {row['max_rss_mb']:>7.1f} {row['workers']:>7.0f} "
            f"{row['worker_rss_mb']:>11.1f} {row['docx_kb']:>8.0f}"
        )
    by_size = {row["indicators"]: row for row in results}
    if 40 in by_size and 400 in by_size:
        small, large = by_size[40], by_size[400]
        print(
            f"pertumbuhan 400/40: waktu × {large['seconds'] / small['seconds']:.1f}, "
            f"memori puncak × {large['peak_mb'] / small['peak_mb']:.1f} (linear: × 10)"
        )
    for size, limit in TARGETS.items():
        if size in by_size:
            row = by_size[size]
            verdicts = ", ".join(
                f"{label} {'ya' if row[key] < limit else 'TIDAK'} ({row[key]:.2f} s)"
                for label, key in (("pertama", "seconds"), ("lagi", "again_seconds"))
            )
            print(f"target {size} indikator < {limit:g} s: {verdicts}")
    if 400 in by_size:
        rss = by_size[400]["max_rss_mb"]
        print(
            f"target 400 indikator < {MEMORY_TARGET_MB} MB: {'ya' if rss < MEMORY_TARGET_MB else 'TIDAK'}"
        )


if __name__ == "__main__":
    main()
