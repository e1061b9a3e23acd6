"""What /analisis and the "tidak ada data" mark say (SOP steps 2a and 2c)."""

from __future__ import annotations

from bot.messages import Reply

NO_CYCLE_YET = "Belum ada pengumpulan data. Mulai dengan /siklus."
NOT_ANALYST = "Maaf, /analisis untuk Tim Laporan Kinerja, Pimpinan, dan Sekretaris."
CAPAIAN_CHART = "Capaian per indikator"
TREND_CHART = "Tren realisasi dari tahun ke tahun"
BUDGET_CHART = "Penyerapan anggaran dan capaian"
REASON_TOO_SHORT = "Mohon tulis alasan yang jelas (paling sedikit 5 huruf)."
NOTHING_BEING_MARKED = "Tidak ada indikator yang sedang ditandai."


def analysis_heading(period_label: str) -> str:
    """The first line of /analisis."""
    return f"📈 Analisis capaian kinerja {period_label}"


def missing_indicator(code: str, status: str) -> str:
    """An indicator the draft still waits for, with its status in words."""
    return f"{code} ({status})"


def already_accepted(code: str) -> str:
    """Refuse to mark an indicator whose data was accepted."""
    return f"{code} sudah berisi data yang diterima."


def ask_no_data_reason(code: str, unit_name: str) -> Reply:
    """Ask rendatin why an indicator will have no data in the report."""
    return Reply(
        f"Ketik alasan {code} ({unit_name}) dinyatakan tidak ada "
        "data. Alasan ini tercantum di laporan. Ketik /batal untuk membatalkan."
    )


def accepted_meanwhile(code: str) -> str:
    """Refuse the mark when the data was accepted while rendatin was typing."""
    return f"{code} baru saja diterima; tidak diubah."


def marked_no_data(code: str, reason: str) -> Reply:
    """Confirm the "tidak ada data" mark."""
    return Reply(f"{code} ditandai tidak ada data: {reason}")
