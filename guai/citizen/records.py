"""The public answer log and its audit seals.

Every answer is one row in citizen_questions (masked question, what was answered, confidence), written in
the same cheap transaction as the rate counter. Writing a hash-chained audit entry per answer would
serialise all workers on the audit chain lock, so the chain instead receives a *seal* every SEAL_EVERY
answers (and on each daily report): id range, counts by outcome and a SHA-256 over the sealed rows, so
any later edit or deletion of logged answers is detectable with the audit chain.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime

from sqlalchemy import Boolean, Connection, Date, DateTime, bindparam, func, select, text, update
from sqlalchemy.orm import Session

from guai.audit import record
from guai.db.engine import Database
from guai.db.models.citizen import CitizenQuestion, CitizenState

__all__ = [
    "PURGE_ACTION",
    "SEAL_ACTION",
    "SEAL_EVERY",
    "log_answer",
    "row_digest",
    "seal_answers",
    "seal_pending",
    "sealed_ranges",
    "verify_seals",
]

SEAL_EVERY = 200
SEALED_UPTO = "sealed_upto"
SEAL_ACTION = "citizen.answers"
#: Audit action of a re-seal: the digest of what retention left of a sealed range.
PURGE_ACTION = "citizen.answers.purged"


_INSERT = text(
    "INSERT INTO citizen_questions (at, day, session, client_hash, question, guidance_code, department, confidence,"
    " outcome, escalate, via_model) VALUES (:at, :day, :session, :client_hash, :question, :guidance_code,"
    " :department, :confidence, :outcome, :escalate, :via_model) RETURNING id"
).bindparams(
    bindparam("at", type_=DateTime(timezone=True)),
    bindparam("day", type_=Date()),
    bindparam("escalate", type_=Boolean()),
    bindparam("via_model", type_=Boolean()),
)


def log_answer(
    conn: Session | Connection,
    *,
    at: datetime,
    session_id: str | None,
    client_hash: str | None,
    question: str,
    guidance_code: str | None,
    department: str | None,
    confidence: float,
    outcome: str,
    escalate: bool,
    via_model: bool,
) -> int:
    """Append one answer to the log (question already masked); returns its id.

    A prepared textual INSERT rather than the ORM: this runs on every public request.
    """
    return int(
        conn.execute(
            _INSERT,
            {
                "at": at,
                "day": at.astimezone().date(),
                "session": session_id,
                "client_hash": client_hash,
                "question": question[:1000],
                "guidance_code": guidance_code,
                "department": department,
                "confidence": round(confidence, 4),
                "outcome": outcome,
                "escalate": escalate,
                "via_model": via_model,
            },
        ).scalar_one()
    )


def row_digest(rows: list[CitizenQuestion]) -> str:
    h = hashlib.sha256()
    for r in rows:
        h.update(
            json.dumps(
                [
                    r.id,
                    r.at.isoformat() if r.at else None,
                    r.session,
                    r.client_hash,
                    r.question,
                    r.guidance_code,
                    r.confidence,
                    r.outcome,
                    r.escalate,
                    r.via_model,
                ],
                ensure_ascii=False,
            ).encode("utf-8")
        )
    return h.hexdigest()


def seal_answers(db: Database, *, actor: str = "citizen") -> int:
    """Append one audit entry covering every answer logged since the last seal; returns rows sealed.

    Safe with many workers: the seal position is advanced with a compare-and-set, so two workers sealing
    at once produce one entry and the loser rolls back. Also drops rate-limit windows older than two days.
    """
    from guai.citizen.ratelimit import purge_old

    with db.engine.begin() as conn:
        purge_old(conn)  # type: ignore[arg-type]
    with db.session() as s:
        sealed = seal_pending(s, actor=actor, limit=20000)
        if sealed is None:
            s.rollback()
            return 0
        return sealed


def seal_pending(session: Session, *, actor: str, limit: int, through: int | None = None) -> int | None:
    """Seal up to `limit` unsealed answers (only ids <= through, when given) in `session`.

    Returns the number sealed, or None when another worker moved the seal position first (the caller
    rolls back; its rows are sealed by the other worker).
    """
    upto = session.execute(select(CitizenState.value).where(CitizenState.name == SEALED_UPTO)).scalar()
    if upto is None:
        session.add(CitizenState(name=SEALED_UPTO, value=0))
        session.flush()
        upto = 0
    query = select(CitizenQuestion).where(CitizenQuestion.id > upto)
    if through is not None:
        query = query.where(CitizenQuestion.id <= through)
    rows = list(session.execute(query.order_by(CitizenQuestion.id).limit(limit)).scalars())
    if not rows:
        return 0
    last = rows[-1].id
    moved = session.execute(
        update(CitizenState)
        .where(CitizenState.name == SEALED_UPTO, CitizenState.value == upto)
        .values(value=last)
    ).rowcount
    if not moved:
        return None
    outcomes: dict[str, int] = {}
    for r in rows:
        outcomes[r.outcome] = outcomes.get(r.outcome, 0) + 1
    record(
        session,
        actor=actor,
        action=SEAL_ACTION,
        target=f"{rows[0].id}-{last}",
        detail={
            "count": len(rows),
            "outcomes": outcomes,
            "escalated": sum(r.escalate for r in rows),
            "sha256": row_digest(rows),
        },
    )
    return len(rows)


def sealed_ranges(session: Session) -> dict[tuple[int, int], tuple[int, dict]]:
    """Every sealed id range with the audit entry id and detail that now vouches for it.

    A range is vouched for by its seal, or by the latest re-seal written when retention deleted some of
    its rows (guai.citizen.retention); both are entries of the hash-chained audit log.
    """
    from guai.db.models.audit import AuditEntry

    out: dict[tuple[int, int], tuple[int, dict]] = {}
    entries = session.execute(
        select(AuditEntry.id, AuditEntry.target, AuditEntry.detail)
        .where(AuditEntry.action.in_((SEAL_ACTION, PURGE_ACTION)))
        .order_by(AuditEntry.id)
    )
    for entry_id, target, detail in entries:
        first, last = (int(x) for x in (target or "0-0").split("-"))
        out[(first, last)] = (entry_id, json.loads(detail or "{}"))
    return out


def range_rows(session: Session, first: int, last: int) -> list[CitizenQuestion]:
    return list(
        session.execute(
            select(CitizenQuestion)
            .where(CitizenQuestion.id >= first, CitizenQuestion.id <= last)
            .order_by(CitizenQuestion.id)
        ).scalars()
    )


def verify_seals(session: Session) -> list[str]:
    """Recompute every seal's digest from the log; returns problems (empty when the log is intact).

    Rows deleted by the retention purge are accounted for by its re-seal, so an honest purge verifies.
    """
    problems = []
    for (first, last), (entry_id, detail) in sealed_ranges(session).items():
        if row_digest(range_rows(session, first, last)) != detail.get("sha256"):
            problems.append(f"답변 기록 {first}~{last}번이 봉인 후 바뀌었습니다 (감사 항목 {entry_id}).")
        elif detail.get("intact_before") is False:
            problems.append(
                f"답변 기록 {first}~{last}번은 보관기간 삭제 전에 이미 바뀌어 있었습니다 (감사 항목 {entry_id})."
            )
    return problems


def day_count(session: Session, day: date) -> int:
    return int(
        session.execute(
            select(func.count()).select_from(CitizenQuestion).where(CitizenQuestion.day == day)
        ).scalar()
        or 0
    )
