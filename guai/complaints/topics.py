"""Topic matching: which complaints are about "전동킥보드" (or any plain-Korean topic), and why.

A topic becomes concepts: each query token with its synonym group (guai.korean, plus the complaint
lexicon in data/lexicon.tsv), each alternative a tuple of tokens that must all occur. The rarest
concept is the head and must match; the others add weight. A complaint matches strongly when the head
is in its title, recurs in the body, is backed by another concept or by terms typical of the strong
matches, or the complaint is short; a single passing mention in a long text is kept apart as `passing`
and left out of rankings. With an embeddings provider, near candidates are added by similarity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import numpy as np

from guai.complaints.index import CorpusIndex

#: Bodies with at most this many tokens are short enough that one mention is what they are about.
SHORT_BODY = 25
#: A passing mention is promoted when it also has this many terms typical of the strong matches.
FEEDBACK_TERMS = 2

Alternative = tuple[str, ...]


@cache
def _lexicon() -> tuple[frozenset[str], ...]:
    """Complaint-domain synonym groups (one group per line, terms tab-separated)."""
    text = resources.files("guai.complaints").joinpath("data", "lexicon.tsv").read_text(encoding="utf-8")
    groups = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            groups.append(frozenset(t.strip() for t in line.split("\t") if t.strip()))
    return tuple(groups)


def _tokens(text: str) -> list[str]:
    from guai.korean import tokens

    return tokens(text)


def _two_way_synonyms(token: str) -> list[str]:
    """guai.korean's group for `token` without its one-way variants (ambiguous words such as 라임)."""
    from guai.korean import all_groups, canonical

    name = canonical(token)
    for grp in all_groups():
        if grp.canonical == name:
            return [grp.canonical, *(v for v in grp.variants if v not in grp.one_way)]
    return [token]


def concept_alternatives(token: str) -> set[Alternative]:
    """All written forms of the concept `token` belongs to, each as the token tuple it analyses to."""
    forms: set[str] = {token, *_two_way_synonyms(token)}
    for group in _lexicon():
        if token in group or forms & group:
            forms.update(group)
    out: set[Alternative] = set()
    for form in sorted(forms):
        analysed = tuple(_tokens(form))
        # A multi-token form with a one-letter piece ("미", "점") would match almost anything.
        if not analysed or (len(analysed) > 1 and any(len(t) < 2 for t in analysed)):
            continue
        out.add(analysed)
    out.add((token,))
    return out


@dataclass
class Concept:
    """One idea of the topic: its alternatives and the document frequency in the corpus."""

    token: str
    alternatives: list[Alternative]
    doc_freq: int = 0


@dataclass
class TopicQuery:
    """A parsed topic: display label, concepts (head first) and the query tokens used for matching."""

    text: str
    label: str
    concepts: list[Concept]

    @property
    def head(self) -> Concept:
        return self.concepts[0]

    def all_tokens(self) -> set[str]:
        return {tok for c in self.concepts for alt in c.alternatives for tok in alt}


class TopicError(ValueError):
    """The topic has no searchable words."""


def topic_label(topic: str) -> str:
    """The canonical name of a topic ("킥보드", "PM", "전동 킥보드" → "전동킥보드")."""
    from guai.korean import canonical

    toks = _tokens(topic)
    if not toks:
        return topic.strip()
    return " ".join(canonical(t) for t in toks)


def build_query(topic: str, index: CorpusIndex) -> TopicQuery:
    """Concepts of `topic` ordered head first (the rarest concept in this corpus)."""
    from guai.korean import canonical

    toks = _tokens(topic)
    if not toks:
        raise TopicError(
            f"주제 '{topic}'에서 검색할 낱말을 찾지 못했습니다. 명사로 써 주세요 (예: 전동킥보드)."
        )
    concepts: list[Concept] = []
    seen: set[str] = set()
    for tok in toks:
        key = canonical(tok)
        if key in seen:
            continue
        seen.add(key)
        alts = sorted(concept_alternatives(tok) | concept_alternatives(key))
        concept = Concept(token=key, alternatives=alts)
        concept.doc_freq = int((_counts(index, alts, "both") > 0).sum())
        concepts.append(concept)
    concepts.sort(key=lambda c: (c.doc_freq, c.token))
    label = " ".join(dict.fromkeys(canonical(t) for t in toks))
    return TopicQuery(text=topic, label=label, concepts=concepts)


def _counts(index: CorpusIndex, alts: list[Alternative], which: str) -> np.ndarray:
    """Occurrences of the concept per document: per alternative the min count of its tokens, summed."""
    total = np.zeros(index.size, dtype=np.float32)
    for alt in alts:
        counts = [index.column(which, tok) for tok in alt]
        total += np.minimum.reduce(counts) if len(counts) > 1 else counts[0]
    return total


@dataclass
class MatchResult:
    """Matched complaints (positions in the index), their scores and the reason each matched."""

    query: TopicQuery
    positions: np.ndarray
    scores: np.ndarray
    reasons: dict[int, str]
    passing: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    semantic: int = 0

    def ids(self, index: CorpusIndex) -> list[int]:
        return [int(i) for i in index.ids[self.positions]]


