"""The review route (SOP steps 3–4): requests, decisions, returns, /persetujuan, /delegasi.

Pure functions of plain data: names, versions, already formatted times.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from bot import callbacks
from bot.callbacks import ApprovalAction
from bot.domain.approval import DECISION_LABELS, DRAFT_STATUS_LABELS, Decision, DraftStatus, Stage
from bot.domain.dates import format_day
from bot.domain.formatting import end_sentence, join_words
from bot.messages import Button, Keyboard, Reply

MAX_CHANGES_SHOWN = 25

APPROVE_TEXT = {
    Stage.KASUBBAG: "✅ Setujui (paraf)",
    Stage.SEKRETARIS: "✅ Setujui & tandatangani",
}
ASK = {Stage.KASUBBAG: "paraf", Stage.SEKRETARIS: "persetujuan dan tanda tangan"}
ROUND_HEADING = {Stage.KASUBBAG: "Paraf Kasubbag:", Stage.SEKRETARIS: "Tanda tangan Sekretaris:"}

NO_DRAFT = "Belum ada konsep laporan. Buat terlebih dahulu dengan /konsep."
NO_PARAF = "Belum ada Kasubbag di berkas organisasi yang dapat memaraf konsep."
NO_SIGNER = "Belum ada Sekretaris di berkas organisasi untuk menandatangani."
DRAFT_NOT_FOUND = "Konsep laporan tidak ditemukan."
REASON_TOO_SHORT = "Mohon tulis alasan yang jelas (paling sedikit 5 huruf)."
NOTHING_BEING_RETURNED = "Tidak ada konsep yang sedang dikembalikan."
NOTHING_WAITING = Reply("Tidak ada konsep laporan yang menunggu keputusan Bapak/Ibu.")
NO_CYCLE = Reply("Belum ada pengumpulan data. Mulai dengan /siklus.")
NO_DRAFT_YET = Reply("Belum ada konsep laporan. Buat dengan /konsep.")

_DONE_LINE = {
    Decision.APPROVED: "✅ Bapak/Ibu sudah menyetujui",
    Decision.RETURNED: "↩️ Bapak/Ibu mengembalikan",
    Decision.CANCELLED: "Keputusan tidak diperlukan lagi untuk",
}


# ----------------------------------------------------------------------------- buttons


def submit_button(draft_id: int) -> Button:
    """Ajukan untuk paraf, under a new konsep."""
    return Button(
        "📤 Ajukan untuk paraf",
        data=callbacks.encode(callbacks.APPROVAL, ApprovalAction.SUBMIT, draft_id),
    )


def waiting_button() -> Button:
    """Lihat yang menunggu: /persetujuan as a button."""
    return Button(
        "Lihat yang menunggu", data=callbacks.encode(callbacks.APPROVAL, ApprovalAction.WAITING)
    )


def decision_keyboard(kind: Stage, approval_id: int, version: int) -> Keyboard:
    """Setujui / Kembalikan for one approval; the version rides along to catch stale presses."""
    return [
        [
            Button(
                APPROVE_TEXT[kind],
                data=callbacks.encode(
                    callbacks.APPROVAL, ApprovalAction.APPROVE, approval_id, version
                ),
            ),
            Button(
                "↩️ Kembalikan",
                data=callbacks.encode(
                    callbacks.APPROVAL, ApprovalAction.RETURN, approval_id, version
                ),
            ),
        ]
    ]


# ----------------------------------------------------------------------------- who


def who(actor: str, title: str | None, reviewer: str | None) -> str:
    """The person who decided, and for whom when they acted as Plh./Plt."""
    if title and reviewer is not None:
        return f"{actor} ({title} {reviewer})"
    return actor


def not_your_button(reviewer: str) -> str:
    """Refuse a press by someone who neither is the reviewer nor acts for them."""
    return (
        f"{end_sentence(f'Tombol ini untuk {reviewer}')} Hanya pemeriksa yang ditunjuk yang dapat "
        "memutuskan."
    )


# ----------------------------------------------------------------------------- submitting


def newer_version_exists(*, newer: int, version: int) -> str:
    """Refuse to submit a version a newer one replaced."""
    return f"Sudah ada konsep versi {newer}; versi {version} tidak diajukan."


def unreachable(names: Sequence[str]) -> str:
    """Refuse to submit while a reviewer can receive nothing."""
    return (
        "Konsep belum dapat diajukan: "
        + join_words(names)
        + " belum terdaftar di Lapkin. Undang dengan /undang, atau minta admin "
        "menunjuk Plh. dengan /delegasi."
    )


def submitted_to_team(*, actor: str, version: int) -> str:
    """Tell the rest of the team a version went out for paraf."""
    return f"📤 {actor} mengajukan konsep versi {version} untuk paraf Kasubbag."


def submitted(*, version: int, reviewers: Sequence[tuple[str, str]]) -> Reply:
    """Confirm the submission, naming (name, jabatan) who initials it."""
    names = "\n".join(f"• {name} ({jabatan})" for name, jabatan in reviewers)
    return Reply(
        f"📤 Konsep versi {version} dikirim untuk paraf kepada:\n{names}\n\n"
        "Anda akan diberi tahu setiap keputusan. Pantau dengan /persetujuan.",
        notify=True,
    )


# ----------------------------------------------------------------------------- the request


def request_text(
    *,
    kind: Stage,
    office_name: str,
    label: str,
    version: int,
    assigned_at: str,
    standard_minutes: int,
    delegation: tuple[str, str, str, str] | None,
    initialled_by: Sequence[str],
    summary: Sequence[str],
    changes: Sequence[str],
    signable_from: date | None = None,
) -> str:
    """What a reviewer reads under the draft's files, above the decision buttons.

    ``delegation`` is (title, reviewer name, reviewer jabatan, reason) for a Plh./Plt.;
    ``initialled_by`` the names of those who initialled it in earlier stages;
    ``signable_from`` the first day a signature is possible, while the period still runs.
    """
    lines = []
    if delegation is not None:
        title, reviewer, jabatan, reason = delegation
        lines.append(f"Bapak/Ibu ditunjuk sebagai {title} untuk {reviewer} ({jabatan}): {reason}")
    lines += [
        f"📝 Mohon {ASK[kind]} Konsep Laporan Kinerja {office_name} {label}, versi {version}.",
        f"Diajukan {assigned_at}; waktu standar SOP {standard_minutes} menit.",
    ]
    if initialled_by or kind is Stage.SEKRETARIS:
        lines.append(end_sentence(f"Telah diparaf oleh: {join_words(initialled_by)}"))
    if signable_from is not None and kind is Stage.SEKRETARIS:
        lines.append(
            "⏳ Periode laporan ini belum berakhir: laporan baru dapat Bapak/Ibu tandatangani "
            f"mulai {format_day(signable_from)}."
        )
    lines += ["", *summary]
    if changes:
        lines += ["", *changes]
    lines += ["", "Dokumen terlampir di atas. Untuk mengembalikan, tuliskan alasannya."]
    return "\n".join(lines)


def summary(lines: Sequence[str]) -> list[str]:
    """The report's summary as the request shows it."""
    return ["Ringkasan:", *lines]


