"""User services: add, list, disable, authenticate with rate limiting of failed logins."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from guai.auth.departments import get_department
from guai.auth.errors import AuthError, PermissionDenied
from guai.auth.passwords import DUMMY_HASH, hash_password, verify_password
from guai.auth.permissions import can_manage_user
from guai.db.base import utcnow
from guai.db.models.auth import LoginAttempt, Role, User

USERNAME_RE = re.compile(r"^[A-Za-z0-9._-]{2,64}$")


def parse_role(value: str) -> Role:
    cleaned = value.replace(" ", "")
    aliases = {
        "admin": Role.SYSTEM_ADMIN,
        "system_admin": Role.SYSTEM_ADMIN,
        "dept_admin": Role.DEPT_ADMIN,
        "staff": Role.STAFF,
    }
    if cleaned in aliases:
        return aliases[cleaned]
    try:
        return Role(cleaned)
    except ValueError:
        raise AuthError(
            f"역할 '{value}'을(를) 알 수 없습니다. 직원, 부서관리자, 시스템관리자 중 하나를 쓰세요."
        ) from None


def find_user(session: Session, username: str) -> User | None:
    return session.execute(select(User).where(User.username == username)).scalar_one_or_none()


def get_user(session: Session, username: str) -> User:
    user = find_user(session, username)
    if user is None:
        raise AuthError(f"사용자 '{username}'을(를) 찾을 수 없습니다.")
    return user


def add_user(
    session: Session,
    *,
    username: str,
    password: str | None,
    department: str,
    role: str = Role.STAFF.value,
    display_name: str | None = None,
    actor: User | None = None,
    auth_source: str = "local",
) -> User:
    """Create a user. When actor is given, the actor's permissions are checked."""
    username = username.strip()
    if not USERNAME_RE.match(username):
        raise AuthError("아이디는 영문, 숫자, 점(.), 밑줄(_), 하이픈(-)으로 2~64자여야 합니다.")
    role_value = parse_role(role).value
    dept = get_department(session, department)
    if actor is not None and not can_manage_user(actor, dept.id, role_value):
        raise PermissionDenied("이 부서나 역할의 사용자를 만들 권한이 없습니다.")
    if find_user(session, username):
        raise AuthError(f"아이디 '{username}'은(는) 이미 사용 중입니다. 다른 아이디를 쓰세요.")
    user = User(
        username=username,
        display_name=display_name or username,
        role=role_value,
        department_id=dept.id,
        password_hash=hash_password(password) if password is not None else None,
        auth_source=auth_source,
    )
    session.add(user)
    session.flush()
    return user


def list_users(session: Session, *, department_id: int | None = None) -> list[User]:
    stmt = select(User).order_by(User.username)
    if department_id is not None:
        stmt = stmt.where(User.department_id == department_id)
    return list(session.execute(stmt).scalars())


def set_active(session: Session, username: str, active: bool, *, actor: User | None = None) -> User:
    user = get_user(session, username)
    if actor is not None:
        if not can_manage_user(actor, user.department_id, user.role):
            raise PermissionDenied("이 사용자를 관리할 권한이 없습니다.")
        if actor.id == user.id and not active:
            raise AuthError("자기 자신의 계정은 비활성화할 수 없습니다.")
    user.active = active
    if not active:
        from guai.db.models.auth import WebSession

        session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    return user


def set_password(session: Session, username: str, password: str) -> User:
    user = get_user(session, username)
    user.password_hash = hash_password(password)
    return user


class LoginBlocked(AuthError):
    """Too many failed logins recently."""


def recent_failures(session: Session, username: str, window_minutes: int) -> int:
    since = utcnow() - timedelta(minutes=window_minutes)
    return session.execute(
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.username == username, LoginAttempt.at >= since)
    ).scalar_one()


def authenticate(
    session: Session,
    username: str,
    password: str,
    *,
    client: str | None,
    max_failures: int,
    window_minutes: int,
) -> User | None:
    """Return the user on success, None on a wrong name/password; raise LoginBlocked when rate-limited."""
    username = username.strip()
    if recent_failures(session, username, window_minutes) >= max_failures:
        raise LoginBlocked(
            f"로그인 실패가 {max_failures}회를 넘어 {window_minutes}분 동안 로그인이 제한됩니다. 잠시 후 다시 시도하세요."
        )
    user = find_user(session, username)
    ok = verify_password(user.password_hash if user else DUMMY_HASH, password)
    if user is None or not ok or not user.active:
        session.add(LoginAttempt(username=username, client=client))
        return None
    session.execute(delete(LoginAttempt).where(LoginAttempt.username == username))
    user.last_login_at = utcnow()
    return user
