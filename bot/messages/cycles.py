"""What the bot tells people on its own initiative (through the outbox): pure functions."""

from __future__ import annotations

from collections.abc import Sequence

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
