"""Operations tables: SSO identities, the onboarding tour state, and staff best-practice submissions with votes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from guai.db.base import Base, utcnow
from guai.db.models.auth import User


class SsoIdentity(Base):
    """Links a directory/IdP identity (provider + stable subject) to a guai user."""

    __tablename__ = "sso_identities"
    __table_args__ = (UniqueConstraint("provider", "subject", name="uq_sso_identities_provider_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    groups: Mapped[str | None] = mapped_column(Text)


class OnboardingState(Base):
    """When a user finished or dismissed the first-login tour (shown once per user)."""

    __tablename__ = "onboarding_state"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    tour_done_at: Mapped[datetime | None]


class BestPractice(Base):
    """An AI 활용 우수사례 submitted by a staff member; administrators can feature it."""

    __tablename__ = "best_practices"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    area: Mapped[str] = mapped_column(String(40))
    dept_kind: Mapped[str] = mapped_column(String(20))
    prompt: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    department_name: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    featured: Mapped[bool] = mapped_column(Boolean, default=False)
    featured_at: Mapped[datetime | None]
    featured_by: Mapped[str | None] = mapped_column(String(64))
    vote_count: Mapped[int] = mapped_column(default=0)

    author: Mapped[User] = relationship(lazy="joined")


class BestPracticeVote(Base):
    """One vote per user per submission."""

    __tablename__ = "best_practice_votes"
    __table_args__ = (
        UniqueConstraint("practice_id", "user_id", name="uq_best_practice_votes_practice_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("best_practices.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
