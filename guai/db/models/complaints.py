"""Imported complaints (민원) and the import batches they came from.

Search tokens are stored per complaint at import time so ranking never re-runs Kiwi over old rows.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from guai.db.base import Base, utcnow


class ComplaintImport(Base):
    """One import of one file (CLI or web upload), with what happened to its rows."""

    __tablename__ = "complaint_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_imported: Mapped[int] = mapped_column(Integer, default=0)
    rows_duplicate: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    column_map: Mapped[str] = mapped_column(Text, default="{}")
    imported_by: Mapped[str] = mapped_column(String(100))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


class Complaint(Base):
    """One complaint as the source system recorded it, plus its stored search tokens."""

    __tablename__ = "complaints"
    __table_args__ = (Index("ix_complaints_received_department", "received_on", "department"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("complaint_imports.id"), index=True)
    # The source system's own number (민원번호/접수번호/신청번호) so staff can find it there.
    source_no: Mapped[str | None] = mapped_column(String(64), index=True)
    source_file: Mapped[str] = mapped_column(String(255))
    source_row: Mapped[int] = mapped_column(Integer)
    # Hash of the row's identifying content: re-importing a file never duplicates complaints.
    fingerprint: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(500), default="")
    content: Mapped[str] = mapped_column(Text, default="")
    received_on: Mapped[date | None] = mapped_column(Date, index=True)
    department: Mapped[str | None] = mapped_column(String(120), index=True)
    category: Mapped[str | None] = mapped_column(String(120))
    subcategory: Mapped[str | None] = mapped_column(String(120))
    dong: Mapped[str | None] = mapped_column(String(60), index=True)
    place: Mapped[str | None] = mapped_column(String(255))
    channel: Mapped[str | None] = mapped_column(String(60))
    answer: Mapped[str | None] = mapped_column(Text)
    title_tokens: Mapped[str] = mapped_column(Text, default="")
    body_tokens: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def ref(self) -> str:
        """How outputs name this complaint: the source number, else file#row so it can still be found."""
        return self.source_no or f"{self.source_file}#{self.source_row}"
