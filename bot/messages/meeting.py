"""What the review meeting says (SOP step 2d): scheduling, invitations, input and minutes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot import callbacks
from bot.callbacks import MeetingAction
from bot.domain.dates import format_day
from bot.domain.formatting import format_datetime
from bot.messages import Button, Keyboard, Reply

ASK_WHEN = Reply(
    "Rapat reviu konsep laporan kinerja. Kapan rapatnya? Ketik tanggal dan jam, misalnya "
    "10-12-2026 09.00. Ketik /batal untuk membatalkan."
)
NOTHING_SCHEDULED = "Tidak ada rapat yang sedang dijadwalkan."
NOT_AHEAD = "Waktu rapat harus setelah saat ini."
PLACE_TOO_SHORT = "Mohon tulis tempat rapat (paling sedikit 3 huruf)."
ASK_AGENDA = Reply("Apa agendanya?")
AGENDA_TOO_SHORT = "Mohon tulis agenda rapat (paling sedikit 3 huruf)."
NOT_FOUND = "Maaf, rapat ini tidak ditemukan."
NOT_INVITED = "Maaf, Anda tidak termasuk undangan rapat ini."
ASK_INPUT = Reply(
    "Ketik masukan atau saran Anda untuk konsep laporan. Bila tentang satu indikator, awali "
    'dengan kodenya, misalnya "IK 3.1: penjelasan perlu rincian per triwulan". '
    "Ketik /batal untuk membatalkan."
)
INPUT_TOO_SHORT = "Mohon tulis masukan yang lebih lengkap (paling sedikit 5 huruf)."
NO_INPUT_IN_PROGRESS = "Tidak ada masukan yang sedang ditulis."
INPUT_RECORDED = Reply(
    "💬 Terima kasih, masukan Anda tercatat dan akan dimuat di lampiran konsep laporan."
)
ASK_MINUTES = Reply(
    "Ketik notulen rapat, atau kirim berkasnya (pdf atau docx). Ketik /batal untuk membatalkan."
)
MINUTES_TOO_SHORT = "Notulen terlalu singkat; mohon tulis lebih lengkap atau kirim berkasnya."
NO_MINUTES_IN_PROGRESS = "Tidak ada notulen yang sedang dicatat."
MINUTES_RECORDED = Reply("📝 Notulen tercatat. Rapat ditandai sudah berlangsung.")

_ANSWERS = {"hadir": "✅ hadir", "berhalangan": "❌ berhalangan", None: "⏳ belum menjawab"}


def _button(text: str, action: MeetingAction, meeting_id: int) -> Button:
    return Button(text, data=callbacks.encode(callbacks.MEETING, action, meeting_id))


def invitation_keyboard(meeting_id: int, *, ask_attendance: bool = True) -> Keyboard:
    """The invitation's buttons: Hadir and Berhalangan (until answered), Kirim masukan."""
    keyboard: list[list[Button]] = []
    if ask_attendance:
        keyboard.append(
            [
                _button("✅ Hadir", MeetingAction.ATTEND, meeting_id),
                _button("❌ Berhalangan", MeetingAction.DECLINE, meeting_id),
            ]
        )
    keyboard.append([_button("💬 Kirim masukan", MeetingAction.INPUT, meeting_id)])
    return keyboard


def meeting_status(
    *,
    meeting_id: int,
    starts_at: datetime,
    tz: ZoneInfo,
    place: str,
    agenda: str,
    invitees: Sequence[tuple[str, str | None]],
    inputs: int,
    minutes_recorded: bool,
) -> Reply:
    """Who comes, what was sent and whether the minutes are in; the button to record them.

    ``invitees`` are (name, answer) pairs; the answer is None until given.
    """
    lines = [
        f"🗓 Rapat reviu: {format_datetime(starts_at, tz)}",
        f"Tempat: {place}",
        f"Agenda: {agenda}",
        "",
        "Undangan:",
        *[f"• {name}: {_ANSWERS.get(answer, answer)}" for name, answer in invitees],
        "",
        f"Masukan tertulis: {inputs}",
        "Notulen: " + ("sudah dicatat" if minutes_recorded else "belum"),
    ]
    return Reply(
        "\n".join(lines), [[_button("📝 Catat notulen", MeetingAction.MINUTES, meeting_id)]]
    )


def ask_place(day: date, clock: time) -> Reply:
    """Confirm the meeting's time and ask where it is."""
    return Reply(
        f"Rapat {format_day(day)} pukul {clock:%H.%M}. Di mana tempatnya (atau tautan rapat daring)?"
    )


def invitation(*, starts_at: datetime, tz: ZoneInfo, place: str, agenda: str) -> str:
    """The invitation each Kasubbag and the Sekretaris receive."""
    return (
        f"📩 Undangan rapat reviu konsep Laporan Kinerja\n"
        f"Waktu: {format_datetime(starts_at, tz)}\nTempat: {place}\nAgenda: {agenda}\n\n"
        "Mohon konfirmasi kehadiran. Masukan atau saran tertulis dapat dikirim lewat tombol di bawah."
    )


def scheduled(*, starts_at: datetime, tz: ZoneInfo, place: str, invitees: int) -> Reply:
    """Tell rendatin the meeting is scheduled and the invitations are queued."""
    return Reply(
        f"✅ Rapat dijadwalkan {format_datetime(starts_at, tz)} di {place}; "
        f"undangan dikirim ke {invitees} orang. Ketik /rapat untuk melihat kehadiran.",
        notify=True,
    )


def answer_recorded(*, attending: bool) -> Reply:
    """Thank an invitee for their answer."""
    answer = "hadir" if attending else "berhalangan"
    return Reply(f"Terima kasih, jawaban Anda tercatat: {answer}.")


def unknown_indicator(code: str, year: int) -> str:
    """Refuse input about an indicator the year's Perjanjian Kinerja does not have."""
    return f"Indikator {code} tidak ada di Perjanjian Kinerja {year}. Periksa kodenya."


def minutes_attached(filename: str) -> str:
    """The minutes' text when they were sent as a file."""
    return f"Notulen terlampir: {filename}"
