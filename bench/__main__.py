"""Every speed and scale figure of issue 13 in one table: floor, measured, ratio, target.

    .venv/bin/python -m bench              # all of them (about five minutes)
    .venv/bin/python -m bench --suite      # and `make test`'s wall time against its CPU time
    .venv/bin/python -m bench --only lkjip statements

Each figure is measured in this run against its floor from the same run (Telegram's own
rate, a bare python-telegram-bot bot, the same request at another size), so the ratios hold
on a busy machine where the seconds do not. The benchmarks themselves live beside this file
and print their own, more detailed tables; bench/README.md records the results.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


@dataclass(frozen=True)
class Figure:
    """One row of the table."""

    name: str
    floor: str
    measured: str
    ratio: str
    target: str
    met: bool | None  # None: reported, no target


def _broadcast() -> Iterator[Figure]:
    from bench.bench_broadcast import run

    row = asyncio.run(run("after", 300, 1.0))
    yield Figure(
        f"Nota Dinas to 300 recipients ({row['messages']:.0f} messages)",
        f"{row['messages']:.0f} / 30 per s = {row['floor']:.1f} s",
        f"{row['seconds']:.1f} s, {row['refused']:.0f} answered 429",
        f"{row['ratio']:.2f}×",
        "≤ 1.1×, no 429",
        row["ratio"] <= 1.1 and row["refused"] == 0,
    )
    yield Figure(
        "reply p95 while that broadcast runs (5 people typing)",
        f"same replies, idle: {row['idle_p95']:.0f} ms",
        f"{row['busy_p95']:.0f} ms",
        f"{row['busy_p95'] / row['idle_p95']:.2f}×",
        "reported",
        None,
    )


def _update() -> Iterator[Figure]:
    from bench.bench_update import measure

    echo, lapkin = asyncio.run(measure(1000, 300))
    cpu = lapkin["cpu_ms"] / echo["cpu_ms"]
    yield Figure(
        "CPU per update, a text from a registered person",
        f"echo bot {echo['cpu_ms']:.2f} ms",
        f"{lapkin['cpu_ms']:.2f} ms",
        f"{cpu:.2f}×",
        "≤ 1.3×",
        cpu <= 1.3,
    )
    yield Figure(
        "answer p95 latency, same",
        f"echo bot {echo['p95_ms']:.1f} ms",
        f"{lapkin['p95_ms']:.1f} ms",
        f"{lapkin['p95_ms'] / echo['p95_ms']:.2f}×",
        "reported",
        None,
    )
    yield Figure(
        "idle RSS with 1,000 people",
        f"echo bot {echo['rss_mb']:.0f} MB",
        f"{lapkin['rss_mb']:.0f} MB",
        f"{lapkin['rss_mb'] / echo['rss_mb']:.2f}×",
        "< 120 MB",
        lapkin["rss_mb"] < 120,
    )


def _startup() -> Iterator[Figure]:
    from bench.bench_startup import measure

    floor, rows = asyncio.run(measure(14_000))
    by_label = dict(rows)
    first = by_label["Lapkin, first start"]
    unchanged = by_label["Lapkin, nothing changed"]
    yield Figure(
        "start-up with 14,000 people, until polling",
        f"bare PTB {floor:.3f} s",
        f"{first[0]:.3f} s (menus beside the bot: {first[1]:.1f} s, {first[2]} set)",
        f"{first[0] / floor:.1f}×",
        "< 5 s",
        first[0] < 5,
    )
    yield Figure(
        "the next start, nothing changed",
        f"bare PTB {floor:.3f} s",
        f"{unchanged[0]:.3f} s, {unchanged[2]} menus set",
        f"{unchanged[0] / floor:.1f}×",
        "< 5 s, no menu set",
        unchanged[0] < 5 and unchanged[2] == 0,
    )


def _lkjip() -> Iterator[Figure]:
    from bench.bench_lkjip import TARGETS, measure_sizes

    for row in measure_sizes(list(TARGETS)):
        size = int(row["indicators"])
        limit = TARGETS[size]
        worst = max(row["seconds"], row["again_seconds"])
        yield Figure(
            f"LKjIP, {size} indicators ({row['charts']:.0f} charts)",
            f"target {limit:g} s",
            f"{row['seconds']:.2f} s first ({row['cpu_seconds']:.2f} s CPU with "
            f"{row['workers']:.0f} chart workers), {row['again_seconds']:.2f} s again",
            f"{row['seconds'] / limit:.2f}× the target",
            f"< {limit:g} s",
            worst < limit,
        )


def _statements() -> Iterator[Figure]:
    test = "tests/storage/test_statement_counts.py"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", test, "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "no output"
    yield Figure(
        "statements per request (Kirim, /isi, /status, a unit page, the sweep, …)",
        "the same request in an office of 2 × 3 × 2",
        summary,
        "equal" if result.returncode == 0 else "differ",
        "equal at 6 × 9 × 4",
        result.returncode == 0,
    )


def _suite() -> Iterator[Figure]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(["make", "test"], cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    cores = len(os.sched_getaffinity(0))
    yield Figure(
        f"`make test`, SQLite and PostgreSQL ({'passed' if result.returncode == 0 else 'FAILED'})",
        f"its CPU time on {cores} cores: {cpu / 60:.1f} min",
        f"{wall / 60:.1f} min wall",
        f"{wall / cpu:.2f}× (wall × cores / CPU: {wall * cores / cpu:.2f})",
        "≤ 1.6×",
        wall / cpu <= 1.6 and result.returncode == 0,
    )


MEASURES: dict[str, Callable[[], Iterator[Figure]]] = {
    "broadcast": _broadcast,
    "update": _update,
    "startup": _startup,
    "lkjip": _lkjip,
    "statements": _statements,
    "suite": _suite,
}


def _verdict(met: bool | None) -> str:
    return "—" if met is None else ("yes" if met else "**no**")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=list(MEASURES), help="these figures only")
    parser.add_argument("--suite", action="store_true", help="also time `make test` (minutes)")
    args = parser.parse_args()
    chosen = args.only or [name for name in MEASURES if name != "suite" or args.suite]
    os.chdir(ROOT)
    print("| figure | floor (same run) | measured | ratio | target | met |")
    print("|---|---|---|---|---|---|")
    for name in chosen:
        for figure in MEASURES[name]():
            print(
                f"| {figure.name} | {figure.floor} | {figure.measured} | {figure.ratio} "
                f"| {figure.target} | {_verdict(figure.met)} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
