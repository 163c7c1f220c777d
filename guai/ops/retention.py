"""Retention: how long each kind of record is kept, and `purge` that deletes exactly what is due.

Features register purge targets (table + timestamp column, or a folder of files) under a retention kind;
a target whose table does not exist (feature not installed yet) is skipped. The audit log has a legal
minimum and is never purged earlier; purging it keeps the hash chain verifiable through an anchor.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import MetaData, Table, and_, delete, func, inspect, select
from sqlalchemy.orm import Session

from guai.audit import record
from guai.config import Settings
from guai.db.base import utcnow
from guai.db.models.audit import AuditEntry
from guai.db.models.settings import AppSetting

# 개인정보의 안전성 확보조치 기준 제8조: 개인정보처리시스템 접속기록은 1년 이상(5만 명 이상의 정보주체 또는
# 고유식별정보·민감정보를 처리하면 2년 이상) 보관한다. A district office handles 주민등록번호, so 2 years.
AUDIT_LEGAL_MINIMUM_DAYS = 730
AUDIT_ANCHOR_KEY = "audit.anchor"


@dataclass(frozen=True)
class RetentionKind:
    key: str
    label: str
    default_days: int | None  # None: kept until an administrator sets a period
    min_days: int
    description: str


KINDS: dict[str, RetentionKind] = {
    k.key: k
    for k in (
        RetentionKind(
            "conversations",
            "AI 대화 기록",
            365,
            7,
            "직원이 AI와 나눈 대화(마지막 활동 기준). 메시지도 함께 지워집니다.",
        ),
        RetentionKind("uploads", "업로드 파일", 365, 7, "대화·문서 작성에 올린 파일(데이터 폴더의 uploads)."),
        RetentionKind(
            "citizen", "시민 질문·상담 기록", 365, 30, "시민 챗봇 질문 기록과 담당자 연결 요청(연락처 포함)."
        ),
        RetentionKind("logs", "운영 로그", 365, 30, "로그인 실패 기록, 모델 사용 기록, 로그 파일."),
        RetentionKind(
            "audit",
            "감사 로그",
            None,
            AUDIT_LEGAL_MINIMUM_DAYS,
            "접속·처리 기록. 법정 최소 보관기간(2년) 전에는 지울 수 없습니다.",
        ),
    )
}


@dataclass(frozen=True)
class TableTarget:
    kind: str
    table: str
    column: str
    label: str


@dataclass(frozen=True)
class FileTarget:
    kind: str
    folder: Callable[[Settings], Path]
    label: str


@dataclass(frozen=True)
class CustomTarget:
    """A feature's own purge function, for records that need more than "delete rows older than X"."""

    kind: str
    function: str  # "package.module:function(session, cutoff, dry_run) -> int", imported at purge time
    label: str


_table_targets: list[TableTarget] = []
_file_targets: list[FileTarget] = []
_custom_targets: list[CustomTarget] = []


def register_table(kind: str, table: str, column: str, label: str) -> None:
    """Purge rows of `table` whose `column` is older than the kind's retention period."""
    if kind not in KINDS:
        raise ValueError(f"unknown retention kind {kind!r}")
    target = TableTarget(kind, table, column, label)
    if target not in _table_targets:
        _table_targets.append(target)


def register_folder(kind: str, folder: Callable[[Settings], Path], label: str) -> None:
    """Purge files under folder(settings) whose modification time is older than the retention period."""
    target = FileTarget(kind, folder, label)
    if all(t.label != label for t in _file_targets):
        _file_targets.append(target)


