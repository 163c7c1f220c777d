"""Citizen chatbot tables: public guidance Q&A, escalation tickets, answer log, shared rate counters, state."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from guai.db.base import Base, utcnow


class CitizenGuidance(Base):
    """One public guidance entry (question, answer, responsible department and phone, legal source)."""

    __tablename__ = "citizen_guidance"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    department: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(40))
    tags: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(40), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    valid_until: Mapped[date | None] = mapped_column(Date)
    last_checked: Mapped[date] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(100))


class CitizenTicket(Base):
    """A resident's question left for staff; looked up by its unguessable code."""

    __tablename__ = "citizen_tickets"
    __table_args__ = (Index("ix_citizen_tickets_dept_status", "department_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id", ondelete="SET NULL"))
    department_name: Mapped[str] = mapped_column(String(100))
    question: Mapped[str] = mapped_column(Text)
    contact_name: Mapped[str | None] = mapped_column(String(100))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    contact_email: Mapped[str | None] = mapped_column(String(200))
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="접수")
    reply: Mapped[str | None] = mapped_column(Text)
    replied_by: Mapped[str | None] = mapped_column(String(100))
    replied_at: Mapped[datetime | None]
    guidance_code: Mapped[str | None] = mapped_column(String(40))
    session: Mapped[str | None] = mapped_column(String(40))
    client_hash: Mapped[str | None] = mapped_column(String(24))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CitizenQuestion(Base):
    """Answer log: every public question (masked) with what was answered; feeds reports and audit seals."""

    __tablename__ = "citizen_questions"
    __table_args__ = (Index("ix_citizen_questions_day_conf", "day", "confidence"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    day: Mapped[date] = mapped_column(Date)
    session: Mapped[str | None] = mapped_column(String(40))
    client_hash: Mapped[str | None] = mapped_column(String(24))
    question: Mapped[str] = mapped_column(Text)
    guidance_code: Mapped[str | None] = mapped_column(String(40))
    department: Mapped[str | None] = mapped_column(String(100))
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    outcome: Mapped[str] = mapped_column(String(20))
    escalate: Mapped[bool] = mapped_column(Boolean, default=False)
    via_model: Mapped[bool] = mapped_column(Boolean, default=False)


class CitizenRateCounter(Base):
    """Requests per client key and fixed time window, shared by every worker through the database."""

    __tablename__ = "citizen_rate_counters"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    win: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    count: Mapped[int] = mapped_column(Integer, default=0)


class CitizenState(Base):
    """Small shared counters: the guidance generation (index refresh) and the audit-seal position."""

    __tablename__ = "citizen_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)
