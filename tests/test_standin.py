"""Prove the Bot API stand-in with python-telegram-bot itself (real HTTP, real de_json)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import socket
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from tests.standin import BotApiStandin, FakeUser, tiny_png

App = Application[Any, Any, Any, Any, Any, Any]

# PTB reads RetryAfter.retry_after while building the exception and warns about its own
# coming int -> timedelta change; that warning says nothing about the stand-in.
pytestmark = pytest.mark.filterwarnings(
    "ignore:.*`retry_after`:telegram.warnings.PTBDeprecationWarning"
)


@pytest.fixture
async def standin() -> AsyncIterator[BotApiStandin]:
    """Run a stand-in for one test and fail the test if the stand-in itself crashed."""
    tg = BotApiStandin()
    await tg.start()
    yield tg
    await tg.stop()
    assert not tg.internal_errors, "\n".join(tg.internal_errors)


def make_bot(tg: BotApiStandin, **request_kwargs: Any) -> Bot:
    """Build a PTB Bot pointed at the stand-in (``request_kwargs`` go to HTTPXRequest)."""
    request = HTTPXRequest(**request_kwargs) if request_kwargs else None
    return Bot(tg.token, base_url=tg.base_url, base_file_url=tg.base_file_url, request=request)


@pytest.fixture
async def bot(standin: BotApiStandin) -> AsyncIterator[Bot]:
    """Provide an initialized Bot talking to the stand-in."""
    async with make_bot(standin) as initialized:
        yield initialized


def retry_seconds(error: RetryAfter) -> float:
    """Read RetryAfter.retry_after whether PTB_TIMEDELTA makes it a timedelta or not."""
    value = error.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


def build_app(tg: BotApiStandin) -> App:
    """Build the kind of Application the real bot builds, but against the stand-in."""
    return (
        ApplicationBuilder()
        .token(tg.token)
        .base_url(tg.base_url)
        .base_file_url(tg.base_file_url)
        .build()
    )


@contextlib.asynccontextmanager
async def polling(app: App) -> AsyncIterator[App]:
    """Run ``app`` with long polling for the duration of the block, then shut it down."""
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


async def greet(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer /start with the user's first name."""
    assert update.effective_message is not None and update.effective_user is not None
    await update.effective_message.reply_text(f"Halo, {update.effective_user.first_name}!")


async def test_get_me_token_and_unknown_method(standin: BotApiStandin, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (standin.bot_id, "lapkin_test_bot", True)
    assert me.can_join_groups is True

    stranger = Bot("123456:WRONG", base_url=standin.base_url)
    with pytest.raises(InvalidToken):
        await stranger.initialize()
    await stranger.shutdown()

    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy")
    assert [c.status for c in standin.calls("getme")] == [200, 200, 401]


async def test_start_command_reaches_handler_and_reply_is_visible(standin: BotApiStandin) -> None:
    app = build_app(standin)
    app.add_handler(CommandHandler("start", greet))
    alice = standin.user("Alice", username="alice")
    async with polling(app):
        sent = await standin.send_text(alice, "/start")
        assert sent["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
        reply = await standin.wait_for_message(alice, contains="Halo")
        await standin.wait_until_idle()
    assert reply.text == "Halo, Alice!"
    assert [m.body for m in standin.messages(alice)] == ["Halo, Alice!"]


async def test_inline_button_tap_answer_and_edit(standin: BotApiStandin) -> None:
    async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton("✅ Setuju", callback_data="approve:7"),
                    InlineKeyboardButton("Batal", callback_data="cancel"),
                ]
            ]
        )
        await update.effective_message.reply_text("Setujui laporan?", reply_markup=keyboard)

    async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and query.data is not None
        await query.answer(f"Diproses: {query.data}")
        await query.edit_message_text(f"Laporan {query.data.split(':')[-1]} disetujui")

    app = build_app(standin)
    app.add_handler(CommandHandler("menu", menu))
    app.add_handler(CallbackQueryHandler(on_button))
    alice = standin.user("Alice")
    async with polling(app):
        await standin.send_text(alice, "/menu")
        msg = await standin.wait_for_message(alice, contains="Setujui")
        assert msg.buttons == [["✅ Setuju", "Batal"]]
        assert msg.button_data("Batal") == "cancel"
        with pytest.raises(AssertionError, match="Batal"):
            await standin.tap(alice, msg, "Tolak")

        first = await standin.tap(alice, msg, "Setuju")  # a unique substring is enough
        answer = await standin.wait_for_callback_answer(alice)
        assert (answer.text, answer.show_alert) == ("Diproses: approve:7", False)
        await standin.wait_for_message(alice, contains="disetujui")
        # The SentMessage is live: the edit applied in place and, as in Telegram, an edit
        # that does not repeat the keyboard removes it.
        assert (msg.text, msg.edited, msg.buttons) == ("Laporan 7 disetujui", True, [])
        with pytest.raises(AssertionError, match="not found"):
            await standin.tap(alice, msg, "Setuju")

        second = await standin.tap_data(alice, msg, "approve:999")  # forged data
        assert (await standin.wait_for_callback_answer(alice)).text == "Diproses: approve:999"
        await standin.wait_for_message(alice, contains="999")
        await standin.wait_until_idle()
    assert first["chat_instance"] == second["chat_instance"]
    assert len(standin.messages(alice)) == 1


