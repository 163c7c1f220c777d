"""answer(): a cited answer to a question, or a plain "no basis found" — never a guess.

Without a model the answer is extractive: the sentences of the best articles that share most of the question's
words, each with its exact citation (down to 항/호). With a chat model the answer is written from the retrieved
sources only; every sentence must end with a citation in brackets that exists among those sources — sentences
citing anything else, or nothing, are dropped and listed in `flagged`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from guai.db.engine import Database
from guai.db.models.auth import User
from guai.knowledge.citations import citation_matches, position_citation
from guai.knowledge.expand import plan_query
from guai.knowledge.search import SearchHit, search_plan
from guai.knowledge.textproc import tokens_many

log = logging.getLogger("guai.knowledge")

#: The best hit must contain at least this share (idf-weighted) of the question's words to count as a basis.
MIN_COVERAGE = 0.5
#: Sentences in an extractive answer.
MAX_SENTENCES = 3

NO_BASIS = (
    "질문과 관련된 근거를 찾지 못했습니다. 검색할 수 있는 법령·지침에 해당 내용이 없거나 표현이 다를 수 "
    "있습니다. 다른 낱말로 다시 검색하거나 담당 부서에 문의해 주세요."
)

_NOTE = re.compile(r"\s*<(?:개정|신설|전문개정|본조신설|종전|제목개정|시행일)[^>]*>")
_SENT_SPLIT = re.compile(r"(?<=[다음함됨임]\.)\s+|\n+")
_BRACKET = re.compile(r"\[([^\[\]]{2,120})\]")


@dataclass
class AnswerSentence:
    text: str
    citation: str
    url: str


@dataclass
class Answer:
    question: str
    text: str
    found: bool
    mode: str  # "extractive" | "model" | "none"
    sentences: list[AnswerSentence] = field(default_factory=list)
    hits: list[SearchHit] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)
    note: str | None = None

    def as_dict(self) -> dict:
        return {
            "question": self.question,
            "answer": self.text,
            "found": self.found,
            "mode": self.mode,
            "sentences": [{"text": s.text, "citation": s.citation, "url": s.url} for s in self.sentences],
            "sources": [h.as_dict() for h in self.hits],
            "flagged": self.flagged,
            "note": self.note,
        }


def answer(
    db: Database,
    question: str,
    *,
    user: User | None = None,
    public_only: bool = False,
    collections: list[str] | None = None,
    top: int = 5,
    use_model: bool | None = None,
) -> Answer:
    """Answer `question` from the collections the caller may see; `use_model=False` forces the extractive path."""
    plan = plan_query(question)
    hits = search_plan(db, plan, user=user, public_only=public_only, top=top, collections=collections)
    relevant = [h for h in hits if h.coverage >= MIN_COVERAGE * 0.6]
    if not hits or max(h.coverage for h in hits) < MIN_COVERAGE:
        return Answer(question, NO_BASIS, found=False, mode="none", hits=hits)
    if use_model is not False and _chat_available(db):
        result = _model_answer(db, question, relevant or hits, user)
        if result is not None:
            return result
        fallback = extractive(question, plan, relevant or hits)
        fallback.note = "AI 모델의 답에서 확인된 인용을 얻지 못해 조문 발췌로 답합니다."
        return fallback
    return extractive(question, plan, relevant or hits)


def _clean(sentence: str) -> str:
    """Without amendment notes and the leading 항/호 marker (the citation already names them)."""
    text = _NOTE.sub("", sentence).strip()
    return re.sub(r"^(?:[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf]|\d+(?:의\d+)?\.)\s*", "", text)


def _article_base(hit: SearchHit) -> tuple[str, bool]:
    if hit.kind == "article" and hit.article_key:
        return f"{hit.doc_title} {hit.article_key}", True
    return hit.citation, False


def extractive(question: str, plan, hits: list[SearchHit]) -> Answer:  # type: ignore[no-untyped-def]
    """Best sentences of the hits by overlap with the question's words (and their expansions)."""
    wanted = set(plan.tokens) | set(plan.extra)
    candidates: list[tuple[int, int, str, SearchHit]] = []  # (hit rank, offset, sentence, hit)
    for rank, hit in enumerate(hits[:3]):
        text = hit.text
        first_break = text.find("\n")
        body_start = first_break + 1 if hit.kind == "article" and first_break > 0 else 0
        pos = body_start
        for piece in _SENT_SPLIT.split(text[body_start:]):
            offset = text.find(piece, pos)
            pos = max(pos, offset + len(piece)) if offset >= 0 else pos
            cleaned = _clean(piece)
            if len(cleaned) >= 8 and offset >= 0:
                candidates.append((rank, offset, cleaned, hit))
    if not candidates:
        return Answer(question, NO_BASIS, found=False, mode="none", hits=hits)
    token_lists = tokens_many([c[2] for c in candidates])
    scored = []
    for (rank, offset, sentence, hit), toks in zip(candidates, token_lists, strict=True):
        overlap = len(wanted & set(toks))
        if overlap == 0:
            continue
        scored.append((overlap - 0.3 * rank, rank, offset, sentence, hit))
    if not scored:
        scored = [(0.0, c[0], c[1], c[2], c[3]) for c in candidates[:1]]
    best = sorted(scored, key=lambda x: -x[0])[:MAX_SENTENCES]
    best.sort(key=lambda x: (x[1], x[2]))
    sentences = []
    for _, _rank, offset, sentence, hit in best:
        base, article_level = _article_base(hit)
        cite = (
            position_citation(base, hit.text, offset + 1, article_level=article_level)
            if article_level
            else hit.citation
        )
        sentences.append(AnswerSentence(sentence, cite, hit.url))
    lines = ["검색된 조문에서 질문과 관련된 부분입니다 (AI 모델 없이 원문을 그대로 옮겼습니다)."]
    lines += [f"{i}. {s.text} ({s.citation})" for i, s in enumerate(sentences, start=1)]
    return Answer(question, "\n".join(lines), found=True, mode="extractive", sentences=sentences, hits=hits)


