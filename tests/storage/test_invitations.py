"""Invitations: one-time, hashed, expiring; one Telegram account per person and vice versa."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.domain.errors import DomainError, InvalidInput, NotAllowed, NotFound
from bot.services.audit import events
from bot.services.invitations import create_invitation, redeem_invitation
from bot.services.outbox import messages
from bot.services.people import find_by_telegram_id
from storage.db import Database
from storage.models import Invitation

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
DEDI = "199001052015031002"
SITI = "199205172019032011"
FAJAR_ADMIN = "199309092020121005"


def _invite(db: Database, nip: str = DEDI, now: datetime = NOW) -> str:
    return create_invitation(db=db, nip=nip, now=now, valid_days=7, created_by="cli").token


def _redeem(db: Database, token: str, user_id: int = 5001, now: datetime = NOW) -> str:
    return redeem_invitation(
        db=db, token=token, telegram_user_id=user_id, telegram_username="dedi", now=now
    ).name


def test_the_token_is_stored_only_as_a_hash(office_db: Database) -> None:
    token = _invite(office_db)

    with office_db.session() as session:
        stored = session.exec(select(Invitation)).one()
    assert token not in stored.token_hash
    assert stored.expires_at == NOW + timedelta(days=7)


def test_redeeming_binds_the_account_once(office_db: Database) -> None:
    token = _invite(office_db)

    assert _redeem(office_db, token) == "Dedi Kurniawan, S.Kom."
    person = find_by_telegram_id(db=office_db, telegram_user_id=5001)
    assert person is not None and person.nip == DEDI and person.registered_at == NOW
    with office_db.session() as session:
        assert [e.action for e in events(session)][-2:] == [
            "invitation.created",
            "person.registered",
        ]

    with pytest.raises(NotAllowed, match="sudah terdaftar sebagai"):
        _redeem(office_db, token)  # same account taps the link again
    with pytest.raises(NotAllowed, match="sudah pernah digunakan"):
        _redeem(office_db, token, user_id=5002)  # someone else got the link


def test_registration_notifies_registered_admins_through_the_outbox(office_db: Database) -> None:
    _redeem(office_db, _invite(office_db, FAJAR_ADMIN), user_id=7001)
    _redeem(office_db, _invite(office_db, DEDI), user_id=5001)

    notices = [m for m in messages(db=office_db) if m.chat_id == 7001]
    assert len(notices) == 1 and "Dedi Kurniawan" in (notices[0].text or "")


def test_an_expired_link_is_refused(office_db: Database) -> None:
    token = _invite(office_db, now=NOW - timedelta(days=8))

    with pytest.raises(NotAllowed, match="kedaluwarsa"):
        _redeem(office_db, token)
    assert find_by_telegram_id(db=office_db, telegram_user_id=5001) is None


@pytest.mark.parametrize("token", ["x", "A" * 32, "../../etc/passwd"])
def test_an_unknown_link_is_refused(office_db: Database, token: str) -> None:
    with pytest.raises((NotFound, InvalidInput), match="tidak dikenal"):
        _redeem(office_db, token)


def test_a_new_invitation_replaces_the_old_link(office_db: Database) -> None:
    first = _invite(office_db)
    second = _invite(office_db, now=NOW + timedelta(minutes=1))

    with pytest.raises(NotAllowed, match="kedaluwarsa"):
        _redeem(office_db, first, now=NOW + timedelta(minutes=2))
    assert _redeem(office_db, second, now=NOW + timedelta(minutes=2))


def test_one_account_cannot_hold_two_people(office_db: Database) -> None:
    _redeem(office_db, _invite(office_db, DEDI), user_id=5001)

    with pytest.raises(NotAllowed, match="sudah terdaftar atas nama Dedi"):
        _redeem(office_db, _invite(office_db, SITI), user_id=5001)


def test_registered_people_are_not_invited_again(office_db: Database) -> None:
    _redeem(office_db, _invite(office_db), user_id=5001)

    with pytest.raises(NotAllowed, match="sudah terdaftar"):
        _invite(office_db)


@pytest.mark.parametrize("nip", ["000000000000000000", "not-a-nip"])
def test_inviting_an_unknown_nip_is_refused(office_db: Database, nip: str) -> None:
    with pytest.raises(NotFound, match="Tidak ada pegawai"):
        _invite(office_db, nip)


def test_two_simultaneous_redemptions_bind_exactly_one_account(office_db: Database) -> None:
    token = _invite(office_db)
    results: list[str] = []
    barrier = threading.Barrier(2)

    def attempt(user_id: int) -> None:
        barrier.wait()
        try:
            results.append(f"ok:{_redeem(office_db, token, user_id=user_id)}")
        except DomainError as error:
            results.append(f"refused:{error.message[:30]}")

    threads = [threading.Thread(target=attempt, args=(uid,)) for uid in (6001, 6002)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(r.split(":")[0] for r in results) == ["ok", "refused"], results
    bound = [find_by_telegram_id(db=office_db, telegram_user_id=uid) for uid in (6001, 6002)]
    assert sum(person is not None for person in bound) == 1
