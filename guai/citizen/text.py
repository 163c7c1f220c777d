"""Text helpers for citizen questions: Kiwi search tokens, jamo strings for typo-tolerant matching."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from guai.korean import analyze, normalize, tokens, tokens_batch

__all__ = [
    "jamo_distance",
    "jamo_string",
    "key_terms",
    "normalize",
    "query_tokens",
    "search_tokens_batch",
    "squash",
]

_NOT_WORD = re.compile(r"[^0-9A-Za-z\uac00-\ud7a3]+")
# Everyday spellings Kiwi does not know as words; mapped before analysis so the stems still match.
# Only spelling variants live here; what a word *means* for guidance belongs in the guidance tags.
_SPELLING = {
    "쓰래기": "쓰레기",
    "쓰레끼": "쓰레기",
    "쓰렉": "쓰레기",
    "음쓰": "음식물쓰레기",
    "음식물쓰래기": "음식물쓰레기",
    "재활룡": "재활용",
    "재할용": "재활용",
    "분리수가": "분리수거",
    "등븐": "등본",
    "뜽본": "등본",
    "주차딱지": "주차 과태료",
    "딱지": "과태료",
    "과태로": "과태료",
    "주민쎈타": "주민센터",
    "주민센타": "주민센터",
    "동사무소": "주민센터",
    "동사무쏘": "주민센터",
    "수급짜": "수급자",
    "긴급복지지원": "긴급복지",
}
_SPELLING_RE = re.compile("|".join(sorted(map(re.escape, _SPELLING), key=len, reverse=True)))


def squash(text: str) -> str:
    """Lower-case letters and Hangul only, no spaces: the key for grouping and caching questions."""
    return _NOT_WORD.sub("", normalize(text).lower())


def fix_spelling(text: str) -> str:
    return _SPELLING_RE.sub(lambda m: _SPELLING[m.group()], text)


def query_tokens(text: str) -> list[str]:
    """Search tokens of a resident's question after everyday spellings are mapped to standard ones."""
    return tokens(fix_spelling(normalize(text)))


#: Nouns residents add around the topic of a question that never name a topic themselves (people, time,
#: place words, fillers). A question is not "about" 엄마 or 오늘, so an entry need not mention them.
GENERIC_NOUNS = frozenset(
    {
        "엄마",
        "아빠",
        "어머니",
        "아버지",
        "어머님",
        "아버님",
        "할머니",
        "할아버지",
        "부모",
        "부모님",
        "아들",
        "딸",
        "남편",
        "아내",
        "와이프",
        "애",
        "아이",
        "애들",
        "아이들",
        "가족",
        "친구",
        "동생",
        "형",
        "누나",
        "언니",
        "오빠",
        "본인",
        "저희",
        "우리",
        "사람",
        "분",
        "누구",
        "오늘",
        "내일",
        "어제",
        "지금",
        "요즘",
        "이번",
        "다음",
        "올해",
        "작년",
        "내년",
        "이번주",
        "주말",
        "평일",
        "아침",
        "저녁",
        "밤",
        "낮",
        "하루",
        "이틀",
        "사흘",
        "나흘",
        "며칠",
        "몇일",
        "일주일",
        "한달",
        "매일",
        "옆",
        "앞",
        "뒤",
        "근처",
        "여기",
        "거기",
        "어디",
        "정도",
        "문의",
        "질문",
        "궁금",
        "방법",
        "때문",
        "경우",
        "관련",
        "내용",
        "공짜",
    }
)
#: Nouns that ask about an aspect of the topic (its cost, time, documents, differences) rather than name it:
#: an entry on the right topic answers them even when it does not use the very word.
ASPECT_NOUNS = frozenset(
    {
        "차이",
        "규격",
        "기준",
        "조건",
        "절차",
        "순서",
        "종류",
        "기간",
        "기한",
        "비용",
        "가격",
        "금액",
        "시간",
        "장소",
        "위치",
        "서류",
        "준비물",
        "자격",
        "이유",
        "뜻",
        "의미",
        "가능",
        "필요",
        "확인",
        "문제",
        "상황",
        "크기",
        "사이즈",
    }
)
_PREDICATE_TAGS = ("VV", "VA")
_NOUN_TAGS = ("NNG", "NNP")
_DERIVING_TAGS = ("XSV", "XSA")


def key_terms(text: str, toks: Sequence[str] | None = None) -> list[str]:
    """The topic words of a question: its search tokens minus verb/adjective stems, action nouns used as
    verbs, single syllables, GENERIC_NOUNS and ASPECT_NOUNS, in order of appearance ("외국인 등록증 갱신하려면" -> 외국인, 등록증, 갱신).

    An entry that leaves one of these uncovered answers a different question (see GuidanceIndex).
    `toks` are the question's query_tokens when the caller has them already (saves a Kiwi pass).
    """
    fixed = fix_spelling(normalize(text))
    morphs = analyze(fixed)
    skip = {m.form for m in morphs if m.tag.split("-", 1)[0] in _PREDICATE_TAGS}
    # Action nouns used as verbs (걱정돼요, 요청하고) say what the resident does, not what it is about.
    skip.update(
        m.form
        for m, nxt in zip(morphs, morphs[1:], strict=False)
        if m.tag in _NOUN_TAGS and nxt.tag.startswith(_DERIVING_TAGS) and nxt.start == m.end
    )
    return [
        t
        for t in dict.fromkeys(tokens(fixed) if toks is None else toks)
        if len(t) >= 2 and t not in skip and t not in GENERIC_NOUNS and t not in ASPECT_NOUNS
    ]


def search_tokens_batch(texts: Sequence[str]) -> list[list[str]]:
    return tokens_batch([fix_spelling(normalize(t)) for t in texts])


def jamo_string(text: str) -> str:
    """Hangul syllables split into jamo, spaces and punctuation dropped.

    A one-letter typo (쓰래기 for 쓰레기) changes one jamo instead of a whole syllable, so character
    n-grams over this string still overlap strongly.
    """
    return unicodedata.normalize("NFD", _NOT_WORD.sub("", normalize(text).lower()))


def jamo_distance(a: str, b: str) -> int:
    """Levenshtein distance between the jamo strings of two short words (typo tolerance for coverage)."""
    x, y = jamo_string(a), jamo_string(b)
    prev = list(range(len(y) + 1))
    for i, cx in enumerate(x, 1):
        cur = [i]
        for j, cy in enumerate(y, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (cx != cy)))
        prev = cur
    return prev[-1]
