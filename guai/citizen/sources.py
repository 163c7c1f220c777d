"""Public sources beyond the guidance Q&A: collections marked public in the knowledge base.

The knowledge search is optional: if guai.knowledge.search is not installed or fails, the chatbot keeps
answering from its own guidance.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from guai.db.engine import Database

__all__ = ["Passage", "public_passages"]

log = logging.getLogger("guai.citizen")


@dataclass(frozen=True, slots=True)
class Passage:
    """A passage from a public collection with its exact citation (e.g. "폐기물관리법 제15조")."""

    citation: str
    text: str
    score: float


def public_passages(db: Database, query: str, *, top: int = 3) -> list[Passage]:
    """Best passages from public knowledge collections only; [] when that feature is unavailable."""
    try:
        from guai.knowledge.search import search
    except ImportError:
        return []
    try:
        hits = search(db, query, public_only=True, top=top)
    except Exception as exc:  # noqa: BLE001 - the public chat must answer from guidance even if search breaks
        log.warning("공개 지식 검색 실패: %s", exc)
        return []
    out = []
    for hit in hits[:top]:
        citation = getattr(hit, "citation", None) or getattr(hit, "title", None) or ""
        text = getattr(hit, "snippet", None) or getattr(hit, "text", None) or ""
        if citation and text:
            out.append(Passage(str(citation), str(text).strip(), float(getattr(hit, "score", 0.0) or 0.0)))
    return out
