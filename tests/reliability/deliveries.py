"""What reached each chat, as its reader saw it: for counting lost and repeated messages."""

from __future__ import annotations

from collections import Counter

from tests.standin import ApiCall, BotApiStandin

SENDS = frozenset({"sendMessage", "sendDocument"})

Delivery = tuple[int, str | None, str | None]
"""A message as its reader sees it: chat, text or caption, the file's name."""


def delivered(call: ApiCall) -> Delivery:
    """Return what a successful send showed."""
    params = call.params
    return (
        int(params["chat_id"]),
        params.get("text", params.get("caption")),
        call.files.get("document"),
    )


def deliveries(standin: BotApiStandin) -> Counter[Delivery]:
    """Count every message the stand-in took from the bot, by what it showed."""
    return Counter(
        delivered(call) for call in standin.calls() if call.method in SENDS and call.status == 200
    )
