"""The services tier: the example office with its 2026 PK, everyone registered, and an outbox
that records what each use case queued. No Telegram: the tests call bot/services directly."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.organisation import OrganisationSpec
from storage.db import Database
from storage.files import FileStore
from tests.reminder_data import NAMES, chat_of, import_pk, register_everyone
from tests.services.outbox_recorder import RecordingOutbox
from tests.services.steps import PROVINSI, PROVINSI_CHAT, Office, register


@pytest.fixture
def office(office_db: Database, example_spec: OrganisationSpec, tmp_path: Path) -> Office:
    """Give the example office, its people registered, and a recording outbox."""
    import_pk(office_db, example_spec)
    register_everyone(office_db)
    register(office_db, nip=PROVINSI, chat_id=PROVINSI_CHAT)
    names = {chat_of(name): name for name in NAMES} | {PROVINSI_CHAT: "suryadi"}
    return Office(
        db=office_db,
        files=FileStore(tmp_path / "data"),
        outbox=RecordingOutbox(office_db, names),
    )
