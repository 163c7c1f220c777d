"""Atomic quota admission: reserve before a model call, settle with the real token count after it.

Checking the usage table and then recording a call lets simultaneous calls (several workers, several tabs)
all pass the check and overshoot the limit. Instead each quota target has a counter row per period, and a
call is admitted by one conditional UPDATE per applicable quota:

    UPDATE llm_quota_counters SET requests = requests + 1, tokens = tokens + :estimate
     WHERE id = :id AND requests + 1 <= :max_requests AND tokens + :estimate <= :max_tokens

The database serialises those updates (SQLite's single writer; PostgreSQL's row lock with the WHERE
re-checked on the newest row version), so exactly the limit's worth of calls get through. All quotas of
one call are reserved in one transaction: if any refuses, none stays reserved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from guai.db.models.llm import LLMQuota, LLMQuotaCounter
from guai.llm.errors import QuotaExceeded
from guai.llm.usage import PERIODS, Caller, period_start, spent

C = LLMQuotaCounter


@dataclass(frozen=True)
class Reservation:
    """What one admitted call holds: counter rows and the token estimate added to each."""

    counter_ids: tuple[int, ...]
    tokens: int


NO_RESERVATION = Reservation((), 0)


def _insert(session: Session):  # type: ignore[no-untyped-def]
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(C)


def _counter_id(session: Session, q: LLMQuota, start: date) -> int:
    """The counter row for this quota and period, created (from the usage recorded so far) if missing."""
    key = (C.scope == q.scope, C.target_id == q.target_id, C.period == q.period, C.period_start == start)
    found = session.execute(select(C.id).where(*key)).scalar_one_or_none()
    if found is not None:
        return found
    used = spent(session, scope=q.scope, target_id=q.target_id, since=start)
    # Two workers may create it at once: the unique key keeps one row, the other insert does nothing.
    stmt = _insert(session).values(
        scope=q.scope,
        target_id=q.target_id,
        period=q.period,
        period_start=start,
        tokens=used.tokens,
        requests=used.requests,
    )
    session.execute(
        stmt.on_conflict_do_nothing(index_elements=["scope", "target_id", "period", "period_start"])
    )
    return session.execute(select(C.id).where(*key)).scalar_one()


def _refusal(user: Caller, q: LLMQuota, row: LLMQuotaCounter, estimate: int) -> QuotaExceeded:
    who = f"{user.department} 부서" if q.scope == "department" else f"{user.username} 님"
    when = PERIODS.get(q.period, q.period)
    reset = "내일" if q.period == "day" else "다음 달 1일"
    tail = f"{reset}에 다시 쓸 수 있고, 더 필요하면 부서 관리자에게 한도 조정을 요청하세요."
    if q.max_requests is not None and row.requests + 1 > q.max_requests:
        return QuotaExceeded(f"{when} {who}의 AI 사용 한도(요청 {q.max_requests:,}회)에 도달했습니다. {tail}")
    assert q.max_tokens is not None
    if row.tokens >= q.max_tokens:
        return QuotaExceeded(f"{when} {who}의 AI 사용 한도(토큰 {q.max_tokens:,}개)에 도달했습니다. {tail}")
    left = q.max_tokens - row.tokens
    return QuotaExceeded(
        f"{when} {who}의 남은 AI 사용 한도(토큰 {left:,}개)가 이 요청(약 {estimate:,}개)에 부족합니다. "
        f"질문이나 첨부를 줄이거나, {tail}"
    )


def reserve(session: Session, user: Caller, estimate: int) -> Reservation:
    """Admit one call or raise QuotaExceeded; the caller's transaction must commit (or roll back) right after."""
    if user.id is None:
        return NO_RESERVATION
    user = user.with_department(session)
    estimate = max(0, int(estimate))
    quotas = (
        session.execute(
            select(LLMQuota)
            .where(
                ((LLMQuota.scope == "user") & (LLMQuota.target_id == user.id))
                | ((LLMQuota.scope == "department") & (LLMQuota.target_id == user.department_id))
            )
            .order_by(LLMQuota.id)  # one lock order for every caller, so PostgreSQL never deadlocks
        )
        .scalars()
        .all()
    )
    ids: list[int] = []
    for q in quotas:
        if q.max_requests is None and q.max_tokens is None:
            continue
        cid = _counter_id(session, q, period_start(q.period))
        stmt = update(C).where(C.id == cid).values(requests=C.requests + 1, tokens=C.tokens + estimate)
        if q.max_requests is not None:
            stmt = stmt.where(C.requests + 1 <= q.max_requests)
        if q.max_tokens is not None:
            stmt = stmt.where(C.tokens + estimate <= q.max_tokens)
        if session.execute(stmt.execution_options(synchronize_session=False)).rowcount != 1:
            row = session.execute(select(C).where(C.id == cid)).scalar_one()
            raise _refusal(user, q, row, estimate)  # the session rolls back: earlier reservations go too
        ids.append(cid)
    return Reservation(tuple(ids), estimate)


def settle(session: Session, reservation: Reservation, actual_tokens: int | None) -> None:
    """Replace the estimate with the real count; None (the call failed) releases the request and the tokens."""
    if not reservation.counter_ids:
        return
    if actual_tokens is None:
        values = {"requests": C.requests - 1, "tokens": C.tokens - reservation.tokens}
    else:
        values = {"tokens": C.tokens + (int(actual_tokens) - reservation.tokens)}
    session.execute(
        update(C)
        .where(C.id.in_(reservation.counter_ids))
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def reset_counters(session: Session, scope: str, target_id: int) -> None:
    """Forget the counters of a target whose quota changed: the next call recounts from the usage table
    (calls made while no quota existed were not counted)."""
    session.execute(
        delete(C)
        .where(C.scope == scope, C.target_id == target_id)
        .execution_options(synchronize_session=False)
    )
