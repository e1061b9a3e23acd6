"""Charts drawn once per content: the next version of a report, or its signed copy, reuses them.

A chart is a pure function of its arguments, so its PNG is kept under a digest of them. The
report's :class:`~bot.domain.analysis.Analysis` (hundreds of indicators) is digested once
per object, not once per chart; it is frozen, so its digest cannot go stale.
"""

from __future__ import annotations

import functools
import hashlib
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, ParamSpec, TypeVar

from bot.documents import chart_pool
from bot.domain.analysis import Analysis

# A 400-indicator report draws 41 charts of ~40 KB; this keeps a few reports' worth.
MAX_BYTES = 16_000_000

P = ParamSpec("P")
R = TypeVar("R", bound=bytes | None)

_lock = threading.Lock()  # reports are rendered in worker threads
_pngs: OrderedDict[str, bytes | None] = OrderedDict()
_size = 0
_analysis_digests: dict[int, str] = {}


def reused(draw: Callable[P, R]) -> Callable[P, R]:
    """Return ``draw`` with its results kept per digest of its arguments."""

    @functools.wraps(draw)
    def cached(*args: P.args, **kwargs: P.kwargs) -> R:
        key = _key(draw.__qualname__, args, kwargs)
        with _lock:
            if key in _pngs:
                _pngs.move_to_end(key)
                return _pngs[key]  # type: ignore[return-value]
        png = draw(*args, **kwargs)
        _keep(key, png)
        return png

    return cached


def reused_all(
    draw: Callable[..., R], calls: Sequence[tuple[tuple[Any, ...], dict[str, Any]]]
) -> list[R]:
    """Return ``draw(*args, **kwargs)`` for each call, drawing only the ones not kept.

    ``draw`` is a function wrapped by :func:`reused`; the charts it has to draw are drawn
    side by side when there are cores for it (``chart_pool``), and kept like its own.
    """
    keys = [_key(draw.__qualname__, args, kwargs) for args, kwargs in calls]
    found: dict[str, R] = {}
    with _lock:
        for key in keys:
            if key in _pngs:
                _pngs.move_to_end(key)
                found[key] = _pngs[key]  # type: ignore[assignment]
    missing = {key: call for key, call in zip(keys, calls, strict=True) if key not in found}
    drawn = chart_pool.draw_all(draw.__wrapped__, list(missing.values()))  # type: ignore[attr-defined]
    for key, png in zip(missing, drawn, strict=True):
        _keep(key, png)
        found[key] = png  # type: ignore[assignment]
    return [found[key] for key in keys]


def clear() -> None:
    """Forget every chart (tests)."""
    global _size
    with _lock:
        _pngs.clear()
        _size = 0


def _key(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    named = [item for key in sorted(kwargs) for item in (key, kwargs[key])]
    parts = [name]
    for value in (*args, *named):
        parts.append(_analysis_digest(value) if isinstance(value, Analysis) else repr(value))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _analysis_digest(analysis: Analysis) -> str:
    marker = id(analysis)
    with _lock:
        digest = _analysis_digests.get(marker)
    if digest is None:
        digest = "analysis:" + hashlib.sha256(repr(analysis).encode()).hexdigest()
        with _lock:
            _analysis_digests[marker] = digest
        # The id may be reused once the object is gone: forget it then.
        weakref.finalize(analysis, _analysis_digests.pop, marker, None)
    return digest


def _keep(key: str, png: bytes | None) -> None:
    global _size
    with _lock:
        if key in _pngs:
            return
        _pngs[key] = png
        _size += len(png or b"")
        while _size > MAX_BYTES and _pngs:
            _, dropped = _pngs.popitem(last=False)
            _size -= len(dropped or b"")
