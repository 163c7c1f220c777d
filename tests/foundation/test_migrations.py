"""Schema: `guai init` creates and re-runs cleanly on SQLite and PostgreSQL, and matches the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

import guai.db.models  # noqa: F401
from guai.config import load_settings
from guai.db.base import Base
from guai.db.engine import MIGRATIONS_DIR, Database


def _heads() -> set[str]:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return set(ScriptDirectory.from_config(cfg).get_heads())


def test_init_twice_is_clean_and_reaches_every_head(backend_url, cli) -> None:  # type: ignore[no-untyped-def]
    first = cli("init")
    assert first.exit_code == 0, first.output + first.stderr
    second = cli("init")
    assert second.exit_code == 0, second.output + second.stderr
    assert "데이터베이스 준비 완료" in second.output
    db = Database(load_settings())
    try:
        assert db.current_revisions() == _heads()
    finally:
        db.dispose()


def test_migrations_match_the_models(any_db: Database) -> None:
    with any_db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], f"models and migrations differ — run scripts/new_migration.py: {diff}"


def test_sqlite_uses_wal(db: Database) -> None:
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
