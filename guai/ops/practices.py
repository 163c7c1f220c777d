"""AI 활용 우수사례: staff submit and vote (one vote each); administrators feature the best ones. Audited."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from guai.audit import record
from guai.db.base import utcnow
from guai.db.models.auth import User
from guai.db.models.ops import BestPractice, BestPracticeVote, OnboardingState
from guai.ops.guide_content import AREAS, DEPT_KINDS


class PracticeError(ValueError):
    """Invalid submission or action (message is Korean)."""


def submit(
    session: Session,
    user: User,
    *,
    title: str,
    area: str,
    dept_kind: str,
    prompt: str,
    outcome: str,
    client: str | None = None,
) -> BestPractice:
    title, prompt, outcome = title.strip(), prompt.strip(), outcome.strip()
    problems = []
    if not 4 <= len(title) <= 120:
        problems.append("제목은 4~120자로 쓰세요.")
    if area not in AREAS:
        problems.append(f"기능을 고르세요 ({', '.join(AREAS)}).")
    if dept_kind not in DEPT_KINDS:
        problems.append(f"업무 분야를 고르세요 ({', '.join(DEPT_KINDS)}).")
    if not 10 <= len(prompt) <= 4000:
        problems.append("사용한 요청문은 10~4,000자로 쓰세요.")
    if not 10 <= len(outcome) <= 4000:
        problems.append("효과는 10~4,000자로 쓰세요 (예: 보고서 작성 2시간 → 20분).")
    if problems:
        raise PracticeError(" ".join(problems))
    item = BestPractice(
        title=title,
        area=area,
        dept_kind=dept_kind,
        prompt=prompt,
        outcome=outcome,
        author_id=user.id,
        department_name=user.department.name,
    )
    session.add(item)
    session.flush()
    record(
        session,
        actor=user.username,
        action="practice.submit",
        target=f"practice:{item.id}",
        client=client,
        department=user.department.name,
        detail={"title": title, "area": area},
    )
    return item


def toggle_vote(session: Session, user: User, practice_id: int) -> bool:
    """Vote, or take the vote back; returns True when the user now votes for it."""
    item = session.get(BestPractice, practice_id)
    if item is None:
        raise PracticeError("우수사례를 찾을 수 없습니다.")
    if item.author_id == user.id:
        raise PracticeError("자신이 올린 사례에는 추천할 수 없습니다.")
    existing = session.execute(
        select(BestPracticeVote).where(
            BestPracticeVote.practice_id == practice_id, BestPracticeVote.user_id == user.id
        )
    ).scalar_one_or_none()
    if existing is None:
        session.add(BestPracticeVote(practice_id=practice_id, user_id=user.id))
    else:
        session.execute(delete(BestPracticeVote).where(BestPracticeVote.id == existing.id))
    session.flush()
    # Recount instead of +1/-1 so concurrent votes from several workers never drift.
    item.vote_count = session.execute(
        select(func.count()).select_from(BestPracticeVote).where(BestPracticeVote.practice_id == practice_id)
    ).scalar_one()
    return existing is None


def set_featured(
    session: Session, admin: User, practice_id: int, featured: bool, client: str | None = None
) -> BestPractice:
    if not admin.is_admin:
        raise PracticeError("관리자만 우수사례를 선정할 수 있습니다.")
    item = session.get(BestPractice, practice_id)
    if item is None:
        raise PracticeError("우수사례를 찾을 수 없습니다.")
    item.featured = featured
    item.featured_at = utcnow() if featured else None
    item.featured_by = admin.username if featured else None
    record(
        session,
        actor=admin.username,
        action="practice.feature" if featured else "practice.unfeature",
        target=f"practice:{item.id}",
        client=client,
        department=admin.department.name,
        detail={"title": item.title},
    )
    return item


def list_practices(session: Session, *, dept_kind: str | None = None, limit: int = 100) -> list[BestPractice]:
    """Featured first, then most votes, then newest."""
    stmt = select(BestPractice)
    if dept_kind:
        stmt = stmt.where(BestPractice.dept_kind == dept_kind)
    stmt = stmt.order_by(BestPractice.featured.desc(), BestPractice.vote_count.desc(), BestPractice.id.desc())
    return list(session.execute(stmt.limit(limit)).scalars())


def my_votes(session: Session, user: User) -> set[int]:
    return set(
        session.execute(
            select(BestPracticeVote.practice_id).where(BestPracticeVote.user_id == user.id)
        ).scalars()
    )


def tour_pending(session: Session, user: User) -> bool:
    state = session.get(OnboardingState, user.id)
    return state is None or state.tour_done_at is None


def finish_tour(session: Session, user: User) -> None:
    state = session.get(OnboardingState, user.id)
    if state is None:
        session.add(OnboardingState(user_id=user.id, tour_done_at=utcnow()))
    elif state.tour_done_at is None:
        state.tour_done_at = utcnow()
