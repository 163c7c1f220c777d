"""Shared fixtures: settings in a temp GUAI_HOME, real SQLite/PostgreSQL databases, the CLI, a live server, Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from guai.config import Settings, get_settings, load_settings
from guai.db.engine import Database

pytest_plugins = ["tests.support.fixtures"]

POSTGRES_URL = os.environ.get("GUAI_TEST_POSTGRES_URL")
REQUIRE_POSTGRES = os.environ.get("GUAI_TEST_REQUIRE_POSTGRES") == "1"
REQUIRE_BROWSER = os.environ.get("GUAI_TEST_REQUIRE_BROWSER") == "1"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHARED_DATA = Path(
    os.environ.get("GUAI_TEST_SHARED_DATA", Path(__file__).resolve().parents[1].parent / "shared" / "data")
)


def pytest_report_header(config: pytest.Config) -> list[str]:
    lines = [
        f"guai: PostgreSQL tests {'ON (' + POSTGRES_URL.split('@')[-1] + ')' if POSTGRES_URL else 'SKIPPED — set GUAI_TEST_POSTGRES_URL (.ci/run does)'}"
    ]
    lines.append(
        f"guai: browser tests {'ON' if Path(CHROMIUM).exists() else 'SKIPPED — apt-get install chromium'}"
    )
    return lines


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test gets its own GUAI_HOME and no leaked GUAI_* variables."""
    for key in list(os.environ):
        if key.startswith("GUAI_") and not key.startswith("GUAI_TEST_"):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("GUAI_HOME", str(tmp_path / "guai-home"))
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _postgres_schema_url(base: str) -> tuple[str, str]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}", schema


def _require_postgres() -> str:
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("GUAI_TEST_REQUIRE_POSTGRES=1 but GUAI_TEST_POSTGRES_URL is not set")
        pytest.skip("PostgreSQL not configured: set GUAI_TEST_POSTGRES_URL (CI does)")
    return POSTGRES_URL


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards (skips without PostgreSQL)."""
    import sqlalchemy as sa

    base = _require_postgres()
    url, schema = _postgres_schema_url(base)
    admin = sa.create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL on a fresh schema for one test."""
    with postgres_schema() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str | None:
    """Parametrises a test over SQLite (None = default file in GUAI_HOME) and PostgreSQL."""
    if request.param == "sqlite":
        return None
    url = request.getfixturevalue("pg_url")
    monkeypatch.setenv("GUAI_DATABASE_URL", url)
    return url


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings()


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    """An upgraded database on the configured backend (SQLite unless a test sets GUAI_DATABASE_URL)."""
    database = Database(settings)
    database.upgrade()
    yield database
    database.dispose()


@pytest.fixture
def any_db(backend_url: str | None) -> Iterator[Database]:
    """An upgraded database, once on SQLite and once on PostgreSQL."""
    database = Database(load_settings())
    database.upgrade()
    yield database
    database.dispose()


PASSWORD = "test-password-1"


@pytest.fixture
def make_user(db: Database) -> Callable[..., str]:
    """Create (department and) user; returns the username. Password is PASSWORD."""
    from guai.auth.departments import add_department, find_department
    from guai.auth.users import add_user

    def _make(
        username: str, department: str = "교통행정과", role: str = "직원", phone: str | None = "02-2600-1234"
    ) -> str:
        with db.session() as s:
            if find_department(s, department) is None:
                add_department(s, name=department, phone=phone)
            add_user(s, username=username, password=PASSWORD, department=department, role=role)
        return username

    return _make


@pytest.fixture
def cli() -> Callable[..., object]:
    """Run the guai CLI in-process; returns click's Result (exit_code, output, stderr)."""
    from guai.cli import app

    runner = CliRunner()

    def _run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        get_settings.cache_clear()
        result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
        get_settings.cache_clear()
        return result

    return _run


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    def __init__(self, url: str, settings: Settings, db: Database) -> None:
        self.url = url
        self.settings = settings
        self.db = db


@pytest.fixture
def live_server(db: Database, settings: Settings) -> Iterator[LiveServer]:
    """guai's real ASGI app served by uvicorn on a free loopback port, in a thread."""
    import uvicorn

    from guai.web.app import create_app

    app = create_app(settings)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started:
        if time.time() > deadline or not thread.is_alive():
            raise RuntimeError("live server did not start")
        time.sleep(0.05)
    yield LiveServer(f"http://127.0.0.1:{port}", settings, app.state.db)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def _playwright_browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        if REQUIRE_BROWSER:
            pytest.fail("GUAI_TEST_REQUIRE_BROWSER=1 but Chromium is not installed")
        pytest.skip("Chromium not installed (apt-get install chromium); browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(_playwright_browser) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A fresh Chromium page (own context: no cookies shared between tests)."""
    context = _playwright_browser.new_context(locale="ko-KR", accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()
