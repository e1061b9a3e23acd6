"""SOP step 1 in words and buttons: /siklus, the Nota Dinas preview, the units' requests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from bot import callbacks
from bot.callbacks import CycleAction
from bot.domain.dates import format_day
from bot.domain.formatting import end_sentence
from bot.domain.numbers import format_number
from bot.domain.periods import Period
from bot.messages import Button, Keyboard, Reply

# The periods in the order their buttons carry them (cy:p:<year>:<index>).
PERIODS = list(Period)

TEMPLATE_CAPTION = (
    'Template isian untuk unit Anda. Anda dapat mengisi data lewat tombol "Mulai isi data", '
    "atau mengisi template ini lalu mengirimkannya kembali ke bot."
)
GROUP_PRIVATE_HINT = (
    "Pengisian data dilakukan di percakapan pribadi dengan bot, agar data tiap pegawai tetap "
    "terjaga. Tekan tombol di bawah."
)


def unit_request(
    *,
    unit_name: str,
    period_label: str,
    nomor: str,
    deadline_text: str,
    indicators: Sequence[tuple[str, str, str]],
) -> str:
    """The data request each unit receives with the Nota Dinas."""
    lines = [
        f"📨 Permintaan data capaian kinerja {period_label}",
        f"Nota Dinas nomor {nomor}",
        f"Untuk: {unit_name}",
        f"Batas waktu: {deadline_text}",
        "",
        f"Indikator yang menjadi tanggung jawab unit Anda ({len(indicators)}):",
    ]
    lines += [f"• {code} — {name} (target {target})" for code, name, target in indicators]
    lines += ["", 'Tekan "Mulai isi data" untuk mengisi, atau kirim kembali template terlampir.']
    return "\n".join(lines)


def cycle_sent(*, nomor: str, units: int, recipients: int) -> str:
    """Tell the rendatin team the Nota Dinas went out, with the Rencana Aksi attached."""
    return (
        f"✅ Nota Dinas {nomor} telah dikirim ke {units} unit ({recipients} penerima). "
        "Terlampir Rencana Aksi pengumpulan data."
    )


RENCANA_AKSI_TITLE = "Rencana Aksi Pengumpulan Data Kinerja"
NOT_ENTERED_YET = "Belum diisi"  # a Rencana Aksi row's status when the cycle opens


def period_label(period: Period, year: int) -> str:
    """Name a cycle's period: "Tahun 2026", "Triwulan I Tahun 2026"."""
    return period.named(year)


def target_text(low: Decimal, high: Decimal, satuan: str) -> str:
    """Write an indicator's target with its unit: "85,5 %", a range as "80–90 %"."""
    low_text, high_text = format_number(low), format_number(high)
    value = low_text if low_text == high_text else f"{low_text}–{high_text}"
    return f"{value} {satuan}".strip()


def start_entry_keyboard(cycle_id: int) -> Keyboard:
    """The button under a unit member's data request: open the entry menu."""
    data = callbacks.encode(callbacks.ENTRY, callbacks.EntryAction.MENU, cycle_id)
    return [[Button("✍️ Mulai isi data", data=data)]]


def group_keyboard(bot_username: str) -> Keyboard:
    """The button under a unit group's data request: entry happens in the private chat."""
    link = f"https://t.me/{bot_username}?start=isi"
    return [[Button("✍️ Isi data di percakapan pribadi", url=link)]]


def group_request(listing: str) -> str:
    """The data request as a unit's group reads it: the listing and where to answer."""
    return listing + "\n\n" + GROUP_PRIVATE_HINT


def nota_dinas_caption(nomor: str, *, pdf: bool = False) -> str:
    """The caption of the Nota Dinas file each recipient receives."""
    return f"Nota Dinas {nomor} (PDF)" if pdf else f"Nota Dinas {nomor}"


def nota_dinas_filename(*, nomor: str, period_label: str) -> str:
    """The name of the numbered Nota Dinas (.docx) as it is sent."""
    return f"Nota Dinas {nomor.replace('/', '-')} - Permintaan Data Kinerja {period_label}.docx"


def preview_filename(*, period_label: str) -> str:
    """The name of the Nota Dinas shown to rendatin before it is numbered."""
    return f"Nota Dinas - {period_label} (pratinjau).docx"


def entry_workbook_filename(*, unit_code: str, period_label: str) -> str:
    """The name of a unit's entry template."""
    return f"Isian Kinerja {unit_code} {period_label}.xlsx"


def rencana_aksi_filename(*, period_label: str) -> str:
    """The name of the cycle's Rencana Aksi workbook."""
    return f"Rencana Aksi {period_label}.xlsx"


# --- /siklus: rendatin chooses the period and deadline, checks the preview, sends it.

