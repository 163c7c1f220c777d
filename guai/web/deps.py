"""Request dependencies: database session, current user (cookie or API key), admin checks, CSRF."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from guai.audit import record
from guai.auth.tokens import resolve_api_key, resolve_session
from guai.config import Settings
from guai.db.engine import Database
from guai.db.models.auth import Role, User

SESSION_COOKIE = "guai_session"
LOGIN_CSRF_COOKIE = "guai_login_csrf"


def get_database(request: Request) -> Database:
    return request.app.state.db


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_session(request: Request) -> Iterator[Session]:
    db: Database = request.app.state.db
    session = db.sessionmaker()
    request.state.db_session = session
    try:
        yield session
        session.commit()
    except BaseException:
        # Detach first so the error page can still read the user loaded in this request.
        session.expunge_all()
        session.rollback()
        raise
    finally:
        session.close()


# scope="function": commit before the response is sent, so the next request sees the writes.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
DatabaseDep = Annotated[Database, Depends(get_database)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def client_address(request: Request) -> str | None:
    """The client's address. Behind a reverse proxy uvicorn (proxy_headers) puts the forwarded address here,
    trusting X-Forwarded-For only from FORWARDED_ALLOW_IPS, so a client cannot choose its own address."""
    return request.client.host[:64] if request.client else None


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return None


def optional_user(request: Request, session: SessionDep) -> User | None:
    """The logged-in user (web session cookie or personal API key), or None."""
    if hasattr(request.state, "user") and request.state.user is not None:
        return request.state.user
    user: User | None = None
    key = bearer_token(request)
    if key:
        user = resolve_api_key(session, key)
        request.state.auth = "api_key" if user else "invalid_key"
    else:
        resolved = resolve_session(session, request.cookies.get(SESSION_COOKIE))
        if resolved:
            user, web = resolved
            request.state.csrf_token = web.csrf_token
            request.state.auth = "session"
    request.state.user = user
    # End the auth transaction now (it may have touched last_used_at / expired sessions): on SQLite an
    # open write would make any other connection in this request wait for the lock.
    session.commit()
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]


def audit_now(
    request: Request,
    *,
    actor: str,
    action: str,
    outcome: str,
    target: str | None = None,
    department: str | None = None,
    detail: dict | str | None = None,
) -> None:
    """Write an audit entry and commit it now, so it is kept even when the request then fails.

    Uses the request's own session when there is one: a second connection would wait on SQLite's
    write lock held by the first.
    """
    fields = dict(
        actor=actor,
        action=action,
        outcome=outcome,
        target=target,
        department=department,
        client=client_address(request),
        detail=detail,
    )
    session: Session | None = getattr(request.state, "db_session", None)
    if session is None:
        db: Database = request.app.state.db
        with db.session() as s:
            record(s, **fields)
        return
    record(session, **fields)
    session.commit()


def require_user(request: Request, user: OptionalUser) -> User:
    if user is None:
        if getattr(request.state, "auth", None) == "invalid_key":
            audit_now(
                request, actor="anonymous", action="apikey.rejected", outcome="거부", target=request.url.path
            )
            raise HTTPException(401, "API 키가 올바르지 않거나 폐기되었습니다.")
        raise HTTPException(401, "로그인이 필요합니다.")
    return user


CurrentUser = Annotated[User, Depends(require_user)]


def deny(request: Request, user: User, reason: str = "이 페이지를 볼 권한이 없습니다.") -> HTTPException:
    """Audit a permission denial and return the 403 to raise."""
    audit_now(
        request,
        actor=user.username,
        action="permission.denied",
        outcome="거부",
        target=request.url.path,
        department=user.department.name,
        detail={"reason": reason},
    )
    return HTTPException(403, reason)


def require_admin(request: Request, user: CurrentUser) -> User:
    if user.role not in (Role.SYSTEM_ADMIN.value, Role.DEPT_ADMIN.value):
        raise deny(request, user, "관리 페이지는 시스템 관리자와 부서 관리자만 쓸 수 있습니다.")
    return user


def require_system_admin(request: Request, user: CurrentUser) -> User:
    if not user.is_system_admin:
        raise deny(request, user, "시스템 관리자만 쓸 수 있는 기능입니다.")
    return user


AdminUser = Annotated[User, Depends(require_admin)]
SystemAdmin = Annotated[User, Depends(require_system_admin)]


async def csrf_protect(request: Request, user: OptionalUser) -> None:
    """Reject state-changing form posts without the session's CSRF token (API-key calls are exempt)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if getattr(request.state, "auth", None) == "api_key":
        return
    expected = getattr(request.state, "csrf_token", None)
    sent = request.headers.get("x-csrf-token")
    if sent is None and "form" in request.headers.get("content-type", ""):
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not hmac.compare_digest(expected, sent):
        raise HTTPException(403, "보안 토큰이 맞지 않습니다. 페이지를 새로 고친 뒤 다시 시도하세요.")


CsrfProtected = Depends(csrf_protect)
