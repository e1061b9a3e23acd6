"""PerSenderUpdateProcessor: one sender's updates in order, different senders side by side."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.update_order import PerSenderUpdateProcessor


def _text_from(user_id: int, update_id: int) -> Update:
    return Update.de_json(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 0,
                "chat": {"id": user_id, "type": "private"},
                "from": {"id": user_id, "is_bot": False, "first_name": "U"},
                "text": f"pesan {update_id}",
            },
        },
        None,
    )


async def test_one_senders_updates_wait_for_each_other_and_others_do_not() -> None:
    processor = PerSenderUpdateProcessor()
    release_first = asyncio.Event()
    handled: list[str] = []

    async def handle(name: str, wait: asyncio.Event | None = None) -> None:
        if wait is not None:
            await wait.wait()
        handled.append(name)

    slow = asyncio.create_task(
        processor.process_update(_text_from(1, 1), handle("dedi 1", release_first))
    )
    quick = asyncio.create_task(processor.process_update(_text_from(1, 2), handle("dedi 2")))
    other = asyncio.create_task(processor.process_update(_text_from(2, 3), handle("siti 1")))
    await other  # another person is not held up by Dedi's slow first update
    assert handled == ["siti 1"]
    release_first.set()
    await asyncio.gather(slow, quick)
    assert handled == ["siti 1", "dedi 1", "dedi 2"]
    assert processor._queues == {}  # nothing kept for people who are done


async def test_an_update_cancelled_while_waiting_is_never_run() -> None:
    processor = PerSenderUpdateProcessor()
    blocker = asyncio.Event()
    ran: list[str] = []

    async def handle(name: str, wait: asyncio.Event | None = None) -> None:
        if wait is not None:
            await wait.wait()
        ran.append(name)

    first = asyncio.create_task(processor.process_update(_text_from(1, 1), handle("1", blocker)))
    second = asyncio.create_task(processor.process_update(_text_from(1, 2), handle("2")))
    await asyncio.sleep(0)
    second.cancel()
    blocker.set()
    await first
    await asyncio.gather(second, return_exceptions=True)
    assert ran == ["1"] and processor._queues == {}
