"""The offices of one Telegram account in words: /kantor and a press of another office."""

from __future__ import annotations

from collections.abc import Sequence

from bot import callbacks
from bot.callbacks import OfficeAction
from bot.messages import Button, Keyboard, Reply

OTHER_OFFICE = "Maaf, tombol ini milik kantor yang tidak mencatat Anda sebagai pegawai."
NOT_YOUR_OFFICE = "Maaf, Anda tidak terdaftar sebagai pegawai kantor tersebut."
NO_LONGER_ACTIVE_THERE = "Maaf, data Anda di kantor tersebut sudah tidak aktif."


def office_choice(offices: Sequence[tuple[int, str]], *, current: int) -> Reply:
    """/kantor: the account's offices as buttons, the current one marked."""
    if len(offices) == 1:
        return Reply(f"Anda terdaftar di satu kantor: {offices[0][1]}.")
    current_name = next(name for office_id, name in offices if office_id == current)
    keyboard: Keyboard = [
        [
            Button(
                f"✅ {name}" if office_id == current else name,
                data=callbacks.encode(callbacks.OFFICE, OfficeAction.CHOOSE, office_id),
            )
        ]
        for office_id, name in offices
    ]
    return Reply(
        f"Saat ini Anda bekerja di {current_name}. Perintah Anda berlaku untuk kantor "
        "yang dipilih; tombol pada pesan selalu berlaku untuk kantor pesan itu.\n\n"
        "Pilih kantor:",
        keyboard,
    )


def office_chosen(name: str) -> str:
    """Confirm the office chosen with /kantor."""
    return f"Kantor Anda sekarang: {name}. Menu perintah sudah disesuaikan. Ketik /bantuan."
