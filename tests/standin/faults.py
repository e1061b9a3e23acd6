"""Faults the stand-in injects when a test asks: 429s, 500s and 502s, time-outs, 403s as from a
blocked bot, slow answers; the next few calls or a share of all of them, at random."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Iterable

from aiohttp import web

from .api import SEND_METHODS, BotApi, as_int
from .model import ApiCall, ApiError, Fault, JSONDict, RandomFaults

FAULT_KINDS = frozenset({"429", "500", "502", "timeout", "forbidden", "slow"})
_BAD_GATEWAY_HTML = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    "</body>\r\n</html>\r\n"
)


# Never failed at random: the bot's start-up (getMe) and its polling (getUpdates), which
# python-telegram-bot retries on its own, outside any test's view.
RANDOM_FAULT_EXEMPT = frozenset({"getMe", "getUpdates"})


class Faults(BotApi):
    """Fail the bot's calls on purpose, as Telegram sometimes does.

    A layer of :class:`~tests.standin.server.BotApiStandin` (see state.py).
    """

    def fail_next(
        self,
        method: str | None,
        kind: str,
        *,
        times: int = 1,
        retry_after: int = 1,
        delay: float = 3.0,
        chat_id: int | None = None,
    ) -> None:
        """Make the next ``times`` matching requests fail with ``kind``.

        ``method=None`` matches sendMessage/sendDocument/sendPhoto/sendMediaGroup. Kinds:
        "429" (with parameters.retry_after), "500", "502" (nginx HTML page), "forbidden"
        (403 blocked), "timeout" (hold ``delay`` s without performing, then answer 504),
        "slow" (perform the request, then hold its answer ``delay`` s: done, but not yet known).
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; use one of {sorted(FAULT_KINDS)}")
        canonical = self._canonical(method) if method is not None else None
        self._faults.append(Fault(canonical, kind, times, retry_after, delay, chat_id))

    def fail_at_random(
        self,
        rate: float,
        *,
        seed: int,
        kinds: Iterable[str] = ("429", "502", "timeout"),
        methods: Iterable[str] | None = None,
        retry_after: int = 1,
        delay: float = 3.0,
    ) -> None:
        """Make each later request fail with probability ``rate``, its kind drawn from ``kinds``.

        Seeded: the same sequence of requests meets the same faults. ``methods=None`` means
        every method but getMe and getUpdates; faults set with :meth:`fail_next` go first.
        ``rate=0`` turns it off. Kinds, ``retry_after`` and ``delay`` as for :meth:`fail_next`;
        each fault met is recorded in the call's ``fault``.
        """
        chosen = tuple(kinds)
        unknown = set(chosen) - FAULT_KINDS
        if unknown or not chosen:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}; use {sorted(FAULT_KINDS)}")
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"rate must be between 0 and 1, not {rate}")
        canonical = None
        if methods is not None:
            canonical = frozenset(self._canonical(method) for method in methods)
        self._random_faults = (
            RandomFaults(rate, chosen, canonical, retry_after, delay, random.Random(seed))
            if rate > 0
            else None
        )

    def _canonical(self, method: str) -> str:
        canonical = self._method_names.get(method.lower())
        if canonical is None:
            raise ValueError(f"the stand-in does not implement {method!r}")
        return canonical

    def _take_fault(self, method: str, params: JSONDict) -> Fault | None:
        for fault in self._faults:
            if fault.method is None and method not in SEND_METHODS:
                continue
            if fault.method is not None and fault.method != method:
                continue
            if fault.chat_id is not None and as_int(params.get("chat_id")) != fault.chat_id:
                continue
            fault.remaining -= 1
            if fault.remaining <= 0:
                self._faults.remove(fault)
            return fault
        return None

    def _draw_fault(self, method: str) -> Fault | None:
        chance = self._random_faults
        if chance is None:
            return None
        if chance.methods is None and method in RANDOM_FAULT_EXEMPT:
            return None
        if chance.methods is not None and method not in chance.methods:
            return None
        if chance.rng.random() >= chance.rate:
            return None
        kind = chance.rng.choice(chance.kinds)
        return Fault(method, kind, 1, chance.retry_after, chance.delay, None)

    async def _apply_fault(self, fault: Fault, call: ApiCall) -> web.Response:
        if fault.kind == "429":
            raise ApiError(
                429,
                f"Too Many Requests: retry after {fault.retry_after}",
                {"retry_after": fault.retry_after},
            )
        if fault.kind == "forbidden":
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if fault.kind == "502":
            return web.Response(status=502, text=_BAD_GATEWAY_HTML, content_type="text/html")
        if fault.kind == "timeout":
            # Hold the request without performing it; a client with a shorter read timeout
            # hangs up first (handler cancelled, recorded as 499).
            await self._hold(fault.delay)
            call.response = {"ok": False, "error_code": 504, "description": "Gateway Timeout"}
            return web.json_response(call.response, status=504)
        call.response = {"ok": False, "error_code": 500, "description": "Internal Server Error"}
        return web.json_response(call.response, status=500)

    async def _hold(self, seconds: float) -> None:
        """Keep the request waiting ``seconds`` (less when the stand-in stops)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), seconds)
