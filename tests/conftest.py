"""Shared fixtures: a migrated database on SQLite and on PostgreSQL, and the example office."""

from __future__ import annotations

import os
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


def _postgres_admin_url() -> str | None:
    url = os.environ.get(POSTGRES_ENV)
    if url:
        return url
    if os.environ.get("CI"):
        pytest.fail(f"{POSTGRES_ENV} must be set in CI: the suite runs against PostgreSQL too")
    return None


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Give each test an empty database of its own, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'lapkin.sqlite3'}"
        return
    admin_url = _postgres_admin_url()
    if admin_url is None:
        pytest.skip(f"set {POSTGRES_ENV} to run the PostgreSQL variant (make test in CI does)")
    name = f"lapkin_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalise_url(admin_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield (
            make_url(normalise_url(admin_url))
            .set(database=name)
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """Give a migrated, empty database."""
    upgrade(database_url)
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
