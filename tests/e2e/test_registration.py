"""Registration by invitation, as people experience it in Telegram."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.messages import common as texts
from bot.orgfile import load_organisation
from bot.services.audit import events
from bot.services.organisation import import_organisation
from storage.db import Database
from tests.conftest import EXAMPLE_ORG
from tests.e2e.conftest import (
    ADMIN_NIP,
    KASUBBAG_NIP,
    STAF_NIP,
    invite,
    register,
    token_from_link,
)
from tests.standin import BotApiStandin

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("bot")]


async def test_an_invited_person_registers_and_sees_their_roles_help(
    standin: BotApiStandin, office_db: Database
) -> None:
    fajar = standin.user("Fajar", username="fajar")

    await standin.send_text(fajar, f"/start {invite(office_db, ADMIN_NIP)}")

    welcome = await standin.wait_for_message(fajar, contains="Selamat datang")
    assert "Fajar Ramadhan, S.Kom." in welcome.body
    assert "Staf Sub Bagian, Tim Laporan Kinerja (Rendatin), Admin" in welcome.body
    assert "/undang" in welcome.body and "/pegawai" in welcome.body
    await standin.wait_until_idle()
    assert [c["command"] for c in standin.commands_for(fajar)] == [
        "bantuan",
        "isi",
        "siklus",
        "status",
        "pk",
        "analisis",
        "rapat",
        "anggaran",
        "konsep",
        "narasi",
        "ajukan",
        "persetujuan",
        "kepatuhan",
        "kirim",
        "arsipkan",
        "arsip",
        "pengingat",
        "ringkasan",
        "batal",
        "kantor",
        "undang",
        "pegawai",
        "delegasi",
    ]
    with office_db.session() as session:
        registered = events(session, action="person.registered")
    assert len(registered) == 1 and registered[0].actor == "Fajar Ramadhan, S.Kom."


async def test_an_admin_invites_in_chat_and_staff_see_only_their_commands(
    standin: BotApiStandin, office_db: Database
) -> None:
    admin = await register(standin, office_db, ADMIN_NIP, "Fajar")

    await standin.send_text(admin, f"/undang {STAF_NIP}")
    link_message = await standin.wait_for_message(admin, contains="Tautan undangan untuk")
    assert "Dedi Kurniawan" in link_message.body and "WIB" in link_message.body

    dedi = standin.user("Dedi")
    await standin.send_text(dedi, f"/start {token_from_link(link_message.body)}")
    welcome = await standin.wait_for_message(dedi, contains="Selamat datang")
    assert "Peran: Staf Sub Bagian" in welcome.body
    assert "Unit: Sub Bagian Keuangan, Umum dan Logistik" in welcome.body
    assert "/undang" not in welcome.body

    # The admin hears about it through the outbox.
    await standin.wait_for_message(admin, contains="Dedi Kurniawan, S.Kom. (staf) telah mendaftar")

    await standin.send_text(dedi, "/bantuan")
    help_message = await standin.wait_for_message(
        dedi, contains="Perintah yang dapat", count=1, after=1
    )
    assert "/batal" in help_message.body and "/undang" not in help_message.body
    await standin.send_text(dedi, f"/undang {KASUBBAG_NIP}")
    refusal = await standin.wait_for_message(dedi, contains="/undang hanya untuk Admin")
    assert "t.me" not in refusal.body


async def test_undang_without_nip_lists_who_is_not_registered(
    standin: BotApiStandin, office_db: Database
) -> None:
    admin = await register(standin, office_db, ADMIN_NIP, "Fajar")

    await standin.send_text(admin, "/undang")

    hint = await standin.wait_for_message(admin, contains="Belum terdaftar")
    assert f"{STAF_NIP} — Dedi Kurniawan, S.Kom." in hint.body
    assert ADMIN_NIP not in hint.body

    await standin.send_text(admin, "/undang 000000000000000000")
    await standin.wait_for_message(
        admin, contains="Tidak ada pegawai dengan NIP 000000000000000000"
    )


async def test_a_stranger_is_refused_politely_and_can_do_nothing(
    standin: BotApiStandin, office_db: Database
) -> None:
    stranger = standin.user("Orang Asing")

    for text in ("/start", "halo", "/bantuan", "/undang 199001052015031002", "/start abc"):
        before = len(standin.messages(stranger))
        await standin.send_text(stranger, text)
        reply = await standin.wait_for_message(stranger, after=before)
        assert "Mohon maaf" in reply.body or "tidak dikenal" in reply.body, (text, reply.body)
        assert "Selamat datang" not in reply.body
        assert "t.me/" not in reply.body


async def test_a_used_link_is_refused_for_a_second_account(
    standin: BotApiStandin, office_db: Database
) -> None:
    token = invite(office_db, STAF_NIP)
    dedi, other_phone = standin.user("Dedi"), standin.user("Dedi HP lama")
    await standin.send_text(dedi, f"/start {token}")
    await standin.wait_for_message(dedi, contains="Selamat datang")

    await standin.send_text(other_phone, f"/start {token}")

    refusal = await standin.wait_for_message(other_phone, contains="sudah pernah digunakan")
    assert "Selamat datang" not in refusal.body
    await standin.send_text(other_phone, "/bantuan")
    await standin.wait_for_message(other_phone, contains="hanya dapat digunakan oleh pegawai")

    # The person who registered, tapping the link again, is told so; /start alone greets.
    await standin.send_text(dedi, f"/start {token}")
    await standin.wait_for_message(dedi, contains="Anda sudah terdaftar sebagai Dedi")
    await standin.send_text(dedi, "/start")
    await standin.wait_for_message(dedi, contains="Selamat datang kembali, Dedi Kurniawan, S.Kom.!")


async def test_an_expired_link_is_refused(standin: BotApiStandin, office_db: Database) -> None:
    token = invite(office_db, STAF_NIP, now=datetime.now(UTC) - timedelta(days=7, minutes=1))
    dedi = standin.user("Dedi")

    await standin.send_text(dedi, f"/start {token}")

    await standin.wait_for_message(dedi, contains="sudah kedaluwarsa")
    await standin.wait_until_idle()
    # Still a stranger: the default menu, not a person's.
    assert [c["command"] for c in standin.commands_for(dedi)] == ["start", "bantuan"]


async def test_one_account_cannot_register_as_two_people(
    standin: BotApiStandin, office_db: Database
) -> None:
    dedi = await register(standin, office_db, STAF_NIP, "Dedi")

    await standin.send_text(dedi, f"/start {invite(office_db, KASUBBAG_NIP)}")

    refusal = await standin.wait_for_message(dedi, contains="sudah terdaftar atas nama Dedi")
    assert "Satu akun Telegram hanya dapat mewakili satu pegawai di setiap kantor" in refusal.body


async def test_unexpected_input_gets_a_hint_never_silence(
    standin: BotApiStandin, office_db: Database
) -> None:
    dedi = await register(standin, office_db, STAF_NIP, "Dedi")

    await standin.send_text(dedi, "selamat pagi")
    await standin.wait_for_message(dedi, contains="belum dapat memahami")
    await standin.send_text(dedi, "/entahlah")
    await standin.wait_for_message(dedi, contains="tidak saya kenal")
    await standin.send_text(dedi, "/batal")
    await standin.wait_for_message(dedi, contains="Tidak ada isian")


async def test_in_a_group_only_commands_are_answered(
    standin: BotApiStandin, office_db: Database
) -> None:
    dedi = await register(standin, office_db, STAF_NIP, "Dedi")
    stranger = standin.user("Tamu")
    group = standin.group("Sub Bagian KUL", dedi, stranger)

    await standin.send_text(stranger, "/bantuan", chat=group)
    await standin.wait_for_message(group, contains="belum terdaftar")
    await standin.send_text(dedi, "/start", chat=group)
    await standin.wait_for_message(group, contains="percakapan pribadi")
    await standin.wait_until_idle()
    assert len(standin.messages(group)) == 2


async def test_a_person_removed_from_the_organisation_file_can_no_longer_act(
    standin: BotApiStandin, office_db: Database
) -> None:
    dedi = await register(standin, office_db, STAF_NIP, "Dedi")
    spec = load_organisation(EXAMPLE_ORG)
    without_dedi = spec.model_copy(
        update={"people": tuple(p for p in spec.people if p.nip != STAF_NIP)}
    )
    import_organisation(db=office_db, spec=without_dedi, now=datetime.now(UTC))

    await standin.send_text(dedi, "/bantuan")

    refusal = await standin.wait_for_message(dedi, contains="sudah tidak aktif")
    assert "/batal" not in refusal.body


async def test_nothing_personal_is_posted_in_a_group(
    standin: BotApiStandin, office_db: Database
) -> None:
    fajar = await register(standin, office_db, ADMIN_NIP, "Fajar")  # admin: may list people
    dedi = await register(standin, office_db, STAF_NIP, "Dedi")
    group = standin.group("Sub Bagian KUL", fajar, dedi)

    for user, command in (
        (fajar, "/pegawai"),
        (fajar, "/undang"),
        (dedi, "/bantuan"),
        (dedi, "/isi"),
    ):
        before = len(standin.messages(group))
        await standin.send_text(user, command, chat=group)
        answer = await standin.wait_for_message(group, after=before)
        assert answer.body == texts.PRIVATE_ONLY, (command, answer.body)
    await standin.wait_until_idle()
    posted = "\n".join(m.body for m in standin.messages(group))
    assert ADMIN_NIP not in posted and STAF_NIP not in posted and "Staf Sub Bagian" not in posted
    # The same list in the admin's private chat works.
    before = len(standin.messages(fajar))
    await standin.send_text(fajar, "/pegawai")
    listing = await standin.wait_for_message(fajar, after=before)
    assert STAF_NIP in listing.body or "Dedi" in listing.body
