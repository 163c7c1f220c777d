"""Read side of the audit log: filtering for the admin page and CSV export."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from guai.db.models.audit import AuditEntry


@dataclass
class AuditFilter:
    actor: str | None = None
    action: str | None = None
    outcome: str | None = None
    department: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def _apply(stmt: Select, f: AuditFilter) -> Select:
    if f.actor:
        stmt = stmt.where(AuditEntry.actor.contains(f.actor))
    if f.action:
        stmt = stmt.where(AuditEntry.action.startswith(f.action))
    if f.outcome:
        stmt = stmt.where(AuditEntry.outcome == f.outcome)
    if f.department:
        stmt = stmt.where(AuditEntry.department == f.department)
    if f.date_from:
        stmt = stmt.where(AuditEntry.at >= datetime.combine(f.date_from, time.min))
    if f.date_to:
        stmt = stmt.where(AuditEntry.at < datetime.combine(f.date_to + timedelta(days=1), time.min))
    return stmt


def query_entries(session: Session, f: AuditFilter, *, limit: int = 100, offset: int = 0) -> list[AuditEntry]:
    stmt = _apply(select(AuditEntry), f).order_by(AuditEntry.id.desc()).limit(limit).offset(offset)
    return list(session.execute(stmt).scalars())


def export_csv(session: Session, f: AuditFilter) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(
        [
            "번호",
            "시각(UTC)",
            "사용자",
            "부서",
            "동작",
            "대상",
            "결과",
            "접속 주소",
            "상세",
            "이전 해시",
            "해시",
        ]
    )
    for e in session.execute(_apply(select(AuditEntry), f).order_by(AuditEntry.id)).scalars():
        writer.writerow(
            [
                e.id,
                e.at.strftime("%Y-%m-%d %H:%M:%S"),
                e.actor,
                e.department or "",
                e.action,
                e.target or "",
                e.outcome,
                e.client or "",
                e.detail or "",
                e.prev_hash,
                e.hash,
            ]
        )
    return buf.getvalue()
