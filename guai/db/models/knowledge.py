"""Knowledge base tables: collections (with visibility), ingested documents and their citable chunks.

The database is the source of truth. The bm25s index on disk is a cache rebuilt from `knowledge_chunks.tokens`
whenever a collection's `generation` (bumped in the same transaction as every change) differs from the index's.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from guai.db.base import Base, utcnow
from guai.db.models.auth import Department


class KnowledgeCollection(Base):
    """A named set of documents searched together, e.g. "법령", "가온구 자치법규", "교통행정과 지침"."""

    __tablename__ = "knowledge_collections"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # "public" (citizens too), "staff" (every logged-in employee) or "department" (only department_id's staff).
    visibility: Mapped[str] = mapped_column(String(20), default="staff")
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    description: Mapped[str | None] = mapped_column(String(500))
    generation: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    department: Mapped[Department | None] = relationship(lazy="joined")

    @property
    def visibility_label(self) -> str:
        if self.visibility == "department":
            return f"department:{self.department.name if self.department else '?'}"
        return self.visibility


class KnowledgeDocument(Base):
    """One ingested file (or upload); re-ingesting the same source with new content replaces its chunks."""

    __tablename__ = "knowledge_documents"
    __table_args__ = (
        UniqueConstraint("collection_id", "source", name="uq_knowledge_documents_collection_source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    collection_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_collections.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(1000))
    filename: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer, default=0)
    n_chunks: Mapped[int] = mapped_column(Integer, default=0)
    meta: Mapped[str | None] = mapped_column(Text)
    ingested_by: Mapped[str | None] = mapped_column(String(64))
    ingested_at: Mapped[datetime] = mapped_column(default=utcnow)


class KnowledgeChunk(Base):
    """A citable piece: one 조 (or 항 of a long 조), one 부칙, or a section of an ordinary document."""

    __tablename__ = "knowledge_chunks"
    __table_args__ = (Index("ix_knowledge_chunks_doc_article", "document_id", "article_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_documents.id", ondelete="CASCADE"), index=True
    )
    collection_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_collections.id", ondelete="CASCADE"), index=True
    )
    ordinal: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))  # article | supplement | section
    citation: Mapped[str] = mapped_column(String(300))
    title: Mapped[str] = mapped_column(String(300))
    doc_title: Mapped[str] = mapped_column(String(300))
    heading: Mapped[str | None] = mapped_column(String(500))
    article_key: Mapped[str | None] = mapped_column(String(100))
    location: Mapped[str | None] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    tokens: Mapped[str] = mapped_column(
        Text
    )  # Kiwi search tokens, space-joined: the index is rebuilt from these
    embedding: Mapped[bytes | None] = mapped_column(
        LargeBinary
    )  # float32 vector from the gateway, when configured
    embedding_model: Mapped[str | None] = mapped_column(String(200))