async def test_user_document_and_photo_reach_bot_and_download(
    standin: BotApiStandin, bot: Bot
) -> None:
    alice = standin.user("Alice")
    content = b"%PDF-1.4 laporan kinerja\n" * 500
    await standin.send_document(alice, "laporan.pdf", content, caption="Laporan Mei")
    png = tiny_png(3, 2)
    await standin.send_photo(alice, png, caption="/bukti")

    updates = await bot.get_updates(timeout=0)
    assert len(updates) == 2
    document_message, photo_message = (u.message for u in updates)
    assert document_message is not None and document_message.document is not None
    assert document_message.document.file_name == "laporan.pdf"
    assert document_message.document.mime_type == "application/pdf"
    assert document_message.caption == "Laporan Mei"
    telegram_file = await bot.get_file(document_message.document.file_id)
    assert bytes(await telegram_file.download_as_bytearray()) == content

    assert photo_message is not None and photo_message.photo
    assert (photo_message.photo[-1].width, photo_message.photo[-1].height) == (3, 2)
    assert photo_message.caption_entities[0].type == "bot_command"
    photo_file = await bot.get_file(photo_message.photo[-1].file_id)
    assert bytes(await photo_file.download_as_bytearray()) == png

    # offset confirms (drops) everything before it
    assert await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0) == ()


async def test_bot_sends_document_and_photo(standin: BotApiStandin, bot: Bot) -> None:
    alice, bob, carol, dave = (standin.user(n) for n in ("Alice", "Bob", "Carol", "Dave"))
    csv = b"nama,nilai\nAlice,90\n"
    sent = await bot.send_document(
        alice.id,
        document=csv,
        filename="rekap.csv",
        caption="<b>Rekap</b> Mei",
        parse_mode="HTML",
    )
    seen = standin.last_message(alice)
    assert seen.document is not None
    assert (seen.caption, seen.raw) == ("Rekap Mei", "<b>Rekap</b> Mei")
    assert (seen.document["file_name"], seen.document["mime_type"]) == ("rekap.csv", "text/csv")
    assert standin.download(seen.document["file_id"]) == csv
    assert sent.document is not None and sent.document.file_id == seen.document["file_id"]
    assert sent.caption_entities[0].type == "bold"

    again = await bot.send_document(bob.id, document=sent.document.file_id)  # re-send by id
    assert again.document is not None and again.document.file_id == sent.document.file_id

    png = tiny_png(4, 3)
    photo = await bot.send_photo(carol.id, photo=png, caption="Grafik")
    assert (photo.photo[-1].width, photo.photo[-1].height) == (4, 3)
    assert standin.download(photo.photo[-1].file_id) == png

    with pytest.raises(BadRequest, match=r"(?i)IMAGE_PROCESS_FAILED"):
        await bot.send_photo(dave.id, photo=b"not an image")
    with pytest.raises(BadRequest, match=r"(?i)message caption is too long"):
        await bot.send_document(dave.id, document=b"x", filename="a.txt", caption="x" * 1025)
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_document(dave.id, document="no-such-file-id")
    assert standin.messages(dave) == []


