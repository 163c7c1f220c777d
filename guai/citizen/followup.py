"""Follow-up questions: "대형폐기물 어떻게 버려요?" then "수수료는요?" — the second one borrows the first one's topic.

A question is a follow-up when it names no topic of its own: after removing verbs, question words and the
words that ask about an *aspect* of some service (수수료, 인터넷, 언제까지, 어디서, 신청, 대리인 …) no
content word is left. Starting with 그럼/그건 does not by itself make a follow-up: "그럼 냉장고는요?" names
냉장고 and is answered on its own, history ignored.

History is what the client says the previous turns were, so none of it is trusted: only the last
MAX_TURNS citizen questions are looked at, each must pass the same safety screening as a new question
(an injection or a request for staff data drops that turn), and a guidance id must be an entry of the
public index (active and valid) or the whole turn is dropped. From a surviving turn only its *topic words*
(Kiwi tokens) are taken — never the previous answer text — and only words the public guidance itself uses
(so names, stray text and unknown words are not carried over or echoed back). They are prepended to the
new question for retrieval. History therefore adds at most a few search words the resident could have
typed themselves; confidence and escalation are decided exactly as for a typed question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from guai.citizen.index import GuidanceDoc, GuidanceIndex
from guai.citizen.safety import MAX_MESSAGE, mask_for_log, screen
from guai.citizen.text import GENERIC_NOUNS, fix_spelling, query_tokens
from guai.korean import analyze, normalize

__all__ = ["MAX_TURNS", "FollowUp", "Turn", "is_followup", "resolve", "topic_words"]

#: How many previous turns are considered (most recent first); the API accepts a few more and drops them.
MAX_TURNS = 2
#: At most this many topic words are borrowed from history, each at most MAX_WORD characters.
MAX_TOPIC_WORDS = 4
MAX_WORD = 20

#: Words that ask about an aspect of whatever was discussed (its cost, channel, time, place, paperwork,
#: who may go), plus pronouns and question words. A question made only of these has no topic of its own.
#: Unlike citizen.text.ASPECT_NOUNS this leaves out 서류, 종류, 규격 …: "주말에 서류 뗄 수 있는 곳" stands alone.
FOLLOWUP_WORDS = frozenset(
    {
        # cost
        "수수료", "요금", "얼마", "얼마나", "돈", "무료", "유료", "공짜", "할인", "감면", "면제", "환불",
        "결제", "카드", "현금", "계좌", "이체", "납부",
        # channel
        "인터넷", "온라인", "누리집", "홈페이지", "사이트", "앱", "어플", "핸드폰", "휴대폰",
        "전화", "전화번호", "번호", "연락처", "방문", "직접", "우편", "팩스",
        # what to do, who
        "신청", "신고", "예약", "접수", "발급", "취소", "변경", "연장", "제출", "처리", "결과", "절차",
        "순서", "조건", "자격", "준비물", "가능", "필요", "확인", "대리", "대리인", "위임", "위임장",
        "비용", "가격", "금액", "기간", "기한", "시간",
        # when, where
        "언제", "언제까지", "마감", "주말", "토요일", "일요일", "공휴일", "휴일", "평일", "야간", "밤",
        "오전", "오후", "점심", "어디", "어디서", "곳", "데", "위치", "장소",
        # pronouns, question words, fillers
        "그거", "그것", "그건", "이거", "이것", "저거", "저것", "거기", "여기", "거", "것", "수", "때",
        "번", "뭐", "무엇", "무슨", "어떻게", "왜", "몇", "다른", "다음", "또", "혹시", "그럼", "그러면",
        "그리고", "그런데", "근데", "그래서",
    }
)  # fmt: skip
_VERB_TAGS = ("VV", "VA", "VX", "VCP", "VCN")
_WORD = re.compile(r"^[0-9A-Za-z\uac00-\ud7a3]+$")


@dataclass(frozen=True, slots=True)
class Turn:
    """One previous turn as the client remembers it: the citizen's question and the guidance id answered."""

    question: str
    guidance: str | None = None


