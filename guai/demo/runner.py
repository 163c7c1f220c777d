"""Runs the demo seed steps in name order; each step is idempotent and reports what it did."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Protocol

from rich.console import Console

from guai.config import Settings
from guai.db.engine import Database

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"


class SeedStep(Protocol):
    def seed(self, db: Database, settings: Settings, console: Console) -> None: ...


def run_seed(db: Database, settings: Settings, console: Console, *, only: str | None = None) -> None:
    import guai.demo.steps as steps_pkg

    for info in sorted(pkgutil.iter_modules(steps_pkg.__path__), key=lambda m: m.name):
        if only and only not in info.name:
            continue
        module = importlib.import_module(f"{steps_pkg.__name__}.{info.name}")
        module.seed(db, settings, console)
