"""In-process retrieval index over the active guidance, rebuilt from the database when its generation changes.

Two signals are fused: BM25 (bm25s) over Kiwi content tokens of question, tags and answer, and cosine
similarity of jamo character n-grams of question and tags, which tolerates typos, spacing and
dialect-like endings. Confidence then drops for an entry that covers only part of the question, and
sharply when it lacks one of the question's rare topic words (key_terms): a partial match must not be
answered confidently. Every worker builds the same index from the same rows, so nothing here is state
that only one process knows.
"""

from __future__ import annotations

import gc
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from guai.citizen.store import CitizenSettings, current_generation, load_settings
from guai.citizen.text import jamo_distance, jamo_string, key_terms, query_tokens, search_tokens_batch, squash
from guai.db.engine import Database
from guai.db.models.citizen import CitizenGuidance
from guai.korean import expand_query_tokens

__all__ = ["GuidanceDoc", "GuidanceIndex", "Match", "get_index", "invalidate"]

#: How long a worker trusts its cached generation before asking the database again (seconds).
GENERATION_TTL = 1.0
#: BM25 scores are unbounded; s / (s + K) maps them to 0..1 with K a typical "good match" score.
BM25_SATURATION = 6.0
BM25_WEIGHT = 0.55
CACHE_SIZE = 4096
#: Share of the fused score kept when none of the query's words appear in the entry (typo-only matches).
COVERAGE_FLOOR = 0.5
UNKNOWN_IDF_PERCENTILE = 50
#: A topic word is "rare" when at most this share of entries (but at least RARE_MIN_DOCS) mention it:
#: such a word names what the question is about, so an entry that lacks it answers something else.
RARE_DOC_SHARE = 0.04
RARE_MIN_DOCS = 1
#: Score kept by an entry that leaves a rare topic word of the question uncovered ("경로당 프로그램 신청"
#: vs the sports-centre entry). Calibrated on the dev set, see tests/citizen/test_confidence.py.
MISSING_KEY_FACTOR = 0.4


@dataclass(frozen=True, slots=True)
class GuidanceDoc:
    """The public fields of one guidance entry, as the index and answers need them."""

    code: str
    question: str
    answer: str
    department: str
    phone: str
    tags: str
    category: str
    source: str
    last_checked: date
    valid_until: date | None


@dataclass(frozen=True, slots=True)
class Match:
    doc: GuidanceDoc
    score: float
    bm25: float
    chars: float
    #: Rare topic words of the question this entry does not cover (why its confidence was lowered).
    missing: tuple[str, ...] = ()