@dataclass(frozen=True, slots=True)
class FollowUp:
    """How to retrieve for a question: `query` is the question, or the borrowed topic words plus it."""

    query: str
    #: The question names no topic of its own (answerable only with context).
    followup: bool
    #: Topic words borrowed from history (empty when history was not used).
    topic: tuple[str, ...] = ()
    #: The validated public guidance entry of the turn the topic came from, if that turn had one.
    topic_doc: GuidanceDoc | None = None

    @property
    def uses_history(self) -> bool:
        return bool(self.topic)

    @property
    def vague(self) -> bool:
        """A follow-up with no usable history: answering it alone would be a guess."""
        return self.followup and not self.topic


@lru_cache(maxsize=4096)
def topic_words(text: str) -> tuple[str, ...]:
    """The content words of a question that name what it is about (nouns, not aspect or question words).

    Unlike citizen.text.key_terms, single-syllable nouns (옷, 약, 차) and action nouns (견인) count: "헌옷
    버릴 곳" has a topic. Cached: this runs on every public question.
    """
    fixed = fix_spelling(normalize(text))
    verbs = {m.form for m in analyze(fixed) if m.tag.split("-", 1)[0] in _VERB_TAGS}
    return tuple(
        t
        for t in dict.fromkeys(query_tokens(text))
        if t not in verbs and t not in FOLLOWUP_WORDS and t not in GENERIC_NOUNS
    )


def is_followup(text: str) -> bool:
    """Whether a (non-empty) question names no topic of its own, so it needs the previous turn."""
    return bool(text.strip()) and not topic_words(text)


def _doc(index: GuidanceIndex, code: str) -> GuidanceDoc | None:
    # The index holds exactly the active, currently valid (public) entries.
    return next((d for d in index.docs if d.code == code), None)


def _safe_words(index: GuidanceIndex, words: Sequence[str]) -> tuple[str, ...]:
    """Words fit to borrow and to show back: plain, short, used by the public guidance, no personal data."""
    out = [
        w for w in words if _WORD.match(w) and len(w) <= MAX_WORD and index.knows(w) and mask_for_log(w) == w
    ]
    # A lone syllable is often a misread dialect ending (버릴라카는데 → 카); keep one only if nothing longer.
    longer = [w for w in out if len(w) >= 2]
    return tuple((longer or out)[:MAX_TOPIC_WORDS])


def _turn_topic(index: GuidanceIndex, turn: Turn) -> tuple[tuple[str, ...], GuidanceDoc | None] | None:
    """The topic words of one claimed previous turn, or None when the turn must be ignored."""
    question = (turn.question or "").strip()
    if len(question) > MAX_MESSAGE or screen(question).kind is not None:
        return None
    doc = None
    if turn.guidance:
        doc = _doc(index, turn.guidance.strip())
        if doc is None:  # unknown, withdrawn or expired entry: a forged or stale turn
            return None
    words = _safe_words(index, topic_words(question)) if question else ()
    if not words and doc is not None:
        # The previous question was itself a follow-up ("수수료는요?") or worded unlike the guidance:
        # the entry it got names the topic.
        words = _safe_words(index, topic_words(doc.question))
    return (words, doc) if words else None


def resolve(index: GuidanceIndex, message: str, history: Sequence[Turn] | None) -> FollowUp:
    """Decide how to retrieve for `message` (already screened) given the claimed previous turns."""
    if not is_followup(message):
        return FollowUp(message, followup=False)
    for turn in reversed(list(history or [])[-MAX_TURNS:]):
        found = _turn_topic(index, turn)
        if found is not None:
            words, doc = found
            return FollowUp(" ".join(words) + " " + message, followup=True, topic=words, topic_doc=doc)
    return FollowUp(message, followup=True)
