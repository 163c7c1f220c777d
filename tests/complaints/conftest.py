"""Complaint-test fixtures: a module-wide database with the synthetic demo set, and a labelled topic set."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from guai.complaints.operations import import_file
from guai.config import Settings, load_settings
from guai.db.engine import Database

FIXTURES = Path(__file__).parent / "fixtures"
DEMO_FILE = Path(__file__).resolve().parents[2] / "examples" / "complaints" / "gaon_synthetic_complaints.csv.gz"


def load_file(db: Database, settings: Settings, path: Path, **kwargs: object):  # type: ignore[no-untyped-def]
    with db.session() as s:
        return import_file(s, path.read_bytes(), path.name, actor="test", settings=settings, **kwargs)


def _module_db(tmp_path_factory: pytest.TempPathFactory, name: str) -> tuple[Database, Settings]:
    settings = load_settings(home=tmp_path_factory.mktemp(name))
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
