"""First-login provisioning and every-login checks shared by OIDC and LDAP; every outcome is audited."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from guai.audit import record
from guai.auth.users import USERNAME_RE, add_user, find_user
from guai.db.base import utcnow
from guai.db.models.auth import User
from guai.db.models.ops import SsoIdentity
from guai.sso.mapping import MappingError, SsoMapping, resolve_mapping

PROVIDER_LABELS = {"oidc": "통합인증(OIDC)", "ldap": "디렉터리(LDAP/AD)"}


class SsoRefused(Exception):
    """Login through SSO is refused; `message` is shown to the user, `reason` is a stable code for the audit log."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


@dataclass
class SsoIdentityInfo:
    """What the identity provider told us about the person logging in."""

    provider: str
    subject: str
    username: str
    display_name: str | None = None
    groups: list[str] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)
    enabled: bool = True


def _clean_username(raw: str) -> str:
    name = raw.strip()
    if "@" in name:
        name = name.split("@", 1)[0]
    name = re.sub(r"[^A-Za-z0-9._-]", "", name)
    return name[:64]


def _refuse(
    session: Session, info: SsoIdentityInfo, client: str | None, message: str, reason: str
) -> SsoRefused:
    record(
        session,
        actor=(info.username or info.subject)[:64],
        action="sso.login",
        outcome="거부",
        client=client,
        target=info.provider,
        detail={"reason": reason, "provider": info.provider, "groups": info.groups[:20]},
    )
    return SsoRefused(message, reason)


def sso_login(session: Session, info: SsoIdentityInfo, *, mapping: SsoMapping, client: str | None) -> User:
    """Return the guai user for this identity, creating it in the mapped department on first login.

    Refusals are audited in the caller's transaction; the caller must commit even when SsoRefused is raised.
    """
    if not info.enabled:
        raise _refuse(
            session,
            info,
            client,
            "통합인증 디렉터리에서 사용 중지된 계정입니다. 소속 부서 서무 또는 정보화 담당자에게 문의하세요.",
            "directory_disabled",
        )
    identity = session.execute(
        select(SsoIdentity).where(SsoIdentity.provider == info.provider, SsoIdentity.subject == info.subject)
    ).scalar_one_or_none()
    user = session.get(User, identity.user_id) if identity else None
    username = _clean_username(info.username)
    if user is None:
        if not USERNAME_RE.match(username):
            raise _refuse(
                session,
                info,
                client,
                f"통합인증 아이디 '{info.username}'을(를) guai 아이디로 쓸 수 없습니다. 관리자에게 문의하세요.",
                "invalid_username",
            )
        existing = find_user(session, username)
        if existing is not None and existing.auth_source != info.provider:
            # Never let a directory account take over a local account (e.g. 'admin') with the same name.
            raise _refuse(
                session,
                info,
                client,
                f"같은 아이디({username})의 guai 자체 계정이 이미 있어 통합인증 계정과 연결할 수 없습니다. "
                "관리자에게 문의하세요.",
                "local_account_conflict",
            )
        user = existing
    if user is not None and not user.active:
        raise _refuse(
            session,
            info,
            client,
            "guai에서 사용 중지된 계정입니다. 부서 관리자에게 계정 사용 재개를 요청하세요.",
            "guai_disabled",
        )
    try:
        result = resolve_mapping(session, mapping, info.groups, info.attributes)
    except MappingError as exc:
        raise _refuse(session, info, client, f"통합인증 설정 오류: {exc}", "mapping_invalid") from exc
    if result.department is None:
        raise _refuse(
            session,
            info,
            client,
            "소속 부서를 확인할 수 없어 로그인할 수 없습니다. 통합인증 그룹이 guai 부서에 연결되어 있지 않습니다. "
            "정보화 담당자에게 부서 매핑 등록을 요청하세요.",
            "unmapped",
        )
    created = user is None
    if user is None:
        user = add_user(
            session,
            username=username,
            password=None,
            department=result.department.name,
            role=result.role,
            display_name=info.display_name or username,
            auth_source=info.provider,
        )
    else:
        # The directory is the source of truth for department and role; apply moves and promotions.
        user.department_id = result.department.id
        user.role = result.role
        if info.display_name:
            user.display_name = info.display_name
    if identity is None:
        identity = SsoIdentity(provider=info.provider, subject=info.subject, user_id=user.id)
        session.add(identity)
    identity.last_login_at = utcnow()
    identity.groups = json.dumps(info.groups[:100], ensure_ascii=False)
    user.last_login_at = utcnow()
    session.flush()
    session.refresh(user)
    record(
        session,
        actor=user.username,
        action="sso.login",
        outcome="성공",
        client=client,
        target=info.provider,
        department=result.department.name,
        detail={
            "provider": info.provider,
            "created": created,
            "role": result.role,
            "matched": result.matched,
        },
    )
    return user
