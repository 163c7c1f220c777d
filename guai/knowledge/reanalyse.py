"""Re-analyse a collection's stored chunks: Kiwi tokens and everyday phrases (aliases.py) applied again.

Ingest skips files whose content has not changed, so after the user dictionary or an article_aliases.tsv
changes, `guai collections reindex NAME --reanalyse` rebuilds every chunk's search tokens from its stored
text and bumps the collection generation, so every worker picks the new index up.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select, update

from guai.db.engine import Database
from guai.db.models.knowledge import KnowledgeChunk
from guai.knowledge.aliases import attach_aliases
from guai.knowledge.collections import bump_generation
from guai.knowledge.lawtext import ChunkDraft
from guai.knowledge.textproc import tokens_many

#: Chunks re-analysed per transaction.
BATCH = 500


def reanalyse_collection(
    db: Database, collection_id: int, progress: Callable[[int, int], None] | None = None
) -> tuple[int, int]:
    """(chunks seen, chunks whose tokens changed); the collection generation is bumped when any changed."""
    with db.session() as s:
        ids = list(
            s.scalars(
                select(KnowledgeChunk.id)
                .where(KnowledgeChunk.collection_id == collection_id)
                .order_by(KnowledgeChunk.id)
            )
        )
    changed = 0
    home = db.settings.home
    for start in range(0, len(ids), BATCH):
        with db.session() as s:
            rows = list(
                s.scalars(
                    select(KnowledgeChunk)
                    .where(KnowledgeChunk.id.in_(ids[start : start + BATCH]))
                    .order_by(KnowledgeChunk.id)
                )
            )
            drafts = attach_aliases(
                [
                    ChunkDraft(
                        kind=r.kind,
                        citation=r.citation,
                        title=r.title,
                        doc_title=r.doc_title,
                        text=r.text,
                        heading=r.heading,
                        article_key=r.article_key,
                        location=r.location,
                    )
                    for r in rows
                ],
                home,
            )
            batch_changed = 0
            for row, toks in zip(rows, tokens_many([d.index_text() for d in drafts]), strict=True):
                joined = " ".join(toks)
                if joined != row.tokens:
                    s.execute(update(KnowledgeChunk).where(KnowledgeChunk.id == row.id).values(tokens=joined))
                    batch_changed += 1
            if batch_changed:
                bump_generation(s, collection_id)
            changed += batch_changed
        if progress:
            progress(min(start + BATCH, len(ids)), len(ids))
    return len(ids), changed
