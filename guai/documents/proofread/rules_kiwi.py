"""High-confidence spacing errors found with Kiwi: 의존 명사 and 보조 용언 written together with the word before."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from guai.documents.proofread.engine import DECREE, Context, Finding, rule

# 의존 명사 after a 관형사형 어미 are always written apart (한글 맞춤법 제42항): 할 수, 하는 것, 할 줄.
_BOUND_NOUNS = {"것", "수", "줄", "리", "뿐", "만큼", "대로", "채", "척", "때문"}
# -어야/-지/-고 + 보조 용언 are always written apart (제47항 allows joining only after -아/-어).
_AUX_AFTER = {"어야", "아야", "여야", "지", "고"}
_AUX = {"하", "않", "있", "말", "싶", "되"}
# Whole words Kiwi may read as 관형사형 + 의존 명사 although they are single words.
_SINGLE_WORDS = {"이른바", "이를테면", "한바탕", "할수록", "그럴수록", "갈수록", "될수록", "클수록", "볼수록"}


# Only lines where a 의존 명사 or 보조 용언 touches the word before can hold these errors; the rest skip Kiwi.
_CANDIDATE = re.compile(
    r"[가-힣](?:것|수|줄|리|뿐|만큼|대로|채|척|때문)|[야지고](?:하|한|할|합|해|했|않|있|말|싶|되|된|될|돼)"
)


def _analyze_many(lines: list[str]) -> list[list[Any]] | None:
    """Morphemes (form, tag, start, end) of each line, analysed in one Kiwi batch; None without Kiwi."""
    try:
        from guai.korean import get_kiwi
    except ImportError:  # Korean analysis not installed: this rule stays silent
        return None
    kiwi = get_kiwi()
    return [list(tokens) for tokens in kiwi.tokenize(lines)]


def _word_at(text: str, pos: int) -> str:
    start = pos
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    end = pos
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end].strip(".,!?\"'()")


@rule("KIWI-SPACING", "띄어쓰기(의존 명사·보조 용언)", f"{DECREE} 제7조제1항 (한글 맞춤법 제42항·제47항)")
def check_spacing(ctx: Context) -> Iterator[Finding | None]:
    todo = [(offset, line) for offset, line in ctx.lines() if _CANDIDATE.search(line)]
    if not todo:
        return
    analysed = _analyze_many([line for _, line in todo])
    if analysed is None:
        return
    for (offset, line), morphs in zip(todo, analysed, strict=True):
        for i, (prev, cur) in enumerate(zip(morphs, morphs[1:], strict=False)):
            after = morphs[i + 2] if i + 2 < len(morphs) else None
            if after is not None and after.tag in ("XSV", "XSA", "XSN") and after.start == cur.end:
                continue  # 의존 명사 followed by a derivational suffix: Kiwi misread a single word (친수하여)
            if (
                prev.end != cur.start
                or cur.start == 0
                or cur.start >= len(line)
                or line[cur.start - 1].isspace()
            ):
                continue
            bound = prev.tag in ("ETM", "ETN") and cur.tag == "NNB" and cur.form in _BOUND_NOUNS
            if prev.tag == "ETN" and cur.form != "때문":
                bound = False
            aux = prev.tag == "EC" and prev.form in _AUX_AFTER and cur.tag == "VX" and cur.form in _AUX
            if not (bound or aux):
                continue
            if _word_at(line, cur.start) in _SINGLE_WORDS:
                continue
            pos = offset + cur.start
            kind = "의존 명사" if bound else "보조 용언"
            yield ctx.finding("KIWI-SPACING", pos, pos, f"{kind} '{cur.form}'은(는) 앞말과 띄어 씁니다.", " ")
