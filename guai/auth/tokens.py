"""Web sessions and personal API keys: random tokens, only their SHA-256 stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from guai.auth.errors import AuthError
from guai.db.base import utcnow
from guai.db.models.auth import ApiKey, User, WebSession

API_KEY_PREFIX = "guai-"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_session(session: Session, user: User, *, hours: int, client: str | None) -> tuple[str, WebSession]:
    token = secrets.token_urlsafe(32)
    web = WebSession(
        token_hash=_digest(token),
        csrf_token=secrets.token_urlsafe(24),
        user_id=user.id,
        expires_at=utcnow() + timedelta(hours=hours),
        client=client,
    )
    session.add(web)
    session.execute(delete(WebSession).where(WebSession.expires_at < utcnow()))
    session.flush()
    return token, web


def resolve_session(session: Session, token: str | None) -> tuple[User, WebSession] | None:
    if not token:
        return None
    web = session.execute(
        select(WebSession).where(WebSession.token_hash == _digest(token))
    ).scalar_one_or_none()
    if web is None:
        return None
    expires = web.expires_at if web.expires_at.tzinfo else web.expires_at.replace(tzinfo=utcnow().tzinfo)
    if expires < utcnow():
        session.delete(web)
        return None
    user = session.get(User, web.user_id)
    if user is None or not user.active:
        return None
    return user, web


def end_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(WebSession).where(WebSession.token_hash == _digest(token)))


def create_api_key(session: Session, user: User, label: str | None = None) -> str:
    """Create a personal API key; the returned plain key is shown once and never stored."""
    key = API_KEY_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiKey(user_id=user.id, prefix=key[:12], key_hash=_digest(key), label=label))
    session.flush()
    return key


def resolve_api_key(session: Session, key: str | None) -> User | None:
    if not key or not key.startswith(API_KEY_PREFIX):
        return None
    row = session.execute(select(ApiKey).where(ApiKey.key_hash == _digest(key))).scalar_one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    row.last_used_at = utcnow()
    return user


def revoke_api_keys(session: Session, user: User, prefix: str | None = None) -> int:
    stmt = select(ApiKey).where(ApiKey.user_id == user.id, ApiKey.revoked_at.is_(None))
    if prefix:
        stmt = stmt.where(ApiKey.prefix == prefix[:12])
    rows = list(session.execute(stmt).scalars())
    if prefix and not rows:
        raise AuthError(f"'{prefix}'(으)로 시작하는 유효한 키가 없습니다.")
    for row in rows:
        row.revoked_at = utcnow()
    return len(rows)
