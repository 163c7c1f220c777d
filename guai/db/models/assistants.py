"""Department assistants, staff conversations and the shared prompt library."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from guai.db.base import Base, utcnow
from guai.db.models.auth import Department, User


class Assistant(Base):
    """A department's assistant: a short instruction plus knowledge collections and allowed tools."""

    __tablename__ = "assistants"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)  # model id in the OpenAI-compatible API
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(String(300))
    instruction: Mapped[str] = mapped_column(Text)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    visibility: Mapped[str] = mapped_column(String(12), default="department")  # department | all
    collections: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of knowledge collection names
    tools: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of tool names
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    department: Mapped[Department] = relationship(lazy="joined")


class Conversation(Base):
    """One staff member's chat thread (private to that user)."""

    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_user_updated", "user_id", "updated_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    assistant_id: Mapped[int | None] = mapped_column(ForeignKey("assistants.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
    assistant: Mapped[Assistant | None] = relationship()


class ChatMessage(Base):
    """A message in a conversation; meta holds JSON (model, tool calls, attachments, masked counts)."""

    __tablename__ = "chat_messages"
    __table_args__ = (Index("ix_chat_messages_conv", "conversation_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(12))  # user | assistant | tool
    content: Mapped[str] = mapped_column(Text)
    meta: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PromptEntry(Base):
    """A good prompt shared in the prompt library."""

    __tablename__ = "prompt_library"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(150))
    prompt: Mapped[str] = mapped_column(Text)
    example: Mapped[str | None] = mapped_column(Text)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id", ondelete="SET NULL"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    likes: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    department: Mapped[Department | None] = relationship(lazy="joined")


class PromptLike(Base):
    """One like per user and prompt, so the count cannot be inflated."""

    __tablename__ = "prompt_likes"
    __table_args__ = (UniqueConstraint("prompt_id", "user_id", name="uq_prompt_likes_prompt_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    prompt_id: Mapped[int] = mapped_column(ForeignKey("prompt_library.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