PERIOD_QUESTION = "Pengumpulan data untuk periode apa?"
DEADLINE_NOT_AFTER_TODAY = "Batas waktu harus setelah hari ini."
ALREADY_PREPARED = "Siklus yang sama baru saja disiapkan oleh anggota Tim lain."
PREVIEW_GONE = "Pratinjau ini sudah tidak berlaku (sudah dikirim atau dibatalkan)."
ALREADY_SENT_OR_CANCELLED = "Nota Dinas ini sudah dikirim, diajukan, atau dibatalkan."
RENCANA_AKSI_MISSING = "Rencana Aksi siklus ini tidak ditemukan."
SENT_TOAST = "Nota Dinas dikirim."
CANCELLED_TOAST = "Dibatalkan."
CANCELLED = "Pratinjau dibatalkan; tidak ada yang dikirim."


def no_perjanjian(year: int) -> str:
    """Refuse a cycle for a year whose Perjanjian Kinerja is not imported."""
    return (
        f"Belum ada Perjanjian Kinerja tahun {year}. Kirim berkas PK (.xlsx) ke bot "
        "atau impor lewat perintah pk import terlebih dahulu."
    )


def already_running(period_label: str) -> str:
    """Refuse a second cycle for a period that is already collecting."""
    return f"Siklus {period_label} sudah berjalan. Lihat /status untuk kemajuannya."


def period_choice(choices: Sequence[tuple[int, Period]]) -> Reply:
    """Ask which period to collect, a button per (year, period)."""
    keyboard = [
        [
            Button(
                period.named(year),
                data=callbacks.encode(
                    callbacks.CYCLE, CycleAction.PERIOD, year, PERIODS.index(period)
                ),
            )
        ]
        for year, period in choices
    ]
    return Reply(PERIOD_QUESTION, keyboard)


def deadline_question(*, year: int, period: Period, suggested: date) -> Reply:
    """Ask for the deadline, offering the SOP's suggestion as a button."""
    stamp = int(suggested.strftime("%Y%m%d"))
    data = callbacks.encode(
        callbacks.CYCLE, CycleAction.DEADLINE, year, PERIODS.index(period), stamp
    )
    return Reply(
        f"Periode: {period.named(year)}.\nBatas waktu pengisian? Usulan SOP: 7 hari kerja, yaitu "
        f"{format_day(suggested)}.\nTekan tombol, atau ketik tanggal lain (misalnya 10-12-2026).",
        [[Button(f"Gunakan {format_day(suggested)}", data=data)]],
    )


def preview(
    *, year: int, period: Period, deadline: date, units: Sequence[tuple[str, int]], cycle_id: int
) -> Reply:
    """The caption and buttons under the Nota Dinas preview: Kirim or Batal."""
    listing = "\n".join(f"• {name}: {count} indikator" for name, count in units)
    caption = (
        f"Pratinjau Nota Dinas — {period.named(year)}\nBatas waktu: {format_day(deadline)}\n"
        f"{listing}\n\nPeriksa dokumennya. Nomor surat diberikan saat dikirim."
    )
    keyboard = [
        [
            Button("📤 Kirim", data=callbacks.encode(callbacks.CYCLE, CycleAction.SEND, cycle_id)),
            Button("Batal", data=callbacks.encode(callbacks.CYCLE, CycleAction.CANCEL, cycle_id)),
        ]
    ]
    return Reply(caption, keyboard)


def sending(*, nomor: str, units: int, recipients: int) -> str:
    """Tell the sender the Nota Dinas is on its way."""
    return (
        f"📤 Nota Dinas {nomor} sedang dikirim ke {units} unit "
        f"({recipients} penerima). Rencana Aksi menyusul. Pantau kemajuannya dengan /status."
    )


# --- The signer's approval: a Nota Dinas prepared by another member of the team waits for
# the Ketua Tim's "Setujui" before it is numbered and sent.

NOT_SIGNER = "Maaf, tombol ini untuk penandatangan Nota Dinas (atau Plh./Plt.-nya)."
ASK_RETURN_REASON = (
    "Ketik alasan Nota Dinas dikembalikan; alasan ini diteruskan kepada penyusunnya. "
    "Ketik /batal untuk membatalkan."
)
RETURN_REASON_TOO_SHORT = "Mohon tuliskan alasan pengembalian dengan lebih jelas (minimal 5 huruf)."
NOTHING_BEING_RETURNED = "Tidak ada Nota Dinas yang sedang dikembalikan."
ALREADY_DECIDED = "Permintaan persetujuan Nota Dinas ini sudah diputuskan; tidak ada yang berubah."
SUBMITTED_TOAST = "Diajukan kepada penandatangan."


def signer_unreachable(signer: str) -> str:
    """Refuse Kirim when the signer (and any Plh./Plt.) cannot receive the request."""
    return (
        f"Nota Dinas belum dapat diajukan: Bapak/Ibu {signer}, penandatangannya, belum "
        "terdaftar di bot. Mohon minta admin mengundang beliau, atau menunjuk Plh./Plt. "
        "dengan /delegasi."
    )


def awaiting_signer(*, period_label: str, signer: str) -> str:
    """Tell the preparer the Nota Dinas went to its signer, not yet to the units."""
    return (
        f"⏳ Nota Dinas {period_label} menunggu persetujuan "
        + end_sentence(f"Bapak/Ibu {signer}")
        + " Nomor surat diberikan dan Nota Dinas dikirim ke unit setelah beliau menyetujuinya; "
        "Anda akan diberi tahu."
    )


