"""search(): the one search entry point for the web page, the CLI, the chat tool and the citizen chatbot.

    hits = search(db, "킥보드 헬멧 안 쓰면 벌금", user=user, top=5)
    hits = search(db, "대형폐기물 신고", public_only=True)            # citizens: public collections only
    hits = search(db, "주차 단속", user=user, collections=["가온구 자치법규"])

Ranking: bm25s over Kiwi tokens with everyday-word expansion (expand.py, engine.py); when the gateway offers
embeddings and the collection's chunks carry vectors from that model, dense cosine ranks are fused with the BM25
ranks by reciprocal-rank fusion. Visibility is enforced by choosing the collections before ranking
(visibility.visible_collections) — chunks of a collection the caller may not see are never scored.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import select

from guai.db.engine import Database
from guai.db.models.auth import User
from guai.db.models.knowledge import KnowledgeChunk, KnowledgeCollection, KnowledgeDocument
from guai.knowledge import dense
from guai.knowledge.citations import position_citation
from guai.knowledge.engine import Engine, QueryPlan, rrf
from guai.knowledge.expand import plan_query
from guai.knowledge.index import get_engine
from guai.knowledge.textproc import tokens_many
from guai.knowledge.visibility import visible_collections

__all__ = ["SearchHit", "search", "search_plan"]

SNIPPET_CHARS = 180
# Amendment notes ("<개정 2013.3.23, …>") carry no meaning for a reader scanning results.
_NOTES = re.compile(r"\s*<(?:개정|신설|전문개정|본조신설|종전|제목개정|시행일)[^>]*>")
#: A parenthesised exclusion inside a 항: "(이륜자동차는 제외한다)", "(…경우는 제외한다)".
_EXCLUSION = re.compile(r"\([^()]*제외[^()]*\)")
#: Dense retrieval depth per collection before fusion.
DENSE_DEPTH = 50


@dataclass
class SearchHit:
    """One result: an exact citation and the text it points at."""

    chunk_id: int
    citation: str
    title: str
    doc_title: str
    collection: str
    score: float
    text: str
    source: str
    snippet: str
    highlights: list[tuple[int, int]] = field(default_factory=list)  # spans in `snippet`
    heading: str | None = None
    kind: str = "article"
    location: str | None = None
    document_id: int = 0
    article_key: str | None = None
    coverage: float = 0.0  # share of the query's words this chunk contains (idf-weighted), 0..1
    passage: str = (
        ""  # the most exact citation of the 항/호 holding most query words ("도로교통법 제50조제4항")
    )
    #: Everyday phrases of this 조 that share words with the query: why a 조 without the query's words was found.
    phrases: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"/search/article/{self.chunk_id}"

    @property
    def snippet_html(self) -> str:
        """The snippet, HTML-escaped, with matched words in <mark>."""
        out: list[str] = []
        last = 0
        for start, end in self.highlights:
            out.append(html.escape(self.snippet[last:start]))
            out.append(f"<mark>{html.escape(self.snippet[start:end])}</mark>")
            last = end
        out.append(html.escape(self.snippet[last:]))
        return "".join(out)

    def as_dict(self) -> dict:
        return {
            "citation": self.citation,
            "title": self.title,
            "doc_title": self.doc_title,
            "collection": self.collection,
            "score": round(self.score, 4),
            "text": self.text,
            "source": self.source,
            "snippet": self.snippet,
            "url": self.url,
            "chunk_id": self.chunk_id,
            "heading": self.heading,
            "location": self.location,
            "passage": self.passage or self.citation,
            "matched_phrases": self.phrases,
        }


def search(
    db: Database,
    query: str,
    *,
    user: User | None = None,
    public_only: bool = False,
    top: int = 5,
    collections: list[str] | None = None,
) -> list[SearchHit]:
    """The best `top` chunks for `query` among the collections the caller may see."""
    plan = plan_query(query)
    return search_plan(db, plan, user=user, public_only=public_only, top=top, collections=collections)


def search_plan(
    db: Database,
    plan: QueryPlan,
    *,
    user: User | None = None,
    public_only: bool = False,
    top: int = 5,
    collections: list[str] | None = None,
) -> list[SearchHit]:
    top = max(1, min(int(top), 100))
    if not plan.tokens and not plan.extra:
        return []
    with db.session() as s:
        colls = [
            (c.id, c.name, c.generation)
            for c in visible_collections(s, user, public_only=public_only, names=collections)
        ]
    if not colls:
        return []
    depth = max(top * 3, 20)
    engines: dict[int, Engine] = {cid: get_engine(db, cid, gen) for cid, _, gen in colls}
    names = {cid: name for cid, name, _ in colls}
    lexical: list[tuple[float, int, int]] = []  # (score, collection id, row)
    for cid, engine in engines.items():
        scale = engine.score_scale(plan) if len(engines) > 1 else 1.0
        lexical.extend((score / scale, cid, row) for row, score in engine.top(plan, depth))
    lexical.sort(key=lambda x: -x[0])
    lexical = _distinct_articles(lexical, engines)
    ranked = _fuse_dense(db, plan, engines, lexical, user) if lexical else []
    chosen = ranked[:top] if ranked else [(cid, row, score) for score, cid, row in lexical[:top]]
    return _hits(db, plan, engines, names, chosen)


def _distinct_articles(
    ranked: list[tuple[float, int, int]], engines: dict[int, Engine]
) -> list[tuple[float, int, int]]:
    """The same 조 of the same law ingested into two collections is one answer: keep its best-ranked copy."""
    seen: set[tuple[str, str]] = set()
    out: list[tuple[float, int, int]] = []
    for score, cid, row in ranked:
        engine = engines[cid]
        key = engine.article_keys[row]
        if key:
            ident = (engine.titles.get(int(engine.doc_ids[row]), ""), key)
            if ident in seen:
                continue
            seen.add(ident)
        out.append((score, cid, row))
    return out


def _fuse_dense(
    db: Database,
    plan: QueryPlan,
    engines: dict[int, Engine],
    lexical: list[tuple[float, int, int]],
    user: User | None,
) -> list[tuple[int, int, float]]:
    """RRF of the BM25 ranking with dense ranks, when vectors exist for the gateway's current model."""
    model = None
    if any(e.embeddings is not None for e in engines.values()):
        model = dense.embedding_model_id(db)
    usable = {cid: e for cid, e in engines.items() if e.embeddings is not None and e.embedding_model == model}
    if not model or not usable:
        return []
    vectors = dense.embed(db, [plan.text], model, user=user, purpose="knowledge.search")
    if vectors is None:
        return []
    qv = vectors[0]
    dense_hits: list[tuple[float, int, int]] = []
    for cid, engine in usable.items():
        if engine.embeddings is None or engine.embeddings.shape[1] != qv.shape[0]:
            continue
        dense_hits.extend((sim, cid, row) for row, sim in engine.dense_top(qv, DENSE_DEPTH))
    if not dense_hits:
        return []
    dense_hits.sort(key=lambda x: -x[0])
    fused = rrf([[(cid, row) for _, cid, row in lexical], [(cid, row) for _, cid, row in dense_hits]])
    return [(cid, row, score) for (cid, row), score in sorted(fused.items(), key=lambda kv: -kv[1])]


def _hits(
    db: Database,
    plan: QueryPlan,
    engines: dict[int, Engine],
    names: dict[int, str],
    chosen: list[tuple[int, int, float]],
) -> list[SearchHit]:
    ids = [int(engines[cid].chunk_ids[row]) for cid, row, _ in chosen]
    with db.session() as s:
        rows = {
            r.id: r
            for r in s.execute(
                select(
                    KnowledgeChunk.id,
                    KnowledgeChunk.citation,
                    KnowledgeChunk.title,
                    KnowledgeChunk.doc_title,
                    KnowledgeChunk.text,
                    KnowledgeChunk.tokens,
                    KnowledgeChunk.heading,
                    KnowledgeChunk.kind,
                    KnowledgeChunk.location,
                    KnowledgeChunk.document_id,
                    KnowledgeChunk.article_key,
                    KnowledgeChunk.collection_id,
                    KnowledgeDocument.filename,
                )
                .join(KnowledgeDocument, KnowledgeDocument.id == KnowledgeChunk.document_id)
                .join(KnowledgeCollection, KnowledgeCollection.id == KnowledgeChunk.collection_id)
                .where(KnowledgeChunk.id.in_(ids))
            )
        }
    terms = highlight_terms(plan)
    hits: list[SearchHit] = []
    for (cid, _row, score), chunk_id in zip(chosen, ids, strict=True):
        r = rows.get(chunk_id)
        if (
            r is None or r.collection_id != cid
        ):  # deleted since the index was read: skip, never mix collections
            continue
        snippet, spans = make_snippet(r.text, terms)
        passage = r.citation
        if r.kind == "article" and r.article_key:
            offset = best_line(r.text, terms)
            if offset is not None:
                passage = position_citation(
                    f"{r.doc_title} {r.article_key}", r.text, offset + 1, article_level=True
                )
        hits.append(
            SearchHit(
                chunk_id=r.id,
                citation=r.citation,
                title=r.title,
                doc_title=r.doc_title,
                collection=names[cid],
                score=float(score),
                text=r.text,
                source=r.filename,
                snippet=snippet,
                highlights=spans,
                heading=r.heading,
                kind=r.kind,
                location=r.location,
                document_id=r.document_id,
                article_key=r.article_key,
                coverage=engines[cid].coverage(plan, set(r.tokens.split())),
                passage=passage,
            )
        )
    _explain_with_phrases(db, plan, hits)
    return hits


#: Phrases shown per hit ("생활 표현으로 찾음: …").
MAX_SHOWN_PHRASES = 2


def _explain_with_phrases(db: Database, plan: QueryPlan, hits: list[SearchHit]) -> None:
    """Attach the everyday phrases that share the query's own words, for hits whose text lacks some of them."""
    from guai.knowledge.aliases import phrases_for
    from guai.knowledge.engine import QUESTION_WORDS

    wanted = {t for t in plan.tokens if t not in QUESTION_WORDS}
    candidates = [
        (h, phrases)
        for h in hits
        if h.kind == "article" and (phrases := phrases_for(h.doc_title, h.article_key, db.settings.home))
    ]
    if not wanted or not candidates:
        return
    flat = [p for _, phrases in candidates for p in phrases]
    token_sets = iter(tokens_many(flat))
    for hit, phrases in candidates:
        scored = []
        for phrase in phrases:
            shared = wanted & set(next(token_sets))
            if any(w not in hit.text for w in shared):  # the phrase brings a query word the law text lacks
                scored.append((len(shared), phrase))
        scored.sort(key=lambda x: -x[0])
        hit.phrases = [p for _, p in scored[:MAX_SHOWN_PHRASES]]


def highlight_terms(plan: QueryPlan) -> list[str]:
    """Words worth marking in snippets: the query's tokens and expansions of two or more characters."""
    terms = [t for t in dict.fromkeys(plan.tokens + plan.extra) if len(t) >= 2 and not t.isdigit()]
    return sorted(terms, key=len, reverse=True)


def _term_pattern(terms: list[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    # Tokens come from normalised text where dictionary compounds lost their spaces ("개인형이동장치");
    # the stored text still has them, so allow an optional space between characters.
    parts = [r"\s?".join(re.escape(ch) for ch in term) for term in terms]
    return re.compile("|".join(parts))


def best_line(text: str, terms: list[str]) -> int | None:
    """Offset of the body line (항 or 호) with the most distinct query terms (then the most matches); None when
    no line has two.

    A 조 answers through one of its 항 ("…제50조제4항: 자전거등의 운전자는 … 인명보호 장구를 착용"): citing
    that 항 lets staff check the answer without reading the whole article. Line 0 (the 조 heading) is skipped,
    and words inside an exclusion ("(개인형 이동장치는 제외한다)") count against nothing and for nothing: they
    name what the 항 does not cover.
    """
    pattern = _term_pattern(terms)
    if pattern is None:
        return None
    best, best_key, pos = None, (1, 0), 0
    for i, line in enumerate(text.split("\n")):
        if i:
            found = [
                m.group().replace(" ", "") for m in pattern.finditer(_EXCLUSION.sub("", _NOTES.sub("", line)))
            ]
            key = (len(set(found)), len(found))
            if key > best_key:
                best, best_key = pos, key
        pos += len(line) + 1
    return best


def make_snippet(text: str, terms: list[str], size: int = SNIPPET_CHARS) -> tuple[str, list[tuple[int, int]]]:
    """A window of `text` around the densest run of matched terms, and the spans to highlight in it."""
    flat = re.sub(r"\s*\n\s*", " ", _NOTES.sub("", text)).strip()
    pattern = _term_pattern(terms)
    matches = list(pattern.finditer(flat)) if pattern else []
    if not matches:
        snippet = flat[:size] + ("…" if len(flat) > size else "")
        return snippet, []
    starts = np.array([m.start() for m in matches])
    best, best_count = 0, -1
    for i, pos in enumerate(starts):
        window = matches[i : np.searchsorted(starts, pos + size)]
        distinct = len({m.group().replace(" ", "") for m in window})
        if distinct > best_count:
            best, best_count = i, distinct
    begin = max(0, int(starts[best]) - 30)
    end = min(len(flat), begin + size)
    prefix = "…" if begin > 0 else ""
    suffix = "…" if end < len(flat) else ""
    snippet = prefix + flat[begin:end] + suffix
    spans = [
        (m.start() - begin + len(prefix), m.end() - begin + len(prefix))
        for m in matches
        if m.start() >= begin and m.end() <= end
    ]
    return snippet, spans
