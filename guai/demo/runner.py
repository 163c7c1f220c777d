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
    print_demo_login(settings, console)


def print_demo_login(settings: Settings, console: Console) -> None:
    """Show the demo accounts last, so they are the first thing seen above the server log."""
    cred_file = settings.home / "demo-credentials.txt"
    if not cred_file.exists():
        return
    password = cred_file.read_text(encoding="utf-8").strip()
    console.rule("데모 로그인")
    console.print(f"  주소:   http://{settings.host}:{settings.port}")
    console.print(f"  관리자: [bold]admin[/] / [bold]{password}[/]")
    console.print(f"  직원:   [bold]kim.staff[/] / [bold]{password}[/] (교통행정과)")
    console.print("  부서관리자: lee.manager (교통행정과), choi.dong (가온1동 주민센터) — 비밀번호 같음")
    console.print("  시민 상담(로그인 없음): /citizen")
    console.rule()
