"""Why the bot cannot start, said in one line an operator can act on (no traceback)."""

from __future__ import annotations


class CannotStart(Exception):
    """The bot (or a command) cannot start; the message says why and what to do, in one line."""
