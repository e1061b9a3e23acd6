"""A database the bot cannot use at start: one line saying what to do, exit code 1."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from storage.db import normalise_url
from tests.cli_process import clean_env, run_cli
from tests.conftest import postgres_admin_url, postgres_url
from tests.e2e.conftest import TOKEN
from tests.e2e.steps import free_port

pytestmark = pytest.mark.e2e

PASSWORD = "rahasia-kantor"


async def _bot(database_url: str, tmp_path: Path, command: str) -> tuple[int, str, str]:
    env = clean_env(
        DATABASE_URL=database_url, DATA_DIR=str(tmp_path / "data"), TELEGRAM_BOT_TOKEN=TOKEN
    )
    return await run_cli(env, command)


def _one_line(code: int, out: str, err: str) -> str:
    """Check the failure was one line on stderr and exit code 1; return the line."""
    assert (code, out) == (1, ""), err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert PASSWORD not in err
    return err.strip()


@pytest.mark.parametrize("command", ["run", "migrate"])
async def test_an_unreachable_server(command: str, tmp_path: Path) -> None:
    url = f"postgresql://lapkin:{PASSWORD}@127.0.0.1:{free_port()}/lapkin"

    line = _one_line(*await _bot(url, tmp_path, command))

    assert "tidak dapat dihubungi" in line and "pastikan PostgreSQL berjalan" in line


@contextlib.contextmanager
def _server_refusing_the_password() -> Iterator[int]:
    """Serve PostgreSQL's protocol just far enough to refuse the password, as PostgreSQL does.

    (Checked against a real server set up with scram-sha-256: the client sees the same
    "password authentication failed for user" error.)
    """
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)

    def serve() -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            with client, contextlib.suppress(OSError):
                _refuse_password(client)

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()


def _refuse_password(client: socket.socket) -> None:
    while True:  # SSL and GSS encryption requests are declined, then the startup packet
        length, code = struct.unpack("!ii", _read(client, 8))
        _read(client, length - 8)
        if code in (80877103, 80877104):
            client.sendall(b"N")
            continue
        break
    client.sendall(b"R" + struct.pack("!ii", 8, 3))  # AuthenticationCleartextPassword
    kind = _read(client, 1)
    (length,) = struct.unpack("!i", _read(client, 4))
    _read(client, length - 4)
    assert kind == b"p"
    fields = b"".join(
        key + value.encode() + b"\0"
        for key, value in (
            (b"S", "FATAL"),
            (b"V", "FATAL"),
            (b"C", "28P01"),
            (b"M", 'password authentication failed for user "lapkin"'),
        )
    )
    body = fields + b"\0"
    client.sendall(b"E" + struct.pack("!i", len(body) + 4) + body)


def _read(client: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = client.recv(size - len(data))
        if not chunk:
            raise OSError("closed")
        data += chunk
    return data


@pytest.mark.parametrize("command", ["run", "migrate"])
async def test_a_wrong_password(command: str, tmp_path: Path) -> None:
    with _server_refusing_the_password() as port:
        url = f"postgresql://lapkin:{PASSWORD}@127.0.0.1:{port}/lapkin"
        line = _one_line(*await _bot(url, tmp_path, command))

    assert line.startswith(f'PostgreSQL 127.0.0.1:{port} menolak pengguna "lapkin"')
    assert "kata sandinya salah" in line and "DATABASE_URL" in line


def _admin_url() -> str:
    url = postgres_admin_url()
    if url is None:
        pytest.skip("set LAPKIN_TEST_POSTGRES_URL to run the PostgreSQL variant")
    return url


async def test_a_database_that_does_not_exist(tmp_path: Path) -> None:
    name = f"lapkin_missing_{uuid.uuid4().hex[:8]}"

    line = _one_line(*await _bot(postgres_url(_admin_url(), name), tmp_path, "migrate"))

    assert f'Basis data "{name}" tidak ada' in line
    assert f"CREATE DATABASE {name} OWNER postgres;" in line


async def test_grant_all_without_ownership_under_postgresql_15_names_the_fix(
    tmp_path: Path,
) -> None:
    admin = create_engine(normalise_url(_admin_url()), isolation_level="AUTOCOMMIT")
    suffix = uuid.uuid4().hex[:8]
    role, database = f"lapkin_{suffix}", f"lapkin_granted_{suffix}"
    try:
        with admin.connect() as connection:
            version = connection.execute(text("SHOW server_version_num")).scalar_one()
            if int(version) < 150000:
                pytest.skip("before PostgreSQL 15 the public schema was writable by everyone")
            # The common recipe that PostgreSQL 15 broke.
            connection.execute(text(f"CREATE ROLE {role} LOGIN"))
            connection.execute(text(f"CREATE DATABASE {database}"))
            connection.execute(text(f"GRANT ALL ON DATABASE {database} TO {role}"))
        url = postgres_url(_admin_url(), database).replace("postgres@", f"{role}@", 1)
        line = _one_line(*await _bot(url, tmp_path, "migrate"))
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
            connection.execute(text(f"DROP ROLE IF EXISTS {role}"))
        admin.dispose()

    assert "GRANT ALL ON DATABASE tidak cukup" in line
    assert f"CREATE DATABASE {database} OWNER {role};" in line
    assert f"ALTER DATABASE {database} OWNER TO {role};" in line


async def test_a_file_that_is_not_a_sqlite_database(tmp_path: Path) -> None:
    not_a_database = tmp_path / "lapkin.sqlite3"
    not_a_database.write_text("a spreadsheet saved under the wrong name\n" * 100)

    line = _one_line(*await _bot(f"sqlite:///{not_a_database}", tmp_path, "run"))

    assert line.startswith(f"{not_a_database} bukan basis data SQLite yang utuh")
