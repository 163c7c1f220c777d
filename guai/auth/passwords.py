"""Argon2 password hashing and the minimum password rule."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from guai.auth.errors import AuthError

_hasher = PasswordHasher()
MIN_LENGTH = 8


def hash_password(password: str) -> str:
    check_password_rule(password)
    return _hasher.hash(password)


def check_password_rule(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise AuthError(f"비밀번호는 {MIN_LENGTH}자 이상이어야 합니다.")


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A real hash to verify against for unknown users, so timing does not reveal which usernames exist.
DUMMY_HASH = _hasher.hash("guai-dummy-password")
