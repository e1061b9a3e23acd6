"""What the reminders say: the sweep's reminders and digests, /pengingat and /ringkasan.

Pure functions of plain data; bot/services/reminder_sweep.py and reminder_commands.py
decide who is reminded of what, and when.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot import callbacks
from bot.callbacks import EntryAction, ReminderAction
from bot.domain.approval import Stage
from bot.domain.dates import format_day
from bot.domain.formatting import format_datetime
from bot.domain.reminders import UnitDue
from bot.messages import Button, Keyboard, Reply
from bot.messages.meeting import invitation_keyboard

MAX_LISTED = 20  # indicators listed in one reminder; the rest are counted

CONTINUE_BUTTON = Button(
    "✍️ Lanjutkan pengisian", data=callbacks.encode(callbacks.ENTRY, EntryAction.MENU)
)
STATUS_BUTTON = Button(
    "📊 Lihat status", data=callbacks.encode(callbacks.STATUS, callbacks.StatusAction.OVERVIEW)
)
APPROVALS_BUTTON = Button(
    "Lihat yang menunggu",
    data=callbacks.encode(callbacks.APPROVAL, callbacks.ApprovalAction.WAITING),
)
STAGE_WORDS = {Stage.KASUBBAG: "paraf", Stage.SEKRETARIS: "tanda tangan"}


@dataclass(frozen=True)
class OwedIndicator:
    """An indicator a unit still owes, as its reminder lists it."""

    icon: str
    code: str
    name: str
    status: str  # the line's status, in words


@dataclass(frozen=True)
class OwingUnit:
    """A unit that still owes data, as rendatin's digests list it."""

    name: str
    owed: int  # indicators not yet complete
    days_late: int  # working days past the deadline; 0 until then
    pause_reason: str | None  # why rendatin paused its reminders; None when running


@dataclass(frozen=True)
class WaitingApproval:
    """A reviewer's undecided paraf or signature."""

    reviewer: str
    stage: Stage
    version: int
    since: datetime
    overdue: bool  # past the SOP's time for the stage


@dataclass(frozen=True)
class CycleProgress:
    """An open cycle in the morning digest."""

    period_label: str
    deadline: date
    complete: int
    total: int
    owing: Sequence[OwingUnit]


# --------------------------------------------------------------------------- the sweep's


def _short(name: str, limit: int = 120) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _owed_lines(owed: Sequence[OwedIndicator]) -> list[str]:
    shown = [
        f"{line.icon} {line.code} — {_short(line.name)} ({line.status})"
        for line in owed[:MAX_LISTED]
    ]
    if len(owed) > MAX_LISTED:
        shown.append(f"… dan {len(owed) - MAX_LISTED} indikator lainnya")
    return shown


def unit_reminder(
    *,
    period_label: str,
    person_name: str,
    unit_name: str,
    owed: Sequence[OwedIndicator],
    deadline: date,
    due: UnitDue,
    escalation: bool,
) -> str:
    """A unit's reminder: what is missing, by when, and what to do."""
    day = format_day(deadline)
    if due.overdue:
        when = f"Batas waktu {day} telah lewat {due.overdue} hari kerja."
    elif due.days_left:
        when = f"Batas waktu: {day} ({due.days_left} hari kerja lagi)."
    else:
        when = f"Batas waktu: hari ini, {day}."
    lines = [
        f"🔔 Pengingat data capaian kinerja {period_label}",
        f"Yth. {person_name},",
        "",
        f"{unit_name} masih perlu melengkapi {len(owed)} indikator:",
        *_owed_lines(owed),
        "",
        when,
    ]
    if escalation:
        lines.append("Mohon bantuan Bapak/Ibu selaku Kasubbag agar data ini segera dilengkapi.")
    else:
        lines.append("Mohon dilengkapi melalui tombol di bawah. Terima kasih.")
    return "\n".join(lines)


def overdue_digest(
    *,
    today: date,
    late_units: Sequence[OwingUnit],
    late_approvals: Sequence[WaitingApproval],
    tz: ZoneInfo,
) -> str:
    """Rendatin's daily list of the late units and reviewers."""
    parts = [f"⏰ Rekap keterlambatan, {format_day(today)}"]
    if late_units:
        parts += ["", "Unit yang belum melengkapi data:"]
        parts += [
            f"• {unit.name}: {unit.owed} indikator belum lengkap, "
            f"terlambat {unit.days_late} hari kerja"
            + (f" · pengingat dijeda: {unit.pause_reason}" if unit.pause_reason is not None else "")
            for unit in late_units
        ]
    if late_approvals:
        parts += ["", "Persetujuan yang melewati batas waktu SOP:"]
        parts += [
            f"• {approval.reviewer}: {STAGE_WORDS[approval.stage]} konsep versi "
            f"{approval.version}, menunggu sejak {format_datetime(approval.since, tz)}"
            for approval in late_approvals
        ]
    return "\n".join(parts)


