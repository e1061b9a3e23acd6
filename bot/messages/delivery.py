"""The signed report's delivery and receipt (SOP step 5): pure functions of plain data."""

from __future__ import annotations

from collections.abc import Sequence

from bot import callbacks
from bot.callbacks import DeliveryAction
from bot.domain.formatting import end_sentence, join_words
from bot.messages import Button, Reply

RECEIVE_ONLY_PROVINSI = "Maaf, tombol ini untuk penerima di KPU Provinsi."
ALREADY_HANDED_OVER = "Penyerahan laporan ini sudah dicatat."
RECEIVER_NEEDED = "Mohon tulis nama penerima di KPU Provinsi."
NOTHING_BEING_HANDED_OVER = "Tidak ada penyerahan laporan yang sedang dicatat."
SEND_FIRST = "Kirim laporannya ke KPU Provinsi terlebih dahulu dengan /kirim."
ASK_RECEIVER = Reply(
    "Ketik nama (dan jabatan) penerima di KPU Provinsi. Waktu penyerahan dicatat "
    "sekarang. Ketik /batal untuk membatalkan."
)


def not_signed_yet(label: str) -> str:
    """Refuse to send a report the Sekretaris has not signed."""
    return (
        f"Laporan Kinerja {label} belum ditandatangani Sekretaris; kirim setelah "
        "ditandatangani (lihat /persetujuan)."
    )


def already_sent(label: str, when: str | None) -> str:
    """Refuse to send a report twice; ``when`` is the formatted time it was sent."""
    at = f" pada {when}" if when else ""
    return f"Laporan Kinerja {label} sudah dikirim{at}."


def already_received(when: str) -> str:
    """Refuse to record a receipt twice."""
    return f"Penerimaan laporan ini sudah tercatat pada {when}."


def late_note(deadline: str | None) -> str:
    """The warning added when the report leaves after its deadline (``None``: on time)."""
    return f"\n⚠️ Melewati batas waktu pengiriman ({deadline})." if deadline else ""


def to_provinsi(*, office_name: str, label: str, number: str) -> str:
    """The text under the package sent to KPU Provinsi, above its Terima button."""
    return (
        f"📨 {office_name} menyampaikan Laporan Kinerja {label} dengan Surat "
        f"Pengantar nomor {number} (terlampir di atas).\n"
        "Mohon tekan Terima sebagai tanda terima."
    )


def receive_button(delivery_id: int) -> Button:
    """Terima, for the provinsi recipient."""
    return Button(
        "✅ Terima", data=callbacks.encode(callbacks.DELIVERY, DeliveryAction.RECEIVE, delivery_id)
    )


def sent(*, number: str, label: str, recipients: Sequence[str], late: str) -> Reply:
    """Tell the sender the package went to the provinsi recipients."""
    return Reply(
        end_sentence(
            f"📨 Surat Pengantar nomor {number} dan Laporan Kinerja {label} dikirim "
            f"kepada {join_words(recipients)}"
        )
        + f" Anda akan diberi tahu saat diterima.{late}",
        notify=True,
    )


def to_team_by_hand(*, label: str, number: str) -> str:
    """The text under the package the team hands over, above its Sudah diserahkan button."""
    return (
        f"📦 Paket Laporan Kinerja {label} (Surat Pengantar nomor {number} "
        "dan laporan bertanda tangan) terlampir di atas. Serahkan ke KPU Provinsi "
        "(surel atau langsung), lalu tekan “Sudah diserahkan” dan tuliskan nama "
        "penerimanya."
    )


def by_hand_button(delivery_id: int) -> Button:
    """Sudah diserahkan, for the team."""
    return Button(
        "📬 Sudah diserahkan",
        data=callbacks.encode(callbacks.DELIVERY, DeliveryAction.BY_HAND, delivery_id),
    )


def made_for_hand_delivery(*, number: str, late: str) -> Reply:
    """Tell the sender nobody at the provinsi is registered: the team hands it over."""
    return Reply(
        f"📦 Surat Pengantar nomor {number} sudah dibuat. Belum ada penerima KPU "
        "Provinsi yang terdaftar di Lapkin, jadi paketnya dikirim ke Tim untuk "
        f"diserahkan langsung.{late}",
        notify=True,
    )


def letter_item(*, office_name: str, label: str) -> str:
    """The Surat Pengantar's line for the signed report."""
    return f"Laporan Kinerja (LKjIP) {office_name} {label}, ditandatangani"


def letter_item_note(sha256: str) -> str:
    """The Surat Pengantar's note on the signed report: where it went, its checksum."""
    return f"Dikirim melalui Lapkin; SHA-256 {sha256[:16]}…"


def package_names(*, office_name: str, label: str) -> tuple[str, str, str, str]:
    """The file names of the package: letter docx and pdf, report docx and pdf."""
    letter = f"Surat Pengantar LKjIP {office_name} {label}"
    report = f"LKjIP {office_name} {label}"
    return f"{letter}.docx", f"{letter}.pdf", f"{report}.docx", f"{report}.pdf"


def received(when: str) -> Reply:
    """Thank the provinsi recipient for the Terima."""
    return Reply(f"✅ Terima kasih. Penerimaan Laporan Kinerja tercatat pada {when}.", notify=True)


def handed_over(*, receiver: str, when: str, by: str) -> Reply:
    """Confirm a delivery by hand to the team member who recorded it."""
    return Reply(
        f"✅ Penyerahan kepada {receiver} tercatat pada {when}, "
        f"{end_sentence(f'diserahkan oleh {by}')} Siklus ini sudah diarsipkan.",
        notify=True,
    )


def receipt_done(*, by_telegram: bool, received_by: str, delivered_by: str, when: str) -> str:
    """What the delivery's buttons are edited to once the receipt is recorded."""
    if by_telegram:
        return f"✅ Diterima oleh {received_by} pada {when}."
    return f"✅ Diserahkan oleh {delivered_by} kepada {received_by} pada {when}."


def receipt_to_team(*, label: str, done: str, files: int) -> str:
    """Tell the team the report arrived and the cycle is archived."""
    return (
        f"📬 Laporan Kinerja {label}: {done[2:]}\n🗄️ Siklus diarsipkan ({files} berkas "
        "dengan checksum). Lihat dengan /arsip."
    )


def archived(*, label: str, files: int) -> Reply:
    """Confirm /arsipkan."""
    return Reply(
        f"🗄️ {label} diarsipkan: {files} berkas dengan checksum SHA-256. Lihat dengan /arsip.",
        notify=True,
    )