async def test_text_limits_and_parse_modes(standin: BotApiStandin, bot: Bot) -> None:
    alice, bob, carol = (standin.user(n) for n in ("Alice", "Bob", "Carol"))
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(alice.id, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(alice.id, "   ")
    assert standin.messages(alice) == []
    await bot.send_message(alice.id, "x" * 4096)  # refusals did not use up the rate slot

    await bot.send_message(bob.id, "<b>" + "y" * 4096 + "</b>", parse_mode="HTML")
    assert standin.last_message(bob).text == "y" * 4096
    assert standin.last_message(bob).entities == [{"type": "bold", "offset": 0, "length": 4096}]

    with pytest.raises(BadRequest, match=r"(?i)can't parse entities: Unsupported start tag"):
        await bot.send_message(carol.id, "nilai < 5", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)Character '\.' is reserved"):
        await bot.send_message(carol.id, "Rp 1.000", parse_mode="MarkdownV2")
    await bot.send_message(carol.id, "*Rp* 1\\.000", parse_mode="MarkdownV2")
    assert standin.last_message(carol).text == "Rp 1.000"


async def test_callback_data_is_limited_to_64_bytes(standin: BotApiStandin, bot: Bot) -> None:
    alice, bob = standin.user("Alice"), standin.user("Bob")

    def keyboard(**button: Any) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([[InlineKeyboardButton("Pilih", **button)]])

    await bot.send_message(alice.id, "ok", reply_markup=keyboard(callback_data="é" * 32))
    for bad in ("x" * 65, "é" * 33):
        with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
            await bot.send_message(bob.id, "no", reply_markup=keyboard(callback_data=bad))
    with pytest.raises(BadRequest, match=r"(?i)text buttons are unallowed"):
        await bot.send_message(bob.id, "no", reply_markup=keyboard())
    assert standin.messages(bob) == []
    assert standin.last_message(alice).button_data("Pilih") == "é" * 32


async def test_rate_limits(standin: BotApiStandin, bot: Bot) -> None:
    alice, bob = standin.user("Alice"), standin.user("Bob")
    first = await bot.send_message(alice.id, "1")
    with pytest.raises(RetryAfter) as flood:
        await bot.send_message(alice.id, "2")
    assert retry_seconds(flood.value) == 1
    await bot.send_message(bob.id, "another chat has its own window")
    await bot.edit_message_text("1 (diubah)", chat_id=alice.id, message_id=first.message_id)
    await asyncio.sleep(1.0)
    await bot.send_message(alice.id, "2")
    assert [m.body for m in standin.messages(alice)] == ["1 (diubah)", "2"]

    async with BotApiStandin(global_rate_limit=(3, 1.0)) as tight:
        users = [tight.user(f"U{i}") for i in range(4)]
        async with make_bot(tight) as tight_bot:
            for user in users[:3]:
                await tight_bot.send_message(user.id, "hai")
            with pytest.raises(RetryAfter):
                await tight_bot.send_message(users[3].id, "hai")
        assert tight.messages(users[3]) == []


async def test_injected_faults_record_nothing(standin: BotApiStandin, bot: Bot) -> None:
    alice, bob = standin.user("Alice"), standin.user("Bob")
    standin.fail_next("sendMessage", "500")
    with pytest.raises(NetworkError) as server_error:
        await bot.send_message(alice.id, "a")
    assert type(server_error.value) is NetworkError  # not a BadRequest subclass
    standin.fail_next(None, "502")
    with pytest.raises(NetworkError, match=r"(?i)Bad Gateway"):
        await bot.send_message(alice.id, "a")
    standin.fail_next("sendMessage", "429", retry_after=3)
    with pytest.raises(RetryAfter) as flood:
        await bot.send_message(alice.id, "a")
    assert retry_seconds(flood.value) == 3
    standin.fail_next("sendMessage", "forbidden")
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(alice.id, "a")
    assert standin.messages(alice) == []
    await bot.send_message(alice.id, "sekarang berhasil")
    assert [c.status for c in standin.calls("sendMessage")] == [500, 502, 429, 403, 200]

    standin.fail_next("sendMessage", "500", chat_id=bob.id)
    await bot.send_chat_action(bob.id, "typing")  # other methods are not affected
    with pytest.raises(NetworkError):
        await bot.send_message(bob.id, "b")
    assert standin.chat_actions(bob) == ["typing"]


async def test_timeout_fault_times_out_client_and_records_nothing(standin: BotApiStandin) -> None:
    alice = standin.user("Alice")
    async with make_bot(standin, read_timeout=0.5) as impatient:
        standin.fail_next("sendMessage", "timeout", delay=3.0)
        started = time.monotonic()
        with pytest.raises(TimedOut):
            await impatient.send_message(alice.id, "lambat")
        assert time.monotonic() - started < 2.0
        await standin.wait_until_idle(quiet=0.05, timeout=2.0)
        assert standin.messages(alice) == []
        assert standin.calls("sendMessage")[-1].status == 499  # client hung up
        await impatient.send_message(alice.id, "cepat")
    assert [m.body for m in standin.messages(alice)] == ["cepat"]


async def test_slow_fault_performs_the_send_and_holds_its_answer(standin: BotApiStandin) -> None:
    alice, bob = standin.user("Alice"), standin.user("Bob")
    async with make_bot(standin, read_timeout=0.5) as impatient:
        standin.fail_next("sendMessage", "slow", delay=3.0)
        with pytest.raises(TimedOut):
            await impatient.send_message(alice.id, "terkirim, tanpa kabar")
        # Telegram did it: the person sees it, though the bot was never told.
        assert [m.body for m in standin.messages(alice)] == ["terkirim, tanpa kabar"]
        standin.fail_next("sendMessage", "slow", delay=0.2)
        started = time.monotonic()
        sent = await impatient.send_message(bob.id, "terlambat")
        assert time.monotonic() - started >= 0.2
        assert sent.message_id == standin.messages(bob)[-1].message_id
    assert [c.fault for c in standin.calls("sendMessage")] == ["slow", "slow"]


async def _fault_sequence(seed: int) -> list[str | None]:
    """Make 200 requests against a stand-in failing 30 % at random; return what each met."""
    async with BotApiStandin() as tg, make_bot(tg) as plain:
        alice = tg.user("Alice")
        tg.fail_at_random(0.3, seed=seed, kinds=("429", "500", "502"))
        for _ in range(200):
            with contextlib.suppress(NetworkError, RetryAfter):
                await plain.send_chat_action(alice.id, "typing")
        await plain.get_me()  # never failed at random, nor is getUpdates
        return [call.fault for call in tg.calls() if call.method != "getMe"]


async def test_random_faults_hit_about_the_rate_and_repeat_with_the_seed() -> None:
    met = await _fault_sequence(seed=11)

    faults = [fault for fault in met if fault is not None]
    assert 40 <= len(faults) <= 80, len(faults)  # 30 % of 200, give or take
    assert set(faults) == {"429", "500", "502"}
    assert await _fault_sequence(seed=11) == met
    assert await _fault_sequence(seed=12) != met


async def test_random_faults_keep_to_their_methods_and_can_be_turned_off(
    standin: BotApiStandin,
) -> None:
    alice = standin.user("Alice")
    async with make_bot(standin, read_timeout=0.2) as impatient:
        standin.fail_at_random(1.0, seed=1, kinds=["timeout"], methods=["sendMessage"])
        await impatient.send_chat_action(alice.id, "typing")  # not among the methods
        with pytest.raises(TimedOut):
            await impatient.send_message(alice.id, "lambat")
        standin.fail_next("sendMessage", "429")  # fail_next goes first
        with pytest.raises(RetryAfter):
            await impatient.send_message(alice.id, "ditolak")
        standin.fail_at_random(0.0, seed=1)
        await impatient.send_message(alice.id, "cepat")
    assert [(c.method, c.fault) for c in standin.calls() if c.method != "getMe"] == [
        ("sendChatAction", None),
        ("sendMessage", "timeout"),
        ("sendMessage", "429"),
        ("sendMessage", None),
    ]
    assert [m.body for m in standin.messages(alice)] == ["cepat"]
    with pytest.raises(ValueError, match="unknown fault kinds"):
        standin.fail_at_random(0.5, seed=1, kinds=["teapot"])
    with pytest.raises(ValueError, match="between 0 and 1"):
        standin.fail_at_random(1.5, seed=1)


async def test_blocked_user_gets_403_until_writing_again(standin: BotApiStandin, bot: Bot) -> None:
    bob = standin.user("Bob")
    standin.block_bot(bob)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(bob.id, "halo?")
    assert (await bot.get_chat_member(bob.id, bob.id)).status == "kicked"
    await standin.send_text(bob, "/start")  # writing to the bot unblocks it, like "Restart"
    await bot.send_message(bob.id, "Selamat datang kembali")
    updates = await bot.get_updates(timeout=0)
    assert [u.my_chat_member.new_chat_member.status for u in updates if u.my_chat_member] == [
        "kicked",
        "member",
    ]
    assert updates[-1].message is not None and updates[-1].message.text == "/start"


async def test_a_block_without_telegrams_notice_shows_only_in_refused_sends(
    standin: BotApiStandin, bot: Bot
) -> None:
    bob = standin.user("Bob")
    standin.block_bot(bob, announce=False)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(bob.id, "halo?")
    assert await bot.get_updates(timeout=0) == ()
    standin.unblock_bot(bob)  # the return is announced as usual
    (update,) = await bot.get_updates(timeout=0)
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "member"


async def test_a_group_that_removes_the_bot_refuses_sends_until_it_is_added_back(
    standin: BotApiStandin, bot: Bot
) -> None:
    rina, dedi = standin.user("Rina"), standin.user("Dedi")
    group = standin.group("Sub Bagian KUL", rina, dedi)
    standin.remove_bot(group, by=rina)
    with pytest.raises(Forbidden, match=r"(?i)bot was kicked from the supergroup chat"):
        await bot.send_message(group.id, "halo?")
    assert (await bot.get_chat_member(group.id, standin.bot_id)).status == "kicked"
    await standin.send_text(dedi, "/status", chat=group)  # the bot no longer sees the group
    standin.add_bot(group, by=rina)
    await bot.send_message(group.id, "kembali")
    updates = await bot.get_updates(timeout=0)
    changes = [u.my_chat_member for u in updates if u.my_chat_member]
    assert [(c.chat.id, c.from_user.id, c.new_chat_member.status) for c in changes] == [
        (group.id, rina.id, "kicked"),
        (group.id, rina.id, "member"),
    ]
    assert len(updates) == 2
    assert [m.body for m in standin.messages(group)] == ["kembali"]


async def test_an_upgraded_group_moves_to_a_new_id_and_the_old_one_raises_chat_migrated(
    standin: BotApiStandin, bot: Bot
) -> None:
    rina = standin.user("Rina")
    group = standin.group("Sub Bagian KUL", rina, supergroup=False)
    assert group.type == "group" and group.id > -1_000_000_000_000
    await bot.send_message(group.id, "sebelum")
    supergroup = standin.upgrade_group(group, by=rina)
    assert supergroup.type == "supergroup" and supergroup.id != group.id

    with pytest.raises(ChatMigrated) as moved:
        await bot.send_message(group.id, "ke alamat lama")
    assert moved.value.new_chat_id == supergroup.id
    await bot.send_message(supergroup.id, "sesudah")
    old, new = await bot.get_updates(timeout=0)
    assert old.message is not None and old.message.chat.id == group.id
    assert old.message.migrate_to_chat_id == supergroup.id
    assert new.message is not None and new.message.chat.id == supergroup.id
    assert new.message.migrate_from_chat_id == group.id
    assert [m.body for m in standin.messages(group)] == ["sebelum"]
    assert [m.body for m in standin.messages(supergroup)] == ["sesudah"]
    with pytest.raises(AssertionError, match="became chat"):
        await standin.send_text(rina, "/status", chat=group)
    with pytest.raises(AssertionError, match="not a basic group"):
        standin.upgrade_group(group, by=rina)


async def test_group_chat_transcript_and_privacy_mode(standin: BotApiStandin) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None and update.effective_message.text
        await update.effective_message.reply_text(f"echo: {update.effective_message.text}")

    alice, bob, carol = standin.user("Alice"), standin.user("Bob"), standin.user("Carol")
    group = standin.group("Sekretariat KPU", alice, bob)
    app = build_app(standin)
    app.add_handler(CommandHandler("start", greet))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    async with polling(app):
        await standin.send_text(bob, "halo semua", chat=group)  # privacy mode: not delivered
        command = await standin.send_text(bob, "/start@lapkin_test_bot", chat=group)
        reply = await standin.wait_for_message(group, contains="Halo, Bob")
        await standin.send_text(alice, "/start@other_bot", chat=group)  # not for this bot
        await standin.wait_until_idle()
    assert [m.body for m in standin.messages(group)] == ["Halo, Bob!"]
    assert reply.chat_id == group.id < 0
    assert reply.reply_to_message_id == command["message_id"]  # PTB quotes in groups
    assert standin.messages(bob) == []
    with pytest.raises(AssertionError, match="not a member"):
        await standin.send_text(carol, "/start", chat=group)


async def test_command_menus_by_scope(standin: BotApiStandin, bot: Bot) -> None:
    alice, bob = standin.user("Alice"), standin.user("Bob")
    await bot.set_my_commands([BotCommand("start", "Mulai")])
    await bot.set_my_commands(
        [BotCommand("laporan", "Buat laporan kinerja")], scope=BotCommandScopeChat(alice.id)
    )
    assert standin.commands_for(alice) == [
        {"command": "laporan", "description": "Buat laporan kinerja"}
    ]
    assert standin.commands_for(bob) == [{"command": "start", "description": "Mulai"}]
    listed = await bot.get_my_commands(scope=BotCommandScopeChat(alice.id))
    assert [c.command for c in listed] == ["laporan"]

    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Laporan", "huruf besar tidak boleh")])
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.set_my_commands([BotCommand("x", "y")], scope=BotCommandScopeChat(424242))
    await bot.delete_my_commands(scope=BotCommandScopeChat(alice.id))
    assert [c["command"] for c in standin.commands_for(alice)] == ["start"]


async def test_edit_and_delete_errors(standin: BotApiStandin, bot: Bot) -> None:
    alice = standin.user("Alice")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("OK", callback_data="ok")]])
    sent = await bot.send_message(alice.id, "Draf", reply_markup=keyboard)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text(
            "Draf", chat_id=alice.id, message_id=sent.message_id, reply_markup=keyboard
        )
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=alice.id, message_id=999)
    await bot.edit_message_reply_markup(chat_id=alice.id, message_id=sent.message_id)
    assert standin.last_message(alice).buttons == []
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_reply_markup(chat_id=alice.id, message_id=sent.message_id)
    assert await bot.delete_message(alice.id, sent.message_id)
    assert standin.last_message(alice).deleted
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(alice.id, sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(424242, "siapa?")


async def test_long_poll_wakes_up_on_new_update(standin: BotApiStandin, bot: Bot) -> None:
    alice = standin.user("Alice")
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    assert not poll.done()
    await standin.send_text(alice, "/start")
    updates = await asyncio.wait_for(poll, 2)
    message = updates[0].message
    assert message is not None and message.text == "/start"
    assert message.entities[0].type == "bot_command"
    assert message.chat.type == "private" and message.chat.id == alice.id


async def test_concurrent_sends_and_wait_timeout_transcript(
    standin: BotApiStandin, bot: Bot
) -> None:
    users: list[FakeUser] = [standin.user(f"Pegawai {i}") for i in range(10)]
    await asyncio.gather(*(bot.send_message(u.id, f"Pengingat {u.first_name}") for u in users))
    assert all(standin.last_message(u).text == f"Pengingat {u.first_name}" for u in users)
    with pytest.raises(AssertionError, match="Pengingat Pegawai 0"):
        await standin.wait_for_message(users[0], contains="tidak ada", timeout=0.2)
    assert (await standin.wait_for_message(users[0], contains="Pengingat")).message_id == 1


async def test_media_group_keyboards_chat_info_and_limits(standin: BotApiStandin, bot: Bot) -> None:
    alice, bob, carol = standin.user("Alice"), standin.user("Bob"), standin.user("Carol")
    album = [InputMediaPhoto(tiny_png(2, 2), caption="Foto 1"), InputMediaPhoto(tiny_png(3, 3))]
    sent = await bot.send_media_group(alice.id, album)
    assert len(sent) == 2 and sent[0].media_group_id == sent[1].media_group_id
    assert [m.caption for m in standin.messages(alice)] == ["Foto 1", None]
    await bot.edit_message_caption(
        chat_id=alice.id, message_id=sent[1].message_id, caption="Foto 2"
    )
    assert standin.messages(alice)[1].caption == "Foto 2"

    query = await standin.tap_data(alice, standin.messages(alice)[0], "lihat:1")
    with pytest.raises(BadRequest, match=r"(?i)message_too_long"):
        await bot.answer_callback_query(query["id"], text="x" * 201)
    assert await bot.answer_callback_query(query["id"], text="Oke", show_alert=True)
    assert (await standin.wait_for_callback_answer(alice)).show_alert is True
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query["id"])

    menu = ReplyKeyboardMarkup([["Laporan", "Bantuan"]], resize_keyboard=True)
    await bot.send_message(bob.id, "Pilih menu", reply_markup=menu)
    assert standin.last_message(bob).buttons == [["Laporan", "Bantuan"]]
    assert standin.reply_keyboard(bob) == menu.to_dict()

    group = standin.group("Tim Kinerja", alice)
    assert (await bot.get_chat(alice.id)).first_name == "Alice"
    info = await bot.get_chat(group.id)
    assert (info.title, info.type) == ("Tim Kinerja", "supergroup")
    assert (await bot.get_chat_member(group.id, bob.id)).status == "left"
    assert await bot.set_my_description("Laporan kinerja pegawai")
    assert (await bot.get_my_description()).description == "Laporan kinerja pegawai"

    big = await standin.send_document(carol, "arsip.zip", bytes(20 * 1024 * 1024 + 1))
    with pytest.raises(BadRequest, match=r"(?i)file is too big"):
        await bot.get_file(big["document"]["file_id"])


