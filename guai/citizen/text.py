"""Text helpers for citizen questions: Kiwi search tokens, jamo strings for typo-tolerant matching."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

try:  # the public API of guai.korean; its submodules work the same while the package is being finished
    from guai.korean import normalize, tokens, tokens_batch
except ImportError:  # pragma: no cover - only while guai/korean/__init__.py is still empty
    from guai.korean.analyzer import tokens, tokens_batch
    from guai.korean.normalize import normalize

__all__ = ["jamo_string", "normalize", "query_tokens", "search_tokens_batch", "squash"]

_NOT_WORD = re.compile(r"[^0-9A-Za-z\uac00-\ud7a3]+")
# Everyday spellings Kiwi does not know as words; mapped before analysis so the stems still match.
# Only spelling variants live here; what a word *means* for guidance belongs in the guidance tags.
_SPELLING = {
    "쓰래기": "쓰레기", "쓰레끼": "쓰레기", "쓰렉": "쓰레기", "음쓰": "음식물쓰레기", "음식물쓰래기": "음식물쓰레기",
    "재활룡": "재활용", "재할용": "재활용", "분리수가": "분리수거", "등븐": "등본", "뜽본": "등본",
    "주차딱지": "주차 과태료", "딱지": "과태료", "과태로": "과태료", "주민쎈타": "주민센터", "주민센타": "주민센터",
    "동사무소": "주민센터", "동사무쏘": "주민센터", "수급짜": "수급자", "긴급복지지원": "긴급복지",
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


def search_tokens_batch(texts: Sequence[str]) -> list[list[str]]:
    return tokens_batch([fix_spelling(normalize(t)) for t in texts])


def jamo_string(text: str) -> str:
    """Hangul syllables split into jamo, spaces and punctuation dropped.

    A one-letter typo (쓰래기 for 쓰레기) changes one jamo instead of a whole syllable, so character
    n-grams over this string still overlap strongly.
    """
    return unicodedata.normalize("NFD", _NOT_WORD.sub("", normalize(text).lower()))