def register_purger(kind: str, function: str, label: str) -> None:
    """Purge with a feature's function "module:name"(session, cutoff, dry_run) -> rows deleted (or due).

    Imported only when a purge runs, so this module depends on no feature; a missing module is skipped.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown retention kind {kind!r}")
    target = CustomTarget(kind, function, label)
    if target not in _custom_targets:
        _custom_targets.append(target)


# Known targets of guai's features; tables that are not there yet are skipped at purge time.
register_table("conversations", "conversations", "updated_at", "대화")
# Citizen answers are sealed into the audit chain and open tickets still await a reply: the feature purges them.
register_purger("citizen", "guai.citizen.retention:purge_questions", "시민 챗봇 질문 기록")
register_purger("citizen", "guai.citizen.retention:purge_closed_tickets", "담당자 연결 요청")
register_table("logs", "login_attempts", "at", "로그인 실패 기록")
register_table("logs", "llm_usage", "at", "모델 사용 기록")
register_folder("uploads", lambda s: s.upload_dir, "업로드 파일")
register_folder("logs", lambda s: s.home / "logs", "로그 파일")


class RetentionError(ValueError):
    """Invalid retention policy (message is Korean)."""


def validate_policy(raw: dict[str, object]) -> dict[str, int | None]:
    """Days per kind (None = keep); refuses unknown kinds, non-numbers and periods below the minimum."""
    policy: dict[str, int | None] = {}
    for key, value in raw.items():
        kind = KINDS.get(key)
        if kind is None:
            raise RetentionError(f"알 수 없는 보관 항목입니다: {key} (가능: {', '.join(KINDS)})")
        if value in (None, "", "keep", "보관"):
            policy[key] = None
            continue
        try:
            days = int(str(value).strip())
        except ValueError:
            raise RetentionError(f"{kind.label} 보관기간은 일 수(숫자)로 쓰세요: {value!r}") from None
        if days < kind.min_days:
            raise RetentionError(
                f"{kind.label} 보관기간은 최소 {kind.min_days}일 이상이어야 합니다 (입력: {days}일)."
            )
        policy[key] = days
    return policy


def current_policy(session: Session) -> dict[str, int | None]:
    from guai.ops.settings_store import RETENTION_KEY, get_json

    stored = get_json(session, RETENTION_KEY, {}) or {}
    policy = {k: kind.default_days for k, kind in KINDS.items()}
    for key, value in stored.items():
        if key in KINDS:
            policy[key] = value if value is None else max(int(value), KINDS[key].min_days)
    return policy


@dataclass
class PurgeItem:
    kind: str
    label: str
    cutoff: datetime
    count: int
    skipped: str | None = None


@dataclass
class PurgeReport:
    dry_run: bool
    items: list[PurgeItem] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(i.count for i in self.items)


def _table(session: Session, name: str) -> Table | None:
    bind = session.connection()  # reflect on our own connection: a new one could wait on our write lock
    if not inspect(bind).has_table(name):
        return None
    meta = MetaData()
    return Table(name, meta, autoload_with=bind)


def _as_naive_utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None)


def _cutoff_value(session: Session, cutoff: datetime) -> datetime:
    # SQLite stores UTC without an offset; compare like with like.
    return _as_naive_utc(cutoff) if session.get_bind().dialect.name == "sqlite" else cutoff


def _purge_table(session: Session, target: TableTarget, cutoff: datetime, dry_run: bool) -> PurgeItem:
    table = _table(session, target.table)
    if table is None or target.column not in table.c:
        return PurgeItem(target.kind, target.label, cutoff, 0, skipped="테이블 없음")
    cond = and_(table.c[target.column].is_not(None), table.c[target.column] < _cutoff_value(session, cutoff))
    count = session.execute(select(func.count()).select_from(table).where(cond)).scalar_one()
    if count and not dry_run:
        session.execute(delete(table).where(cond))  # children go by ON DELETE CASCADE / SET NULL
    return PurgeItem(target.kind, target.label, cutoff, count)


def _purge_custom(session: Session, target: CustomTarget, cutoff: datetime, dry_run: bool) -> PurgeItem:
    import importlib

    module_name, _, name = target.function.partition(":")
    try:
        function = getattr(importlib.import_module(module_name), name)
    except ImportError:
        return PurgeItem(target.kind, target.label, cutoff, 0, skipped="기능 없음")
    return PurgeItem(target.kind, target.label, cutoff, int(function(session, cutoff, dry_run)))


def _purge_folder(settings: Settings, target: FileTarget, cutoff: datetime, dry_run: bool) -> PurgeItem:
    folder = target.folder(settings)
    count = 0
    limit = cutoff.timestamp()
    if folder.is_dir():
        for root, _dirs, files in os.walk(folder):
            for name in files:
                path = Path(root) / name
                if path.stat().st_mtime < limit:
                    count += 1
                    if not dry_run:
                        path.unlink()
    return PurgeItem(target.kind, target.label, cutoff, count)


def _purge_audit(session: Session, cutoff: datetime, dry_run: bool) -> PurgeItem:
    if cutoff > utcnow() - timedelta(days=AUDIT_LEGAL_MINIMUM_DAYS):
        raise RetentionError("감사 로그는 법정 최소 보관기간(2년) 전에 지울 수 없습니다.")
    cond = AuditEntry.at < _cutoff_value(session, cutoff)
    last = session.execute(
        select(AuditEntry.id, AuditEntry.hash).where(cond).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    count = (
        session.execute(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.id <= last.id)
        ).scalar_one()
        if last
        else 0
    )
    if last and not dry_run:
        # Delete a prefix of the chain only, and remember where it ended so `guai audit verify` still works.
        session.execute(delete(AuditEntry).where(AuditEntry.id <= last.id))
        anchor = session.get(AppSetting, AUDIT_ANCHOR_KEY)
        value = f"{last.id}:{last.hash}"
        if anchor is None:
            session.add(AppSetting(key=AUDIT_ANCHOR_KEY, value=value, updated_by="purge"))
        else:
            anchor.value = value
    return PurgeItem("audit", "감사 로그", cutoff, count)


def purge(
    session: Session,
    settings: Settings,
    *,
    dry_run: bool = False,
    actor: str = "system",
    now: datetime | None = None,
) -> PurgeReport:
    """Delete (or with dry_run only count) everything older than its kind's retention period; audited."""
    now = now or utcnow()
    policy = current_policy(session)
    report = PurgeReport(dry_run=dry_run)
    for key, days in policy.items():
        if days is None:
            continue
        cutoff = now - timedelta(days=days)
        if key == "audit":
            report.items.append(_purge_audit(session, cutoff, dry_run))
            continue
        for t in _table_targets:
            if t.kind == key:
                report.items.append(_purge_table(session, t, cutoff, dry_run))
        for c in _custom_targets:
            if c.kind == key:
                report.items.append(_purge_custom(session, c, cutoff, dry_run))
        for f in _file_targets:
            if f.kind == key:
                report.items.append(_purge_folder(settings, f, cutoff, dry_run))
    if not dry_run:
        record(
            session,
            actor=actor,
            action="retention.purge",
            outcome="성공",
            detail={
                "policy": policy,
                "deleted": {f"{i.kind}:{i.label}": i.count for i in report.items if not i.skipped},
                "total": report.total,
            },
        )
    return report
