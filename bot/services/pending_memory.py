"""What the bot waits for from each person, kept in memory between their messages.

Every text a person types asks what the bot is waiting for (handlers.text_input); the
answer changes only when the bot itself asks or is answered, and every such change is
committed by this process. So the answer read from the database is kept until a commit
changes the pending inputs (storage.change_generation tells at once), and the next text
is answered without a database read. Only the bot writes them: no other process can change
them behind its back. The table holds a row only for those in the middle of something, so
after each change it is read whole, and anyone without a row is known to be asked nothing.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any

from sqlmodel import select

from bot.services.known_people import NOT_HELD, NotHeld
from storage.change_generation import on_change
from storage.db import Database
from storage.models import PendingInput

Pending = tuple[str, dict[str, Any]] | None


class PendingMemory:
    """The pending input of each person read since the last change to any of them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: dict[int, tuple[str, dict[str, Any]]] = {}
        self._complete = False
        self._epoch = 0
        self._stop_listening: Callable[[], None] | None = None

    def lookup(self, person_id: int) -> Pending | NotHeld:
        """Return the kind and details of what the bot waits for, None, or NOT_HELD."""
        if not self._complete:
            return NOT_HELD
        return copy.deepcopy(self._held.get(person_id))  # the caller may change the details

    def read(self, *, db: Database, person_id: int) -> Pending:
        """Read everyone's from the database (blocking), keep them if nothing changed
        meanwhile, and return the person's."""
        epoch = self._epoch
        query = select(PendingInput.person_id, PendingInput.kind, PendingInput.payload)
        with db.session() as session:
            rows = session.exec(query).all()
        held = {row_person: (kind, dict(payload)) for row_person, kind, payload in rows}
        with self._lock:
            if epoch == self._epoch and self._stop_listening is not None:
                self._held = held
                self._complete = True
        return copy.deepcopy(held.get(person_id))

    def forget(self) -> None:
        """Drop everything held (a pending input changed)."""
        with self._lock:
            self._epoch += 1
            self._held = {}
            self._complete = False

    def start(self, *, db: Database) -> None:
        """Forget at every commit of this process that changes a pending input."""
        self._stop_listening = on_change(db.engine, [str(PendingInput.__tablename__)], self.forget)

    def stop(self) -> None:
        """Stop listening, and hold nothing any more."""
        if self._stop_listening is not None:
            self._stop_listening()
            self._stop_listening = None
        self.forget()
