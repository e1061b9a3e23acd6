"""A recording outbox: what a use case queued (its outbox_message rows), with assert helpers.

Nothing is faked: the services write their rows as they always do, and this reads them back
by person, so a test says "Rina was sent this, with these buttons; Dedi was sent nothing".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import col, select

from storage.db import Database
from storage.models import OutboxMessage


@dataclass(frozen=True)
class Queued:
    """One queued message as its recipient will see it."""

    id: int
    to: str  # the person's first name, or "chat <id>" for a chat nobody is named for
    text: str
    buttons: list[list[str]]  # button labels, row by row
    data: dict[str, str]  # label -> callback data (or the URL of a link button)
    document_name: str | None
    edit_of_id: int | None

    def button_data(self, label: str) -> str:
        """Return the callback data of the button labelled ``label``."""
        assert label in self.data, f"no button {label!r} on {self.text[:60]!r}: {self.buttons}"
        return self.data[label]


class RecordingOutbox:
    """Reads what was queued since the last ``clear()``, and asserts about it by person."""

    def __init__(self, db: Database, names: Mapping[int, str]) -> None:
        self._db = db
        self._names = dict(names)  # chat id -> first name
        self._after = 0

    def name(self, chat_id: int, as_name: str) -> None:
        """Call ``chat_id`` by ``as_name`` from now on."""
        self._names[chat_id] = as_name

    def clear(self) -> None:
        """Forget what was queued so far: later asserts see only what comes after."""
        with self._db.session() as session:
            newest = session.exec(select(OutboxMessage.id).order_by(col(OutboxMessage.id).desc()))
            self._after = newest.first() or 0

    def messages(self) -> list[Queued]:
        """Return every message queued since the last ``clear()``, oldest first."""
        with self._db.session() as session:
            rows = session.exec(
                select(OutboxMessage)
                .where(col(OutboxMessage.id) > self._after)
                .order_by(col(OutboxMessage.id))
            ).all()
            return [self._queued(row) for row in rows]

    def to(self, person: str) -> list[Queued]:
        """Return what was queued for ``person`` (a first name), oldest first."""
        return [message for message in self.messages() if message.to == person]

    def recipients(self) -> set[str]:
        """Return everyone something was queued for."""
        return {message.to for message in self.messages()}

    def assert_sent_to(
        self, person: str, *, containing: str = "", document: str | None = None
    ) -> Queued:
        """Assert ``person`` was queued a message containing ``containing``; return the last."""
        found = [
            message
            for message in self.to(person)
            if containing in message.text
            and (document is None or document in (message.document_name or ""))
        ]
        assert found, (
            f"nothing for {person} containing {containing!r}"
            + (f" with a document {document!r}" if document else "")
            + f"; {person} got: {[m.text[:80] for m in self.to(person)]}"
        )
        return found[-1]

    def assert_not_sent_to(self, person: str, *, containing: str = "") -> None:
        """Assert nothing (or nothing containing ``containing``) was queued for ``person``."""
        found = [m.text[:80] for m in self.to(person) if containing in m.text]
        assert not found, f"{person} was sent {found}"

    def assert_nothing_sent(self) -> None:
        """Assert nothing at all was queued since the last ``clear()``."""
        queued = [(m.to, m.text[:80]) for m in self.messages()]
        assert not queued, f"expected no messages, queued: {queued}"

    def assert_recipients(self, *people: str) -> None:
        """Assert exactly ``people`` were queued something."""
        assert self.recipients() == set(people), sorted(self.recipients())

    @staticmethod
    def assert_buttons(message: Queued, buttons: list[list[str]]) -> None:
        """Assert ``message`` carries exactly ``buttons`` (labels, row by row)."""
        assert message.buttons == buttons, f"{message.text[:60]!r}: {message.buttons}"

    def _queued(self, row: OutboxMessage) -> Queued:
        assert row.id is not None
        rows: list[list[dict[str, Any]]] = (row.reply_markup or {}).get("inline_keyboard", [])
        return Queued(
            id=row.id,
            to=self._names.get(row.chat_id, f"chat {row.chat_id}"),
            text=row.text or "",
            buttons=[[button["text"] for button in line] for line in rows],
            data={
                button["text"]: button.get("callback_data") or button.get("url", "")
                for line in rows
                for button in line
            },
            document_name=row.document_name,
            edit_of_id=row.edit_of_id,
        )
