"""Model providers, per-call usage records and quotas for the model gateway."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from guai.db.base import Base, utcnow


class LLMProvider(Base):
    """One OpenAI-compatible endpoint. The API key itself is never stored, only the env var holding it."""

    __tablename__ = "llm_providers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    base_url: Mapped[str] = mapped_column(String(500))
    api_key_env: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(10), default="external")  # external | on-prem
    policy: Mapped[str] = mapped_column(String(10), default="mask")  # mask | block | allow
    chat_model: Mapped[str | None] = mapped_column(String(200))
    extra_models: Mapped[str | None] = mapped_column(Text)  # comma-separated further chat model names
    embedding_model: Mapped[str | None] = mapped_column(String(200))
    image_model: Mapped[str | None] = mapped_column(String(200))
    vision: Mapped[bool] = mapped_column(Boolean, default=False)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    is_fallback: Mapped[bool] = mapped_column(Boolean, default=False)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    timeout_s: Mapped[float] = mapped_column(Float, default=60.0)
    max_retries: Mapped[int] = mapped_column(Integer, default=2)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class LLMUsage(Base):
    """One model call (chat, embeddings, image): who, where, which model, how many tokens."""

    __tablename__ = "llm_usage"
    __table_args__ = (
        Index("ix_llm_usage_user_day", "user_id", "day"),
        Index("ix_llm_usage_dept_day", "department_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    day: Mapped[date] = mapped_column(Date)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    username: Mapped[str] = mapped_column(String(64))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id", ondelete="SET NULL"))
    department: Mapped[str | None] = mapped_column(String(100))
    provider: Mapped[str] = mapped_column(String(64))
    model: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))  # chat | embeddings | images | vision
    purpose: Mapped[str] = mapped_column(String(64))
    prompt_tokens: Mapped[int] = mapped_column(Integer, default=0)
    completion_tokens: Mapped[int] = mapped_column(Integer, default=0)
    total_tokens: Mapped[int] = mapped_column(Integer, default=0)
    latency_ms: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str] = mapped_column(String(10), default="성공")


class LLMQuota(Base):
    """A limit for one user or one department per day or month (tokens and/or requests)."""

    __tablename__ = "llm_quotas"
    __table_args__ = (
        UniqueConstraint("scope", "target_id", "period", name="uq_llm_quotas_scope_target_period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(12))  # user | department
    target_id: Mapped[int] = mapped_column(Integer)
    period: Mapped[str] = mapped_column(String(8))  # day | month
    max_tokens: Mapped[int | None] = mapped_column(Integer)
    max_requests: Mapped[int | None] = mapped_column(Integer)
    updated_by: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class LLMQuotaCounter(Base):
    """Running use of one quota target in one period, so admission is a single conditional UPDATE.

    A call reserves (requests + 1, tokens + estimate) only if that stays within every limit; after the call
    the estimate is replaced by the real token count (or released when the call failed).
    """

    __tablename__ = "llm_quota_counters"
    __table_args__ = (
        UniqueConstraint("scope", "target_id", "period", "period_start", name="uq_llm_quota_counters_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(12))  # user | department
    target_id: Mapped[int] = mapped_column(Integer)
    period: Mapped[str] = mapped_column(String(8))  # day | month
    period_start: Mapped[date] = mapped_column(Date)
    tokens: Mapped[int] = mapped_column(BigInteger, default=0)
    requests: Mapped[int] = mapped_column(Integer, default=0)
