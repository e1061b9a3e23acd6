"""The office's set-up in words: unit groups, the Perjanjian Kinerja template, the org file."""

from __future__ import annotations

from collections.abc import Sequence

GROUP_KASUBBAG_ONLY = "Maaf, hanya Kepala Sub Bagian yang dapat mendaftarkan grup unitnya."
GROUP_OF_ANOTHER_UNIT = "Grup ini sudah terdaftar untuk unit lain."
GROUP_COMMAND_IN_GROUP = "Kirim perintah ini di dalam grup Telegram unit Anda."
PK_HELP = (
    "Template Perjanjian Kinerja {year} terlampir. Isi satu baris per indikator (kode sasaran, "
    "sasaran, kode dan nama indikator, satuan, polaritas naik/turun, target, target Renstra, "
    "kode unit PIC, bukti wajib ya/tidak, realisasi tahun-tahun sebelumnya), lalu kirim "
    "berkasnya kembali ke saya. Bila ada kesalahan, saya sebutkan sel mana saja dan tidak ada "
    "yang diubah."
)


def group_registered(unit_name: str) -> str:
    """Confirm, in the group, that it is now the unit's group."""
    return (
        f"✅ Grup ini terdaftar sebagai grup {unit_name}. Nota Dinas dan pengingat akan "
        "dikirim juga ke sini; pengisian data tetap di percakapan pribadi dengan bot."
    )


def pk_template_caption(year: int) -> str:
    """The caption of the Perjanjian Kinerja template (Telegram allows 1,024 characters)."""
    return PK_HELP.format(year=year)[:1024]


def pk_template_filename(year: int) -> str:
    """The name of the Perjanjian Kinerja template as it is sent."""
    return f"Template Perjanjian Kinerja {year}.xlsx"


BUDGET_TEMPLATE_CAPTION = (
    "Isi pagu dan realisasi per program/kegiatan, dan pada kolom Sasaran kode sasaran yang "
    "didukung kegiatan itu (kosongkan untuk dukungan manajemen), lalu kirim kembali ke saya."
)


def budget_template_filename(year: int) -> str:
    """The name of the budget template as it is sent."""
    return f"Template Anggaran {year}.xlsx"


def import_summary(
    office_code: str,
    *,
    changed: bool,
    office_created: bool,
    created: Sequence[str],
    updated: Sequence[str],
    deactivated: Sequence[str],
    reactivated: Sequence[str],
) -> str:
    """Describe what an organisation import changed, in a few lines for the CLI."""
    if not changed:
        return f"{office_code}: tidak ada perubahan."
    lines = [f"{office_code}: " + ("dibuat." if office_created else "diperbarui.")]
    for label, items in (
        ("dibuat", created),
        ("diperbarui", updated),
        ("dinonaktifkan", deactivated),
        ("diaktifkan lagi", reactivated),
    ):
        if items:
            lines.append(f"  {label} ({len(items)}): " + "; ".join(items))
    return "\n".join(lines)
