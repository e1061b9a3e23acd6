"""Shared fixtures: a migrated database on SQLite and on PostgreSQL, and the example office."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.domain.organisation import OrganisationSpec
from bot.orgfile import load_organisation
from bot.services.organisation import import_organisation
from storage.db import Database, normalise_url
from storage.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_ORG = ROOT / "examples" / "kpu-kota-bengkulu.yaml"
POSTGRES_ENV = "LAPKIN_TEST_POSTGRES_URL"


def postgres_admin_url() -> str | None:
    """Return the PostgreSQL server the tests may use, or None to skip its variant."""
    url = os.environ.get(POSTGRES_ENV)
    if url:
        return url
    if os.environ.get("CI"):
        pytest.fail(f"{POSTGRES_ENV} must be set in CI: the suite runs against PostgreSQL too")
    return None


class MigratedTemplates:
    """One migrated database per backend for the whole session, copied for each test.

    Running the migrations takes far longer than copying their result, and every test that
    needs a schema would otherwise run them again.
    """

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._sqlite: Path | None = None
        self._postgres: dict[str, str] = {}  # admin URL -> template database name

    def sqlite_copy(self, target: Path) -> None:
        """Write a migrated SQLite database to ``target``."""
        if self._sqlite is None:
            template = self._directory / "template.sqlite3"
            upgrade(f"sqlite:///{template}")
            self._sqlite = template
        # The backup API copies what is still in the write-ahead log, unlike a file copy.
        with (
            contextlib.closing(sqlite3.connect(self._sqlite)) as source,
            contextlib.closing(sqlite3.connect(target)) as copy,
        ):
            source.backup(copy)

    def postgres_template(self, admin_url: str) -> str:
        """Return the name of a migrated database to use as CREATE DATABASE's template."""
        if admin_url not in self._postgres:
            name = f"lapkin_template_{uuid.uuid4().hex[:12]}"
            create_postgres_database(admin_url, name)
            upgrade(postgres_url(admin_url, name))
            self._postgres[admin_url] = name
        return self._postgres[admin_url]

    def drop(self) -> None:
        """Remove the PostgreSQL templates (the SQLite one goes with pytest's tmp dirs)."""
        for admin_url, name in self._postgres.items():
            drop_postgres_database(admin_url, name)


def postgres_url(admin_url: str, database: str) -> str:
    """Return the URL of ``database`` on the server of ``admin_url``."""
    url = make_url(normalise_url(admin_url)).set(database=database)
    return url.render_as_string(hide_password=False)


def create_postgres_database(admin_url: str, name: str, *, template: str | None = None) -> None:
    """Create database ``name``, a copy of ``template`` when given."""
    admin = create_engine(normalise_url(admin_url), isolation_level="AUTOCOMMIT")
    suffix = f' TEMPLATE "{template}"' if template else ""
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{suffix}'))
    finally:
        admin.dispose()


def drop_postgres_database(admin_url: str, name: str) -> None:
    """Drop database ``name``, closing whatever is still connected to it."""
    admin = create_engine(normalise_url(admin_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def migrated_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MigratedTemplates]:
    """Give the session's migrated template databases."""
    templates = MigratedTemplates(tmp_path_factory.mktemp("templates"))
    yield templates
    templates.drop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, migrated_templates: MigratedTemplates
) -> Iterator[str]:
    """Give each test a database of its own, on SQLite and on PostgreSQL.

    It is empty, unless the test uses ``db`` (directly or through another fixture): then it
    already holds the newest schema, copied from the session's migrated template.
    """
    migrated = "db" in request.fixturenames
    if request.param == "sqlite":
        path = tmp_path / "lapkin.sqlite3"
        if migrated:
            migrated_templates.sqlite_copy(path)
        yield f"sqlite:///{path}"
        return
    admin_url = postgres_admin_url()
    if admin_url is None:
        pytest.skip(f"set {POSTGRES_ENV} to run the PostgreSQL variant (make test in CI does)")
    template = migrated_templates.postgres_template(admin_url) if migrated else None
    name = f"lapkin_test_{uuid.uuid4().hex[:12]}"
    create_postgres_database(admin_url, name, template=template)
    try:
        yield postgres_url(admin_url, name)
    finally:
        drop_postgres_database(admin_url, name)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """Give a database with the newest schema and no rows."""
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def example_spec() -> OrganisationSpec:
    """Give the shipped example organisation (KPU Kota Bengkulu)."""
    return load_organisation(EXAMPLE_ORG)


@pytest.fixture
def office_db(db: Database, example_spec: OrganisationSpec) -> Database:
    """Give a database holding the example organisation."""
    import_organisation(db=db, spec=example_spec, now=datetime(2026, 1, 5, 1, 0, tzinfo=UTC))
    return db
