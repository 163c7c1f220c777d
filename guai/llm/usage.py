"""Usage metering and quotas: one row per model call, limits per user/department per day/month."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from guai.db.models.auth import Department, User
from guai.db.models.llm import LLMQuota, LLMUsage
from guai.llm.errors import QuotaExceeded
from guai.llm.types import Usage

PERIODS = {"day": "오늘", "month": "이번 달"}


@dataclass(frozen=True)
class Caller:
    """Who makes a model call, copied out of the ORM so it can cross threads and sessions."""

    id: int | None
    username: str
    department_id: int | None
    department: str | None

    @classmethod
    def of(cls, user: User | Caller | None) -> Caller:
        if user is None:
            return SYSTEM
        if isinstance(user, Caller):
            return user
        from sqlalchemy import inspect

        # Only read the department if it is already loaded: a detached User must not trigger a lazy load.
        dept = inspect(user).attrs.department.loaded_value
        name = dept.name if isinstance(dept, Department) else None
        return cls(id=user.id, username=user.username, department_id=user.department_id, department=name)

    def with_department(self, session: Session) -> Caller:
        """This caller with the department name filled in from the database when it was not known."""
        if self.department is not None or self.department_id is None:
            return self
        dept = session.get(Department, self.department_id)
        return Caller(self.id, self.username, self.department_id, dept.name if dept else None)


SYSTEM = Caller(id=None, username="system", department_id=None, department=None)


def today() -> date:
    """Local calendar day of the server (the office's day, not UTC)."""
    return datetime.now().date()


def period_start(period: str, on: date | None = None) -> date:
    d = on or today()
    return d if period == "day" else d.replace(day=1)


def record_usage(
    session: Session,
    *,
    user: Caller,
    provider: str,
    model: str,
    kind: str,
    purpose: str,
    usage: Usage,
    latency_ms: int,
    outcome: str = "성공",
) -> LLMUsage:
    user = user.with_department(session)
    row = LLMUsage(
        day=today(),
        user_id=user.id,
        username=user.username,
        department_id=user.department_id,
        department=user.department,
        provider=provider,
        model=model,
        kind=kind,
        purpose=purpose[:64],
        prompt_tokens=usage.prompt_tokens,
        completion_tokens=usage.completion_tokens,
        total_tokens=usage.total_tokens,
        latency_ms=latency_ms,
        outcome=outcome,
    )
    session.add(row)
    from guai.ops.metrics import record_model_call  # Prometheus counters (/metrics) next to the usage table

    record_model_call(
        provider=provider,
        purpose=kind,
        outcome=outcome,
        prompt_tokens=usage.prompt_tokens,
        completion_tokens=usage.completion_tokens,
        seconds=latency_ms / 1000,
    )
    return row


@dataclass(frozen=True)
class Spent:
    tokens: int
    requests: int


def spent(session: Session, *, scope: str, target_id: int, since: date) -> Spent:
    column = LLMUsage.user_id if scope == "user" else LLMUsage.department_id
    row = session.execute(
        select(func.coalesce(func.sum(LLMUsage.total_tokens), 0), func.count(LLMUsage.id)).where(
            column == target_id, LLMUsage.day >= since, LLMUsage.outcome == "성공"
        )
    ).one()
    return Spent(tokens=int(row[0]), requests=int(row[1]))


def check_quota(session: Session, user: Caller) -> None:
    """Raise QuotaExceeded (with a message staff can act on) when a limit for this user is used up."""
    if user.id is None:
        return
    user = user.with_department(session)
    quotas = (
        session.execute(
            select(LLMQuota).where(
                ((LLMQuota.scope == "user") & (LLMQuota.target_id == user.id))
                | ((LLMQuota.scope == "department") & (LLMQuota.target_id == user.department_id))
            )
        )
        .scalars()
        .all()
    )
    for q in quotas:
        used = spent(session, scope=q.scope, target_id=q.target_id, since=period_start(q.period))
        who = f"{user.department} 부서" if q.scope == "department" else f"{user.username} 님"
        when = PERIODS.get(q.period, q.period)
        reset = "내일" if q.period == "day" else "다음 달 1일"
        if q.max_requests is not None and used.requests >= q.max_requests:
            raise QuotaExceeded(
                f"{when} {who}의 AI 사용 한도(요청 {q.max_requests:,}회)에 도달했습니다. {reset}에 다시 쓸 수 있고, "
                "더 필요하면 부서 관리자에게 한도 조정을 요청하세요."
            )
        if q.max_tokens is not None and used.tokens >= q.max_tokens:
            raise QuotaExceeded(
                f"{when} {who}의 AI 사용 한도(토큰 {q.max_tokens:,}개)에 도달했습니다. {reset}에 다시 쓸 수 있고, "
                "더 필요하면 부서 관리자에게 한도 조정을 요청하세요."
            )


_quota_generation = [0]  # bumped when quotas change, so gateways in this process look again at once


def quota_generation() -> int:
    return _quota_generation[0]


def any_quotas(session: Session) -> bool:
    return session.execute(select(LLMQuota.id).limit(1)).first() is not None


def set_quota(
    session: Session,
    *,
    scope: str,
    target_id: int,
    period: str,
    max_tokens: int | None,
    max_requests: int | None,
    actor: str,
) -> LLMQuota | None:
    """Create, change or (both limits empty) remove a quota."""
    if scope not in ("user", "department") or period not in PERIODS:
        raise ValueError("한도 범위는 user/department, 기간은 day/month 여야 합니다.")
    if (max_tokens is not None and max_tokens < 0) or (max_requests is not None and max_requests < 0):
        raise ValueError("한도는 0 이상의 숫자여야 합니다.")
    from guai.llm.quota import reset_counters  # imported here: guai.llm.quota builds on this module

    reset_counters(session, scope, target_id)
    row = session.execute(
        select(LLMQuota).where(
            LLMQuota.scope == scope, LLMQuota.target_id == target_id, LLMQuota.period == period
        )
    ).scalar_one_or_none()
    if max_tokens is None and max_requests is None:
        if row is not None:
            session.delete(row)
        session.flush()
        _quota_generation[0] += 1
        return None
    if row is None:
        row = LLMQuota(scope=scope, target_id=target_id, period=period)
        session.add(row)
    row.max_tokens, row.max_requests, row.updated_by = max_tokens, max_requests, actor
    session.flush()
    _quota_generation[0] += 1
    return row


def list_quotas(session: Session, department_id: int | None = None) -> list[dict[str, object]]:
    """Quotas with readable target names; a department admin sees only their own department's."""
    rows = []
    for q in session.execute(select(LLMQuota).order_by(LLMQuota.scope, LLMQuota.target_id)).scalars():
        if q.scope == "department":
            dept = session.get(Department, q.target_id)
            name, dept_id = (dept.name if dept else f"#{q.target_id}"), q.target_id
        else:
            u = session.get(User, q.target_id)
            name, dept_id = (u.username if u else f"#{q.target_id}"), (u.department_id if u else None)
        if department_id is not None and dept_id != department_id:
            continue
        used = spent(session, scope=q.scope, target_id=q.target_id, since=period_start(q.period))
        rows.append({"quota": q, "name": name, "used": used})
    return rows


@dataclass(frozen=True)
class DepartmentUsage:
    department: str
    kind: str
    requests: int
    tokens: int
    users: int


def usage_by_department(session: Session, start: date, end: date) -> list[DepartmentUsage]:
    """Every department (incl. 동 주민센터 with no use yet), busiest first."""
    agg = (
        select(
            LLMUsage.department_id,
            func.count(LLMUsage.id).label("n"),
            func.coalesce(func.sum(LLMUsage.total_tokens), 0).label("t"),
            func.count(func.distinct(LLMUsage.user_id)).label("u"),
        )
        .where(LLMUsage.day >= start, LLMUsage.day <= end)
        .group_by(LLMUsage.department_id)
        .subquery()
    )
    rows = session.execute(
        select(Department.name, Department.kind, agg.c.n, agg.c.t, agg.c.u).outerjoin(
            agg, agg.c.department_id == Department.id
        )
    ).all()
    out = [DepartmentUsage(r[0], r[1], int(r[2] or 0), int(r[3] or 0), int(r[4] or 0)) for r in rows]
    return sorted(out, key=lambda d: (-d.tokens, -d.requests, d.department))


def usage_by_user(
    session: Session, start: date, end: date, department_id: int | None = None, limit: int = 50
) -> list[tuple[str, str | None, int, int]]:
    stmt = (
        select(
            LLMUsage.username,
            LLMUsage.department,
            func.count(LLMUsage.id),
            func.coalesce(func.sum(LLMUsage.total_tokens), 0),
        )
        .where(LLMUsage.day >= start, LLMUsage.day <= end)
        .group_by(LLMUsage.username, LLMUsage.department)
        .order_by(func.coalesce(func.sum(LLMUsage.total_tokens), 0).desc())
        .limit(limit)
    )
    if department_id is not None:
        stmt = stmt.where(LLMUsage.department_id == department_id)
    return [(r[0], r[1], int(r[2]), int(r[3])) for r in session.execute(stmt).all()]


CSV_HEADER = [
    "날짜",
    "부서",
    "사용자",
    "모델서버",
    "모델",
    "종류",
    "용도",
    "요청수",
    "입력토큰",
    "출력토큰",
    "전체토큰",
]


def export_csv(session: Session, start: date, end: date, department_id: int | None = None) -> str:
    """Daily totals per department, user, provider, model and purpose, as UTF-8 CSV with BOM (opens in Excel)."""
    stmt = (
        select(
            LLMUsage.day,
            LLMUsage.department,
            LLMUsage.username,
            LLMUsage.provider,
            LLMUsage.model,
            LLMUsage.kind,
            LLMUsage.purpose,
            func.count(LLMUsage.id),
            func.sum(LLMUsage.prompt_tokens),
            func.sum(LLMUsage.completion_tokens),
            func.sum(LLMUsage.total_tokens),
        )
        .where(LLMUsage.day >= start, LLMUsage.day <= end)
        .group_by(
            LLMUsage.day,
            LLMUsage.department,
            LLMUsage.username,
            LLMUsage.provider,
            LLMUsage.model,
            LLMUsage.kind,
            LLMUsage.purpose,
        )
        .order_by(LLMUsage.day, LLMUsage.department, LLMUsage.username)
    )
    if department_id is not None:
        stmt = stmt.where(LLMUsage.department_id == department_id)
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf)
    writer.writerow(CSV_HEADER)
    for r in session.execute(stmt).all():
        writer.writerow(
            [
                r[0].isoformat(),
                r[1] or "",
                r[2],
                r[3],
                r[4],
                r[5],
                r[6],
                r[7],
                r[8] or 0,
                r[9] or 0,
                r[10] or 0,
            ]
        )
    return buf.getvalue()
