"""SOP steps 3–4 end to end: initials by every Kasubbag, the Sekretaris's signature, returns."""

from __future__ import annotations

import io
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from docx import Document
from sqlmodel import col, select

from bot.context import LapkinApplication
from bot.domain.errors import NotAllowed
from bot.services import approvals
from bot.services.people import PersonView, find_by_telegram_id
from storage.db import Database
from storage.models import Approval, AuditEvent, Draft
from tests.cycle_data import PENDUKUNG, ready_for_a_draft, submission_id
from tests.e2e.conftest import MovableClock, register_people
from tests.e2e.steps import (
    AFTER_THE_YEAR,
    INITIAL,
    KASUBBAG,
    RETURN,
    SIGN,
    alert_for,
    all_text,
    draft_and_submit,
    find_request,
    last,
    say,
    start_cycle,
    tap,
    tap_data_expect,
    until,
)
from tests.standin import BotApiStandin, FakeUser

pytestmark = pytest.mark.e2e


async def test_a_draft_is_returned_twice_then_initialled_by_all_and_signed(
    standin: BotApiStandin, pk_db: Database, bot: LapkinApplication, clock: MovableClock
) -> None:
    people = await register_people(standin, pk_db, "fajar", "dedi", "hendra", *KASUBBAG)
    fajar, dedi, hendra, agus = people["fajar"], people["dedi"], people["hendra"], people["agus"]
    reviewers = [people[name] for name in KASUBBAG]
    await start_cycle(standin, fajar)
    ready_for_a_draft(pk_db)

    # Version 1 goes to every Kasubbag with the document and the two buttons.
    await draft_and_submit(standin, fajar, 1)
    first = {
        user.first_name: await find_request(standin, user, 1, "Mohon paraf") for user in reviewers
    }
    for user in reviewers:
        documents = [m.document["file_name"] for m in standin.messages(user) if m.document]
        assert "KONSEP LKjIP KPU Kota Bengkulu Tahun 2026 v1.docx" in documents
        request = first[user.first_name]
        assert request.buttons == [[INITIAL, RETURN]]
        assert "waktu standar SOP 60 menit" in request.body and "Capaian rata-rata" in request.body

    # Nobody can decide for someone else, not even with the button's data.
    rina_initial = first["Rina"].button_data(INITIAL)
    refusal = await alert_for(standin, dedi, standin.messages(dedi)[-1], rina_initial)
    assert "Tombol ini untuk Rina" in refusal
    # While the draft is under review, its data cannot be changed.
    sid = submission_id(pk_db, "IK 3.1")
    detail = await tap_data_expect(standin, fajar, f"rv:v:{sid}", "🔎 IK 3.1")
    locked = await alert_for(standin, fajar, detail, detail.button_data("⚠️ Minta perbaikan"))
    assert "versi 1 sedang menunggu paraf Kasubbag; data tidak dapat diubah" in locked

    # Agus returns version 1; a reason is required.
    ask = await tap(standin, agus, first["Agus"], RETURN, "Tuliskan alasan")
    assert "versi 1" in ask.body
    await say(standin, agus, "ok", "paling sedikit 5 huruf")
    await say(standin, agus, "Realisasi IK 3.1 belum sesuai SP2D.", "dikembalikan ke Tim")
    told = await last(standin, fajar, "Konsep versi 1 dikembalikan oleh Agus")
    assert "Alasan: Realisasi IK 3.1 belum sesuai SP2D." in told.body
    for name in ("Rina", "Yulia", "Nurhayati"):
        message = first[name]
        await until(lambda m=message: m.buttons == [], f"{name}'s buttons to go")
        assert "dikembalikan oleh Agus" in message.body and "tidak berlaku lagi" in message.body
    # A press on the returned version is refused politely.
    stale = await alert_for(standin, people["rina"], first["Rina"], rina_initial)
    assert "versi 1 sudah dikembalikan ke tim; tombol ini tidak berlaku lagi" in stale

    # The correction flow: Fajar asks KUL to fix IK 3.1, Dedi sends version 2, Fajar accepts.
    detail = await tap_data_expect(standin, fajar, f"rv:v:{sid}", "🔎 IK 3.1")
    await tap(standin, fajar, detail, "⚠️ Minta perbaikan", "Ketik alasan")
    await say(
        standin, fajar, "Sesuaikan dengan SP2D (catatan Kasubbag TEKNIS).", "ditandai kurang valid"
    )
    ping = await last(standin, dedi, "dinilai kurang valid")
    await tap(standin, dedi, ping, "Perbaiki", "Ketik nilai realisasi")
    await say(standin, dedi, "94,2", "capaian 99,16%")
    await say(standin, dedi, "Dikoreksi sesuai SP2D.", "faktor pendukung")
    await say(standin, dedi, "Rencana kas dipantau.", "kendala")
    await say(standin, dedi, "Percepatan belanja modal.", "upaya")
    evidence = await say(standin, dedi, "Koordinasi dengan PPK.", "Kirim berkas bukti")
    summary = await tap(standin, dedi, evidence, "Lewati", "Ringkasan isian IK 3.1")
    await tap(standin, dedi, summary, "Kirim", "terkirim (versi 2")
    second_data = await last(standin, fajar, "Versi 2, oleh Dedi")
    await tap(standin, fajar, second_data, "Terima", "diterima")

    # Version 2: each reviewer sees what changed since the version they saw, and why.
    await draft_and_submit(standin, fajar, 2)
    second = {
        user.first_name: await find_request(standin, user, 2, "Mohon paraf") for user in reviewers
    }
    for request in second.values():
        assert "Perubahan sejak versi 1 yang Bapak/Ibu periksa:" in request.body
        assert "IK 3.1: realisasi 96,5 → 94,2, capaian 101,58% → 99,16%" in request.body
        assert "Versi 1, Agus Salim, S.IP.: Realisasi IK 3.1 belum sesuai SP2D." in request.body
    agus_second_initial = second["Agus"].button_data(INITIAL)
    # A double tap counts once.
    await standin.tap(people["rina"], second["Rina"], INITIAL)
    await standin.tap(people["rina"], second["Rina"], INITIAL)
    for user in reviewers[1:]:
        await standin.tap(user, second[user.first_name], INITIAL)
    await last(standin, fajar, "Semua Kasubbag telah memaraf versi 2")
    to_sign = await find_request(standin, hendra, 2, "Mohon persetujuan dan tanda tangan")
    assert "Telah diparaf oleh:" in to_sign.body and "Rina Marlina" in to_sign.body
    assert to_sign.buttons == [[SIGN, RETURN]]
    await until(lambda: "memaraf konsep versi 2" in second["Rina"].body, "Rina's confirmation")
    assert second["Rina"].buttons == []

    # The Sekretaris returns version 2.
    await tap(standin, hendra, to_sign, RETURN, "Tuliskan alasan")
    await say(standin, hendra, "Narasi Bab III perlu analisis penyebab.", "dikembalikan ke Tim")
    await last(standin, fajar, "Konsep versi 2 dikembalikan oleh Drs. Hendra Saputra")
    await until(lambda: "kemudian dikembalikan" in second["Yulia"].body, "Yulia's note")

    # Version 3 is initialled by all and signed.
    await draft_and_submit(standin, fajar, 3)
    third = {
        user.first_name: await find_request(standin, user, 3, "Mohon paraf") for user in reviewers
    }
    assert "Angka indikator tidak berubah" in third["Rina"].body
    assert "Versi 2, Drs. Hendra Saputra, M.Si.: Narasi Bab III" in third["Rina"].body
    agus_third_initial = third["Agus"].button_data(INITIAL)
    for user in reviewers:
        await standin.tap(user, third[user.first_name], INITIAL)
    to_sign = await find_request(standin, hendra, 3, "Mohon persetujuan dan tanda tangan")
    before = len(standin.messages(people["yulia"]))
    sign_data = to_sign.button_data(SIGN)
    clock.move_to(AFTER_THE_YEAR)
    await standin.tap(hendra, to_sign, SIGN)
    signed = await last(standin, people["yulia"], "telah ditandatangani", after=before)
    assert signed.document is not None
    assert signed.document["file_name"] == "LKjIP KPU Kota Bengkulu Tahun 2026 v3.docx"
    await last(standin, fajar, "telah ditandatangani")
    report = Document(io.BytesIO(standin.download(signed.document["file_id"])))
    text = all_text(report)
    assert "KONSEP" not in text
    assert "Drs. Hendra Saputra, M.Si." in text and "197805122005021001" in text
    # IK 1.1 is at 100 %: Bab III.A gives its causes of success all the same.
    assert f"Faktor pendukung: {PENDUKUNG['IK 1.1']}" in text
    for name in ("Rina Marlina, S.E.", "Agus Salim, S.IP.", "Yulia Fitriani", "Nurhayati, S.H."):
        assert name in text

    # Stale presses: version 2's buttons, a second signature.
    stale = await alert_for(standin, agus, second["Agus"], agus_second_initial)
    assert "versi 2 sudah diganti versi yang lebih baru; tombol ini tidak berlaku lagi" in stale
    twice = await alert_for(standin, agus, third["Agus"], agus_third_initial)
    assert "Konsep versi 3 sudah ditandatangani; tombol ini tidak berlaku lagi" in twice
    again = await alert_for(standin, hendra, to_sign, sign_data)
    assert "sudah ditandatangani" in again

    # The audit trail holds every decision with its version.
    with pk_db.session() as session:
        events = [
            (event.action, event.details.get("version"))
            for event in session.exec(
                select(AuditEvent)
                .where(col(AuditEvent.action).like("draft.%"))
                .order_by(col(AuditEvent.id))
            )
        ]
        signed_draft = session.exec(select(Draft).where(Draft.version == 3)).one()
    assert events.count(("draft.kasubbag.returned", 1)) == 1
    assert events.count(("draft.kasubbag.approved", 2)) == 4
    assert events.count(("draft.sekretaris.returned", 2)) == 1
    assert events.count(("draft.kasubbag.approved", 3)) == 4
    assert events.count(("draft.signed", 3)) == 1
    assert [e for e in events if e[0] == "draft.submitted"] == [
        ("draft.submitted", 1),
        ("draft.submitted", 2),
        ("draft.submitted", 3),
    ]
    assert signed_draft.status == "signed" and signed_draft.signed_sha256