def _draft_about(period_label: str, version: int) -> str:
    return f"konsep Laporan Kinerja {period_label} versi {version}"


def review_reminder(
    *,
    period_label: str,
    version: int,
    stage: Stage,
    since: datetime,
    tz: ZoneInfo,
    allowed_minutes: int,
) -> str:
    """Remind a reviewer that a draft waits for their paraf or signature."""
    return (
        f"🔔 Pengingat: {_draft_about(period_label, version)} menunggu {STAGE_WORDS[stage]} "
        f"Bapak/Ibu sejak {format_datetime(since, tz)}.\n"
        f"Batas waktu SOP: {allowed_minutes} menit jam kerja. "
        "Mohon diperiksa melalui tombol di bawah. Terima kasih."
    )


def delegate_review_reminder(
    *,
    period_label: str,
    version: int,
    stage: Stage,
    reviewer: str,
    title: str,
    since: datetime,
    tz: ZoneInfo,
) -> str:
    """Remind a reviewer's Plh./Plt. that a draft waits for the reviewer."""
    return (
        f"🔔 Pengingat: {_draft_about(period_label, version)} menunggu {STAGE_WORDS[stage]} "
        f"{reviewer} sejak {format_datetime(since, tz)}. "
        f"Bapak/Ibu tercatat sebagai {title} untuk beliau; mohon diperiksa "
        "melalui tombol di bawah. Terima kasih."
    )


def nota_dinas_reminder(
    *, period_label: str, since: datetime, tz: ZoneInfo, acting: tuple[str, str] | None = None
) -> str:
    """Remind the Nota Dinas's signer (or her Plh./Plt.: ``acting`` is the title and her
    name) that a Nota Dinas waits for her approval before it is sent."""
    whose = f"persetujuan {acting[1]}" if acting else "persetujuan Bapak/Ibu"
    tail = f" Bapak/Ibu tercatat sebagai {acting[0]} untuk beliau." if acting else ""
    return (
        f"🔔 Pengingat: Nota Dinas permintaan data {period_label} menunggu {whose} sejak "
        f"{format_datetime(since, tz)}; unit belum menerimanya.{tail} Mohon setujui atau "
        "kembalikan melalui tombol di bawah. Terima kasih."
    )


def letter_reminder(
    *,
    label: str,
    number: str,
    since: datetime,
    tz: ZoneInfo,
    acting: tuple[str, str] | None = None,
) -> str:
    """Remind the Surat Pengantar's signer (or his Plh./Plt.: ``acting`` is the title and his
    name) that the signed report waits for his one tap before it goes to KPU Provinsi."""
    whose = f"persetujuan {acting[1]}" if acting else "persetujuan Bapak/Ibu"
    tail = f" Bapak/Ibu tercatat sebagai {acting[0]} untuk beliau." if acting else ""
    return (
        f"🔔 Pengingat: Surat Pengantar {number} untuk Laporan Kinerja {label} menunggu {whose} "
        f"sejak {format_datetime(since, tz)}; laporan belum dikirim ke KPU Provinsi.{tail} "
        "Mohon setujui melalui tombol di bawah agar laporan dapat dikirim. Terima kasih."
    )


def meeting_reminder(
    *, soon: bool, starts_at: datetime, tz: ZoneInfo, place: str, agenda: str, answered: bool
) -> str:
    """Remind an invitee of the review meeting (the day before, or shortly before)."""
    lead = (
        "Rapat reviu konsep Laporan Kinerja dimulai sebentar lagi."
        if soon
        else "Rapat reviu konsep Laporan Kinerja diadakan pada hari kerja berikutnya."
    )
    text = (
        f"🔔 Pengingat: {lead}\nWaktu: {format_datetime(starts_at, tz)}\n"
        f"Tempat: {place}\nAgenda: {agenda}"
    )
    return text if answered else text + "\nMohon konfirmasi kehadiran Bapak/Ibu."


def meeting_reminder_keyboard(meeting_id: int, *, answered: bool) -> Keyboard:
    """The invitation's buttons again; Hadir/Berhalangan only until the invitee answers."""
    return invitation_keyboard(meeting_id, ask_attendance=not answered)


def morning_digest(
    *,
    today: date,
    cycles: Sequence[CycleProgress],
    approvals: Sequence[WaitingApproval],
) -> str:
    """The morning summary of the office's cycles and approvals."""
    parts = [f"☀️ Ringkasan pagi, {format_day(today)}"]
    for cycle in cycles:
        parts += [
            "",
            f"📊 {cycle.period_label} · batas {format_day(cycle.deadline)}",
            f"Lengkap: {cycle.complete}/{cycle.total} indikator.",
        ]
        for unit in cycle.owing:
            late = f", terlambat {unit.days_late} hari kerja" if unit.days_late else ""
            note = (
                f" (pengingat dijeda: {unit.pause_reason})" if unit.pause_reason is not None else ""
            )
            parts.append(f"• {unit.name}: {unit.owed} belum lengkap{late}{note}")
    if not cycles:
        parts += ["", "Tidak ada pengumpulan data yang sedang berjalan."]
    if approvals:
        parts += ["", "Menunggu persetujuan:"]
        parts += [
            f"• {STAGE_WORDS[approval.stage]} {approval.reviewer} (konsep versi {approval.version})"
            + (" ⏰ melewati batas SOP" if approval.overdue else "")
            for approval in approvals
        ]
    return "\n".join(parts)


