"""Seed the citizen chatbot with the demo district's public guidance (examples/citizen/guidance.csv)."""

from __future__ import annotations

import csv
import io

from rich.console import Console
from sqlalchemy import select

from guai.audit import record
from guai.citizen import import_guidance
from guai.config import Settings
from guai.db.engine import Database
from guai.db.models.citizen import CitizenGuidance
from guai.demo.runner import EXAMPLES_DIR

GUIDANCE = EXAMPLES_DIR / "citizen" / "guidance.csv"


def seed(db: Database, settings: Settings, console: Console) -> None:
    with db.session() as s:
        have = set(s.execute(select(CitizenGuidance.code)).scalars())
    data = GUIDANCE.read_bytes()
    # Import only when the file has entries the database lacks, so staff edits made in the demo survive re-seeding.
    codes = {row["id"] for row in csv.DictReader(io.StringIO(data.decode("utf-8-sig")))}
    if codes <= have:
        console.print(f"[green]시민 챗봇 안내 준비[/] (이미 {len(have)}건)")
        return
    with db.session() as s:
        report = import_guidance(s, data, GUIDANCE.name, actor="demo")
        record(
            s,
            actor="demo",
            action="citizen.import",
            target=GUIDANCE.name,
            detail={"created": report.created, "updated": report.updated},
        )
    console.print(
        f"[green]시민 챗봇 안내 준비[/] (새로 {report.created}건) — 공개 상담: /citizen, 관리: /admin/citizen"
    )
