"""A local Telegram Bot API stand-in for end-to-end tests of the bot (see ``server.py``: it is
built in layers, state.py, api.py, faults.py, transport.py and driver.py)."""

from .markup import image_size, parse_html, parse_markdown_v2, render, tiny_png, utf16_len
from .model import (
    ApiCall,
    ApiError,
    CallbackAnswer,
    FakeChat,
    FakeUser,
    SentMessage,
    StoredFile,
    WebhookDelivery,
)
from .server import BotApiStandin, Upload

__all__ = [
    "ApiCall",
    "ApiError",
    "BotApiStandin",
    "CallbackAnswer",
    "FakeChat",
    "FakeUser",
    "SentMessage",
    "StoredFile",
    "Upload",
    "WebhookDelivery",
    "image_size",
    "parse_html",
    "parse_markdown_v2",
    "render",
    "tiny_png",
    "utf16_len",
]