def free_port() -> int:
    """Return a TCP port nothing listens on at the moment (on 127.0.0.1)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.asynccontextmanager
async def webhook(app: App, port: int, *, secret: str | None, **options: Any) -> AsyncIterator[App]:
    """Run ``app`` with PTB's own webhook server on 127.0.0.1:``port`` for the block."""
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_webhook(
        listen="127.0.0.1",
        port=port,
        url_path="hook",
        webhook_url=f"http://127.0.0.1:{port}/hook",
        secret_token=secret,
        **options,
    )
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


async def test_updates_are_posted_to_the_webhook_with_the_secret(standin: BotApiStandin) -> None:
    app = build_app(standin)
    app.add_handler(CommandHandler("start", greet))
    alice = standin.user("Alice")
    async with webhook(app, free_port(), secret="s3cret_-token", max_connections=1):
        assert standin.webhook is not None and standin.webhook["max_connections"] == 1
        await standin.send_text(alice, "/start")
        reply = await standin.wait_for_message(alice, contains="Halo")
        await standin.wait_until_idle()
        info = await app.bot.get_webhook_info()
        # PTB's server refuses a request without the secret, or with another one.
        assert await standin.post_to_webhook({"update_id": 1}, secret=None) == 403
        assert await standin.post_to_webhook({"update_id": 1}, secret="guessed") == 403
        with pytest.raises(BadRequest, match="unallowed characters"):
            await app.bot.set_webhook("http://127.0.0.1:1/hook", secret_token="has space")

    assert reply.text == "Halo, Alice!"
    assert [(d.status, d.error) for d in standin.webhook_deliveries] == [(200, None)]
    assert info.url.endswith("/hook") and info.pending_update_count == 0
    assert standin.calls("getUpdates") == []