def changes_since(
    *,
    returns: Sequence[tuple[int, str, str | None]],
    seen_version: int | None,
    before: Mapping[str, Mapping[str, str]],
    after: Mapping[str, Mapping[str, str]],
) -> list[str]:
    """The returns since (version, who, reason) and what changed since the version seen."""
    lines: list[str] = []
    if returns:
        lines.append("Alasan pengembalian sebelumnya:")
        lines += [f"• Versi {version}, {name}: {reason}" for version, name, reason in returns]
    if seen_version is None:
        return lines
    changed = []
    for code in sorted(set(before) | set(after)):
        old, new = before.get(code), after.get(code)
        if old == new:
            continue
        if old is None or new is None:
            changed.append(f"• {code}: {'ditambahkan' if old is None else 'dihapus'}")
            continue
        changed.append(
            f"• {code}: realisasi {old['realisasi']} → {new['realisasi']}, "
            f"capaian {old['capaian']} → {new['capaian']}"
        )
    lines.append(f"Perubahan sejak versi {seen_version} yang Bapak/Ibu periksa:")
    if not changed:
        lines.append("• Angka indikator tidak berubah (perubahan pada narasi atau lampiran).")
    else:
        lines += changed[:MAX_CHANGES_SHOWN]
        if len(changed) > MAX_CHANGES_SHOWN:
            lines.append(f"• … dan {len(changed) - MAX_CHANGES_SHOWN} indikator lain.")
    return lines


# ----------------------------------------------------------------------------- decisions


def button_expired(*, version: int, status: DraftStatus) -> str:
    """Refuse a press on a round that is no longer open."""
    return f"Konsep versi {version} {DRAFT_STATUS_LABELS[status]}; tombol ini tidak berlaku lagi."


