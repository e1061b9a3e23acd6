"""The typed context every handler receives, and the services built once at start-up."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.clock import Clock, utc_now
from bot.services.error_reports import ReportedError
from bot.services.known_people import KnownPeople
from bot.services.pending_memory import PendingMemory
from bot.services.people import Account, PersonView
from bot.settings import Settings
from storage.db import Database
from storage.files import FileStore

if TYPE_CHECKING:
    from bot.dispatcher import OutboxDispatcher
    from bot.outage import DatabaseWatch


@dataclass
class Services:
    """What the handlers need, wired in bot.app."""

    settings: Settings
    db: Database
    files: FileStore
    dispatcher: OutboxDispatcher
    watch: DatabaseWatch  # the database's reachability, shared by everything that polls it
    clock: Clock = utc_now
    # Who has a Telegram account, in memory for the access guard (handlers.access).
    known_people: KnownPeople = field(default_factory=KnownPeople)
    # What each person is asked for, in memory between their messages (handlers.text_input).
    pending: PendingMemory = field(default_factory=PendingMemory)


class BotData:
    """``application.bot_data``: holds the services once they are wired."""

    def __init__(self) -> None:
        self._services: Services | None = None
        # Setting people's command menus runs beside the bot, not before it (see bot.app).
        self.menu_sync: asyncio.Task[None] | None = None
        # Errors already reported to the admins this hour (see handlers.errors).
        self.error_reports: dict[str, ReportedError] = {}

    @property
    def services(self) -> Services:
        """Return the wired services."""
        if self._services is None:
            raise RuntimeError("services are not wired; build the bot with bot.app")
        return self._services

    @services.setter
    def services(self, services: Services) -> None:
        self._services = services


UserData = dict[Any, Any]
ChatData = dict[Any, Any]


class LapkinContext(CallbackContext[ExtBot[int], UserData, ChatData, BotData]):
    """Context with typed access to the services and the person who sent the update."""

    def __init__(
        self,
        application: Application,  # type: ignore[type-arg]
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        # Set by the access guard (handlers.access) before any other handler runs.
        # The person acting: of the account's current office for a command, of the office
        # of the object a button names for a press.
        self.person: PersonView | None = None
        # The Telegram account with its person in every office (/kantor).
        self.account: Account | None = None

    @property
    def services(self) -> Services:
        """Return the services built at start-up."""
        return self.bot_data.services

    @property
    def registered_person(self) -> PersonView:
        """Return the sender, who the access guard has checked is registered and active."""
        if self.person is None:
            raise RuntimeError("handler reached without a registered person")
        return self.person

    @property
    def registered_account(self) -> Account:
        """Return the sender's account, with its person in every office."""
        if self.account is None:
            raise RuntimeError("handler reached without a registered account")
        return self.account


LapkinApplication = Application[
    ExtBot[int], LapkinContext, UserData, ChatData, BotData, JobQueue[Any]
]
