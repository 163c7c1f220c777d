"""Complaint-test fixtures: a module-wide database with the synthetic demo set, a labelled topic set, and
a small sample of the demo set imported once per module on SQLite and once on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from guai.complaints.operations import import_file
from guai.config import Settings, load_settings
from guai.db.engine import Database
from tests.conftest import postgres_schema

FIXTURES = Path(__file__).parent / "fixtures"
#: Every 12th demo complaint plus every 3rd kickboard one (393 rows): small enough to import per backend.
SAMPLE_FILE = FIXTURES / "gaon_sample.csv.gz"
DEMO_FILE = (
    Path(__file__).resolve().parents[2] / "examples" / "complaints" / "gaon_synthetic_complaints.csv.gz"
)


def load_file(db: Database, settings: Settings, path: Path, **kwargs: object):  # type: ignore[no-untyped-def]
    with db.session() as s:
        return import_file(s, path.read_bytes(), path.name, actor="test", settings=settings, **kwargs)


def _module_db(
    tmp_path_factory: pytest.TempPathFactory, name: str, database_url: str | None = None
) -> tuple[Database, Settings]:
    settings = load_settings(home=tmp_path_factory.mktemp(name), database_url=database_url)
    db = Database(settings)
    db.upgrade()
    return db, settings


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, Settings]]:
    """The synthetic 가온구 demo complaints (3,200 rows), imported once per test module."""
    db, settings = _module_db(tmp_path_factory, "demo")
    load_file(db, settings, DEMO_FILE)
    yield db, settings
    db.dispose()


@pytest.fixture(scope="module")
def labelled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, Settings]]:
    """27 hand-labelled complaints: five topics with spacing variants, synonyms, near-misses, a passing mention."""
    db, settings = _module_db(tmp_path_factory, "labelled")
    load_file(db, settings, FIXTURES / "topics_labelled.csv")
    yield db, settings
    db.dispose()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def sample_any(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Database, Settings]]:
    """SAMPLE_FILE imported once per test module on SQLite and once on PostgreSQL."""
    with ExitStack() as stack:
        url = stack.enter_context(postgres_schema()) if request.param == "postgres" else None
        db, settings = _module_db(tmp_path_factory, f"sample-{request.param}", url)
        stack.callback(db.dispose)
        load_file(db, settings, SAMPLE_FILE)
        yield db, settings
