"""Everything the bot says, and the buttons it offers: pure functions of plain data.

One module per area (``bot/messages/<area>.py``). A service decides *what* happens and calls
these to say it; it never writes Indonesian text or a keyboard itself. Handlers do the same
for the few things they say on their own (a stale button, a hint).

The voice: the bot speaks to everyone as "Anda" in its own replies; "Bapak/Ibu" addresses a
Kasubbag or the Sekretaris in the reminders and requests that ask them, as seniors, to act.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Button:
    """An inline button: either a callback (``data``) or a link (``url``)."""

    text: str
    data: str | None = None
    url: str | None = None


Keyboard = Sequence[Sequence[Button]]


@dataclass(frozen=True)
class Reply:
    """What the bot answers: text and the buttons that go with it."""

    text: str
    keyboard: Keyboard = field(default_factory=list)
    notify: bool = False  # the outbox has something new: wake the dispatcher
