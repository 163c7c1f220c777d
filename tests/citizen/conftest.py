"""Fixtures for the citizen chatbot tests: the demo district's departments and public guidance."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from guai.auth.departments import import_departments
from guai.citizen import import_guidance
from guai.db.engine import Database
from tests.support.fixtures import fake_llm, fake_provider  # noqa: F401 - fixtures used by model tests

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
GUIDANCE_CSV = EXAMPLES / "citizen" / "guidance.csv"
DEPARTMENTS_CSV = EXAMPLES / "org" / "departments.csv"


def seed_guidance(db: Database) -> None:
    with db.session() as s:
        import_departments(s, DEPARTMENTS_CSV)
    with db.session() as s:
        import_guidance(s, GUIDANCE_CSV.read_bytes(), GUIDANCE_CSV.name, actor="test")


@pytest.fixture
def guidance_db(db: Database) -> Iterator[Database]:
    """The SQLite test database with 가온구's departments and the demo guidance Q&A."""
    seed_guidance(db)
    yield db
