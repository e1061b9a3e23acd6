"""Turn the services' buttons into Telegram keyboards (pure functions)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.messages import Keyboard


def inline_keyboard(keyboard: Keyboard) -> InlineKeyboardMarkup | None:
    """Return Telegram's markup for ``keyboard``, or None when it has no buttons."""
    rows = [
        [
            InlineKeyboardButton(button.text, url=button.url)
            if button.url
            else InlineKeyboardButton(button.text, callback_data=button.data)
            for button in row
        ]
        for row in keyboard
        if row
    ]
    return InlineKeyboardMarkup(rows) if rows else None