async def test_a_webhook_that_does_not_answer_keeps_the_update_in_order_for_later() -> None:
    async with BotApiStandin(speed=20.0) as standin, make_bot(standin) as bot:
        alice = standin.user("Alice")
        await bot.set_webhook(f"http://127.0.0.1:{free_port()}/hook", max_connections=1)
        await standin.send_text(alice, "first")
        await standin.send_text(alice, "second")
        async with asyncio.timeout(5):
            while len(standin.webhook_deliveries) < 2:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
        info = await bot.get_webhook_info()
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()
        await bot.delete_webhook()
        updates = await bot.get_updates()
    assert not standin.internal_errors

    # Nothing listens there: the first update is tried again, the second never overtakes it.
    first_id = updates[0].update_id
    assert {d.update_id for d in standin.webhook_deliveries} == {first_id}
    assert all(d.status == 0 and d.error for d in standin.webhook_deliveries)
    assert info.pending_update_count == 2 and info.last_error_message
    assert [u.message.text for u in updates if u.message] == ["first", "second"]


async def test_several_webhook_connections_share_the_updates() -> None:
    arrived: list[str] = []

    async def record(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.text is not None
        arrived.append(update.message.text)

    async with BotApiStandin(speed=10.0) as standin:
        app = build_app(standin)
        app.add_handler(MessageHandler(filters.TEXT, record))
        alice, bob = standin.user("Alice"), standin.user("Bob")
        async with webhook(app, free_port(), secret=None, max_connections=2):
            await standin.send_text(alice, "from Alice")
            await standin.send_text(bob, "from Bob")
            await standin.wait_until_idle()
        assert sorted(arrived) == ["from Alice", "from Bob"]
        assert len(standin.webhook_deliveries) == 2
        assert standin.webhook is not None and "secret_token" not in standin.webhook
    assert not standin.internal_errors