def already_decided(*, version: int, decision: Decision) -> str:
    """Refuse a second decision on the same approval."""
    return f"Keputusan untuk versi {version} sudah tercatat: {DECISION_LABELS[decision]}."


def initialled_edit(*, who: str, version: int, when: str) -> str:
    """What the reviewer's request becomes once they initialled."""
    return f"✅ {who} memaraf konsep versi {version} pada {when}."


def initialled_to_team(*, who: str, version: int, done: int, total: int) -> str:
    """Tell the team one more paraf is in."""
    return f"✍️ {who} memaraf konsep versi {version} ({done} dari {total} paraf)."


def initial_recorded(version: int) -> Reply:
    """Thank a reviewer whose round still waits for others."""
    return Reply(f"✅ Paraf Bapak/Ibu untuk versi {version} tercatat. Terima kasih.", notify=True)


def to_signature_to_team(*, version: int, signer: str, reachable: bool) -> str:
    """Tell the team every paraf is in and the draft went to the signer."""
    note = (
        ""
        if reachable
        else (" Sekretaris belum terdaftar di Lapkin: undang dengan /undang atau tunjuk Plh.")
    )
    return (
        f"🖋️ Semua Kasubbag telah memaraf versi {version}; konsep dikirim kepada "
        f"{signer} untuk ditandatangani.{note}"
    )


def initials_complete(version: int) -> Reply:
    """Thank the last reviewer of the paraf: the draft goes on to the Sekretaris."""
    return Reply(
        f"✅ Paraf Bapak/Ibu untuk versi {version} tercatat. Paraf sudah lengkap; konsep "
        "diteruskan kepada Sekretaris.",
        notify=True,
    )


def to_next_stage_to_team(*, version: int, stage: str, reviewers: Sequence[str]) -> str:
    """Tell the team a paraf stage is complete and the next one has the draft."""
    return (
        f"🖋️ Paraf tahap {stage} lengkap untuk versi {version}; konsep dikirim kepada "
        f"{join_words(reviewers)} untuk diparaf."
    )


def stage_complete(version: int) -> Reply:
    """Thank the last reviewer of a paraf stage another paraf stage follows."""
    return Reply(
        f"✅ Paraf Bapak/Ibu untuk versi {version} tercatat. Paraf tahap ini sudah lengkap; konsep "
        "diteruskan ke tahap berikutnya.",
        notify=True,
    )


def content_changed(version: int) -> str:
    """Refuse to sign a report whose content is not what was initialled."""
    return (
        f"Isi laporan sudah berbeda dari konsep versi {version} yang diparaf. "
        "Mohon kembalikan konsep ini agar Tim membuat versi baru."
    )


def acting_jabatan(title: str | None, jabatan: str) -> str:
    """The jabatan in the signature block or the lembar paraf: "Plh. Sekretaris" for a Plh."""
    return f"{title} {jabatan}" if title else jabatan


def acting_note(title: str, reviewer: str) -> str:
    """The lembar paraf's note on a paraf given by a Plh./Plt."""
    return f"{title} untuk {reviewer}"


def signed_edit(*, who: str, version: int, when: str) -> str:
    """What the signer's request becomes once signed."""
    return f"✅ {who} menyetujui dan menandatangani versi {version} pada {when}."


def signed_caption(*, label: str, version: int, who: str, when: str, sha256: str) -> str:
    """The caption of the signed report sent to the Ketua Tim and the team."""
    return (
        f"🖋️ Laporan Kinerja {label} versi {version} telah ditandatangani oleh "
        f"{who} pada {when}.\nSHA-256: {sha256}"
    )


def signed(version: int) -> Reply:
    """Confirm the signature to the signer."""
    return Reply(
        f"✅ Laporan versi {version} telah Bapak/Ibu tandatangani. Salinan bertanda tangan "
        "dikirim kepada Ketua Tim dan Tim Laporan Kinerja.",
        notify=True,
    )


# ----------------------------------------------------------------------------- returns


def ask_reason(version: int) -> Reply:
    """Ask a reviewer why they return the draft."""
    return Reply(
        f"↩️ Tuliskan alasan konsep versi {version} dikembalikan ke Tim (apa yang "
        "perlu diperbaiki). Alasan ini dikirim ke Tim dan pemeriksa lain.\n"
        "Ketik /batal untuk membatalkan."
    )


def returned_edit(*, who: str, version: int, when: str, reason: str) -> str:
    """What the returning reviewer's request becomes."""
    return f"↩️ {who} mengembalikan konsep versi {version} pada {when}.\nAlasan: {reason}"