def _chat_available(db: Database) -> bool:
    try:
        from guai.llm import get_gateway

        return get_gateway(db).available("chat")
    except Exception as exc:  # a broken provider table must not break answers
        log.warning("chat availability check failed: %s", exc)
        return False


SYSTEM_PROMPT = (
    "당신은 구청 직원과 시민에게 법령·조례·지침을 안내하는 도우미입니다. 아래 [근거]에 있는 내용만 사용해 "
    "한국어로 짧게 답하세요. 모든 문장 끝에 그 문장의 근거 인용을 대괄호로 붙이세요 (예: [도로교통법 제50조제4항]). "
    "인용은 [근거]에 적힌 인용이나 그 조의 항·호만 쓸 수 있습니다. [근거]로 답할 수 없으면 "
    "'근거를 찾지 못했습니다.'라고만 답하세요. 추측하지 마세요."
)


def _model_answer(db: Database, question: str, hits: list[SearchHit], user: User | None) -> Answer | None:
    from guai.llm import LLMError, get_gateway

    sources = "\n\n".join(
        f"[근거 {i}] 인용: {h.citation}\n{_clean(h.text)[:1500]}" for i, h in enumerate(hits, 1)
    )
    messages = [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": f"[근거]\n{sources}\n\n[질문]\n{question}"},
    ]
    try:
        result = get_gateway(db).chat(messages, user=user, purpose="knowledge.answer", temperature=0.0)
    except LLMError as exc:
        log.warning("model answer failed: %s", exc)
        return None
    return check_model_answer(question, result.text, hits)


def check_model_answer(question: str, text: str, hits: list[SearchHit]) -> Answer | None:
    """Keep only sentences whose every bracketed citation exists among the hits; None if nothing survives."""
    available = [h.citation for h in hits] + [_article_base(h)[0] for h in hits]
    by_cite = {h.citation: h for h in hits} | {_article_base(h)[0]: h for h in hits}
    if "근거를 찾지 못했습니다" in text:
        return Answer(question, NO_BASIS, found=False, mode="model", hits=hits)
    kept: list[AnswerSentence] = []
    flagged: list[str] = []
    for sentence in (s.strip() for s in re.split(r"(?<=[.!?。\]])\s+|\n+", text)):
        if not sentence or sentence in ("-", "*"):
            continue
        claims = _BRACKET.findall(sentence)
        if not claims:
            if len(sentence) > 15:
                flagged.append(sentence)
            continue
        matched = [citation_matches(c, available) for c in claims]
        if any(m is None for m in matched):
            flagged.append(sentence)
            continue
        hit = by_cite[matched[0]]  # type: ignore[index]
        kept.append(AnswerSentence(_BRACKET.sub("", sentence).strip(), claims[0].strip(), hit.url))
    if not kept:
        return None
    body = "\n".join(f"{s.text} [{s.citation}]" for s in kept)
    note = None
    if flagged:
        note = f"근거 인용을 확인할 수 없는 문장 {len(flagged)}개를 답에서 뺐습니다."
    return Answer(
        question, body, found=True, mode="model", sentences=kept, hits=hits, flagged=flagged, note=note
    )
