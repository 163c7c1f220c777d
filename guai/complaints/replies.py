"""The gist of official replies: the most central substantive sentence across a group's replies.

Replies repeat courtesy formulas ("관심을 가져 주셔서 감사합니다", "문의 사항은 ☎ ... 연락") and a
board header ("[답변일자] ... [답변내용] :"); those are dropped, the remaining sentences are compared
by character bigrams and the one most similar to all others is taken (extractive: traceable).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_HEADER = re.compile(r"^.*?\[답변내용\]\s*:?\s*", re.S)
_SPLIT = re.compile(
    r"(?<=[다요음함임됨]\.)\s+|(?<=[다요]\.)(?=\d+\.)|\n+|(?:^|\s)(?=\d{1,2}\.\s)|(?:^|\s)(?=[가-하]\.\s)"
)
_BULLET = re.compile(r"^\s*(?:\d{1,2}|[가-하]|[①-⑳]|[-○◦ㅇ•※□■▶])[.)]?\s*")
_COURTESY = (
    "감사",
    "관심",
    "문의",
    "연락",
    "양해",
    "이해하여",
    "이해해",
    "행복",
    "건강",
    "☎",
    "[전화]",
    "답변 드립",
    "답변드립",
    "귀하의",
    "귀하께서",
    "안녕",
    "노고",
    "협조 부탁",
    "끝.",
    "이해됩니다",
    "신청하신 민원",
    "답변일",
)


def sentences(reply: str) -> list[str]:
    """Substantive sentences of one reply (header, numbering and courtesy formulas removed)."""
    text = _HEADER.sub("", reply or "")
    out = []
    for piece in _SPLIT.split(text):
        piece = _BULLET.sub("", piece or "").strip()
        if len(piece) < 12 or any(word in piece for word in _COURTESY):
            continue
        out.append(piece[:220])
    return out


def _bigrams(text: str) -> set[str]:
    compact = re.sub(r"\s+", "", text)
    return {compact[i : i + 2] for i in range(len(compact) - 1)}


def gist(replies: Sequence[str], limit: int = 1) -> str | None:
    """The `limit` most representative sentences over all replies, or None when there are none."""
    pool = [s for reply in replies for s in sentences(reply)]
    if not pool:
        return None
    grams = [_bigrams(s) for s in pool]
    scores = []
    for i, gi in enumerate(grams):
        total = 0.0
        for j, gj in enumerate(grams):
            if i != j and gi and gj:
                total += len(gi & gj) / len(gi | gj)
        # Prefer sentences of a readable length when centrality ties.
        scores.append((total, -abs(len(pool[i]) - 70), i))
    chosen: list[str] = []
    for _, _, i in sorted(scores, reverse=True):
        if all(
            len(_bigrams(pool[i]) & _bigrams(c)) / max(len(_bigrams(pool[i]) | _bigrams(c)), 1) < 0.5
            for c in chosen
        ):
            chosen.append(pool[i])
        if len(chosen) >= limit:
            break
    return " / ".join(chosen)
