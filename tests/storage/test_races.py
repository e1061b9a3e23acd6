"""What two requests at once must not break: the same file stored, the same person's input set."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import select

from bot.services.common import store_bytes
from bot.services.pending import get_pending, set_pending
from storage.db import Database
from storage.files import FileStore
from storage.models import PendingInput, Person, StoredFile

NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)


def _at_once(work: Callable[[int], None], times: int = 8) -> list[BaseException]:
    """Run ``work(n)`` in ``times`` threads released together; return what they raised."""
    start = threading.Barrier(times)
    errors: list[BaseException] = []

    def run(n: int) -> None:
        start.wait()
        try:
            work(n)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_the_same_file_stored_at_once_is_one_row(db: Database, tmp_path: Path) -> None:
    files = FileStore(tmp_path / "data")
    ids: list[int] = []

    def store(_n: int) -> None:
        with db.session() as session:
            stored = store_bytes(
                session, files, b"%PDF-1.4 bukti", mime_type="application/pdf", now=NOW
            )
            session.commit()
            assert stored.id is not None
            ids.append(stored.id)

    assert _at_once(store) == []
    with db.session() as session:
        assert len(session.exec(select(StoredFile)).all()) == 1
    assert len(set(ids)) == 1


def test_a_persons_input_set_at_once_is_one_row_and_the_last_wins(office_db: Database) -> None:
    with office_db.session() as session:
        person = session.exec(select(Person)).first()
        assert person is not None and person.id is not None
        person_id = person.id

    def answer(n: int) -> None:
        with office_db.session() as session:
            get_pending(session, person_id=person_id)
            set_pending(session, person_id=person_id, kind="entry", payload={"n": n}, now=NOW)
            session.commit()

    assert _at_once(answer) == []
    with office_db.session() as session:
        rows = session.exec(select(PendingInput)).all()
        assert len(rows) == 1 and rows[0].payload["n"] in range(8)


def test_set_pending_replaces_what_the_session_already_read(office_db: Database) -> None:
    with office_db.session() as session:
        person = session.exec(select(Person)).first()
        assert person is not None and person.id is not None
        set_pending(session, person_id=person.id, kind="entry", payload={"step": 1}, now=NOW)
        assert get_pending(session, person_id=person.id).payload == {"step": 1}  # type: ignore[union-attr]
        set_pending(session, person_id=person.id, kind="flag", payload={"step": 2}, now=NOW)
        pending = get_pending(session, person_id=person.id)
        assert pending is not None and (pending.kind, pending.payload) == ("flag", {"step": 2})
