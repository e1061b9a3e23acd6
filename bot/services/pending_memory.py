"""What the bot waits for from each person, kept in memory between their messages.

Every text a person types asks what the bot is waiting for (handlers.text_input); the
answer changes only when the bot itself asks or is answered, and every such change is
committed by this process. So the answer read from the database is kept until a commit
changes the pending inputs (storage.change_generation tells at once), and the next text
is answered without a database read. Only the bot writes them: no other process can change
them behind its back.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any

from bot.services.known_people import NOT_HELD, NotHeld
from bot.services.pending import pending_payload
from storage.change_generation import on_change
from storage.db import Database
from storage.models import PendingInput

Pending = tuple[str, dict[str, Any]] | None


class PendingMemory:
    """The pending input of each person read since the last change to any of them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: dict[int, Pending] = {}
        self._epoch = 0
        self._stop_listening: Callable[[], None] | None = None

    def lookup(self, person_id: int) -> Pending | NotHeld:
        """Return the kind and details of what the bot waits for, None, or NOT_HELD."""
        if person_id not in self._held:
            return NOT_HELD
        return copy.deepcopy(self._held[person_id])  # the caller may change the details

    def read(self, *, db: Database, person_id: int) -> Pending:
        """Read it from the database (blocking), and keep it if nothing changed meanwhile."""
        epoch = self._epoch
        pending = pending_payload(db=db, person_id=person_id)
        with self._lock:
            if epoch == self._epoch and self._stop_listening is not None:
                self._held[person_id] = copy.deepcopy(pending)
        return pending

    def forget(self) -> None:
        """Drop everything held (a pending input changed)."""
        with self._lock:
            self._epoch += 1
            self._held = {}

    def start(self, *, db: Database) -> None:
        """Forget at every commit of this process that changes a pending input."""
        self._stop_listening = on_change(db.engine, [str(PendingInput.__tablename__)], self.forget)

    def stop(self) -> None:
        """Stop listening, and hold nothing any more."""
        if self._stop_listening is not None:
            self._stop_listening()
            self._stop_listening = None
        self.forget()