def returned_to_other(
    *, pending: bool, decision: Decision, version: int, who: str, reason: str
) -> str:
    """What another reviewer's request becomes: still ``pending`` (now cancelled), or decided."""
    if pending:
        return (
            f"↩️ Konsep versi {version} dikembalikan oleh {who}; tombol ini tidak "
            f"berlaku lagi dan Bapak/Ibu tidak perlu memutuskan.\nAlasan: {reason}\n"
            "Versi perbaikan akan dikirim kembali."
        )
    return (
        f"{_DONE_LINE[decision]} versi {version}. Versi ini "
        f"kemudian {end_sentence(f'dikembalikan oleh {who}')}\nAlasan: {reason}\n"
        "Versi perbaikan akan dikirim kembali."
    )


def returned_to_team(*, version: int, who: str, jabatan: str, reason: str) -> str:
    """Tell the team the draft came back, and what to do."""
    return (
        f"↩️ Konsep versi {version} dikembalikan oleh {who} "
        f"({jabatan}).\nAlasan: {reason}\n\n"
        "Perbaiki datanya (lewat /status: Minta perbaikan) atau narasinya, lalu buat versi "
        "baru dengan /konsep dan ajukan kembali."
    )


def returned(version: int) -> Reply:
    """Confirm the return to the reviewer."""
    return Reply(
        f"↩️ Konsep versi {version} dikembalikan ke Tim dengan alasan Bapak/Ibu.", notify=True
    )


# ----------------------------------------------------------------------------- /persetujuan


def waiting(
    *, kind: Stage, on_behalf_of: str | None, version: int, since: str, keyboard: Keyboard
) -> Reply:
    """One decision waiting for the person (as ``on_behalf_of``'s Plh./Plt. when given)."""
    on_behalf = f" sebagai {on_behalf_of}" if on_behalf_of else ""
    return Reply(
        f"⏳ Menunggu {ASK[kind]} Bapak/Ibu{on_behalf}: konsep versi {version}, sejak {since}.",
        keyboard,
    )


def round_heading(kind: Stage, label: str) -> str:
    """The heading of one stage in the round: its label, or the paraf / the signature."""
    return f"{label}:" if label else ROUND_HEADING[kind]


def round_overview(
    *,
    label: str,
    version: int,
    status: DraftStatus,
    stages: Sequence[tuple[str, Sequence[str]]],
    delivery: Sequence[str],
    delegations: Sequence[str],
) -> Reply:
    """The current round for rendatin: each stage (heading, lines), delivery, Plh./Plt."""
    lines = [f"📋 Konsep {label} versi {version}: {DRAFT_STATUS_LABELS[status]}."]
    for heading, items in stages:
        lines += ["", heading, *items]
    if status is DraftStatus.KONSEP:
        lines.append("\nAjukan untuk paraf dengan /ajukan.")
    if status is DraftStatus.SIGNED:
        lines.append("\nKirim ke KPU Provinsi dengan /kirim.")
    lines += delivery
    if delegations:
        lines.append("\nPlh./Plt. yang berlaku:")
        lines += delegations
    return Reply("\n".join(lines))


def approval_line(
    *,
    reviewer: str,
    decision: Decision,
    assigned_at: str,
    decided_at: str | None,
    acting: str | None,
    reason: str | None,
) -> str:
    """One reviewer's decision in the round (``acting``: "Plh. <delegate>")."""
    line = f"• {reviewer}: {DECISION_LABELS[decision]}"
    if decision is Decision.PENDING:
        return f"{line} sejak {assigned_at}"
    if decided_at is not None:
        line += f" {decided_at}"
    if acting:
        line += f" oleh {acting}"
    if reason:
        line += f"\n  Alasan: {reason}"
    return line


def delivery_lines(
    *,
    sent_at: str,
    letter_number: str,
    late_deadline: str | None,
    received_by: str | None,
    received_at: str | None,
) -> list[str]:
    """Step 5 as /persetujuan shows it, a late delivery marked."""
    late = f" — TERLAMBAT (batas {late_deadline})" if late_deadline else ""
    lines = [
        "",
        f"📨 Dikirim {sent_at} dengan Surat Pengantar nomor {letter_number}{late}.",
    ]
    if received_at is not None:
        lines.append(f"📬 Diterima {received_by or '-'} pada {received_at}.")
    else:
        lines.append("📬 Tanda terima belum ada.")
    return lines


