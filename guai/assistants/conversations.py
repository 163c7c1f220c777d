"""Staff conversations: private to their owner; list, search, rename, delete; messages with JSON meta."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from guai.db.base import utcnow
from guai.db.models.assistants import ChatMessage, Conversation
from guai.db.models.auth import User


class ConversationError(ValueError):
    """Missing or foreign conversation, bad title; Korean message."""


def create_conversation(
    session: Session, user: User, *, title: str, assistant_id: int | None = None
) -> Conversation:
    conv = Conversation(user_id=user.id, title=_title(title), assistant_id=assistant_id)
    session.add(conv)
    session.flush()
    return conv


def _title(text: str) -> str:
    first = " ".join(text.split())
    return (first[:40] + "…") if len(first) > 40 else (first or "새 대화")


def get_conversation(session: Session, user: User, conv_id: int) -> Conversation:
    conv = session.get(Conversation, conv_id)
    if conv is None or conv.user_id != user.id:  # someone else's conversation looks the same as a missing one
        raise ConversationError("대화를 찾을 수 없습니다.")
    return conv


def list_conversations(
    session: Session, user: User, q: str | None = None, limit: int = 100
) -> list[Conversation]:
    stmt = select(Conversation).where(Conversation.user_id == user.id)
    if q and q.strip():
        like = f"%{q.strip()}%"
        hits = select(ChatMessage.conversation_id).where(ChatMessage.content.like(like))
        stmt = stmt.where(or_(Conversation.title.like(like), Conversation.id.in_(hits)))
    return list(session.execute(stmt.order_by(Conversation.updated_at.desc()).limit(limit)).scalars())


def rename_conversation(session: Session, user: User, conv_id: int, title: str) -> Conversation:
    conv = get_conversation(session, user, conv_id)
    if not title.strip():
        raise ConversationError("대화 제목을 적어 주세요.")
    conv.title = title.strip()[:200]
    session.flush()
    return conv


def delete_conversation(session: Session, user: User, conv_id: int) -> None:
    conv = get_conversation(session, user, conv_id)
    for m in session.execute(select(ChatMessage).where(ChatMessage.conversation_id == conv.id)).scalars():
        session.delete(m)
    session.delete(conv)
    session.flush()


def messages(session: Session, conv: Conversation) -> list[ChatMessage]:
    return list(
        session.execute(
            select(ChatMessage).where(ChatMessage.conversation_id == conv.id).order_by(ChatMessage.id)
        ).scalars()
    )


def add_message(
    session: Session, conv_id: int, role: str, content: str, meta: dict[str, Any] | None = None
) -> ChatMessage:
    msg = ChatMessage(
        conversation_id=conv_id, role=role, content=content, meta=json.dumps(meta or {}, ensure_ascii=False)
    )
    session.add(msg)
    conv = session.get(Conversation, conv_id)
    if conv is not None:
        conv.updated_at = utcnow()
    session.flush()
    return msg


def message_meta(msg: ChatMessage) -> dict[str, Any]:
    try:
        value = json.loads(msg.meta or "{}")
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}
