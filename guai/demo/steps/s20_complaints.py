"""Seed the SYNTHETIC demo complaints of 가온구 (examples/complaints) and train the department router."""

from __future__ import annotations

from rich.console import Console
from sqlalchemy import select

from guai.complaints.importer import file_sha256
from guai.complaints.index import get_index, index_dir
from guai.complaints.operations import import_file, train_router
from guai.complaints.routing import load as load_router
from guai.config import Settings
from guai.db.engine import Database
from guai.db.models.complaints import ComplaintImport
from guai.demo.runner import EXAMPLES_DIR

DEMO_FILE = EXAMPLES_DIR / "complaints" / "gaon_synthetic_complaints.csv.gz"


def seed(db: Database, settings: Settings, console: Console) -> None:
    data = DEMO_FILE.read_bytes()
    with db.session() as s:
        done = s.scalar(
            select(ComplaintImport.id).where(
                ComplaintImport.sha256 == file_sha256(data), ComplaintImport.rows_imported > 0
            )
        )
        if done is None:
            with console.status("데모 민원(합성 데이터) 가져오는 중…"):
                report = import_file(s, data, DEMO_FILE.name, actor="demo", settings=settings)
            console.print(f"[green]데모 민원 준비[/] {report.imported:,}건 (가상의 가온구 합성 데이터)")
        else:
            console.print("[green]데모 민원 준비[/] 이미 가져왔습니다")
    if load_router(index_dir(settings.index_dir)) is None:
        with console.status("부서 추천 모델 학습 중…"), db.session() as s:
            router = train_router(s, settings=settings, actor="demo")
        console.print(f"[green]부서 추천 모델[/] {len(router.classes)}개 부서로 학습")
    with db.session() as s:
        get_index(s, index_dir(settings.index_dir))  # warm the shared token index for the first query
