"""Dense vectors through the model gateway's embeddings, when a provider offers them (optional everywhere)."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

from guai.db.engine import Database

log = logging.getLogger("guai.knowledge")

#: Texts per embeddings request; keeps one request well under provider limits.
BATCH = 64
#: Characters of a chunk sent for its vector (the start of a 조 carries its subject).
MAX_EMBED_CHARS = 2000


def embedding_model_id(db: Database) -> str | None:
    """ "provider/model" of the embeddings model the gateway would use now, or None without one."""
    try:
        from guai.llm import get_gateway
    except ImportError:  # pragma: no cover - the gateway ships with guai; kept optional for partial installs
        return None
    try:
        gw = get_gateway(db)
        if not gw.available("embeddings"):
            return None
        providers = [p for p in gw.providers() if p.supports("embeddings")]
    except Exception as exc:  # a broken provider table must not break search: log and go on with BM25
        log.warning("embeddings provider lookup failed: %s", exc)
        return None
    ordered = [p for p in providers if p.is_default] + [p for p in providers if not p.is_default]
    p = ordered[0]
    return f"{p.name}/{p.embedding_model}" if p.embedding_model else None


def embed(
    db: Database, texts: list[str], model_id: str, *, user: Any = None, purpose: str = "knowledge.embed"
) -> np.ndarray | None:
    """float32 vectors for `texts`, or None when the provider fails (callers fall back to BM25 alone)."""
    from guai.llm import LLMError, get_gateway

    gw = get_gateway(db)
    out: list[list[float]] = []
    try:
        for start in range(0, len(texts), BATCH):
            batch = [t[:MAX_EMBED_CHARS] for t in texts[start : start + BATCH]]
            out.extend(gw.embed(batch, user=user, purpose=purpose, model=model_id))
    except LLMError as exc:
        log.warning("embeddings failed (%s); continuing with BM25 only", exc)
        return None
    if len(out) != len(texts):
        return None
    return np.asarray(out, dtype=np.float32)
