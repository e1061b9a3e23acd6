"""What the provincial view (/pantau) and its reminders say to the KPU Provinsi."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

from bot.domain.dates import format_day
from bot.domain.formatting import format_datetime
from bot.domain.province import ChildCycle, ChildStage, share

NOT_VIEWER = (
    "Maaf, /pantau hanya untuk penerima di KPU Provinsi, Tim Rendatin, Sekretaris dan "
    "Pimpinan KPU Provinsi."
)
NO_CHILDREN = (
    "Maaf, /pantau hanya untuk KPU Provinsi yang membawahi kabupaten/kota di Lapkin ini; "
    "kantor Anda tidak membawahi kabupaten/kota."
)
USAGE = "Tulis /pantau untuk tahun terakhir, atau /pantau 2026 untuk satu tahun."
YEAR_UNREADABLE = f"Maaf, tahun tidak dapat dibaca. {USAGE}"
CHART_CAPTION = "Kemajuan siklus kabupaten/kota: indikator terjawab dan diterima"
WORKBOOK_CAPTION = "Waktu langkah SOP setiap kabupaten/kota, berdampingan (angka /kepatuhan)."
READ_ONLY = "Tampilan ini hanya untuk dibaca: data kabupaten/kota diubah oleh kantor itu sendiri."

STAGE_LABELS = {
    ChildStage.NOT_STARTED: "belum memulai siklus",
    ChildStage.NOTA_DINAS: "Nota Dinas belum dikirim",
    ChildStage.COLLECTING: "pengumpulan data",
    ChildStage.DRAFTING: "penyusunan konsep",
    ChildStage.PARAF: "paraf Kasubbag",
    ChildStage.SIGNATURE: "menunggu tanda tangan Sekretaris",
    ChildStage.SIGNED: "ditandatangani, belum dikirim",
    ChildStage.SENT: "dikirim, menunggu Terima",
    ChildStage.RECEIVED: "diterima",
}


def overview(
    *, parent_name: str, year: int, children: Sequence[ChildCycle], today: date, tz: ZoneInfo
) -> str:
    """The /pantau message: one paragraph per kabupaten/kota."""
    late = sum(1 for child in children if child.late(today))
    received = sum(1 for child in children if child.received_at is not None)
    lines = [
        f"🗺️ Pantauan Laporan Kinerja Tahun {year} — {parent_name}",
        f"{len(children)} kabupaten/kota · {received} laporan diterima · {late} terlambat",
        "",
    ]
    for child in children:
        lines += [*_child_lines(child, today=today, tz=tz), ""]
    lines.append(READ_ONLY)
    return "\n".join(lines)


def _child_lines(child: ChildCycle, *, today: date, tz: ZoneInfo) -> list[str]:
    mark = "⚠️" if child.late(today) else "✅" if child.received_at else "•"
    head = f"{mark} {child.office_name}: {STAGE_LABELS[child.stage]}"
    late = " — TERLAMBAT" if child.late(today) else ""
    if child.period_label is None:
        return [head, f"   batas kirim {format_day(child.deadline)}{late}"]
    nota = (
        f"Nota Dinas {format_datetime(child.nota_dinas_sent_at, tz)}"
        if child.nota_dinas_sent_at
        else "Nota Dinas belum dikirim"
    )
    data = (
        f"terjawab {share(child.answered, child.indicators)}%, "
        f"diterima {share(child.accepted, child.indicators)}% dari {child.indicators} indikator"
    )
    lines = [head, f"   {nota}; {data}"]
    if child.draft_version is not None:
        lines.append(
            f"   konsep versi {child.draft_version}; paraf/tanda tangan "
            f"{child.decided}/{child.reviewers}"
        )
    steps = []
    if child.signed_at:
        steps.append(f"ditandatangani {format_datetime(child.signed_at, tz)}")
    if child.sent_at:
        steps.append(f"dikirim {format_datetime(child.sent_at, tz)}")
    if child.received_at:
        steps.append(f"diterima {format_datetime(child.received_at, tz)}")
    if steps:
        lines.append("   " + "; ".join(steps))
    lines.append(f"   batas kirim {format_day(child.deadline)}{late}")
    return lines


def workbook_filename(parent_name: str, year: int) -> str:
    """The name of the side-by-side workbook."""
    return f"Pantauan {parent_name} {year}.xlsx"


def late_reminder(*, year: int, children: Sequence[ChildCycle]) -> str:
    """The daily reminder to the provinsi people: which children's reports are late."""
    names = "\n".join(
        f"• {child.office_name} (batas kirim {format_day(child.deadline)}; "
        f"{STAGE_LABELS[child.stage]})"
        for child in children
    )
    return (
        f"⏰ Laporan Kinerja Tahun {year} yang belum dikirim melewati batas kirim:\n{names}\n"
        "Lihat rinciannya dengan /pantau."
    )
