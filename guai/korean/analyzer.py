"""One shared Kiwi analyser per process: search tokens, morphemes, sentences and spacing for every feature."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from guai.korean._data import pre_analyzed_words, user_dictionary
from guai.korean.normalize import normalize

if TYPE_CHECKING:  # kiwipiepy is imported lazily: importing guai.korean must not load the model.
    from kiwipiepy import Kiwi, Token

__all__ = [
    "KIWI_WORKERS",
    "Morpheme",
    "Sentence",
    "analyze",
    "get_kiwi",
    "split_sentences",
    "space_text",
    "tokens",
    "tokens_batch",
]

#: Worker threads for Kiwi's batch API (DESIGN.md: two workers ≈ 135k chars/s on two cores).
KIWI_WORKERS = 2

#: Texts per call to Kiwi's batch API; bounds memory on large imports without slowing it down.
DEFAULT_BATCH_SIZE = 512

# Content tags kept as search tokens. Verb/adjective stems are kept without "다" ("버리", "깨지").
_NOUN_TAGS = frozenset({"NNG", "NNP", "XR", "SN", "SH"})
_FOREIGN_TAG = "SL"
_PREDICATE_TAGS = frozenset({"VV", "VA"})
_PREFIX_TAG = "XPN"
_PREFIXABLE_TAGS = frozenset({"NNG", "NNP", "XR"})
# Pieces that may be re-joined into a user-dictionary word (보안/등(NNB), 개인/형(XSN), 코로나/19(SN)).
_JOINABLE_TAGS = frozenset({"NNG", "NNP", "NNB", "XPN", "XSN", "XR", "SN"})
_MAX_PIECES = 8
# Stems so common that they only add noise to search and clustering ("하다", "있다", "되다", and
# "나다" as in 고장나다/소리나다).
_STOP_STEMS = frozenset(
    {"하", "되", "있", "없", "않", "같", "이", "아니", "그렇", "이렇", "어떻", "저렇", "나"}
)


@dataclass(frozen=True, slots=True)
class Morpheme:
    """One morpheme: its form, Kiwi tag, and [start, end) character offsets into the analysed text."""

    form: str
    tag: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: `text == original[start:end]`."""

    text: str
    start: int
    end: int


class _Shared:
    """Holds the process's Kiwi; rebuilt after fork because Kiwi's worker threads do not survive it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.kiwi: Kiwi | None = None
        self.pid = -1


_shared = _Shared()


def _build_kiwi() -> Kiwi:
    from kiwipiepy import Kiwi

    kiwi = Kiwi(num_workers=KIWI_WORKERS)
    for entry in user_dictionary():
        kiwi.add_user_word(entry.word, entry.tag, entry.score)
    for pre in pre_analyzed_words():
        kiwi.add_pre_analyzed_word(pre.surface, list(pre.pieces), pre.score)
    return kiwi


def get_kiwi() -> Kiwi:
    """The process-wide Kiwi with guai's user dictionary, loaded on first use (≈1.3 s)."""
    kiwi, pid = _shared.kiwi, _shared.pid
    if kiwi is not None and pid == os.getpid():
        return kiwi
    with _shared.lock:
        if _shared.kiwi is None or _shared.pid != os.getpid():
            _shared.kiwi = _build_kiwi()
            _shared.pid = os.getpid()
        return _shared.kiwi


@cache
def _compounds() -> tuple[frozenset[str], frozenset[str]]:
    """User-dictionary words and all their prefixes, for re-joining pieces Kiwi split in context."""
    words = frozenset(entry.word for entry in user_dictionary())
    prefixes = frozenset(word[:n] for word in words for n in range(1, len(word) + 1))
    return words, prefixes


def _join_compound(analysed: Sequence[Token], i: int) -> tuple[str, int] | None:
    """The longest dictionary word spelled by the touching pieces from `i` on, and its last index."""
    words, prefixes = _compounds()
    tok = analysed[i]
    form = tok.form
    if tok.tag not in _JOINABLE_TAGS or form not in prefixes:
        return None
    best: tuple[str, int] | None = None
    end = tok.end
    for j in range(i + 1, min(len(analysed), i + _MAX_PIECES)):
        nxt = analysed[j]
        if nxt.start != end or nxt.tag not in _JOINABLE_TAGS:
            break
        form += nxt.form
        end = nxt.end
        if form in words:
            best = (form, j)
        if form not in prefixes:
            break
    return best