def digest_keyboard(*, sekretaris: bool) -> Keyboard:
    """The digest's buttons: the status, and for the Sekretaris what awaits a decision."""
    return [[STATUS_BUTTON], [APPROVALS_BUTTON]] if sekretaris else [[STATUS_BUTTON]]


SWEEP_FAILED = (
    "⚠️ Pengingat otomatis Lapkin gagal berjalan; lihat log bot. Pesan ini "
    "dikirim sekali sehari selama masalahnya ada."
)


# --------------------------------------------------------------------------- /pengingat

PAUSE_USAGE = (
    "Untuk menjeda pengingat sebuah unit: /pengingat jeda KODE_UNIT alasan\n"
    "Contoh: /pengingat jeda KUL sedang dinas luar sampai Jumat\n"
    "Untuk melanjutkan: /pengingat lanjut KODE_UNIT"
)
PAUSE_REASON_MISSING = "Mohon tuliskan alasan penjedaan.\n" + PAUSE_USAGE
UNIT_NOT_FOUND = "Maaf, unit ini tidak ditemukan."


@dataclass(frozen=True)
class UnitReminders:
    """A unit in /pengingat: running, or paused for a reason."""

    unit_id: int
    code: str
    name: str
    pause_reason: str | None


def _resume_button(unit_id: int, code: str) -> Button:
    return Button(
        f"▶️ Lanjutkan {code}",
        data=callbacks.encode(callbacks.REMINDER, ReminderAction.RESUME, unit_id),
    )


def pause_overview(units: Sequence[UnitReminders]) -> Reply:
    """Each unit's reminder state, with a button to resume each paused one."""
    lines = ["🔔 Pengingat unit:"]
    keyboard: list[list[Button]] = []
    for unit in units:
        if unit.pause_reason is None:
            lines.append(f"• {unit.code} — {unit.name}: aktif")
            continue
        lines.append(f"• {unit.code} — {unit.name}: ⏸ dijeda ({unit.pause_reason})")
        keyboard.append([_resume_button(unit.unit_id, unit.code)])
    return Reply("\n".join([*lines, "", PAUSE_USAGE]), keyboard)


def unknown_unit(code: str, codes: Sequence[str]) -> str:
    """Refuse a unit code nobody has, listing the codes there are."""
    return f'Unit "{code}" tidak dikenal. Kode unit: {", ".join(codes)}.'


def already_paused(unit_name: str) -> str:
    """Refuse to pause a unit twice."""
    return f"Pengingat {unit_name} sudah dijeda."


def not_paused(unit_name: str) -> str:
    """Refuse to resume a unit that is not paused."""
    return f"Pengingat {unit_name} tidak sedang dijeda."


def paused(*, unit_id: int, code: str, name: str, reason: str) -> Reply:
    """Confirm a pause, with the button to resume."""
    return Reply(
        f"⏸ Pengingat untuk {name} dijeda ({reason}). Lanjutkan dengan /pengingat lanjut {code}.",
        [[_resume_button(unit_id, code)]],
    )


def resumed(unit_name: str) -> Reply:
    """Confirm that a unit's reminders run again."""
    return Reply(f"▶️ Pengingat untuk {unit_name} berjalan lagi.")


# --------------------------------------------------------------------------- /ringkasan

DIGEST_ONLY = "Maaf, ringkasan pagi hanya untuk Tim Laporan Kinerja dan Sekretaris."


def _digest_button(enabled: bool) -> Button:
    label = "🔕 Matikan ringkasan pagi" if enabled else "🔔 Aktifkan ringkasan pagi"
    return Button(
        label, data=callbacks.encode(callbacks.REMINDER, ReminderAction.DIGEST, 0 if enabled else 1)
    )


def digest_setting(*, enabled: bool, at: time) -> Reply:
    """Say whether the person receives the morning digest, with the button to change it."""
    state = "aktif" if enabled else "tidak aktif"
    return Reply(
        f"☀️ Ringkasan pagi (keadaan pengumpulan data dan persetujuan, setiap hari kerja "
        f"pukul {at.strftime('%H.%M')}) saat ini {state} untuk Anda.",
        [[_digest_button(enabled)]],
    )


def digest_set(*, enabled: bool) -> Reply:
    """Confirm that the morning digest was turned on or off."""
    if enabled:
        return Reply(
            "🔔 Ringkasan pagi diaktifkan; terkirim setiap hari kerja di awal jam kantor.",
            [[_digest_button(True)]],
        )
    return Reply("🔕 Ringkasan pagi dimatikan.", [[_digest_button(False)]])
