"""Callback data for inline buttons: short, opaque, and decoded in one place.

Shape: ``<area>:<action>[:<id>...]``, e.g. ``e:s:42`` (entry: start indicator line 42).
Telegram allows 64 bytes; ids are integers, so every value here stays far below that.
Every press is re-checked against who pressed it and the current state by the service.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.errors import InvalidInput

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
    if len(parts) < 2:
        return None
    try:
        ids = tuple(int(part) for part in parts[2:])
    except ValueError:
        return None
    return Callback(parts[0], parts[1], ids)