def _search_tokens(analysed: Sequence[Token]) -> list[str]:
    out: list[str] = []
    i = 0
    count = len(analysed)
    while i < count:
        tok = analysed[i]
        # Kiwi's language model sometimes splits a dictionary word before another noun
        # ("불법주차 차량" -> 불법/주차/차량); touching pieces that spell one are joined back.
        joined = _join_compound(analysed, i)
        if joined is not None:
            out.append(joined[0])
            i = joined[1] + 1
            continue
        tag = tok.tag
        if tag in _NOUN_TAGS:
            out.append(tok.form)
        elif tag == _FOREIGN_TAG:
            out.append(tok.form.lower())
        elif tag == _PREFIX_TAG:
            # Prefixes change meaning (불+친절, 무+허가, 재+개발): keep them on the noun they attach to.
            if i + 1 < count:
                nxt = analysed[i + 1]
                if nxt.start == tok.end and nxt.tag in _PREFIXABLE_TAGS:
                    out.append(tok.form + nxt.form)
                    i += 1
        else:
            # Irregular stems carry a suffix ("VV-I" for 걷 in 걸어서); the form is already the lemma.
            base = tag.split("-", 1)[0]
            if base in _PREDICATE_TAGS and tok.form not in _STOP_STEMS:
                out.append(tok.form)
        i += 1
    return out


def tokens(text: str) -> list[str]:
    """Search tokens of `text`: content morphemes after `normalize()`, dictionary compounds kept whole.

    Nouns (NNG/NNP), roots (XR), numbers (SN) and Hanja (SH) as written; Latin words (SL) lowercased
    ("CCTV" -> "cctv"); verb and adjective stems without "다" ("깨졌어요" -> "깨지", irregular "걸어서" ->
    "걷"), minus very common ones (하, 되, 있, 없 ...). A prefix stays on its noun ("불친절", "무허가",
    "재개발"), and pieces Kiwi split off a user-dictionary word are joined back ("불법주차 차량").
    Particles, endings, suffixes (들, 적), adverbs, pronouns and symbols are dropped.
    """
    norm = normalize(text)
    if not norm:
        return []
    return _search_tokens(get_kiwi().tokenize(norm))


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def tokens_batch(texts: Sequence[str], batch_size: int = DEFAULT_BATCH_SIZE) -> list[list[str]]:
    """`tokens()` for many texts at once through Kiwi's multi-threaded batch API; same results, in order."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    kiwi = get_kiwi()
    out: list[list[str]] = []
    for chunk in _chunks(texts, batch_size):
        normed = [normalize(t) for t in chunk]
        # Kiwi skips nothing, but empty strings cost a round trip; analyse only the non-empty ones.
        todo = [i for i, t in enumerate(normed) if t]
        results: list[list[str]] = [[] for _ in normed]
        for index, analysed in zip(todo, kiwi.tokenize([normed[i] for i in todo]), strict=True):
            results[index] = _search_tokens(analysed)
        out.extend(results)
    return out


def analyze(text: str) -> list[Morpheme]:
    """All morphemes of `text` as given (not normalised), with offsets into `text`, for inspection."""
    if not text or text.isspace():
        return []
    return [Morpheme(t.form, t.tag, t.start, t.end) for t in get_kiwi().tokenize(text)]


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of `text` with offsets into `text`; whitespace between sentences belongs to none."""
    if not text or text.isspace():
        return []
    out: list[Sentence] = []
    for sent in get_kiwi().split_into_sents(text):
        start, end = sent.start, sent.end
        # Trim to non-blank characters so offsets always point at text, whatever Kiwi includes.
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            out.append(Sentence(text[start:end], start, end))
    return out


def space_text(text: str, *, reset_whitespace: bool = False) -> str:
    """Text with spacing corrected by Kiwi's spacing model.

    By default missing spaces are added and existing ones kept; `reset_whitespace=True` re-spaces the
    text from scratch (also removing wrong spaces, e.g. "인 도에" -> "인도에").
    """
    if not text or text.isspace():
        return text
    return get_kiwi().space(text, reset_whitespace=reset_whitespace)
