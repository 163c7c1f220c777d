"""Per-collection search indexes: rebuilt from the database, persisted under settings.index_dir, cached in memory.

A collection's `generation` (in the database) is bumped in the same transaction as every change to its chunks.
Each worker compares it with the generation of the index it holds; on mismatch it loads the matching index from
disk (another worker built it) or rebuilds from `knowledge_chunks.tokens` — so several workers and processes
always search what the database says, and deleting the index directory loses nothing.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from pathlib import Path

import numpy as np
from sqlalchemy import select

from guai.db.engine import Database
from guai.db.models.knowledge import KnowledgeChunk, KnowledgeCollection, KnowledgeDocument
from guai.knowledge.engine import Engine

_cache: dict[tuple[str, int], tuple[int, Engine]] = {}
_lock = threading.Lock()


def index_root(db: Database) -> Path:
    return db.settings.index_dir / "knowledge"


def _dir_for(db: Database, collection_id: int, generation: int) -> Path:
    return index_root(db) / f"c{collection_id}-g{generation}"


def _read_rows(db: Database, collection_id: int) -> tuple[int, Engine]:
    """Build the collection's engine from the database; retried if the collection changes while reading."""
    for _ in range(5):
        with db.session() as s:
            before = s.scalar(
                select(KnowledgeCollection.generation).where(KnowledgeCollection.id == collection_id)
            )
            if before is None:
                raise KeyError(collection_id)
            rows = s.execute(
                select(
                    KnowledgeChunk.id,
                    KnowledgeChunk.document_id,
                    KnowledgeChunk.kind,
                    KnowledgeChunk.article_key,
                    KnowledgeChunk.title,
                    KnowledgeChunk.tokens,
                    KnowledgeChunk.embedding,
                    KnowledgeChunk.embedding_model,
                )
                .where(KnowledgeChunk.collection_id == collection_id)
                .order_by(KnowledgeChunk.id)
            ).all()
            titles = dict(
                s.execute(
                    select(KnowledgeDocument.id, KnowledgeDocument.title).where(
                        KnowledgeDocument.collection_id == collection_id
                    )
                ).all()
            )
            after = s.scalar(
                select(KnowledgeCollection.generation).where(KnowledgeCollection.id == collection_id)
            )
        if before == after:
            break
    else:  # pragma: no cover - only under a storm of concurrent ingests
        raise RuntimeError("컬렉션이 계속 바뀌고 있어 색인을 만들 수 없습니다. 잠시 뒤 다시 시도하세요.")
    embeddings, model = _embedding_matrix(rows)
    engine = Engine.build(
        [r.tokens.split() for r in rows],
        [r.id for r in rows],
        [r.document_id for r in rows],
        [r.kind for r in rows],
        [r.article_key for r in rows],
        titles,
        embeddings,
        model,
        row_titles=[_row_title(r) for r in rows],
    )
    return int(before), engine


def _row_title(row) -> str:  # type: ignore[no-untyped-def]
    """The 조 title that names what a chunk is about ("" for untitled 조 and document-level chunks)."""
    if row.kind == "article" and row.title != row.article_key:
        return row.title
    return ""


def _embedding_matrix(rows) -> tuple[np.ndarray | None, str | None]:  # type: ignore[no-untyped-def]
    """A normalised float32 matrix when every chunk has a vector from the same model, else None."""
    if not rows or any(r.embedding is None for r in rows):
        return None, None
    models = {r.embedding_model for r in rows}
    if len(models) != 1:
        return None, None
    vectors = [np.frombuffer(r.embedding, dtype=np.float32) for r in rows]
    if len({v.shape for v in vectors}) != 1:
        return None, None
    matrix = np.vstack(vectors)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32), models.pop()


def _save(db: Database, collection_id: int, generation: int, engine: Engine) -> None:
    final = _dir_for(db, collection_id, generation)
    if final.exists():
        return
    tmp = index_root(db) / f".tmp-{collection_id}-{uuid.uuid4().hex[:8]}"
    try:
        engine.save(tmp)
        (tmp / "COMPLETE").write_text(str(generation), encoding="utf-8")
        os.replace(tmp, final)
    except OSError:
        # Another worker renamed its copy first, or the disk is read-only: the in-memory index still serves.
        shutil.rmtree(tmp, ignore_errors=True)
        return
    for old in index_root(db).glob(f"c{collection_id}-g*"):
        if old != final:
            shutil.rmtree(old, ignore_errors=True)


def get_engine(db: Database, collection_id: int, generation: int) -> Engine:
    """The engine for this collection at this generation: memory, then disk, then a rebuild from the DB."""
    key = (db.url, collection_id)
    cached = _cache.get(key)
    if cached is not None and cached[0] == generation:
        return cached[1]
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == generation:
            return cached[1]
        path = _dir_for(db, collection_id, generation)
        engine: Engine | None = None
        if (path / "COMPLETE").exists():
            try:
                engine = Engine.load(path)
            except (OSError, ValueError, KeyError):
                engine = None  # a damaged cache file: rebuild below
        if engine is None:
            built_generation, engine = _read_rows(db, collection_id)
            generation = built_generation
            _save(db, collection_id, generation, engine)
        _cache[key] = (generation, engine)
        return engine


def rebuild(db: Database, collection_id: int) -> Engine:
    """Force a rebuild from the database (used by `guai collections reindex` and after removing index files)."""
    with _lock:
        _cache.pop((db.url, collection_id), None)
    generation, engine = _read_rows(db, collection_id)
    _save(db, collection_id, generation, engine)
    with _lock:
        _cache[(db.url, collection_id)] = (generation, engine)
    return engine


def forget(db: Database, collection_id: int) -> None:
    with _lock:
        _cache.pop((db.url, collection_id), None)
