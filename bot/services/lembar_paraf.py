"""Who stands on the lembar paraf, in order: the konseptor first, then the reviewers.

In an Indonesian office the paraf column of a document starts with its konseptor, the
person who drafted it, and goes up the line to the official who signs. Lapkin's konseptor
is the team member who made the version (/konsep); they initial by making it, so their
row carries that moment. A konseptor who also initials as a reviewer (the Kasubbag
Perencanaan drafting herself) has one row: first, marked Konseptor, with her paraf time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bot import documents


class Someone(Protocol):
    """A person row or view: what the sheet needs to know of them."""

    @property
    def id(self) -> int | None: ...
    @property
    def name(self) -> str: ...
    @property
    def jabatan(self) -> str: ...


KONSEPTOR = "Konseptor"


def lembar_paraf(
    *,
    konseptor: Someone,
    made_at: datetime,
    reviewers: Sequence[tuple[Someone, documents.LkjipInitial]],
) -> list[documents.LkjipInitial]:
    """Return the sheet's rows: the konseptor's, then each reviewer's in the order given."""
    own = [initial for person, initial in reviewers if person.id == konseptor.id]
    first = (
        documents.LkjipInitial(
            name=own[0].name,
            jabatan=own[0].jabatan,
            initialled_at=own[0].initialled_at,
            note=_with_konseptor(own[0].note),
        )
        if own
        else documents.LkjipInitial(
            name=konseptor.name,
            jabatan=konseptor.jabatan,
            initialled_at=made_at,
            note=KONSEPTOR,
        )
    )
    others = [initial for person, initial in reviewers if person.id != konseptor.id]
    return [first, *others]


def _with_konseptor(note: str | None) -> str:
    return f"{KONSEPTOR}; {note}" if note else KONSEPTOR
