"""What /status shows, and how a line's status reads: pure functions of plain data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot import callbacks
from bot.callbacks import ReviewAction, StatusAction
from bot.domain.collection import LineStatus
from bot.domain.dates import format_short_day
from bot.messages import Button, Reply

LINE_ICONS: dict[str, str] = {
    LineStatus.OPEN: "⏳",
    LineStatus.SUBMITTED: "✅",
    LineStatus.FLAGGED: "⚠️",
    LineStatus.ACCEPTED: "☑️",
    LineStatus.NO_DATA: "🚫",
}
LINE_LABELS: dict[str, str] = {
    LineStatus.OPEN: "belum diisi",
    LineStatus.SUBMITTED: "terkirim, menunggu pemeriksaan",
    LineStatus.FLAGGED: "perlu perbaikan",
    LineStatus.ACCEPTED: "diterima",
    LineStatus.NO_DATA: "tidak ada data",
}

NOT_VIEWER = "Maaf, /status hanya untuk Tim Laporan Kinerja, Pimpinan, dan Sekretaris."
NOT_FOUND = "Maaf, data ini tidak ditemukan."


@dataclass(frozen=True)
class UnitProgress:
    """One unit's counts in one cycle."""

    unit_id: int
    unit_name: str
    total: int
    answered: int  # submitted, flagged or accepted at least once
    accepted: int
    flagged: int
    overdue: int
    unit_code: str = ""


@dataclass(frozen=True)
class CycleProgress:
    """One open cycle as /status summarises it."""

    cycle_id: int
    period_label: str  # e.g. "Tahun 2026"
    deadline: date
    units: Sequence[UnitProgress]
    answered: int
    total: int
    has_rencana_aksi: bool


@dataclass(frozen=True)
class LineRow:
    """One indicator of a unit's page."""

    line_id: int
    code: str
    name: str
    status: str
    version: int
    overdue: bool


def _status_button(text: str, action: StatusAction, *ids: int) -> Button:
    return Button(text, data=callbacks.encode(callbacks.STATUS, action, *ids))


def no_cycles() -> Reply:
    """Say that nothing is being collected."""
    return Reply("Belum ada pengumpulan data yang berjalan. Mulai dengan /siklus.")


def overview(cycles: Sequence[CycleProgress]) -> Reply:
    """Every open cycle per unit, with a button per unit for the detail."""
    text: list[str] = []
    keyboard: list[list[Button]] = []
    for cycle in cycles:
        text.append(f"📊 {cycle.period_label} · batas {format_short_day(cycle.deadline)}")
        for progress in cycle.units:
            extra = []
            if progress.flagged:
                extra.append(f"⚠️ {progress.flagged} perlu perbaikan")
            if progress.overdue:
                extra.append(f"⏰ {progress.overdue} terlambat")
            text.append(
                f"• {progress.unit_name}: {progress.answered}/{progress.total} terisi, "
                f"{progress.accepted} diterima" + (f" · {', '.join(extra)}" if extra else "")
            )
            keyboard.append(
                [
                    _status_button(
                        f"{progress.unit_code}: {progress.answered}/{progress.total}",
                        StatusAction.UNIT,
                        cycle.cycle_id,
                        progress.unit_id,
                        0,
                    )
                ]
            )
        text.append(f"Jumlah: {cycle.answered}/{cycle.total} indikator terisi.\n")
        if cycle.has_rencana_aksi:
            keyboard.append(
                [
                    _status_button(
                        f"📥 Rencana Aksi {cycle.period_label}",
                        StatusAction.RENCANA_AKSI,
                        cycle.cycle_id,
                    )
                ]
            )
    return Reply("\n".join(text).rstrip(), keyboard)


def unit_page(
    *,
    unit_name: str,
    period_label: str,
    cycle_id: int,
    unit_id: int,
    page: int,
    pages: int,
    rows: Sequence[LineRow],
) -> Reply:
    """One page of a unit's indicators, each with a button to look, and the page turners."""
    text = [f"📋 {unit_name} · {period_label}", f"Halaman {page + 1}/{pages}"]
    keyboard: list[list[Button]] = []
    for row in rows:
        late = " ⏰" if row.overdue else ""
        version = f" v{row.version}" if row.version else ""
        text.append(f"{LINE_ICONS[row.status]} {row.code} — {row.name}{version}{late}")
        # Every line gets a button: answered ones show their versions, unanswered ones
        # let rendatin mark them "tidak ada data".
        keyboard.append(
            [
                Button(
                    f"🔎 {row.code}",
                    data=callbacks.encode(callbacks.REVIEW, ReviewAction.HISTORY, row.line_id),
                )
            ]
        )
    navigation = []
    if page > 0:
        navigation.append(
            _status_button("◀️ Sebelumnya", StatusAction.UNIT, cycle_id, unit_id, page - 1)
        )
    navigation.append(_status_button("↩️ Ringkasan", StatusAction.OVERVIEW))
    if page < pages - 1:
        navigation.append(
            _status_button("Berikutnya ▶️", StatusAction.UNIT, cycle_id, unit_id, page + 1)
        )
    keyboard.append(navigation)
    return Reply("\n".join(text), keyboard)