async def test_simultaneous_presses_change_the_state_exactly_once(
    standin: BotApiStandin, pk_db: Database, bot: LapkinApplication
) -> None:
    people = await register_people(standin, pk_db, "fajar", "hendra", *KASUBBAG)
    await start_cycle(standin, people["fajar"])
    ready_for_a_draft(pk_db)
    await draft_and_submit(standin, people["fajar"], 1)
    services = bot.bot_data.services
    with pk_db.session() as session:
        round_ = [(a.id or 0, a.reviewer_person_id) for a in session.exec(select(Approval))]
    actors = {person_id: _view(pk_db, people, person_id) for _, person_id in round_}

    def press(approval_id: int, person_id: int) -> str:
        barrier.wait()
        try:
            approvals.approve(
                db=pk_db,
                files=services.files,
                actor=actors[person_id],
                approval_id=approval_id,
                version=1,
                now=datetime.now(UTC),
                tz=services.settings.tz,
                pdf_copies=False,
            )
        except NotAllowed as refusal:
            return refusal.message
        return "ok"

    # Every Kasubbag presses twice, all at the same moment.
    presses = [pair for pair in round_ for _ in range(2)]
    barrier = threading.Barrier(len(presses))
    with ThreadPoolExecutor(len(presses)) as pool:
        results = list(pool.map(lambda pair: press(*pair), presses))
    assert results.count("ok") == 4
    # The second press of each is refused: already decided, or the round already moved on.
    refusals = [r for r in results if r != "ok"]
    assert all("sudah tercatat" in r or "tidak berlaku lagi" in r for r in refusals), results
    with pk_db.session() as session:
        draft = session.exec(select(Draft)).one()
        stages = [a.stage for a in session.exec(select(Approval))]
        initialled = session.exec(
            select(AuditEvent).where(AuditEvent.action == "draft.initialled")
        ).all()
    assert draft.status == "review_sekretaris"
    assert stages.count("sekretaris") == 1 and len(initialled) == 1

    # The Sekretaris's signature and return race: exactly one of them happens.
    with pk_db.session() as session:
        sign = session.exec(select(Approval).where(Approval.stage == "sekretaris")).one()
    hendra = actors.get(sign.reviewer_person_id) or _view(pk_db, people, sign.reviewer_person_id)
    approvals.begin_return(
        db=pk_db, actor=hendra, approval_id=sign.id or 0, version=1, now=datetime.now(UTC)
    )

    def sign_it() -> str:
        barrier.wait()
        try:
            approvals.approve(
                db=pk_db,
                files=services.files,
                actor=hendra,
                approval_id=sign.id or 0,
                version=1,
                now=AFTER_THE_YEAR,
                tz=services.settings.tz,
                pdf_copies=False,
            )
        except NotAllowed as refusal:
            return refusal.message
        return "signed"

    def return_it() -> str:
        barrier.wait()
        try:
            approvals.return_with_reason(
                db=pk_db,
                actor=hendra,
                reason="Mohon perbaiki ringkasan eksekutif.",
                now=datetime.now(UTC),
                tz=services.settings.tz,
            )
        except NotAllowed as refusal:
            return refusal.message
        return "returned"

    barrier = threading.Barrier(2)
    with ThreadPoolExecutor(2) as pool:
        outcomes = [pool.submit(sign_it), pool.submit(return_it)]
        results = [future.result() for future in outcomes]
    assert sorted(r in {"signed", "returned"} for r in results) == [False, True], results
    with pk_db.session() as session:
        draft = session.exec(select(Draft)).one()
        decided = session.exec(select(Approval).where(Approval.id == sign.id)).one()
    expected = "signed" if "signed" in results else "returned"
    assert draft.status == expected
    assert decided.decision == ("approved" if expected == "signed" else "returned")


