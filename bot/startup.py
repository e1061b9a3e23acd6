"""Why the bot cannot start, said in one line an operator can act on (no traceback)."""

from __future__ import annotations

import re

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from storage.db import normalise_url


class CannotStart(Exception):
    """The bot (or a command) cannot start; the message says why and what to do, in one line."""


def database_problem(error: DBAPIError | ArgumentError, url: str) -> str:
    """Say in one Indonesian line what is wrong with the database at ``url`` and what to do.

    The password in ``url`` never appears in it.
    """
    if isinstance(error, ArgumentError):
        return (
            f"DATABASE_URL tidak dapat dibaca ({error}); contoh yang benar: "
            "postgresql://lapkin:KATA_SANDI@localhost:5432/lapkin"
        )
    parsed = make_url(normalise_url(url))
    detail = _detail(error)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_problem(parsed, detail)
    return _postgres_problem(parsed, detail, getattr(error.orig, "sqlstate", None))


def _detail(error: DBAPIError) -> str:
    """Return the driver's message without libpq's "connection to server ... failed:" prefix."""
    text = " ".join(str(error.orig).split())
    text = re.sub(
        r'^connection failed: (connection to server at "[^"]*"(, port \d+)? failed: )?', "", text
    )
    return re.sub(r"^FATAL:\s*", "", text)


def _postgres_problem(url: URL, detail: str, sqlstate: str | None) -> str:
    server = f"PostgreSQL {url.host or 'localhost'}:{url.port or 5432}"
    user, database = url.username or "postgres", url.database or "postgres"
    lowered = detail.lower()
    if "password authentication failed" in lowered:
        return (
            f'{server} menolak pengguna "{user}": kata sandinya salah (atau pengguna itu tidak '
            "ada); perbaiki DATABASE_URL (postgresql://PENGGUNA:KATA_SANDI@HOST/BASIS_DATA)"
        )
    if re.search(r'role ".*" does not exist', lowered):
        return (
            f'{server} tidak mengenal pengguna "{user}"; buat dengan '
            f"CREATE ROLE {user} LOGIN PASSWORD '...'; atau perbaiki DATABASE_URL"
        )
    if re.search(r'database ".*" does not exist', lowered):
        return (
            f'Basis data "{database}" tidak ada di {server}; buat dengan '
            f"CREATE DATABASE {database} OWNER {user}; lalu jalankan lagi"
        )
    if "no pg_hba.conf entry" in lowered:
        return (
            f'{server} tidak mengizinkan pengguna "{user}" masuk dari mesin ini; tambahkan '
            f"baris untuk basis data {database} di pg_hba.conf lalu muat ulang PostgreSQL"
        )
    if sqlstate == "42501" and "schema public" in lowered:
        # PostgreSQL 15 took CREATE on the public schema away from everyone but the
        # database's owner: the common "GRANT ALL ON DATABASE" no longer lets a user make tables.
        return (
            f'Pengguna "{user}" tidak boleh membuat tabel di basis data "{database}" (sejak '
            "PostgreSQL 15, GRANT ALL ON DATABASE tidak cukup); jadikan ia pemiliknya: "
            f"CREATE DATABASE {database} OWNER {user}; untuk basis data baru, atau "
            f"ALTER DATABASE {database} OWNER TO {user}; untuk yang sudah ada"
        )
    if sqlstate == "42501":
        return (
            f'Pengguna "{user}" tidak punya izin yang diperlukan di basis data "{database}" '
            f"({detail}); jadikan ia pemiliknya: ALTER DATABASE {database} OWNER TO {user};"
        )
    if any(sign in lowered for sign in _UNREACHABLE):
        return (
            f"{server} tidak dapat dihubungi ({_reason(lowered, detail)}); pastikan PostgreSQL "
            "berjalan dan alamat di DATABASE_URL benar"
        )
    return f"{server}, basis data {database}: {detail}; periksa DATABASE_URL dan PostgreSQL-nya"


_UNREACHABLE = (
    "connection refused",
    "could not connect",
    "could not translate host name",
    "name or service not known",
    "timeout expired",
    "server closed the connection",
    "no route to host",
    "network is unreachable",
    "connection timed out",
    "invalid response to ssl negotiation",
)


def _reason(lowered: str, detail: str) -> str:
    if "connection refused" in lowered:
        return "koneksi ditolak: tidak ada yang mendengarkan di port itu"
    if "translate host name" in lowered or "name or service not known" in lowered:
        return "nama host tidak dikenal"
    if "timeout" in lowered or "timed out" in lowered:
        return "tidak ada jawaban dalam batas waktu"
    return detail


def _sqlite_problem(url: URL, detail: str) -> str:
    path = url.database or ""
    lowered = detail.lower()
    if "unable to open database file" in lowered:
        return (
            f"Berkas basis data SQLite {path} tidak dapat dibuka; pastikan foldernya ada dan "
            "dapat ditulis oleh pengguna yang menjalankan Lapkin (DATA_DIR atau DATABASE_URL)"
        )
    if "readonly database" in lowered:
        return (
            f"Berkas basis data SQLite {path} tidak dapat ditulis; beri pengguna yang "
            "menjalankan Lapkin izin tulis pada berkas itu dan foldernya"
        )
    if "not a database" in lowered or "malformed" in lowered:
        return (
            f"{path} bukan basis data SQLite yang utuh; periksa DATABASE_URL/DATA_DIR atau "
            "pulihkan dari cadangan"
        )
    return f"Basis data SQLite {path}: {detail}; periksa DATA_DIR atau DATABASE_URL"
