"""Login and logout pages (web sessions with CSRF-protected forms and rate-limited failures)."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from guai.audit import record
from guai.auth.tokens import create_session, end_session
from guai.auth.users import LoginBlocked, authenticate
from guai.config import Settings
from guai.db.models.auth import User
from guai.ops.metrics import record_login
from guai.web.deps import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    OptionalUser,
    SessionDep,
    SettingsDep,
    client_address,
)
from guai.web.templating import render

router = APIRouter()


def _safe_next(value: str | None) -> str:
    if not value:
        return "/"
    parsed = urlparse(value)
    if parsed.scheme or parsed.netloc or not value.startswith("/") or value.startswith("//"):
        return "/"
    return value


def _login_page(
    request: Request,
    *,
    error: str | None = None,
    next_url: str = "/",
    username: str = "",
    status_code: int = 200,
) -> Response:
    token = secrets.token_urlsafe(24)
    resp = render(
        request,
        "login.html",
        {"error": error, "next": next_url, "username": username, "login_csrf": token},
        status_code=status_code,
    )
    resp.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.app.state.settings.cookie_secure,
        max_age=3600,
    )
    return resp


@router.get("/login")
def login_form(request: Request, user: OptionalUser, next: str | None = None) -> Response:
    if user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return _login_page(request, next_url=_safe_next(next))


@router.post("/login")
def login_submit(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    next_url = _safe_next(next)
    if not login_csrf_ok(request, csrf_token):
        return _login_page(
            request,
            error="보안 토큰이 만료되었습니다. 다시 로그인해 주세요.",
            next_url=next_url,
            username=username,
            status_code=400,
        )
    if not username.strip() or not password:
        return _login_page(
            request,
            error="아이디와 비밀번호를 모두 입력하세요.",
            next_url=next_url,
            username=username,
            status_code=400,
        )
    client = client_address(request)
    try:
        user = authenticate(
            session,
            username,
            password,
            client=client,
            max_failures=settings.login_max_failures,
            window_minutes=settings.login_window_minutes,
        )
    except LoginBlocked as exc:
        record_login("password", "locked")
        record(session, actor=username.strip()[:64], action="login.blocked", outcome="거부", client=client)
        return _login_page(request, error=str(exc), next_url=next_url, username=username, status_code=429)
    if user is None:
        record_login("password", "failed")
        record(session, actor=username.strip()[:64], action="login.failed", outcome="실패", client=client)
        return _login_page(
            request,
            error="아이디 또는 비밀번호가 올바르지 않습니다.",
            next_url=next_url,
            username=username,
            status_code=401,
        )
    record(
        session,
        actor=user.username,
        action="login",
        outcome="성공",
        client=client,
        department=user.department.name,
    )
    record_login("password", "success")
    return start_session(request, session, settings, user, next_url)


def login_csrf_ok(request: Request, sent: str) -> bool:
    """The login form's token matches its cookie (forms posted before any session exists)."""
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    return bool(cookie) and hmac.compare_digest(cookie, sent)


def start_session(
    request: Request, session: Session, settings: Settings, user: User, next_url: str
) -> Response:
    """Create the web session of a user who just logged in (any method) and redirect with its cookie."""
    token, _web = create_session(session, user, hours=settings.session_hours, client=client_address(request))
    resp = RedirectResponse(next_url, status_code=303)
    resp.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        max_age=settings.session_hours * 3600,
    )
    resp.delete_cookie(LOGIN_CSRF_COOKIE)
    return resp


@router.post("/logout")
async def logout(request: Request, session: SessionDep, user: OptionalUser) -> Response:
    form = await request.form()
    expected = getattr(request.state, "csrf_token", None)
    if user is not None and expected and hmac.compare_digest(expected, str(form.get("csrf_token", ""))):
        end_session(session, request.cookies.get(SESSION_COOKIE))
        record(
            session,
            actor=user.username,
            action="logout",
            client=client_address(request),
            department=user.department.name,
        )
    resp = RedirectResponse("/login?logged_out=1", status_code=303)
    resp.delete_cookie(SESSION_COOKIE)
    return resp
