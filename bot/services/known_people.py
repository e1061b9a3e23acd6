"""The registered people (each account with its person in every office) in memory, so that the access guard reads no database per update.

Every update asks who sent it (handlers.access). The answer changes rarely — a registration,
an organisation import, someone blocking the bot — so the bot keeps everyone with a Telegram
account in memory and forgets them the moment a change is committed in this process
(storage.change_generation tells it). A change made by another process, such as the CLI's
``org import``, is seen by the counter the same module keeps in the database: the bot reads
it every ``interval`` seconds (the outbox's poll, 2 s by default), so a person deactivated
there is refused within that interval (README, "Who may do what").

Until everyone is loaded, and after each change until they are loaded again, the guard reads
the database as before; what it reads is kept only if nothing changed meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Final

from bot.services.people import (
    Account,
    find_account,
    people_changes,
    registered_people,
)
from storage.change_generation import on_people_change
from storage.db import Database

log = logging.getLogger(__name__)


class NotHeld:
    """The answer of a look-up the cache cannot give: ask the database (``find``)."""

    def __repr__(self) -> str:
        return "NOT_HELD"


NOT_HELD: Final = NotHeld()


class KnownPeople:
    """Who has a Telegram account, kept in memory while nothing changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._people: dict[int, Account] = {}
        self._complete = False  # holds everyone: an account it does not hold is a stranger
        self._epoch = 0  # moves at each change, so a read begun before it is not kept
        self._generation: int | None = None  # the database's people counter the copy matches
        self._task: asyncio.Task[None] | None = None
        self._stop_listening: Callable[[], None] | None = None
        self._checked = asyncio.Event()  # set, and replaced, at the end of each check

    def lookup(self, telegram_user_id: int) -> Account | NotHeld | None:
        """Return the account with its people, None for a stranger, or NOT_HELD."""
        account = self._people.get(telegram_user_id)
        if account is not None:
            return account
        return None if self._complete else NOT_HELD

    def find(self, *, db: Database, telegram_user_id: int) -> Account | None:
        """Read the account from the database (blocking), and keep it if nothing changed."""
        epoch = self._epoch
        account = find_account(db=db, telegram_user_id=telegram_user_id)
        with self._lock:
            if account is not None and epoch == self._epoch and self._task is not None:
                self._people[telegram_user_id] = account
        return account

    def forget(self) -> None:
        """Drop every person held (something about people changed)."""
        with self._lock:
            self._epoch += 1
            self._people = {}
            self._complete = False

    def refresh(self, *, db: Database) -> None:
        """Read the people counter (blocking); when it moved, or nobody is held, reload all."""
        generation = people_changes(db=db)
        if generation == self._generation and self._complete:
            return
        if generation != self._generation:
            self.forget()
        epoch = self._epoch
        generation, people = registered_people(db=db)
        with self._lock:
            if epoch != self._epoch:
                return  # changed in this process meanwhile: the next round loads it
            self._people = people
            self._complete = True
            self._generation = generation

    async def start(self, *, db: Database, interval: float) -> None:
        """Forget on every change in this process, and check the database every ``interval``."""
        self._stop_listening = on_people_change(db.engine, self.forget)
        self._task = asyncio.create_task(self._keep_fresh(db, interval), name="known-people")

    async def stop(self) -> None:
        """Stop checking, and hold nobody any more."""
        if self._stop_listening is not None:
            self._stop_listening()
            self._stop_listening = None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self.forget()

    async def next_check(self) -> None:
        """Wait until the check of the database that runs next (or now) has ended."""
        await self._checked.wait()

    async def _keep_fresh(self, db: Database, interval: float) -> None:
        while True:
            try:
                await asyncio.to_thread(self.refresh, db=db)
            except Exception:
                # The database is unreachable (bot.outage reports that): nothing can change
                # people meanwhile, but hold nobody, so the guard asks it again as before.
                log.debug("reading the people counter failed", exc_info=True)
                self.forget()
            checked, self._checked = self._checked, asyncio.Event()
            checked.set()
            await asyncio.sleep(interval)
