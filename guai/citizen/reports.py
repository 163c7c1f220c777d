"""Operations views over the answer log: daily report (top questions) and unanswered/low-confidence questions."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from guai.citizen.text import squash
from guai.db.models.citizen import CitizenGuidance, CitizenQuestion, CitizenTicket

__all__ = ["DailyReport", "WeakQuestion", "daily_report", "weak_questions"]

#: Outcomes that are refusals of manipulative or abusive input, not questions to improve guidance with.
REFUSALS = {"injection", "staff_data", "abuse", "empty", "too_long", "rate_limited"}


@dataclass
class TopQuestion:
    guidance_code: str
    question: str
    department: str
    count: int


@dataclass
class WeakQuestion:
    """A question (masked, grouped by its normalised text) the chatbot could not answer well."""

    question: str
    count: int
    best_confidence: float
    department: str | None
    last_asked: str


@dataclass
class DailyReport:
    day: date
    total: int = 0
    answered: int = 0
    escalated: int = 0
    refused: int = 0
    via_model: int = 0
    tickets_created: int = 0
    tickets_answered: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    top: list[TopQuestion] = field(default_factory=list)
    weak: list[WeakQuestion] = field(default_factory=list)
    by_department: dict[str, int] = field(default_factory=dict)

    @property
    def answer_rate(self) -> float:
        asked = self.total - self.refused
        return self.answered / asked if asked else 0.0


def weak_questions(
    session: Session, *, since: date, until: date, min_confidence: float, limit: int = 50
) -> list[WeakQuestion]:
    """Unanswered (escalated) or low-confidence questions in [since, until], most frequent first."""
    rows = session.execute(
        select(
            CitizenQuestion.question,
            CitizenQuestion.confidence,
            CitizenQuestion.department,
            CitizenQuestion.at,
        )
        .where(
            CitizenQuestion.day >= since,
            CitizenQuestion.day <= until,
            CitizenQuestion.outcome.not_in(REFUSALS),
            (CitizenQuestion.escalate.is_(True)) | (CitizenQuestion.confidence < min_confidence),
        )
        .order_by(CitizenQuestion.id.desc())
        .limit(5000)
    ).all()
    groups: dict[str, WeakQuestion] = {}
    for question, confidence, department, at in rows:
        key = squash(question)
        if not key:
            continue
        g = groups.get(key)
        if g is None:
            groups[key] = WeakQuestion(
                question, 1, float(confidence), department, at.astimezone().strftime("%Y-%m-%d %H:%M")
            )
        else:
            g.count += 1
            g.best_confidence = max(g.best_confidence, float(confidence))
    return sorted(groups.values(), key=lambda g: (-g.count, g.best_confidence))[:limit]


def daily_report(session: Session, day: date, *, min_confidence: float, top_n: int = 10) -> DailyReport:
    report = DailyReport(day=day)
    rows = session.execute(
        select(CitizenQuestion.outcome, CitizenQuestion.escalate, CitizenQuestion.via_model, func.count())
        .where(CitizenQuestion.day == day)
        .group_by(CitizenQuestion.outcome, CitizenQuestion.escalate, CitizenQuestion.via_model)
    ).all()
    outcomes: Counter[str] = Counter()
    for outcome, escalate, via_model, n in rows:
        outcomes[outcome] += n
        report.total += n
        if outcome in REFUSALS:
            report.refused += n
        elif escalate:
            report.escalated += n
        else:
            report.answered += n
        if via_model:
            report.via_model += n
    report.outcomes = dict(outcomes)
    top = session.execute(
        select(CitizenQuestion.guidance_code, func.count().label("n"))
        .where(
            CitizenQuestion.day == day,
            CitizenQuestion.guidance_code.is_not(None),
            CitizenQuestion.outcome.not_in(REFUSALS),
        )
        .group_by(CitizenQuestion.guidance_code)
        .order_by(func.count().desc(), CitizenQuestion.guidance_code)
        .limit(top_n)
    ).all()
    codes = [code for code, _n in top]
    info = {
        g.code: g
        for g in session.execute(select(CitizenGuidance).where(CitizenGuidance.code.in_(codes))).scalars()
    }
    for code, n in top:
        g = info.get(code)
        report.top.append(TopQuestion(code, g.question if g else code, g.department if g else "", int(n)))
    dept_rows = session.execute(
        select(CitizenQuestion.department, func.count())
        .where(CitizenQuestion.day == day, CitizenQuestion.outcome.not_in(REFUSALS))
        .group_by(CitizenQuestion.department)
    ).all()
    report.by_department = {d or "미정": int(n) for d, n in sorted(dept_rows, key=lambda r: -r[1])}
    report.weak = weak_questions(session, since=day, until=day, min_confidence=min_confidence, limit=top_n)
    start = (
        datetime.combine(day, time.min).astimezone().astimezone(UTC)
    )  # the local day, bound in UTC like stored values
    end = start + timedelta(days=1)
    report.tickets_created = int(
        session.execute(
            select(func.count())
            .select_from(CitizenTicket)
            .where(CitizenTicket.created_at >= start, CitizenTicket.created_at < end)
        ).scalar()
        or 0
    )
    report.tickets_answered = int(
        session.execute(
            select(func.count())
            .select_from(CitizenTicket)
            .where(CitizenTicket.replied_at >= start, CitizenTicket.replied_at < end)
        ).scalar()
        or 0
    )
    return report
