"""Engine and session factory for SQLite (WAL) or PostgreSQL, plus schema upgrade via Alembic."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from guai.config import Settings

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class DatabaseError(Exception):
    """The database cannot be reached or used; the message says what to do."""


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


class Database:
    """One engine + session factory per process for the configured database URL."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.url = settings.resolved_database_url
        if self.url.startswith("sqlite"):
            settings.ensure_dirs()
            self.engine: Engine = create_engine(
                self.url, connect_args={"check_same_thread": False, "timeout": 30}, pool_pre_ping=True
            )
            event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            url = self.url
            if url.startswith("postgresql://"):
                url = "postgresql+psycopg://" + url[len("postgresql://") :]
            self.engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        self._relaxed_engine: Engine | None = None

    @property
    def relaxed_engine(self) -> Engine:
        """An engine whose commits need not wait for the disk (PostgreSQL synchronous_commit=off).

        Only for high-volume, loss-tolerant writes such as public rate counters: a crash may lose the
        last few hundred milliseconds of them, never corrupt anything. On SQLite it is the normal engine.
        """
        if self.engine.dialect.name != "postgresql":
            return self.engine
        if self._relaxed_engine is None:
            url = self.engine.url
            existing = url.query.get("options", "")
            existing = existing if isinstance(existing, str) else " ".join(existing)
            options = f"{existing} -c synchronous_commit=off".strip()
            self._relaxed_engine = create_engine(
                url.update_query_dict({"options": options}), pool_pre_ping=True, pool_size=10, max_overflow=20
            )
        return self._relaxed_engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error."""
        s = self.sessionmaker()
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    def check(self) -> None:
        """Connect once; raise DatabaseError with a fix when the database is unreachable."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("select 1"))
        except OperationalError as exc:
            raise DatabaseError(
                f"데이터베이스에 연결할 수 없습니다 ({self._safe_url()}): {str(exc.orig).strip().splitlines()[0]}. "
                "GUAI_DATABASE_URL 값과 데이터베이스 서버가 실행 중인지 확인하세요."
            ) from exc

    def _safe_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def upgrade(self) -> None:
        """Create or upgrade the schema to the newest revision (idempotent)."""
        from alembic import command
        from alembic.config import Config

        self.check()
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        cfg.attributes["engine"] = self.engine
        try:
            command.upgrade(cfg, "heads")
        except SQLAlchemyError as exc:
            raise DatabaseError(f"스키마를 만들거나 올리지 못했습니다: {exc}") from exc

    def current_revisions(self) -> set[str]:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return set(MigrationContext.configure(conn).get_current_heads())

    def dispose(self) -> None:
        self.engine.dispose()
        if self._relaxed_engine is not None:
            self._relaxed_engine.dispose()
