"""Answering one public question: screen, rate-limit, retrieve, compose (or ground a model answer), log.

A question with no topic of its own ("수수료는요?") borrows the topic words of the previous turns the client
sends along (see followup.py); without usable history it is not guessed at but answered with a request
to name the topic.

Per request the database sees one short transaction (rate counters + one answer-log row); everything
else comes from the in-process index that is rebuilt from the database when the guidance changes.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime

from guai.audit import record
from guai.citizen.followup import FollowUp, Turn, resolve
from guai.citizen.grounded import grounded_answer, model_available
from guai.citizen.index import GuidanceDoc, GuidanceIndex, Match, get_index
from guai.citizen.ratelimit import Limit, client_hash, hit
from guai.citizen.records import SEAL_EVERY, log_answer, seal_answers
from guai.citizen.safety import MAX_MESSAGE, Screening, mask_for_log, screen
from guai.citizen.sources import Passage, public_passages
from guai.citizen.store import CitizenSettings
from guai.db.engine import Database

__all__ = ["ChatAnswer", "RateLimited", "Turn", "ask", "korean_date"]

_SESSION = re.compile(r"^[A-Za-z0-9_-]{8,40}$")
#: Below min_confidence but above this, the best match's department is still named as the likely contact.
HINT_CONFIDENCE = 0.12


class RateLimited(Exception):
    """Too many questions from one client; carries the polite answer to send with HTTP 429."""

    def __init__(self, answer: ChatAnswer, retry_after: int) -> None:
        super().__init__(answer.answer)
        self.answer = answer
        self.retry_after = retry_after


@dataclass
class ChatAnswer:
    """The JSON answer of POST /api/citizen/chat (first five keys are the public contract)."""

    answer: str
    department: str
    phone: str
    sources: list[str]
    escalate: bool
    session: str = ""
    confidence: float = 0.0
    last_checked: str | None = None
    kind: str = "guidance"
    suggestions: list[str] = field(default_factory=list)
    #: Topic words borrowed from the previous turns for a follow-up question (empty when none were used).
    context: list[str] = field(default_factory=list)
    guidance_code: str | None = field(default=None, repr=False)
    via_model: bool = False
    #: True when this answer completed a batch of the log that should now be sealed into the audit chain.
    seal_due: bool = field(default=False, repr=False)

    def public(self) -> dict[str, object]:
        data = asdict(self)
        data.pop("guidance_code")
        data.pop("seal_due")
        data["confidence"] = round(self.confidence, 3)
        return data


def korean_date(value: date) -> str:
    """공문서 date style: 2025. 3. 10."""
    return f"{value.year}. {value.month}. {value.day}."


def _footer(department: str, phone: str, source: str = "", checked: date | None = None) -> str:
    parts = [f"담당: {department} ({phone})"]
    if source:
        parts.append(f"근거: {source}")
    if checked:
        parts.append(f"최종 확인: {korean_date(checked)}")
    return "\n".join(parts)


def _from_guidance(match: Match, body: str | None = None, *, related: list[Match]) -> ChatAnswer:
    d = match.doc
    text = (body or d.answer).strip() + "\n\n" + _footer(d.department, d.phone, d.source, d.last_checked)
    return ChatAnswer(
        answer=text,
        department=d.department,
        phone=d.phone,
        sources=[d.code],
        escalate=False,
        confidence=match.score,
        last_checked=d.last_checked.isoformat(),
        kind="guidance",
        suggestions=[m.doc.question for m in related],
        guidance_code=d.code,
    )


def _contact(matches: list[Match], cfg: CitizenSettings, topic: GuidanceDoc | None = None) -> tuple[str, str]:
    # An entry that misses the question's topic word belongs to another topic, so is its department:
    # the general desk is the honest contact then — unless a follow-up's previous (public, re-validated)
    # entry says which department owns the topic being asked about.
    if matches and matches[0].score >= HINT_CONFIDENCE and not matches[0].missing:
        return matches[0].doc.department, matches[0].doc.phone
    if topic is not None:
        return topic.department, topic.phone
    return cfg.default_department, cfg.default_phone


def _not_found(
    matches: list[Match], passages: list[Passage], cfg: CitizenSettings, topic: GuidanceDoc | None = None
) -> ChatAnswer:
    dept, phone = _contact(matches, cfg, topic)
    lines = ["죄송합니다. 질문하신 내용에 꼭 맞는 안내를 찾지 못했습니다."]
    if matches and matches[0].missing:
        words = ", ".join(f"'{w}'" for w in matches[0].missing[:3])
        lines[0] = f"죄송합니다. {words}에 관한 안내는 아직 준비되어 있지 않아 확실히 답해 드리기 어렵습니다."
    if passages:
        p = passages[0]
        lines.append(f"참고로 관련 규정은 다음과 같습니다.\n「{p.citation}」 {p.text[:300]}")
    lines.append(
        f"{dept}({phone})로 문의하시거나, 아래 '담당자에게 문의 남기기'로 질문을 남겨 주시면 담당 부서에서 답변드립니다."
    )
    return ChatAnswer(
        answer="\n".join(lines) + "\n\n" + _footer(dept, phone),
        department=dept,
        phone=phone,
        sources=[p.citation for p in passages[:1]],
        escalate=True,
        confidence=matches[0].score if matches else 0.0,
        kind="not_found",
        suggestions=[m.doc.question for m in matches[:3] if m.score >= HINT_CONFIDENCE],
    )


def _clarify(matches: list[Match], cfg: CitizenSettings) -> ChatAnswer:
    """A question with no topic of its own and no usable history: ask for the topic instead of guessing."""
    dept, phone = cfg.default_department, cfg.default_phone
    hints = list(dict.fromkeys(m.doc.question for m in matches if m.score >= HINT_CONFIDENCE))[:3]
    example = hints[0] if hints else "대형폐기물 수수료는 얼마인가요?"
    text = (
        "죄송합니다. 어떤 일에 관한 질문인지 알 수 없어 확실히 답해 드리기 어렵습니다. "
        f"무엇에 대해 궁금하신지 함께 적어 주세요. 예: '{example}'\n"
        f"{dept}({phone})로 문의하시거나, 아래 '담당자에게 문의 남기기'로 질문을 남겨 주시면 담당 부서에서 답변드립니다."
    )
    return ChatAnswer(
        answer=text + "\n\n" + _footer(dept, phone),
        department=dept,
        phone=phone,
        sources=[],
        escalate=True,
        confidence=matches[0].score if matches else 0.0,
        kind="clarify",
        suggestions=hints,
    )


_SCREEN_TEXT = {
    "injection": "죄송합니다. 안내 규칙을 바꾸거나 내부 설정을 묻는 요청에는 답할 수 없습니다. "
    "구청 업무(쓰레기 배출, 복지, 주차, 민원 서류, 행사 등)에 대해 궁금한 점을 물어 주시면 안내해 드리겠습니다.",
    "staff_data": "죄송합니다. 직원 개인정보, 내부 자료, 다른 주민의 문의 내용은 알려 드릴 수 없습니다. "
    "공개된 구청 안내에 대해 물어 주시거나, 필요한 경우 담당 부서에 문의해 주세요.",
    "abuse": "불편을 드려 죄송합니다. 불편하신 점을 구체적으로 적어 주시면 담당 부서를 안내해 드리겠습니다. "
    "'담당자에게 문의 남기기'로 의견을 남기실 수도 있습니다.",
    "crisis": "많이 힘드시군요. 혼자 견디지 마시고 지금 바로 자살예방상담전화 109(24시간) 또는 "
    "정신건강위기상담 1577-0199로 연락해 주세요. 생활이 어려우시면 구청 복지정책과(02-2600-1210)에서 "
    "긴급복지 지원을 상담받으실 수 있습니다.",
    "too_long": "질문이 너무 깁니다. 궁금하신 점을 {max}자 이내로 줄여서 다시 적어 주세요.",
    "empty": "궁금하신 점을 적어 주세요. 예: '음식물 쓰레기는 언제 버리나요?', '주민등록등본은 어디서 떼나요?'",
}


_INJECTION_PREFIX = "죄송합니다. 안내 규칙을 바꾸거나 내부 설정을 묻는 요청에는 답할 수 없습니다. 다만 공개된 안내는 다음과 같습니다."


def _screened(kind: str, cfg: CitizenSettings) -> ChatAnswer:
    dept, phone = cfg.default_department, cfg.default_phone
    if kind == "crisis":
        dept, phone = "복지정책과", "02-2600-1210"
    text = _SCREEN_TEXT[kind].format(max=MAX_MESSAGE)
    return ChatAnswer(
        answer=text + "\n\n" + _footer(dept, phone),
        department=dept,
        phone=phone,
        sources=[],
        escalate=kind in {"staff_data", "abuse"},
        kind=kind,
    )


def compose(
    index: GuidanceIndex,
    db: Database,
    message: str,
    screening: Screening,
    *,
    with_model: bool,
    district: str,
    masked: str,
    plan: FollowUp | None = None,
) -> ChatAnswer:
    """The answer to an already screened, non-empty message (no database writes).

    `plan` (ordinary questions only) says what to retrieve with: the message, or for a follow-up the
    borrowed topic words plus the message; `masked` is then the masked form of that query.
    """
    cfg = index.settings
    if screening.kind in {"crisis", "staff_data", "abuse"}:
        return _screened(screening.kind, cfg)
    topic = plan.topic_doc if plan is not None else None
    matches = index.search(plan.query if plan is not None else message, k=4)
    top = matches[0] if matches and matches[0].score >= cfg.min_confidence else None
    if screening.kind == "injection":
        # Public guidance is safe to give even to a manipulative message; nothing else is.
        refusal = _screened("injection", cfg)
        if top is None:
            return refusal
        ans = _from_guidance(top, related=[])
        ans.answer = _INJECTION_PREFIX + "\n\n" + ans.answer
        ans.kind = "injection"
        return ans
    related = [m for m in matches[1:4] if m.score >= cfg.min_confidence]
    passages: list[Passage] = []
    if top is None:
        passages = public_passages(db, masked)
    if with_model:
        # An entry missing the question's topic word is about something else: never ground an answer on it.
        grounded_on = [m for m in matches[:3] if m.score >= HINT_CONFIDENCE and not m.missing]
        text = grounded_answer(db, masked, grounded_on, passages, district=district)
        if text:
            if top is not None:
                ans = _from_guidance(top, text, related=related)
            else:
                dept, phone = _contact(matches, cfg, topic)
                ans = ChatAnswer(
                    answer=text + "\n\n" + _footer(dept, phone),
                    department=dept,
                    phone=phone,
                    sources=[m.doc.code for m in grounded_on] + [p.citation for p in passages],
                    escalate=True,
                    confidence=matches[0].score if matches else 0.0,
                    kind="model",
                )
            ans.via_model = True
            return ans
    if top is None:
        return _not_found(matches, passages, cfg, topic)
    return _from_guidance(top, related=related)


def ask(
    db: Database,
    message: str,
    *,
    session_id: str | None,
    client: str | None,
    secret: str,
    district: str = "가온구",
    now: datetime | None = None,
    seal_inline: bool = True,
    history: Sequence[Turn] | None = None,
) -> ChatAnswer:
    """Answer one public question end to end. Raises RateLimited (with a polite answer) when over the limit.

    `history` is the client's account of the previous turns (citizen questions and the guidance ids they
    got); it is only consulted for a follow-up question and only re-validated topic words are used.

    With seal_inline=False the caller seals the answer log itself when `answer.seal_due` (the web route
    does it after the response is sent, so no resident waits for it).
    """
    now = now or datetime.now(UTC)
    session_id = session_id if session_id and _SESSION.match(session_id) else secrets.token_urlsafe(12)
    message = (message or "").strip()
    index = get_index(db)
    cfg = index.settings
    who = client_hash(client, secret)
    limits = [Limit("chat-m", cfg.chat_per_minute, 60), Limit("chat-d", cfg.chat_per_day, 86400)]
    masked = mask_for_log(message[: MAX_MESSAGE * 2])

    if not message:
        screening, answer = Screening("empty"), _screened("empty", cfg)
    elif len(message) > MAX_MESSAGE:
        screening, answer = Screening("too_long"), _screened("too_long", cfg)
    else:
        screening = screen(message)
        answer = None
    plan, query_masked = None, masked
    if answer is None and screening.kind is None:
        plan = resolve(index, message, history)
        if plan.vague:
            answer = _clarify(index.search(message, k=4), cfg)
        elif plan.uses_history:
            query_masked = mask_for_log(plan.query[: MAX_MESSAGE * 2])
    with_model = answer is None and screening.kind is None and model_available(db)
    if with_model:
        # A model call is expensive: count the request before making it.
        with db.relaxed_engine.begin() as conn:
            allowed, over, count = hit(conn, who, limits, now=now.timestamp())
        if not allowed:
            raise _limited(db, over, count, who, cfg, session_id)
        limits = []
    if answer is None:
        answer = compose(
            index,
            db,
            message,
            screening,
            with_model=with_model,
            district=district,
            masked=query_masked,
            plan=plan,
        )
        if plan is not None and plan.uses_history:
            answer.context = list(plan.topic)
            topic = ", ".join(f"'{w}'" for w in plan.topic)
            answer.answer = f"앞서 물으신 {topic}에 관한 질문으로 이해했습니다.\n\n" + answer.answer
    if masked != message[: MAX_MESSAGE * 2]:
        answer.answer = (
            "개인정보(주민등록번호, 전화번호 등)는 이곳에 적지 않으셔도 됩니다. 기록에는 가려서 남깁니다.\n\n"
            + answer.answer
        )
    answer.session = session_id
    # The one per-request transaction: shared rate counter + answer log row, on a bare connection (no ORM).
    with db.relaxed_engine.begin() as conn:
        allowed, over, count = hit(conn, who, limits, now=now.timestamp()) if limits else (True, None, 0)
        if allowed:
            row_id = log_answer(
                conn,
                at=now,
                session_id=session_id,
                client_hash=who,
                question=masked,
                guidance_code=answer.guidance_code,
                department=answer.department,
                confidence=answer.confidence,
                outcome=screening.kind or answer.kind,
                escalate=answer.escalate,
                via_model=answer.via_model,
            )
    if allowed and screening.kind in {"injection", "staff_data", "abuse"}:
        with db.session() as s:
            record(
                s,
                actor="citizen",
                action=f"citizen.{screening.kind}",
                outcome="거부",
                target=session_id,
                client=who,
                detail={"reason": screening.reason, "question": masked[:200]},
            )
    if not allowed:
        raise _limited(db, over, count, who, cfg, session_id)
    answer.seal_due = row_id % SEAL_EVERY == 0
    if answer.seal_due and seal_inline:
        seal_answers(db)
    return answer


def _limited(
    db: Database, over: Limit | None, count: int, who: str, cfg: CitizenSettings, session_id: str
) -> RateLimited:
    seconds = over.seconds if over else 60
    if over is not None and count == over.max_count + 1:
        with db.session() as s:
            record(
                s,
                actor="citizen",
                action="citizen.rate_limited",
                outcome="거부",
                client=who,
                detail={"limit": over.name, "max": over.max_count, "seconds": over.seconds},
            )
    wait = "잠시" if seconds <= 60 else "내일"
    text = (
        f"질문이 짧은 시간에 너무 많이 들어왔습니다. {wait} 후에 다시 물어 주세요. "
        f"급한 문의는 {cfg.default_department}({cfg.default_phone})로 전화해 주세요."
    )
    ans = ChatAnswer(
        answer=text,
        department=cfg.default_department,
        phone=cfg.default_phone,
        sources=[],
        escalate=False,
        session=session_id,
        kind="rate_limited",
    )
    return RateLimited(ans, seconds)
