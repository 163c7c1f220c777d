"""Hash-chained audit log. Each entry stores the previous entry's hash; verify() finds edits and gaps."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from guai.db.base import utcnow
from guai.db.models.audit import AuditEntry
from guai.db.models.settings import AppSetting

GENESIS = "0" * 64


def _ts(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(
    *,
    entry_id: int,
    at: datetime,
    actor: str,
    department: str | None,
    action: str,
    target: str | None,
    outcome: str,
    client: str | None,
    detail: str | None,
    prev_hash: str,
) -> str:
    payload = json.dumps(
        [entry_id, _ts(at), actor, department, action, target, outcome, client, detail, prev_hash],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _lock_chain(session: Session) -> None:
    """Serialise writers so two workers never chain onto the same previous entry."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(774411)"))
    elif dialect == "sqlite":
        # Take the write lock now (BEGIN IMMEDIATE semantics) by writing nothing-changing SQL.
        session.execute(text("UPDATE audit_log SET id = id WHERE 0"))


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    outcome: str = "성공",
    target: str | None = None,
    department: str | None = None,
    client: str | None = None,
    detail: dict[str, Any] | str | None = None,
) -> AuditEntry:
    """Append one entry to the chain inside the caller's transaction."""
    _lock_chain(session)
    last = session.execute(
        select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    prev_hash = last.hash if last else GENESIS
    entry_id = (last.id + 1) if last else 1
    detail_text = (
        detail
        if isinstance(detail, str) or detail is None
        else json.dumps(detail, ensure_ascii=False, sort_keys=True)
    )
    at = utcnow()
    entry = AuditEntry(
        id=entry_id,
        at=at,
        actor=actor[:100],
        department=department,
        action=action,
        target=(target[:255] if target else target),
        outcome=outcome,
        client=client,
        detail=detail_text,
        prev_hash=prev_hash,
    )
    entry.hash = entry_hash(
        entry_id=entry_id,
        at=at,
        actor=entry.actor,
        department=department,
        action=action,
        target=entry.target,
        outcome=outcome,
        client=client,
        detail=detail_text,
        prev_hash=prev_hash,
    )
    session.add(entry)
    _set_head(session, entry_id, entry.hash)
    session.flush()
    return entry


HEAD_KEY = "audit.head"
ANCHOR_KEY = "audit.anchor"  # "<id>:<hash>" of the last entry purged by retention, set by guai.ops.retention


def _set_head(session: Session, entry_id: int, entry_hash_value: str) -> None:
    """Remember the newest entry so that deleting the tail of the chain is detected too."""
    head = session.get(AppSetting, HEAD_KEY)
    value = f"{entry_id}:{entry_hash_value}"
    if head is None:
        session.add(AppSetting(key=HEAD_KEY, value=value, updated_by="audit"))
    else:
        head.value = value


@dataclass(frozen=True)
class AuditProblem:
    entry_id: int
    problem: str


def verify(session: Session, *, batch: int = 5000) -> tuple[int, list[AuditProblem]]:
    """Walk the chain; return (entries checked, problems). Detects edited, deleted and inserted rows."""
    problems: list[AuditProblem] = []
    prev_hash = GENESIS
    expected_id = 1
    checked = 0
    last_id = 0
    anchor = session.get(AppSetting, ANCHOR_KEY)
    if anchor is not None:
        # Entries up to the anchor were removed by retention (guai purge); the chain continues from its hash.
        anchor_id, _, prev_hash = anchor.value.partition(":")
        last_id = int(anchor_id)
        expected_id = last_id + 1
    while True:
        rows = (
            session.execute(
                select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id).limit(batch)
            )
            .scalars()
            .all()
        )
        if not rows:
            break
        for row in rows:
            checked += 1
            if row.id != expected_id:
                missing = f"{expected_id}" if row.id == expected_id + 1 else f"{expected_id}–{row.id - 1}"
                problems.append(AuditProblem(row.id, f"항목 {missing}이(가) 삭제되었습니다 (번호가 건너뜀)"))
            if row.prev_hash != prev_hash:
                problems.append(
                    AuditProblem(row.id, "이전 항목의 해시와 연결이 끊어졌습니다 (앞 항목 삭제 또는 변경)")
                )
            computed = entry_hash(
                entry_id=row.id,
                at=row.at,
                actor=row.actor,
                department=row.department,
                action=row.action,
                target=row.target,
                outcome=row.outcome,
                client=row.client,
                detail=row.detail,
                prev_hash=row.prev_hash,
            )
            if computed != row.hash:
                problems.append(AuditProblem(row.id, "내용이 기록 후 변경되었습니다 (해시 불일치)"))
            prev_hash = row.hash
            expected_id = row.id + 1
            last_id = row.id
        session.expunge_all()
    head = session.get(AppSetting, HEAD_KEY)
    if head is not None:
        head_id, _, head_hash = head.value.partition(":")
        if int(head_id) > last_id:
            problems.append(
                AuditProblem(int(head_id), f"마지막 항목 {last_id + 1}–{head_id}이(가) 삭제되었습니다")
            )
        elif int(head_id) == last_id and head_hash != prev_hash:
            problems.append(AuditProblem(last_id, "마지막 항목이 기록 후 변경되었습니다 (해시 불일치)"))
    elif checked:
        problems.append(AuditProblem(0, "감사 로그의 마지막 항목 기록이 없습니다 (변조 의심)"))
    return checked, problems
