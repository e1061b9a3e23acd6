"""Callback data for inline buttons: short, opaque, and decoded in one place.

Shape: ``<area>:<action>[:<id>...]``, e.g. ``e:s:42`` (entry: start indicator line 42).
Telegram allows 64 bytes; ids are integers, so every value here stays far below that.
Every press is re-checked against who pressed it and the current state by the service.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.domain.errors import InvalidInput
from bot.domain.numbers import whole_number

MAX_BYTES = 64
INVALID_BUTTON = "Maaf, tombol ini tidak berlaku."

# Areas
ENTRY = "e"  # a unit entering data
CYCLE = "cy"  # rendatin starting a cycle
REVIEW = "rv"  # rendatin checking a submission
STATUS = "st"  # the /status browser
APPROVAL = "ap"  # routing the draft report: submit, initial/sign, return


@dataclass(frozen=True)
class Callback:
    """A decoded button press."""

    area: str
    action: str
    ids: tuple[int, ...] = ()

    def id(self, position: int = 0) -> int:
        """Return the ``position``-th id; a forged or garbled press gets a polite refusal."""
        if position >= len(self.ids):
            raise InvalidInput(INVALID_BUTTON)
        return self.ids[position]


def encode(area: str, action: str, *ids: int) -> str:
    """Build callback data; raise ValueError if it would exceed Telegram's 64 bytes."""
    data = ":".join([area, action, *(str(int(value)) for value in ids)])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def decode(data: str | None) -> Callback | None:
    """Read callback data; None when it is not ours or is malformed."""
    if not data:
        return None
    parts = data.split(":")
    if len(parts) < 2 or not parts[0]:
        return None
    ids = tuple(whole_number(part) for part in parts[2:])
    if None in ids:
        return None
    return Callback(parts[0], parts[1], tuple(value for value in ids if value is not None))


def in_area(area: str, action: str | None = None) -> Callable[[object], bool]:
    """A CallbackQueryHandler pattern: the data is well-formed and belongs to ``area``
    (and ``action``, when given).

    Garbled or forged data of a known area then falls through to the stale-button answer
    instead of reaching the area's handler.
    """

    def matches(data: object) -> bool:
        decoded = decode(data) if isinstance(data, str) else None
        return (
            decoded is not None
            and decoded.area == area
            and (action is None or decoded.action == action)
        )

    return matches