def _feedback_terms(index: CorpusIndex, strong: np.ndarray, exclude: set[str], limit: int = 30) -> list[int]:
    """Columns of the terms most typical of the strong matches compared with the whole corpus."""
    if strong.sum() < 5:
        return []
    sub = index.both[np.flatnonzero(strong)]
    df_sub = np.diff(sub.tocsc().indptr).astype(np.float64)
    df_all = index.doc_freq().astype(np.float64)
    n_sub, n_all = float(strong.sum()), float(index.size)
    lift = (df_sub / n_sub) / np.maximum(df_all / n_all, 1e-9)
    score = np.where(
        (df_sub >= max(3, 0.03 * n_sub)) & (lift > 3), df_sub * np.log(np.maximum(lift, 1e-9)), 0
    )
    terms = {index.vocab[t] for t in exclude if t in index.vocab}
    order = [int(c) for c in np.argsort(-score)[: limit + len(terms)] if score[c] > 0 and int(c) not in terms]
    return order[:limit]


def match_topic(index: CorpusIndex, query: TopicQuery, mask: np.ndarray) -> MatchResult:
    """Score every complaint inside `mask` against the topic; strong matches first."""
    head = query.head
    head_title = _counts(index, head.alternatives, "title")
    head_body = _counts(index, head.alternatives, "body")
    hit = ((head_title + head_body) > 0) & mask
    others = [(c, _counts(index, c.alternatives, "both")) for c in query.concepts[1:]]
    support = np.zeros(index.size, dtype=np.float32)
    for _, counts in others:
        support += counts > 0
    lengths = index.body_lengths()
    strong = hit & ((head_title > 0) | (head_body >= 2) | (lengths <= SHORT_BODY) | (support > 0))
    # Pseudo-relevance feedback: passing mentions with several terms typical of the strong set count.
    feedback = _feedback_terms(index, strong, query.all_tokens())
    typical = np.zeros(index.size, dtype=np.float32)
    if feedback:
        typical = np.asarray((index.columns("both")[:, feedback] > 0).sum(axis=1)).ravel().astype(np.float32)
    promoted = hit & ~strong & (typical >= FEEDBACK_TERMS)
    strong |= promoted
    passing = np.flatnonzero(hit & ~strong)
    positions = np.flatnonzero(strong)
    scores = (
        3.0 * (head_title[positions] > 0)
        + np.minimum(head_body[positions], 4)
        + support[positions]
        + 0.25 * np.minimum(typical[positions], 4)
    )
    order = np.argsort(-scores, kind="stable")
    positions, scores = positions[order], scores[order]
    reasons = {
        int(p): _reason(
            query,
            head_title[p],
            head_body[p],
            [(c.token, cnt[p]) for c, cnt in others],
            typical[p],
            bool(promoted[p]),
        )
        for p in positions
    }
    return MatchResult(query=query, positions=positions, scores=scores, reasons=reasons, passing=passing)


def _reason(
    query: TopicQuery,
    title: float,
    body: float,
    others: list[tuple[str, float]],
    typical: float,
    promoted: bool,
) -> str:
    parts = []
    if title:
        parts.append(f"제목에 '{query.head.token}'")
    if body:
        parts.append(f"본문에 '{query.head.token}' {int(body)}회")
    parts.extend(f"'{token}' 함께 언급" for token, count in others if count)
    if promoted:
        parts.append(f"관련어 {int(typical)}개 함께 등장")
    elif not title and body == 1 and not any(count for _, count in others):
        parts.append("짧은 민원")
    return ", ".join(parts)


def add_semantic(
    index: CorpusIndex, result: MatchResult, texts: dict[int, str], topic: str, embed: object
) -> MatchResult:
    """Add passing mentions whose embedding is as close to the topic as typical strong matches are.

    `texts` maps index positions (strong samples and passing candidates) to text; `embed(list[str])`
    returns vectors. The threshold comes from the data: the 25th percentile similarity of strong matches.
    """
    strong_sample = [int(p) for p in result.positions[:40]]
    candidates = [int(p) for p in result.passing[:400]]
    if len(strong_sample) < 5 or not candidates:
        return result
    vectors = np.asarray(embed([topic] + [texts[p] for p in strong_sample + candidates]), dtype=np.float64)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = vectors / np.maximum(norms, 1e-12)
    sims = vectors[1:] @ vectors[0]
    threshold = float(np.percentile(sims[: len(strong_sample)], 25))
    added = [(p, s) for p, s in zip(candidates, sims[len(strong_sample) :], strict=True) if s >= threshold]
    if not added:
        return result
    extra = np.asarray([p for p, _ in added], dtype=np.int64)
    for p, s in added:
        result.reasons[p] = f"본문에 '{result.query.head.token}' 1회, 의미 유사도 {s:.2f}"
    result.positions = np.concatenate([result.positions, extra])
    result.scores = np.concatenate([result.scores, np.full(len(extra), 1.0, dtype=result.scores.dtype)])
    result.passing = np.setdiff1d(result.passing, extra)
    result.semantic = len(extra)
    return result


def idf(index: CorpusIndex) -> np.ndarray:
    """Smoothed inverse document frequency per term column."""
    return np.log((1 + index.size) / (1 + index.doc_freq())) + 1.0


def describe(query: TopicQuery) -> str:
    """Human summary of how a topic is matched (shown under the ranking)."""
    forms = sorted({" ".join(alt) for alt in query.head.alternatives})
    text = f"핵심어 '{query.head.token}' ({', '.join(forms[:8])}{' 외' if len(forms) > 8 else ''})"
    if len(query.concepts) > 1:
        text += " + 보조어 " + ", ".join(f"'{c.token}'" for c in query.concepts[1:])
    return text


def log_ratio(a: float, b: float) -> float:
    return math.log((a + 1) / (b + 1))
