"""Single sign-on routes: OIDC redirect/callback and the LDAP/AD login form, next to local login."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from guai.audit import record
from guai.auth.users import recent_failures
from guai.config import Settings
from guai.db.models.auth import LoginAttempt, User
from guai.ops.metrics import record_login
from guai.sso import SsoMapping, SsoRefused, sso_login
from guai.sso.ldap import LdapBadCredentials, LdapError, ldap_authenticate, ldap_enabled
from guai.sso.mapping import MappingError
from guai.sso.oidc import STATE_COOKIE, STATE_MAX_AGE, OidcClient, OidcError, oidc_enabled
from guai.sso.provision import SsoIdentityInfo
from guai.web.deps import SessionDep, SettingsDep, client_address
from guai.web.routes.auth import _login_page, _safe_next, login_csrf_ok, start_session

router = APIRouter(prefix="/sso")


def _callback_url(request: Request, settings: Settings) -> str:
    if settings.public_url:
        return settings.public_url.rstrip("/") + "/sso/oidc/callback"
    return str(request.url_for("oidc_callback"))


def _start_session(
    request: Request, session: SessionDep, settings: Settings, user: User, next_url: str
) -> Response:
    resp = start_session(request, session, settings, user, next_url)
    resp.delete_cookie(STATE_COOKIE)
    return resp


def _provision(
    request: Request, session: SessionDep, settings: Settings, info: SsoIdentityInfo, next_url: str
) -> Response:
    try:
        mapping = SsoMapping.from_settings(settings)
        user = sso_login(session, info, mapping=mapping, client=client_address(request))
    except MappingError as exc:
        record_login(info.provider, "failed")
        return _login_page(request, error=f"통합인증 설정 오류: {exc}", next_url=next_url, status_code=500)
    except SsoRefused as exc:
        session.commit()  # keep the audit entry of the refusal
        record_login(info.provider, "refused")
        return _login_page(
            request, error=exc.message, next_url=next_url, username=info.username, status_code=403
        )
    record_login(info.provider, "success")
    return _start_session(request, session, settings, user, next_url)


def _login_failed(
    session: Session, method: str, actor: str, client: str | None, **detail: str | None
) -> None:
    """One failed SSO login: counted in guai_logins_total and written to the audit log."""
    record_login(method, "failed")
    record(
        session,
        actor=actor[:64],
        action="sso.login",
        outcome="실패",
        target=method,
        client=client,
        detail=detail,
    )


@router.get("/oidc/login")
def oidc_login(request: Request, settings: SettingsDep, next: str | None = None) -> Response:
    if not oidc_enabled(settings):
        return _login_page(request, error="통합인증(OIDC)이 설정되어 있지 않습니다.", status_code=404)
    try:
        url, cookie = OidcClient(settings).begin(_callback_url(request, settings), _safe_next(next))
    except OidcError as exc:
        return _login_page(request, error=str(exc), next_url=_safe_next(next), status_code=502)
    resp = RedirectResponse(url, status_code=303)
    # Lax so the cookie comes back on the provider's top-level redirect to our callback.
    resp.set_cookie(
        STATE_COOKIE,
        cookie,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        max_age=STATE_MAX_AGE,
        path="/sso/oidc",
    )
    return resp


@router.get("/oidc/callback", name="oidc_callback")
def oidc_callback(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    code: str | None = None,
    state: str | None = None,
    error: str | None = None,
    error_description: str | None = None,
) -> Response:
    if not oidc_enabled(settings):
        return _login_page(request, error="통합인증(OIDC)이 설정되어 있지 않습니다.", status_code=404)
    client = OidcClient(settings)
    if error:
        _login_failed(
            session, "oidc", "anonymous", client_address(request), error=error, description=error_description
        )
        return _login_page(
            request,
            error=f"통합인증 서버가 로그인을 거절했습니다: {error_description or error}",
            status_code=403,
        )
    try:
        oidc_request = client.load_request(request.cookies.get(STATE_COOKIE))
        info = client.finish(
            code=code or "",
            state=state or "",
            request=oidc_request,
            redirect_uri=_callback_url(request, settings),
        )
    except OidcError as exc:
        _login_failed(session, "oidc", "anonymous", client_address(request), reason=str(exc)[:300])
        return _login_page(request, error=str(exc), status_code=400)
    return _provision(request, session, settings, info, _safe_next(oidc_request.next_url))


@router.post("/ldap/login")
def ldap_login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    next_url = _safe_next(next)
    if not ldap_enabled(settings):
        return _login_page(
            request, error="통합계정(LDAP/AD) 로그인이 설정되어 있지 않습니다.", status_code=404
        )
    if not login_csrf_ok(request, csrf_token):
        return _login_page(
            request,
            error="보안 토큰이 만료되었습니다. 다시 로그인해 주세요.",
            next_url=next_url,
            status_code=400,
        )
    name = username.strip()
    if not name or not password:
        return _login_page(
            request, error="통합계정 아이디와 비밀번호를 모두 입력하세요.", next_url=next_url, status_code=400
        )
    client = client_address(request)
    key = f"ldap:{name}"[:64]
    if recent_failures(session, key, settings.login_window_minutes) >= settings.login_max_failures:
        record_login("ldap", "locked")
        record(session, actor=name[:64], action="login.blocked", outcome="거부", client=client, target="ldap")
        return _login_page(
            request,
            error=f"로그인 실패가 {settings.login_max_failures}회를 넘어 "
            f"{settings.login_window_minutes}분 동안 로그인이 제한됩니다.",
            next_url=next_url,
            status_code=429,
        )
    try:
        info = ldap_authenticate(settings, name, password)
    except LdapBadCredentials:
        session.add(LoginAttempt(username=key, client=client))
        _login_failed(session, "ldap", name, client, reason="bad_credentials")
        return _login_page(
            request,
            error="통합계정 아이디 또는 비밀번호가 올바르지 않습니다.",
            next_url=next_url,
            status_code=401,
        )
    except LdapError as exc:
        _login_failed(session, "ldap", name, client, reason=str(exc)[:300])
        return _login_page(request, error=str(exc), next_url=next_url, status_code=502)
    return _provision(request, session, settings, info, next_url)
