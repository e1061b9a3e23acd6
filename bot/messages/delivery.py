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
LETTER_ONLY_SIGNER = "Maaf, tombol ini untuk penandatangan Surat Pengantar."
PDF_FAILED = (
    "Mohon maaf, PDF surat atau laporan belum dapat dibuat saat ini. Tidak ada yang "
    "berubah; mohon tekan tombol ini kembali beberapa saat lagi."
)


SCAN_ONLY_TEAM_OR_SIGNER = (
    "Maaf, pindaian laporan bertanda tangan dilampirkan oleh Tim Laporan Kinerja atau "
    "penandatangannya."
)
SCAN_TOO_LATE = (
    "Pindaian hanya dapat dilampirkan setelah laporan ditandatangani dan sebelum dikirim ke "
    "KPU Provinsi."
)
SCAN_IS_A_FILE = Reply(
    "Lapkin menunggu pindaian laporan sebagai berkas PDF atau foto, bukan teks. "
    "Ketik /batal untuk membatalkan."
)
NOTHING_AWAITS_A_SCAN = "Tidak ada pindaian laporan yang sedang ditunggu."
SCAN_NOT_PDF_OR_IMAGE = (
    "Mohon maaf, berkas ini bukan PDF atau gambar yang dapat dibaca. Mohon kirim pindaian "
    "laporan dalam bentuk PDF atau foto (JPG/PNG); Lapkin masih menunggu pindaiannya. "
    "Ketik /batal untuk membatalkan."
)
ASK_SCAN = Reply(
    "Kirim pindaian laporan yang sudah ditandatangani basah dan distempel, sebagai PDF "
    "atau foto (JPG/PNG; foto diubah menjadi PDF). Pindaian inilah yang dikirim ke KPU "
    "Provinsi. Ketik /batal untuk membatalkan."
)


def scan_button(draft_id: int) -> Button:
    """Lampirkan pindaian, for the team and the signer."""
    return Button(
        "📎 Lampirkan pindaian bertanda tangan",
        data=callbacks.encode(callbacks.DELIVERY, DeliveryAction.SCAN, draft_id),
    )


def scan_attached(*, label: str, replaced: bool) -> Reply:
    """Confirm the scan to the person who sent it."""
    again = " (menggantikan pindaian sebelumnya)" if replaced else ""
    return Reply(
        f"📎 Pindaian Laporan Kinerja {label} tersimpan{again}. Pindaian inilah yang dikirim "
        "ke KPU Provinsi; berkas .docx tetap tersimpan di arsip.",
        notify=True,
    )


def scan_attached_notice(*, label: str, by: str, when: str) -> str:
    """Tell the others a scan now replaces the delivered report."""
    return (
        f"📎 {by} melampirkan pindaian Laporan Kinerja {label} yang ditandatangani basah dan "
        f"distempel ({when}). Pindaian inilah yang dikirim ke KPU Provinsi."
    )


def letter_awaits_approval(*, label: str, number: str, signer: str | None) -> str:
    """Refuse a second /kirim while the Surat Pengantar waits for its signer."""
    who = signer or "penandatangan"
    return (
        f"Surat Pengantar nomor {number} untuk Laporan Kinerja {label} masih menunggu "
        f"persetujuan {who}. Laporan dikirim ke KPU Provinsi setelah disetujui."
    )


def signer_unreachable(name: str | None) -> str:
    """Refuse /kirim while nobody registered can approve the Surat Pengantar."""
    if name is None:
        return "Penandatangan Surat Pengantar (Sekretaris) belum tercatat di berkas organisasi."
    return (
        f"{name} belum terdaftar di Lapkin, sehingga belum dapat menyetujui Surat Pengantar. "
        "Mohon minta beliau mendaftar terlebih dahulu."
    )


