"""The database tables, all keyed by office so one deployment can serve several offices."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


def _utc(nullable: bool = False, index: bool = False) -> Any:
    return Field(sa_type=UTCDateTime, nullable=nullable, index=index)


class Office(SQLModel, table=True):
    """A satker (e.g. KPU Kota Bengkulu) with its letterhead data and its own settings."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=64)
    name: str = Field(max_length=200)
    city: str = Field(max_length=100)
    address: str = Field(max_length=500)
    region_code: str = Field(max_length=16)
    parent_office: str = Field(max_length=200)
    # Letter-number pattern, category scale, office hours: validated by bot.domain.organisation.
    settings: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class Unit(SQLModel, table=True):
    """A Sub Bagian of the office."""

    __table_args__ = (UniqueConstraint("office_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    code: str = Field(max_length=32)
    name: str = Field(max_length=200)
    number: int  # the numeric unit code used in letter numbers
    active: bool = True


class Person(SQLModel, table=True):
    """Someone in the organisation file; registered once their Telegram account is bound."""

    __table_args__ = (UniqueConstraint("office_id", "nip"),)

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    nip: str = Field(max_length=32)
    name: str = Field(max_length=200)
    jabatan: str = Field(max_length=200)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    # Telegram user ids exceed 32 bits.
    telegram_user_id: int | None = Field(
        default=None, sa_type=BigInteger, unique=True, nullable=True
    )
    telegram_username: str | None = Field(default=None, max_length=64)
    registered_at: datetime | None = _utc(nullable=True)
    # Removed from the organisation file: kept, because history points at them.
    active: bool = True


class PersonRole(SQLModel, table=True):
    """One role held by one person."""

    __tablename__ = "person_role"

    person_id: int = Field(foreign_key="person.id", primary_key=True)
    role: str = Field(primary_key=True, max_length=32)


class Invitation(SQLModel, table=True):
    """A one-time registration link; only the SHA-256 of its token is stored."""

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    token_hash: str = Field(unique=True, max_length=64)
    created_at: datetime = _utc()
    expires_at: datetime = _utc()
    used_at: datetime | None = _utc(nullable=True)
    created_by: str = Field(max_length=200)  # "cli" or the inviting person's name


class OutboxMessage(SQLModel, table=True):
    """A message the bot sends on its own initiative, written with the change that caused it."""

    __tablename__ = "outbox_message"

    id: int | None = Field(default=None, primary_key=True)
    office_id: int | None = Field(default=None, foreign_key="office.id", index=True)
    chat_id: int = Field(sa_type=BigInteger, index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    text: str | None = None
    parse_mode: str | None = Field(default=None, max_length=16)
    reply_markup: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    document_path: str | None = Field(default=None, max_length=500)
    document_name: str | None = Field(default=None, max_length=255)
    # Makes enqueueing idempotent: a reminder enqueued twice with one key is stored once.
    dedupe_key: str | None = Field(default=None, unique=True, max_length=200)
    status: str = Field(default="pending", max_length=16, index=True)
    attempts: int = 0
    next_attempt_at: datetime = _utc(index=True)
    created_at: datetime = _utc()
    sent_at: datetime | None = _utc(nullable=True)
    telegram_message_id: int | None = Field(default=None, sa_type=BigInteger)
    last_error: str | None = None


class AuditEvent(SQLModel, table=True):
    """An append-only record of one state change: when, who, what, on which object."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    office_id: int | None = Field(default=None, foreign_key="office.id", index=True)
    at: datetime = _utc(index=True)
    actor_person_id: int | None = Field(default=None, foreign_key="person.id")
    actor: str = Field(max_length=200)  # a readable name: the person, "cli" or "sistem"
    action: str = Field(max_length=64, index=True)
    object_type: str = Field(max_length=64)
    object_id: str | None = Field(default=None, max_length=64)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