def letter_awaiting_lines(*, letter_number: str, prepared_at: str) -> list[str]:
    """Step 5 while the Surat Pengantar waits for the Sekretaris's approval."""
    return [
        "",
        f"✉️ Surat Pengantar nomor {letter_number} dibuat {prepared_at}; menunggu persetujuan "
        "Sekretaris sebelum dikirim ke KPU Provinsi.",
    ]


def delegation_line(*, title: str, absent: str | None, delegate: str | None, reason: str) -> str:
    """One Plh./Plt. in force."""
    return f"• {title} {absent or '-'}: {delegate or '-'} ({reason})"


# ----------------------------------------------------------------------------- /delegasi

USAGE = (
    "Menunjuk Plh./Plt. untuk pemeriksa yang berhalangan:\n"
    "/delegasi <NIP yang berhalangan> <NIP pengganti> <Plh|Plt> <alasan>\n"
    "Contoh: /delegasi 198001012005011001 198502022010012002 Plh Dinas luar 25–27 November\n\n"
    "Mengakhiri: /delegasi selesai <NIP yang berhalangan>"
)
NOT_ADMIN = "Maaf, hanya admin yang dapat menunjuk Plh./Plt."
SAME_PERSON = "Pegawai yang berhalangan dan penggantinya harus orang berbeda."


def no_active_person(nip: str) -> str:
    """Refuse a NIP nobody active holds."""
    return f"Tidak ada pegawai aktif dengan NIP {nip}."


def bad_title(title: str) -> str:
    """Refuse a title other than Plh or Plt."""
    return f"Sebutan harus Plh atau Plt, bukan “{title}”.\n\n{USAGE}"


def delegation_reason_needed() -> str:
    """Refuse a delegation without a reason."""
    return f"Mohon tulis alasan penunjukan (paling sedikit 5 huruf).\n\n{USAGE}"


def delegate_not_registered(name: str) -> str:
    """Refuse a delegate who cannot receive the buttons."""
    return f"{name} belum terdaftar di Lapkin; undang terlebih dahulu dengan /undang."


def named_to_delegate(*, title: str, absent: str, jabatan: str, since: str, reason: str) -> str:
    """Tell the delegate they act for the absent reviewer."""
    return (
        f"📌 Bapak/Ibu ditunjuk sebagai {title} untuk {absent} ({jabatan}) "
        f"dalam persetujuan Laporan Kinerja, sejak {since}.\n"
        f"Alasan: {reason}"
    )


def named_to_absent(*, delegate: str, title: str, reason: str) -> str:
    """Tell the absent reviewer who acts for them."""
    return (
        f"📌 {delegate} ditunjuk sebagai {title} Bapak/Ibu dalam persetujuan Laporan "
        f"Kinerja.\nAlasan: {reason}"
    )


def delegated(*, delegate: str, title: str, absent: str, handed_over: int) -> Reply:
    """Confirm the delegation to the admin, with the decisions handed over."""
    waiting = (
        f" {handed_over} keputusan yang menunggu sudah dikirim kepadanya." if handed_over else ""
    )
    return Reply(
        end_sentence(f"✅ {delegate} menjadi {title} untuk {absent}") + waiting, notify=True
    )


def no_delegation(absent: str) -> str:
    """Refuse to end a delegation that is not in force."""
    return end_sentence(f"Tidak ada Plh./Plt. yang berlaku untuk {absent}")


def delegation_ended_to_delegate(*, title: str, absent: str) -> str:
    """Tell the delegate their delegation ended."""
    return f"📌 Penunjukan Bapak/Ibu sebagai {title} untuk {absent} berakhir."


def delegation_ended(*, title: str, absent: str) -> Reply:
    """Confirm the end of a delegation to the admin."""
    return Reply(f"✅ {title} untuk {absent} diakhiri.", notify=True)


def delegations_listing(lines: Sequence[str]) -> Reply:
    """The usage and the delegations in force."""
    shown = [USAGE]
    if lines:
        shown += ["\nYang berlaku sekarang:", *lines]
    else:
        shown.append("\nBelum ada Plh./Plt. yang berlaku.")
    return Reply("\n".join(shown))


def too_early_to_sign(label: str, opens: date) -> str:
    """Refuse a signature while the reported period still runs (an alert: under 200 chars)."""
    return (
        f"Mohon maaf, Bapak/Ibu, laporan {label} baru dapat ditandatangani mulai "
        f"{format_day(opens)}, setelah periodenya berakhir. Mohon tekan tombol ini kembali "
        "pada tanggal tersebut."
    )