def letter_for_approval(
    *, label: str, number: str, by: str, acting: tuple[str, str] | None = None
) -> str:
    """Ask the signer (or his Plh./Plt.: ``acting`` is the title and the signer's name) to
    approve the Surat Pengantar (under the letter's file)."""
    head = (
        end_sentence(f"Bapak/Ibu ditunjuk sebagai {acting[0]} untuk {acting[1]}") + "\n"
        if acting
        else ""
    )
    return head + (
        f"✉️ Surat Pengantar nomor {number} untuk Laporan Kinerja {label} (terlampir di atas) "
        f"disiapkan oleh {by}. Mohon Bapak/Ibu setujui; setelah itu surat dan laporan "
        "dikirim ke KPU Provinsi dalam bentuk PDF."
    )


def approve_letter_button(delivery_id: int) -> Button:
    """Setujui, for the Surat Pengantar's signer."""
    return Button(
        "✅ Setujui Surat Pengantar",
        data=callbacks.encode(callbacks.DELIVERY, DeliveryAction.APPROVE_LETTER, delivery_id),
    )


def letter_sent_for_approval(*, number: str, signer: str) -> Reply:
    """Tell rendatin the letter waits for its signer."""
    return Reply(
        f"✉️ Surat Pengantar nomor {number} sudah dibuat dan dikirim kepada {signer} untuk "
        "disetujui. Laporan dikirim ke KPU Provinsi setelah beliau menyetujuinya; Anda akan "
        "diberi tahu.",
        notify=True,
    )


def letter_already_approved(when: str) -> str:
    """Refuse a second approval."""
    return f"Surat Pengantar ini sudah disetujui pada {when}."


def letter_approved_edit(*, number: str, when: str, by: str) -> str:
    """What the approval request becomes once approved (``by``: the name, and "(Plh.)")."""
    return f"✅ Surat Pengantar nomor {number} disetujui oleh {by} pada {when}."


def letter_approved(*, number: str, told: str) -> Reply:
    """Confirm the approval to the signer, with what happened to the package."""
    return Reply(f"✅ Terima kasih, Surat Pengantar nomor {number} Bapak/Ibu setujui.\n{told}")


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


def letter_items(
    *, office_name: str, label: str, year: int, indicators: int, evidence_files: int
) -> list[tuple[str, str, str]]:
    """The Surat Pengantar's table: (document, banyaknya, keterangan) per row.

    The signed LKjIP, the Perjanjian Kinerja behind it, and the units' data dukung, with
    their counts; the Keterangan is plain words (no checksums: the archive keeps those).
    """
    return [
        (
            f"Laporan Kinerja Instansi Pemerintah (LKjIP) {office_name} {label}",
            count_of(1, "berkas"),
            "Asli, ditandatangani dan distempel; dalam bentuk PDF",
        ),
        (
            f"Perjanjian Kinerja {office_name} Tahun {year}",
            count_of(1, "berkas"),
            f"Memuat {count_of(indicators, 'indikator kinerja')}; termuat dalam LKjIP",
        ),
        (
            "Data dukung capaian indikator kinerja",
            count_of(evidence_files, "berkas"),
            "Bukti dukung dari unit kerja; tersimpan dalam arsip dan dapat disampaikan "
            "bila diperlukan"
            if evidence_files
            else "Tidak ada berkas bukti dukung",
        ),
    ]


_ONES = [
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
]


def _in_words(number: int) -> str:
    """Say a count in Indonesian words ("tiga belas", "dua puluh satu", "seratus lima")."""
    if number < 12:
        return _ONES[number]
    if number < 20:
        return f"{_ONES[number - 10]} belas"
    if number < 100:
        tens, rest = divmod(number, 10)
        return f"{_ONES[tens]} puluh" + (f" {_ONES[rest]}" if rest else "")
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        head = "seratus" if hundreds == 1 else f"{_ONES[hundreds]} ratus"
        return head + (f" {_in_words(rest)}" if rest else "")
    return str(number)


def count_of(number: int, noun: str) -> str:
    """A count as letters write it: '1 (satu) berkas', '13 (tiga belas) indikator kinerja'."""
    return f"{number} ({_in_words(number)}) {noun}"


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
