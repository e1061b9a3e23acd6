"""A local stand-in for Telegram's Bot API that the real bot reaches over HTTP.

The server runs in the test's event loop. The bot under test talks to it through PTB's
``base_url``/``base_file_url``; the test plays users (``send_text``, ``tap`` ...) and reads what
they see (``messages``, ``wait_for_message`` ...). All state changes happen synchronously
inside one event loop, so a handler that does not ``await`` between its checks and its writes
is atomic even when the bot fires several requests at once.
"""

from __future__ import annotations

from .driver import UserDriver
from .model import Upload

__all__ = ["BotApiStandin", "Upload"]


class BotApiStandin(UserDriver):
    """Serve a Telegram-like Bot API on 127.0.0.1 and simulate the users the bot talks to.

    Built in layers, each a module: state.py (what it knows), api.py (the Bot API's
    semantics), faults.py (failures injected on request), transport.py (HTTP in and out),
    driver.py (what a test does as a person and reads back).
    """
