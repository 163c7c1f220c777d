"""Departments (국/과/팀, 동 주민센터), users, roles, web sessions, API keys, login attempts."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from guai.db.base import Base, utcnow


class Role(enum.StrEnum):
    """User roles, valued by their Korean names as staff type them."""

    SYSTEM_ADMIN = "시스템관리자"
    DEPT_ADMIN = "부서관리자"
    STAFF = "직원"

    @property
    def label(self) -> str:
        return {"시스템관리자": "시스템 관리자", "부서관리자": "부서 관리자", "직원": "직원"}[self.value]


class DepartmentKind(enum.StrEnum):
    BUREAU = "국"
    DIVISION = "과"
    TEAM = "팀"
    DONG = "동"
    OTHER = "기타"


class Department(Base):
    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(10), default=DepartmentKind.DIVISION.value)
    phone: Mapped[str | None] = mapped_column(String(40))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parent: Mapped[Department | None] = relationship(remote_side=[id])


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(100))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.STAFF.value)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    auth_source: Mapped[str] = mapped_column(String(20), default="local")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    department: Mapped[Department] = relationship(lazy="joined")

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def is_system_admin(self) -> bool:
        return self.role == Role.SYSTEM_ADMIN.value

    @property
    def is_admin(self) -> bool:
        return self.role in (Role.SYSTEM_ADMIN.value, Role.DEPT_ADMIN.value)


class WebSession(Base):
    """A logged-in browser. Stored in the database so any worker can serve any request."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    client: Mapped[str | None] = mapped_column(String(64))


class ApiKey(Base):
    """Personal API key for programs; only a hash is stored, the key is shown once."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class LoginAttempt(Base):
    """Failed login attempts, shared by all workers, for rate limiting."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_user_time", "username", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    client: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)
