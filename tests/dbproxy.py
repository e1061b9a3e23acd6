"""A TCP proxy in front of the test PostgreSQL server that can make it vanish and come back.

``cut()`` closes every connection and stops listening, as a server that went down does (new
connections are refused); ``restore()`` listens again on the same port. It runs in threads of
its own, so the bot's database calls (in worker threads) and the test's event loop never
wait on each other.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

from sqlalchemy.engine import make_url

from storage.db import normalise_url


class DatabaseProxy:
    """Forward 127.0.0.1:``port`` to the database server of ``url``."""

    def __init__(self, url: str) -> None:
        parsed = make_url(normalise_url(url))
        self._target = (parsed.host or "127.0.0.1", parsed.port or 5432)
        self._url = parsed
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._connections: set[socket.socket] = set()
        self.port = 0

    @property
    def url(self) -> str:
        """Return ``url`` with its host and port replaced by the proxy's."""
        return self._url.set(host="127.0.0.1", port=self.port).render_as_string(hide_password=False)

    def start(self) -> None:
        """Listen (on a free port the first time, on the same port after a cut)."""
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        with self._lock:
            self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Make the database unreachable: open connections break, new ones are refused."""
        with self._lock:
            listener, self._listener = self._listener, None
            connections, self._connections = self._connections, set()
        if listener is not None:
            _close(listener)
        for connection in connections:
            _close(connection)

    def restore(self) -> None:
        """Make the database reachable again."""
        self.start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                server = socket.create_connection(self._target)
            except OSError:
                _close(client)
                continue
            with self._lock:
                if self._listener is not listener:  # cut meanwhile
                    _close(client)
                    _close(server)
                    return
                self._connections.update((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=_pump, args=(source, target), daemon=True).start()


def _pump(source: socket.socket, target: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while data := source.recv(65536):
            target.sendall(data)
    _close(source)
    _close(target)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()


@contextlib.contextmanager
def proxied(url: str) -> Iterator[DatabaseProxy]:
    """Run a proxy for the database at ``url`` for the block."""
    proxy = DatabaseProxy(url)
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.cut()
