"""Users, departments (incl. 동 주민센터), roles, web sessions and personal API keys."""

from guai.auth.errors import AuthError, PermissionDenied
from guai.auth.permissions import can_manage_department, can_manage_user

__all__ = ["AuthError", "PermissionDenied", "can_manage_department", "can_manage_user"]
