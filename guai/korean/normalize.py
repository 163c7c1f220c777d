"""Text normalisation before analysis: Unicode NFKC, one whitespace style, joined spacing variants."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from itertools import product

from guai.korean._data import user_dictionary

__all__ = ["normalize", "spacing_variants"]

# NFKC maps Hangul *compatibility* jamo (ㅋ, ㅠ, the middle dot ㆍ in law titles) to conjoining jamo,
# which then compose into syllables ("ㅋㅏ" -> "카") and break ㅋㅋ/ㅠㅠ; those runs are kept as written.
_KEEP_AS_IS = re.compile(r"[\u3130-\u318f\uffa0-\uffdc]+")
# Invisible characters that split words for the analyser but carry nothing.
_INVISIBLE = re.compile(r"[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_AROUND_NEWLINE = re.compile(r" ?\n ?")
_MANY_NEWLINES = re.compile(r"\n{3,}")

# A compound with more split points than this gets no generated variants (2^k grows fast).
_MAX_SPLIT_POINTS = 4


def _nfkc(text: str) -> str:
    if unicodedata.is_normalized("NFKC", text):
        return text
    if not _KEEP_AS_IS.search(text):
        return unicodedata.normalize("NFKC", text)
    pieces: list[str] = []
    last = 0
    for match in _KEEP_AS_IS.finditer(text):
        pieces.append(unicodedata.normalize("NFKC", text[last : match.start()]))
        pieces.append(match.group())
        last = match.end()
    pieces.append(unicodedata.normalize("NFKC", text[last:]))
    return "".join(pieces)


def _unify_whitespace(text: str) -> str:
    text = _INVISIBLE.sub("", text)
    text = _LINE_BREAKS.sub("\n", text)
    text = _SPACES.sub(" ", text)
    text = _BLANK_AROUND_NEWLINE.sub("\n", text)
    text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip()


def spacing_variants(spaced: str) -> list[str]:
    """Every way to write `spaced` with at least one of its spaces kept ("개인형 이동 장치" -> 3 forms)."""
    parts = spaced.split(" ")
    gaps = len(parts) - 1
    if gaps == 0 or gaps > _MAX_SPLIT_POINTS:
        return []
    out: list[str] = []
    for choice in product(("", " "), repeat=gaps):
        if not any(choice):
            continue
        pieces = [parts[0]]
        for sep, part in zip(choice, parts[1:], strict=True):
            pieces.append(sep)
            pieces.append(part)
        out.append("".join(pieces))
    return out


def _trie_pattern(words: Iterable[str]) -> str:
    """One regex alternation factored as a trie, so matching costs one pass, not one per word."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def render(node: dict[str, dict]) -> str:
        ends_here = "" in node
        branches = [re.escape(ch) + render(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends_here:
            # Greedy optional: the longest dictionary form wins at each position.
            return "(?:" + body + ")?"
        return body

    return render(trie)


@cache
def _spacing_rules() -> tuple[re.Pattern[str] | None, dict[str, str]]:
    mapping: dict[str, str] = {}
    for entry in user_dictionary():
        for variant in spacing_variants(_unify_whitespace(_nfkc(entry.spaced))):
            mapping.setdefault(variant, entry.word)
    if not mapping:
        return None, mapping
    return re.compile(_trie_pattern(mapping)), mapping


def _join_spacing_variants(text: str) -> str:
    pattern, mapping = _spacing_rules()
    if pattern is None or " " not in text:
        return text
    return pattern.sub(lambda m: mapping[m.group()], text)


def normalize(text: str) -> str:
    """Normalise text for analysis and search: NFKC (Hangul jamo kept), one space style, joined compounds.

    Runs of spaces/tabs become one space, line breaks become "\\n" (at most one blank line), invisible
    characters are dropped, and spaced forms of user-dictionary compounds are joined
    ("전동 킥보드" -> "전동킥보드", "개인형 이동 장치" -> "개인형이동장치"). Idempotent.
    """
    if not text:
        return ""
    return _join_spacing_variants(_unify_whitespace(_nfkc(text)))