def approval_request(
    *,
    cycle_id: int,
    period_label: str,
    deadline: date,
    units: Sequence[tuple[str, int]],
    by: str,
    acting: tuple[str, str] | None = None,
) -> Reply:
    """The caption and buttons under the Nota Dinas sent to its signer (or her Plh./Plt.:
    ``acting`` is the title and the signer's name)."""
    head = (
        end_sentence(f"Bapak/Ibu ditunjuk sebagai {acting[0]} untuk {acting[1]}") + "\n"
        if acting
        else ""
    )
    listing = "\n".join(f"• {name}: {count} indikator" for name, count in units)
    caption = (
        f"{head}✉️ Nota Dinas permintaan data {period_label} disiapkan oleh {by}.\n"
        f"Batas waktu: {format_day(deadline)}\n{listing}\n\n"
        "Mohon Bapak/Ibu periksa dan setujui. Setelah disetujui, Nota Dinas diberi nomor "
        "dan dikirim ke unit."
    )
    return Reply(caption[:1024], approval_keyboard(cycle_id))


def approval_keyboard(cycle_id: int) -> Keyboard:
    """Setujui / Kembalikan: under the request, and under its reminders."""
    return [
        [
            Button(
                "✅ Setujui", data=callbacks.encode(callbacks.CYCLE, CycleAction.APPROVE, cycle_id)
            ),
            Button(
                "↩️ Kembalikan",
                data=callbacks.encode(callbacks.CYCLE, CycleAction.RETURN, cycle_id),
            ),
        ]
    ]


def approval_filename(*, period_label: str) -> str:
    """The name of the unnumbered Nota Dinas the signer checks."""
    return f"Nota Dinas - {period_label} (untuk disetujui).docx"


def request_gone(status: str, nomor: str | None) -> str:
    """Refuse a press on a request that no longer stands (``status``: the cycle's now)."""
    if status in ("open", "closed"):
        return f"Nota Dinas ini sudah disetujui dan dikirim (nomor {nomor})."
    if status == "draft":
        return "Nota Dinas ini sudah dikembalikan kepada penyusunnya; tidak ada yang berubah."
    return "Permintaan persetujuan ini sudah tidak berlaku (Nota Dinas dibatalkan)."


def approved(*, nomor: str, units: int, recipients: int) -> Reply:
    """Thank the signer: the Nota Dinas is numbered and on its way."""
    return Reply(
        f"✅ Terima kasih, Nota Dinas nomor {nomor} Bapak/Ibu setujui dan sedang dikirim ke "
        f"{units} unit ({recipients} penerima).",
        notify=True,
    )


def approved_to_preparer(*, period_label: str, nomor: str, signer: str) -> str:
    """Tell the preparer the signer approved: the letter's number."""
    return (
        end_sentence(f"✅ Nota Dinas {period_label} disetujui oleh {signer}")
        + f" Nomor surat: {nomor}. Nota Dinas sedang dikirim ke unit; pantau kemajuannya dengan /status."
    )


def approved_edit(*, nomor: str, by: str, when: str) -> str:
    """What the approval request becomes once approved."""
    return f"✅ Nota Dinas nomor {nomor} disetujui oleh {by} pada {when}."


def returned_edit(*, by: str, when: str, reason: str) -> str:
    """What the approval request becomes once returned."""
    return f"↩️ Nota Dinas dikembalikan oleh {by} pada {when}: {reason}"


WITHDRAWN_EDIT = "Permintaan persetujuan ini ditarik: penyusun menyiapkan Nota Dinas yang baru."


def returned(*, preparer: str) -> Reply:
    """Confirm the return to the signer."""
    return Reply(
        f"↩️ Nota Dinas dikembalikan kepada {preparer} beserta alasan Bapak/Ibu.", notify=True
    )


def returned_to_preparer(
    *, cycle_id: int, year: int, period: Period, by: str, reason: str
) -> Reply:
    """Tell the preparer why the signer returned the Nota Dinas, and what they may do."""
    text = (
        end_sentence(f"↩️ Nota Dinas {period.named(year)} dikembalikan oleh {by}")
        + f"\nAlasan: {reason}\n\n"
        'Tekan "Ubah batas waktu" untuk menyiapkan ulang dengan batas waktu lain, atau '
        '"Ajukan lagi" untuk mengajukan Nota Dinas yang sama.'
    )
    keyboard = [
        [
            Button(
                "🗓 Ubah batas waktu",
                data=callbacks.encode(
                    callbacks.CYCLE, CycleAction.PERIOD, year, PERIODS.index(period)
                ),
            )
        ],
        [
            Button(
                "📤 Ajukan lagi",
                data=callbacks.encode(callbacks.CYCLE, CycleAction.SEND, cycle_id),
            ),
            Button("Batal", data=callbacks.encode(callbacks.CYCLE, CycleAction.CANCEL, cycle_id)),
        ],
    ]
    return Reply(text, keyboard)