def _view(db: Database, people: dict[str, FakeUser], person_id: int) -> PersonView:
    from storage.models import Person

    with db.session() as session:
        person = session.get(Person, person_id)
        assert person is not None and person.telegram_user_id is not None
    view = find_by_telegram_id(db=db, telegram_user_id=person.telegram_user_id)
    assert view is not None
    return view


async def test_the_annual_report_is_drafted_early_but_signed_only_after_its_year_ends(
    standin: BotApiStandin, pk_db: Database, bot: LapkinApplication, clock: MovableClock
) -> None:
    people = await register_people(standin, pk_db, "fajar", "hendra", *KASUBBAG)
    fajar, hendra = people["fajar"], people["hendra"]
    clock.move_to(datetime(2026, 12, 7, 2, tzinfo=UTC))  # Monday 7 December 2026, 09.00 WIB
    await start_cycle(standin, fajar)
    ready_for_a_draft(pk_db)
    # The draft is made, and says it is early.
    await draft_and_submit(standin, fajar, 1)
    caption = await last(standin, fajar, "Konsep Laporan Kinerja versi 1")
    assert "⏳ Konsep awal: periode laporan ini belum berakhir" in caption.body
    assert "baru dapat ditandatangani mulai Jumat, 1 Januari 2027" in caption.body
    # Paraf is allowed before the year ends.
    for name in KASUBBAG:
        request = await find_request(standin, people[name], 1, "Mohon paraf")
        await tap(standin, people[name], request, INITIAL, "Paraf Bapak/Ibu untuk versi 1")

    # On 31 December the Sekretaris's button refuses politely, with the date; nothing changes.
    to_sign = await find_request(standin, hendra, 1, "Mohon persetujuan dan tanda tangan")
    assert "baru dapat Bapak/Ibu tandatangani mulai Jumat, 1 Januari 2027" in to_sign.body
    clock.move_to(datetime(2026, 12, 31, 8, tzinfo=UTC))  # 15.00 WIB
    refusal = await alert_for(standin, hendra, to_sign, to_sign.button_data(SIGN))
    assert refusal == (
        "Mohon maaf, Bapak/Ibu, laporan Tahun 2026 baru dapat ditandatangani mulai "
        "Jumat, 1 Januari 2027, setelah periodenya berakhir. Mohon tekan tombol ini kembali "
        "pada tanggal tersebut."
    )
    assert to_sign.buttons == [[SIGN, RETURN]]
    with pk_db.session() as session:
        assert session.exec(select(Draft)).one().status == "review_sekretaris"

    # Once 2026 is over, the same button signs.
    clock.move_to(AFTER_THE_YEAR)
    await tap(standin, hendra, to_sign, SIGN, "telah Bapak/Ibu tandatangani")
    await last(standin, fajar, "telah ditandatangani")
