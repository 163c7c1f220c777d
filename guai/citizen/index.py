"""In-process retrieval index over the active guidance, rebuilt from the database when its generation changes.

Two signals are fused: BM25 (bm25s) over Kiwi content tokens of question, tags and answer, and cosine
similarity of jamo character n-grams of question and tags, which tolerates typos, spacing and
dialect-like endings. Every worker builds the same index from the same rows, so nothing here is state
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
from guai.citizen.text import jamo_string, query_tokens, search_tokens_batch, squash
from guai.db.engine import Database
from guai.db.models.citizen import CitizenGuidance

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


class GuidanceIndex:
    """BM25 + jamo n-gram index over a fixed list of guidance docs (immutable once built)."""

    def __init__(self, docs: list[GuidanceDoc], generation: int, built_for: date,
                 settings: CitizenSettings | None = None) -> None:
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
        df: dict[str, int] = {}
        for toks in self._doc_tokens:
            for t in toks:
                df[t] = df.get(t, 0) + 1
        self._idf = {t: float(np.log(1 + (n - c + 0.5) / (c + 0.5))) for t, c in df.items()}
        # A query word the guidance never uses is as telling as a typical word: it weighs the median IDF.
        self._unknown_idf = float(np.percentile(list(self._idf.values()), UNKNOWN_IDF_PERCENTILE)) if self._idf else 1.0
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
        matches = [Match(self.docs[i], float(fused[i] * self._coverage_factor(toks, i)), float(bm[i]), float(chars[i]))
                   for i in order]
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
        covered = [w for t, w in zip(dict.fromkeys(toks), weights, strict=True) if t in self._doc_tokens[i]]
        coverage = sum(covered) / sum(weights) if sum(weights) else 1.0
        return COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * coverage


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
        GuidanceDoc(g.code, g.question, g.answer, g.department, g.phone, g.tags or "", g.category or "",
                    g.source or "", g.last_checked, g.valid_until)
        for g in rows if g.valid_until is None or g.valid_until >= today
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
