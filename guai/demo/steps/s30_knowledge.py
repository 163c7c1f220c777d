"""Seed the search collections: a small attributed sample of laws, 가온구 ordinances and a department guideline."""

from __future__ import annotations

from rich.console import Console

from guai.config import Settings
from guai.db.engine import Database
from guai.demo.runner import EXAMPLES_DIR

# (folder under examples/laws, collection, visibility)
DEMO_COLLECTIONS = [
    ("법령", "법령", "public"),
    ("가온구_자치법규", "가온구 자치법규", "public"),
    ("교통행정과_지침", "교통행정과 업무 지침", "department:교통행정과"),
]


def seed(db: Database, settings: Settings, console: Console) -> None:
    from guai.knowledge.collections import CollectionError, parse_visibility
    from guai.knowledge.ingest import ingest_paths

    for folder, name, visibility in DEMO_COLLECTIONS:
        path = EXAMPLES_DIR / "laws" / folder
        if not path.is_dir():
            console.print(f"[yellow]데모 검색 자료가 없습니다: {path}[/]")
            continue
        try:
            report = ingest_paths(
                db, [path], collection=name, visibility=parse_visibility(visibility), actor="demo"
            )
        except CollectionError as exc:  # e.g. the department is missing because s10_org did not run
            console.print(f"[yellow]컬렉션 '{name}'을(를) 만들지 못했습니다: {exc}[/]")
            continue
        console.print(f"[green]검색 자료[/] {report.summary()}", highlight=False)
