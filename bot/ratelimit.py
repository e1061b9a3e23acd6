"""Rate limiting that also paces each chat, as Telegram asks (about 1 message/s)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram._utils.types import JSONDict
from telegram.ext import AIORateLimiter, BaseRateLimiter

# A little over one second: the leaky bucket and Telegram's own window must not meet at
# exactly 1.000 s, or every second message would be refused with 429.
PRIVATE_CHAT_PERIOD = 1.1


class ChatPacingRateLimiter(BaseRateLimiter[int]):
    """PTB's AIORateLimiter (30/s overall, 20/min per group, retries on 429) plus 1/s per chat."""

    def __init__(self, *, max_retries: int = 3) -> None:
        self._inner = AIORateLimiter(max_retries=max_retries)
        self._chat_limiters: dict[int, AsyncLimiter] = {}

    async def initialize(self) -> None:
        """Prepare the inner limiter."""
        await self._inner.initialize()

    async def shutdown(self) -> None:
        """Release the inner limiter."""
        await self._inner.shutdown()

    def _limiter_for(self, chat_id: int) -> AsyncLimiter:
        if len(self._chat_limiters) > 1024:
            # Forget idle chats so the dict stays small in a long-running process.
            for key, limiter in list(self._chat_limiters.items()):
                if limiter.has_capacity(1):
                    del self._chat_limiters[key]
        if chat_id not in self._chat_limiters:
            self._chat_limiters[chat_id] = AsyncLimiter(1, PRIVATE_CHAT_PERIOD)
        return self._chat_limiters[chat_id]

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        """Wait for the chat's turn (sends only, not edits or answers), then run the request."""
        chat_id = data.get("chat_id")
        # Telegram's "about one message a second per chat" holds in groups too, on top of
        # the 20 a minute the inner limiter keeps there.
        if endpoint.startswith("send") and isinstance(chat_id, int):
            async with self._limiter_for(chat_id):
                return await self._inner.process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
        return await self._inner.process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )
