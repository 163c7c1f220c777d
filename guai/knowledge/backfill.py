"""Backfill dense vectors: embed chunks that have no vector for the gateway's current embeddings model.

Chunks ingested before an embeddings provider was configured (the demo seed, early imports), after a switch of
the embeddings model, or while the provider was failing carry no usable vector, and search only fuses dense
ranks for a collection whose chunks *all* carry vectors of the current model (index._embedding_matrix). This
fills them in, in batches, each batch committed on its own, so an interruption loses at most one batch and a
re-run continues with the chunks still missing.

The collection's generation is bumped once its chunks are complete (not per batch): a partly embedded
collection searches exactly like an unembedded one (BM25 only), so bumping per batch would only make every
web worker rebuild its index again and again while the backfill runs.

    report = backfill_embeddings(db, names=["법령"], actor="cli:kim")
    report.model, report.embedded, report.current, report.error
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import func, or_, select, update

from guai.audit import record
from guai.db.engine import Database
from guai.db.models.knowledge import KnowledgeChunk, KnowledgeCollection
from guai.knowledge import dense
from guai.knowledge.collections import bump_generation
from guai.knowledge.lawtext import ChunkDraft

NO_PROVIDER_MESSAGE = (
    "임베딩(벡터)을 지원하는 AI 모델이 연결되어 있지 않아 벡터를 채울 수 없습니다. "
    "관리자가 모델 서버에 임베딩 모델을 등록한 뒤 다시 실행하세요 (`guai providers list`로 확인). "
    "바뀐 것은 없습니다."
)


class BackfillError(ValueError):
    """Nothing can be done (no embeddings provider, unknown collection); nothing was changed."""


@dataclass
class CollectionProgress:
    """What the backfill found and did in one collection."""

    id: int
    name: str
    total: int = 0  # chunks in the collection
    current: int = 0  # chunks that already had a vector of the model before this run
    embedded: int = 0  # chunks embedded by this run
    refreshed: bool = False  # the search index was rebuilt with the vectors

    @property
    def missing(self) -> int:
        """Chunks still without a vector of the model after this run."""
        return self.total - self.current - self.embedded


@dataclass
class BackfillReport:
    model: str
    collections: list[CollectionProgress] = field(default_factory=list)
    error: str | None = None  # the provider failed part-way: what was embedded before stays

    @property
    def embedded(self) -> int:
        return sum(c.embedded for c in self.collections)

    @property
    def current(self) -> int:
        return sum(c.current for c in self.collections)

    @property
    def missing(self) -> int:
        return sum(c.missing for c in self.collections)

    def summary(self) -> str:
        text = (
            f"모델 {self.model}: 컬렉션 {len(self.collections)}개, 새로 채운 조각 {self.embedded}개, "
            f"이미 있던 조각 {self.current}개"
        )
        if self.missing:
            text += f", 아직 벡터가 없는 조각 {self.missing}개"
        return text


def _stale(model: str):  # type: ignore[no-untyped-def]
    """SQL condition: the chunk has no vector of `model` (none at all, or one of another model)."""
    return or_(
        KnowledgeChunk.embedding.is_(None),
        KnowledgeChunk.embedding_model.is_(None),
        KnowledgeChunk.embedding_model != model,
    )


def resolve_collections(db: Database, names: list[str] | None) -> list[tuple[int, str]]:
    """(id, name) of the named collections (all when none named); unknown names are an error."""
    with db.session() as s:
        rows = list(s.execute(select(KnowledgeCollection.id, KnowledgeCollection.name)).all())
    by_name = {name: cid for cid, name in rows}
    wanted = list(dict.fromkeys(n.strip() for n in names or [] if n.strip()))
    unknown = [n for n in wanted if n not in by_name]
    if unknown:
        raise BackfillError(
            f"컬렉션이 없습니다: {', '.join(unknown)}. `guai collections list`로 이름을 확인하세요. "
            "바뀐 것은 없습니다."
        )
    if wanted:
        return [(by_name[n], n) for n in wanted]
    return sorted(((cid, name) for cid, name in rows), key=lambda r: r[1])


def survey(db: Database, model: str, collections: list[tuple[int, str]]) -> list[CollectionProgress]:
    """Chunk counts per collection: total, and those already carrying a vector of `model`."""
    ids = [cid for cid, _ in collections]
    with db.session() as s:
        totals = dict(
            s.execute(
                select(KnowledgeChunk.collection_id, func.count())
                .where(KnowledgeChunk.collection_id.in_(ids))
                .group_by(KnowledgeChunk.collection_id)
            ).all()
        )
        stale = dict(
            s.execute(
                select(KnowledgeChunk.collection_id, func.count())
                .where(KnowledgeChunk.collection_id.in_(ids), _stale(model))
                .group_by(KnowledgeChunk.collection_id)
            ).all()
        )
    return [
        CollectionProgress(
            cid, name, total=totals.get(cid, 0), current=totals.get(cid, 0) - stale.get(cid, 0)
        )
        for cid, name in collections
    ]


def embed_text(row: Any) -> str:
    """The text a chunk's vector is computed from: the same as at ingest (ChunkDraft.index_text)."""
    draft = ChunkDraft(
        kind=row.kind,
        citation=row.citation,
        title=row.title,
        doc_title=row.doc_title,
        text=row.text,
        heading=row.heading,
        article_key=row.article_key,
    )
    return draft.index_text()[: dense.MAX_EMBED_CHARS]


def _vectors(texts: list[str], raw: list[list[float]], dim: int | None) -> np.ndarray:
    """Check the provider's answer before anything is stored: one finite vector per text, all the same size."""
    from guai.llm import LLMError

    if len(raw) != len(texts):
        raise LLMError(f"모델 서버가 조각 {len(texts)}개에 벡터 {len(raw)}개를 돌려주었습니다.")
    try:
        matrix = np.asarray(raw, dtype=np.float32)
    except (TypeError, ValueError) as exc:
        raise LLMError("모델 서버가 돌려준 벡터의 길이가 서로 다릅니다.") from exc
    if matrix.ndim != 2 or matrix.shape[1] == 0 or not np.isfinite(matrix).all():
        raise LLMError("모델 서버가 올바르지 않은 벡터를 돌려주었습니다.")
    if dim is not None and matrix.shape[1] != dim:
        raise LLMError(
            f"모델 서버가 돌려준 벡터 크기({matrix.shape[1]})가 이미 저장된 벡터 크기({dim})와 다릅니다."
        )
    return matrix


def _stored_dim(db: Database, collection_id: int, model: str) -> int | None:
    """Size of the vectors of `model` already stored in the collection (None when there are none)."""
    with db.session() as s:
        blob = s.scalar(
            select(KnowledgeChunk.embedding)
            .where(
                KnowledgeChunk.collection_id == collection_id,
                KnowledgeChunk.embedding_model == model,
                KnowledgeChunk.embedding.is_not(None),
            )
            .limit(1)
        )
    return len(blob) // 4 if blob else None


def _embed_collection(
    db: Database,
    coll: CollectionProgress,
    model: str,
    *,
    batch_size: int,
    limit: int | None,
    user: Any,
    progress: Callable[[str, int], None] | None,
) -> None:
    """Embed the collection's stale chunks batch by batch; raises LLMError (earlier batches stay committed)."""
    from guai.llm import get_gateway

    gw = get_gateway(db)
    dim = _stored_dim(db, coll.id, model)
    with db.session() as s:
        ids = list(
            s.scalars(
                select(KnowledgeChunk.id)
                .where(KnowledgeChunk.collection_id == coll.id, _stale(model))
                .order_by(KnowledgeChunk.id)
            )
        )
    if limit is not None:
        ids = ids[:limit]
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        with db.session() as s:
            rows = list(
                s.execute(
                    select(
                        KnowledgeChunk.id,
                        KnowledgeChunk.kind,
                        KnowledgeChunk.citation,
                        KnowledgeChunk.title,
                        KnowledgeChunk.doc_title,
                        KnowledgeChunk.text,
                        KnowledgeChunk.heading,
                        KnowledgeChunk.article_key,
                    )
                    .where(KnowledgeChunk.id.in_(batch), _stale(model))
                    .order_by(KnowledgeChunk.id)
                ).all()
            )
        if not rows:  # re-ingested or embedded by someone else since the list was read
            continue
        texts = [embed_text(r) for r in rows]
        matrix = _vectors(texts, gw.embed(texts, user=user, purpose="knowledge.embed", model=model), dim)
        dim = matrix.shape[1]
        with db.session() as s:
            # By primary key: a chunk deleted meanwhile (its document re-ingested) is simply not updated.
            s.execute(
                update(KnowledgeChunk),
                [
                    {"id": r.id, "embedding": vec.tobytes(), "embedding_model": model}
                    for r, vec in zip(rows, matrix, strict=True)
                ],
            )
        coll.embedded += len(rows)
        if progress:
            progress(coll.name, len(rows))


def _refresh(db: Database, coll: CollectionProgress, model: str) -> None:
    """Once no chunk lacks a vector, make every worker's index carry them (bump + rebuild here)."""
    from guai.knowledge import index

    with db.session() as s:
        stale = s.scalar(
            select(func.count())
            .select_from(KnowledgeChunk)
            .where(KnowledgeChunk.collection_id == coll.id, _stale(model))
        )
        generation = s.scalar(select(KnowledgeCollection.generation).where(KnowledgeCollection.id == coll.id))
    if stale or generation is None or coll.total == 0:
        return
    if not coll.embedded:
        # Nothing new: rebuild only when the index in use lacks the vectors (e.g. a run interrupted right
        # after its last batch, before this step).
        engine = index.get_engine(db, coll.id, int(generation))
        if engine.embeddings is not None and engine.embedding_model == model:
            return
    with db.session() as s:
        bump_generation(s, coll.id)
    index.rebuild(db, coll.id)
    coll.refreshed = True


def backfill_embeddings(
    db: Database,
    *,
    names: list[str] | None = None,
    batch_size: int = dense.BATCH,
    limit: int | None = None,
    actor: str = "system",
    user: Any = None,
    on_start: Callable[[int], None] | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> BackfillReport:
    """Embed every chunk of the named collections (all when none) lacking a vector of the current model.

    Raises BackfillError before changing anything when no embeddings provider is configured or a name is
    unknown. A provider failure part-way does not raise: `report.error` says what went wrong and every batch
    embedded before it stays stored. `limit` caps the chunks embedded in this run (the web button uses it so
    one click stays short; the next click continues). `on_start(total)` receives the number of chunks to embed,
    `progress(collection, n)` is called after each committed batch.
    """
    from guai.llm import LLMError

    if batch_size < 1:
        raise BackfillError("배치 크기는 1 이상이어야 합니다.")
    collections = resolve_collections(db, names)
    model = dense.embedding_model_id(db)
    if not model:
        raise BackfillError(NO_PROVIDER_MESSAGE)
    report = BackfillReport(model, survey(db, model, collections))
    todo = sum(c.total - c.current for c in report.collections)
    if on_start:
        on_start(min(todo, limit) if limit is not None else todo)
    budget = limit
    for coll in report.collections:
        if coll.total > coll.current and (budget is None or budget > 0):
            try:
                _embed_collection(
                    db, coll, model, batch_size=batch_size, limit=budget, user=user, progress=progress
                )
            except LLMError as exc:
                report.error = str(exc) or exc.__class__.__name__
                break
            finally:
                if budget is not None:
                    budget -= coll.embedded
        _refresh(db, coll, model)
    _audit(db, actor, report)
    return report


def _audit(db: Database, actor: str, report: BackfillReport) -> None:
    with db.session() as s:
        record(
            s,
            actor=actor,
            action="knowledge.embed",
            outcome="실패" if report.error else "성공",
            target=",".join(c.name for c in report.collections)[:200] or "-",
            detail={
                "model": report.model,
                "embedded": report.embedded,
                "current": report.current,
                "missing": report.missing,
                "error": report.error,
            },
        )
