"""Who may manage whom: system admins everything, department admins their own department only."""

from __future__ import annotations

from guai.db.models.auth import Department, Role, User


def can_manage_department(actor: User, department: Department | int) -> bool:
    dept_id = department if isinstance(department, int) else department.id
    if actor.is_system_admin:
        return True
    return actor.role == Role.DEPT_ADMIN.value and actor.department_id == dept_id


def can_manage_user(actor: User, target_department_id: int, target_role: str) -> bool:
    if actor.is_system_admin:
        return True
    if actor.role != Role.DEPT_ADMIN.value or actor.department_id != target_department_id:
        return False
    return target_role != Role.SYSTEM_ADMIN.value