class GuidanceIndex:
    """BM25 + jamo n-gram index over a fixed list of guidance docs (immutable once built)."""

    def __init__(
        self,
        docs: list[GuidanceDoc],
        generation: int,
        built_for: date,
        settings: CitizenSettings | None = None,
    ) -> None:
        self.docs = docs
        self.settings = settings or CitizenSettings()
        self.generation = generation
        self.built_for = built_for
        self._cache: OrderedDict[str, list[Match]] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._bm25 = None
        self._vectorizer = None
        self._matrix = None
        if not docs:
            return
        import bm25s
        from sklearn.feature_extraction.text import TfidfVectorizer

        fields = search_tokens_batch(
            [f"{d.question}\n{d.tags.replace(',', ' ')}" for d in docs] + [d.answer for d in docs]
        )
        n = len(docs)
        # Question and tags count twice: they are what residents ask; the answer adds recall only.
        corpus = [fields[i] * 2 + fields[n + i] for i in range(n)]
        corpus = [toks or ["_"] for toks in corpus]
        self._doc_tokens = [set(toks) for toks in corpus]
        self._doc_text = [squash(f"{d.question} {d.tags} {d.answer}") for d in docs]
        self._rare_df = max(RARE_MIN_DOCS, int(RARE_DOC_SHARE * n))
        self._df_cache: dict[str, int] = {}
        df: dict[str, int] = {}
        for toks in self._doc_tokens:
            for t in toks:
                df[t] = df.get(t, 0) + 1
        self._idf = {t: float(np.log(1 + (n - c + 0.5) / (c + 0.5))) for t, c in df.items()}
        # A query word the guidance never uses is as telling as a typical word: it weighs the median IDF.
        self._unknown_idf = (
            float(np.percentile(list(self._idf.values()), UNKNOWN_IDF_PERCENTILE)) if self._idf else 1.0
        )
        self._bm25 = bm25s.BM25()
        self._bm25.index(corpus, show_progress=False)
        self._vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(2, 4), sublinear_tf=True, min_df=1)
        self._matrix = self._vectorizer.fit_transform(
            [jamo_string(d.question + " " + d.tags.replace(",", " ")) for d in docs]
        )

    def search(self, text: str, k: int = 3) -> list[Match]:
        """The k best guidance entries for a question, best first (cached per normalised question)."""
        if not self.docs:
            return []
        key = squash(text)
        with self._cache_lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit[:k]
        matches = self._score(text)
        with self._cache_lock:
            self._cache[key] = matches
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return matches[:k]

    def _score(self, text: str, keep: int = 5) -> list[Match]:
        assert self._bm25 is not None and self._vectorizer is not None and self._matrix is not None
        toks = query_tokens(text)
        keys = [t for t in key_terms(text, toks) if self._doc_freq(t) <= self._rare_df]
        n = len(self.docs)
        bm = np.zeros(n)
        known = [t for t in toks if t in self._bm25.vocab_dict]
        if known:
            bm = np.asarray(self._bm25.get_scores(known), dtype=float)
        q = self._vectorizer.transform([jamo_string(text)])
        chars = np.asarray((self._matrix @ q.T).toarray()).ravel() if q.nnz else np.zeros(n)
        bm_norm = bm / (bm + BM25_SATURATION)
        fused = BM25_WEIGHT * bm_norm + (1 - BM25_WEIGHT) * chars
        # Re-rank the best candidates by coverage-adjusted score (an entry answering all of the question wins).
        order = [i for i in np.argsort(-fused)[: keep * 2] if fused[i] > 0]
        matches = []
        for i in order:
            missing = tuple(t for t in keys if not self._covers(i, t))
            score = fused[i] * self._coverage_factor(toks, i) * (MISSING_KEY_FACTOR if missing else 1.0)
            matches.append(Match(self.docs[i], float(score), float(bm[i]), float(chars[i]), missing))
        matches.sort(key=lambda m: -m.score)
        return matches[:keep]

    def _coverage_factor(self, toks: list[str], i: int) -> float:
        """Shrink the score when the entry covers only part of what was asked (IDF-weighted).

        "경로당 프로그램 신청" shares 프로그램 and 신청 with the sports-centre entry, but not the
        telling word 경로당: that answer would be confidently wrong, so its confidence drops.
        """
        if not toks:
            return 1.0
        weights = [self._idf.get(t, self._unknown_idf) for t in dict.fromkeys(toks)]
        # A word the guidance never uses may still be a typo or a compound of a word this entry has.
        covered = [
            w
            for t, w in zip(dict.fromkeys(toks), weights, strict=True)
            if t in self._doc_tokens[i]
            or (t not in self._idf and self._doc_freq(t) == 0 and self._near(i, t))
        ]
        coverage = sum(covered) / sum(weights) if sum(weights) else 1.0
        return COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * coverage

    def knows(self, term: str) -> bool:
        """Whether any entry mentions `term` or a synonym (follow-ups borrow only such words)."""
        return bool(self.docs) and self._doc_freq(term) > 0

    def _doc_freq(self, term: str) -> int:
        """How many entries mention `term` or a synonym anywhere (as a token or inside a compound)."""
        hit = self._df_cache.get(term)
        if hit is None:
            variants = expand_query_tokens([term])
            hit = sum(1 for i in range(len(self.docs)) if self._mentions(i, variants))
            if len(self._df_cache) < CACHE_SIZE:
                self._df_cache[term] = hit
        return hit

    def _mentions(self, i: int, variants: list[str]) -> bool:
        return any(v in self._doc_tokens[i] or v in self._doc_text[i] for v in variants)

    def _covers(self, i: int, term: str) -> bool:
        """Whether entry i speaks about `term`: the word, a synonym, or (for a word no entry knows,
        likely a typo) a word one or two jamo away from it."""
        if self._mentions(i, expand_query_tokens([term])):
            return True
        return self._doc_freq(term) == 0 and self._near(i, term)

    def _near(self, i: int, term: str) -> bool:
        """Whether entry i has a word within one jamo (two for longer words) of `term`: a typo of it."""
        if len(term) < 2:
            return False
        limit = 1 if len(term) <= 2 else 2
        return any(
            abs(len(u) - len(term)) <= 1 and jamo_distance(u, term) <= limit for u in self._doc_tokens[i]
        )


class _Holder:
    def __init__(self) -> None:
        self.index: GuidanceIndex | None = None
        self.checked_at = 0.0
        self.lock = threading.Lock()


_holders: dict[str, _Holder] = {}
_holders_lock = threading.Lock()


def _holder(db: Database) -> _Holder:
    with _holders_lock:
        return _holders.setdefault(db.url, _Holder())


def _load_docs(session: Session, today: date) -> list[GuidanceDoc]:
    rows = session.execute(
        select(CitizenGuidance).where(CitizenGuidance.active.is_(True)).order_by(CitizenGuidance.code)
    ).scalars()
    return [
        GuidanceDoc(
            g.code,
            g.question,
            g.answer,
            g.department,
            g.phone,
            g.tags or "",
            g.category or "",
            g.source or "",
            g.last_checked,
            g.valid_until,
        )
        for g in rows
        if g.valid_until is None or g.valid_until >= today
    ]


def get_index(db: Database) -> GuidanceIndex:
    """This process's index for `db`, rebuilt when the guidance generation or the date changed."""
    holder = _holder(db)
    now = time.monotonic()
    index = holder.index
    if index is not None and now - holder.checked_at < GENERATION_TTL:
        return index
    with holder.lock:
        index = holder.index
        if index is not None and time.monotonic() - holder.checked_at < GENERATION_TTL:
            return index
        today = date.today()
        with db.session() as s:
            generation = current_generation(s)
            if index is None or index.generation != generation or index.built_for != today:
                index = GuidanceIndex(_load_docs(s, today), generation, today, load_settings(s))
        first = not _frozen[0]
        _frozen[0] = True
        holder.index = index
        holder.checked_at = time.monotonic()
        if first:
            _freeze_heap()
        return index


_frozen = [False]


def _freeze_heap() -> None:
    """Once per process: move everything alive after the first index build (app, Kiwi, index) out of the
    cyclic GC's reach.

    The public chat allocates many short-lived objects; every so often that triggers a full collection
    that walks the whole heap — measured as a ~200 ms stall of all requests once a second under load.
    Frozen objects are never scanned again, so those collections stay small.
    """
    gc.collect()
    gc.freeze()


def invalidate(db: Database) -> None:
    """Make this process re-check the generation on the next question (after its own edits)."""
    _holder(db).checked_at = 0.0
