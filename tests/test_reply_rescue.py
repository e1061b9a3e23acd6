"""What a direct request becomes in the outbox when Telegram keeps refusing it (bot.reply_rescue).

python-telegram-bot's own Bot makes the requests, against the stand-in, so the rescue sees the
request data exactly as the bot hands it to the rate limiter.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, InputMediaPhoto
from telegram.error import NetworkError
from telegram.ext import ExtBot

from bot.ratelimit import Pacing, TelegramRateLimiter
from bot.reply_rescue import ReplyRescue
from bot.services import outbox
from storage.db import Database
from storage.files import FileStore
from tests.standin import BotApiStandin, tiny_png

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
TRIES = 4  # bot.retries.RetryPolicy's default
MARKUP = InlineKeyboardMarkup([[InlineKeyboardButton("📤 Kirim", callback_data="cy:k:1")]])


@pytest.fixture
async def standin() -> AsyncIterator[BotApiStandin]:
    async with BotApiStandin() as server:
        yield server
    assert not server.internal_errors, server.internal_errors


@pytest.fixture
async def bot(
    standin: BotApiStandin, db: Database, tmp_path: Path
) -> AsyncIterator[tuple[ExtBot[Any], list[int]]]:
    """Give a bot whose failed replies go to the outbox, and the list of its wake-ups."""
    woken: list[int] = []
    rescue = ReplyRescue(
        db=db, files=FileStore(tmp_path), clock=lambda: NOW, wake=lambda: woken.append(1)
    )
    limiter = TelegramRateLimiter(pacing=Pacing(speed=1000.0), rescue=rescue)
    async with ExtBot(standin.token, base_url=standin.base_url, rate_limiter=limiter) as made:
        yield made, woken


def _content(root: Path, path: str | None) -> bytes:
    """The bytes of a rescued document (its path is relative to DATA_DIR)."""
    assert path is not None and not Path(path).is_absolute()
    return (root / path).read_bytes()


def _fail(standin: BotApiStandin, method: str) -> None:
    standin.fail_next(method, "502", times=TRIES)


async def test_a_message_keeps_its_text_and_buttons(
    standin: BotApiStandin, bot: tuple[ExtBot[Any], list[int]], db: Database
) -> None:
    ext_bot, woken = bot
    alice = standin.user("Alice")
    _fail(standin, "sendMessage")

    sent = await ext_bot.send_message(alice.id, "Pratinjau siap.", reply_markup=MARKUP)

    assert sent.message_id == 0 and sent.chat.id == alice.id  # "queued"
    (row,) = outbox.messages(db=db, status=outbox.PENDING)
    assert (row.chat_id, row.text, row.reply_markup) == (
        alice.id,
        "Pratinjau siap.",
        MARKUP.to_dict(),
    )
    assert woken and standin.messages(alice) == []
    assert len(standin.calls("sendMessage")) == TRIES


async def test_documents_photos_and_albums_keep_their_bytes_names_and_captions(
    standin: BotApiStandin, bot: tuple[ExtBot[Any], list[int]], db: Database, tmp_path: Path
) -> None:
    ext_bot, _ = bot
    alice = standin.user("Alice")
    for method in ("sendDocument", "sendPhoto", "sendMediaGroup"):
        _fail(standin, method)

    await ext_bot.send_document(
        alice.id, InputFile(b"PK\x03\x04 xlsx", filename="Rekap.xlsx"), caption="Rekap"
    )
    await ext_bot.send_photo(alice.id, tiny_png(), caption="Grafik capaian")
    album = await ext_bot.send_media_group(
        alice.id, [InputMediaPhoto(tiny_png(), caption="1"), InputMediaPhoto(tiny_png())]
    )

    assert len(album) == 2
    rows = outbox.messages(db=db, status=outbox.PENDING)
    assert [(r.text, r.document_name) for r in rows] == [
        ("Rekap", "Rekap.xlsx"),
        ("Grafik capaian", "gambar.png"),
        ("1", "gambar.png"),
        (None, "gambar.png"),
    ]
    assert all(r.document_path for r in rows)
    assert _content(tmp_path, rows[0].document_path) == b"PK\x03\x04 xlsx"
    assert _content(tmp_path, rows[1].document_path) == tiny_png()


async def test_an_edit_arrives_as_a_new_message(
    standin: BotApiStandin, bot: tuple[ExtBot[Any], list[int]], db: Database
) -> None:
    ext_bot, _ = bot
    alice = standin.user("Alice")
    shown = await ext_bot.send_message(alice.id, "Ringkasan (halaman 1)")
    _fail(standin, "editMessageText")

    edited = await ext_bot.edit_message_text(
        "Ringkasan (halaman 2)", chat_id=alice.id, message_id=shown.message_id, reply_markup=MARKUP
    )

    assert edited is True
    (row,) = outbox.messages(db=db, status=outbox.PENDING)
    assert (row.text, row.reply_markup) == ("Ringkasan (halaman 2)", MARKUP.to_dict())


async def test_tidying_is_dropped_and_an_alert_is_left_to_the_caller(
    standin: BotApiStandin, bot: tuple[ExtBot[Any], list[int]], db: Database
) -> None:
    ext_bot, _ = bot
    alice = standin.user("Alice")
    shown = await ext_bot.send_message(alice.id, "Pilih:", reply_markup=MARKUP)
    _fail(standin, "answerCallbackQuery")
    _fail(standin, "editMessageReplyMarkup")

    assert await ext_bot.answer_callback_query("1", text="Diterima.") is True
    assert await ext_bot.edit_message_reply_markup(alice.id, shown.message_id) is True
    _fail(standin, "answerCallbackQuery")
    with pytest.raises(NetworkError):  # a query names no chat: handlers.common.alert says it
        await ext_bot.answer_callback_query("1", text="Tombol kedaluwarsa.", show_alert=True)

    assert outbox.messages(db=db) == []
    assert standin.messages(alice)[0].buttons == [["📤 Kirim"]]
