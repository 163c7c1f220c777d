"""Administration pages: departments, accounts and the audit log (filter, CSV export)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from guai.audit import record, verify
from guai.audit.query import AuditFilter, export_csv, query_entries
from guai.auth.departments import add_department, list_departments
from guai.auth.errors import AuthError
from guai.auth.users import add_user, list_users, set_active
from guai.db.models.auth import Role, User
from guai.web.deps import AdminUser, CsrfProtected, SessionDep, SystemAdmin, client_address
from guai.web.templating import render

router = APIRouter(prefix="/admin")


def _audit(request: Request, session: Session, user: User, *, action: str, **fields: Any) -> None:
    """Record an administrator's action with their department and address."""
    record(
        session,
        actor=user.username,
        client=client_address(request),
        department=user.department.name,
        action=action,
        **fields,
    )


def _redirect(path: str, message: str | None = None, error: str | None = None) -> Response:
    from urllib.parse import urlencode

    params = {k: v for k, v in (("msg", message), ("err", error)) if v}
    return RedirectResponse(f"{path}?{urlencode(params)}" if params else path, status_code=303)


@router.get("")
def admin_home(request: Request, user: AdminUser, session: SessionDep) -> Response:
    dept_filter = None if user.is_system_admin else user.department_id
    users = list_users(session, department_id=dept_filter)
    depts = list_departments(session)
    return render(
        request,
        "admin/home.html",
        {
            "user_count": len(users),
            "active_count": sum(u.active for u in users),
            "dept_count": len(depts),
            "dong_count": sum(d.kind == "동" for d in depts),
        },
    )


@router.get("/users")
def users_page(
    request: Request, user: AdminUser, session: SessionDep, msg: str | None = None, err: str | None = None
) -> Response:
    dept_filter = None if user.is_system_admin else user.department_id
    depts = list_departments(session)
    allowed_depts = depts if user.is_system_admin else [d for d in depts if d.id == user.department_id]
    roles = [r for r in Role if user.is_system_admin or r != Role.SYSTEM_ADMIN]
    return render(
        request,
        "admin/users.html",
        {
            "users": list_users(session, department_id=dept_filter),
            "departments": allowed_depts,
            "roles": roles,
            "msg": msg,
            "err": err,
        },
    )


@router.post("/users", dependencies=[CsrfProtected])
def users_add(
    request: Request,
    user: AdminUser,
    session: SessionDep,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    department: Annotated[str, Form()],
    role: Annotated[str, Form()] = Role.STAFF.value,
    display_name: Annotated[str, Form()] = "",
) -> Response:
    try:
        new = add_user(
            session,
            username=username,
            password=password,
            department=department,
            role=role,
            display_name=display_name or None,
            actor=user,
        )
    except AuthError as exc:
        session.rollback()
        _audit(
            request,
            session,
            user,
            action="user.add",
            outcome="실패",
            target=username,
            detail={"reason": str(exc)},
        )
        return _redirect("/admin/users", error=str(exc))
    _audit(
        request,
        session,
        user,
        action="user.add",
        target=new.username,
        detail={"role": new.role, "department": department},
    )
    return _redirect("/admin/users", message=f"사용자 {new.username}을(를) 추가했습니다.")


@router.post("/users/{username}/active", dependencies=[CsrfProtected])
def users_set_active(
    request: Request, username: str, user: AdminUser, session: SessionDep, active: Annotated[str, Form()]
) -> Response:
    want = active == "1"
    try:
        set_active(session, username, want, actor=user)
    except AuthError as exc:
        session.rollback()
        _audit(
            request,
            session,
            user,
            action="user.enable" if want else "user.disable",
            outcome="거부",
            target=username,
            detail={"reason": str(exc)},
        )
        return _redirect("/admin/users", error=str(exc))
    _audit(
        request,
        session,
        user,
        action="user.enable" if want else "user.disable",
        target=username,
    )
    return _redirect(
        "/admin/users", message=f"{username} 계정을 {'사용' if want else '중지'}으로 바꿨습니다."
    )


@router.get("/departments")
def departments_page(
    request: Request, user: AdminUser, session: SessionDep, msg: str | None = None, err: str | None = None
) -> Response:
    return render(
        request, "admin/departments.html", {"departments": list_departments(session), "msg": msg, "err": err}
    )


@router.post("/departments", dependencies=[CsrfProtected])
def departments_add(
    request: Request,
    user: SystemAdmin,
    session: SessionDep,
    name: Annotated[str, Form()],
    phone: Annotated[str, Form()] = "",
    parent: Annotated[str, Form()] = "",
) -> Response:
    try:
        dept = add_department(session, name=name, phone=phone or None, parent=parent or None)
    except AuthError as exc:
        session.rollback()
        return _redirect("/admin/departments", error=str(exc))
    _audit(
        request,
        session,
        user,
        action="department.add",
        target=dept.name,
        detail={"phone": phone},
    )
    return _redirect("/admin/departments", message=f"부서 {dept.name}을(를) 추가했습니다.")


def _audit_filter(
    actor: str | None = None,
    action: str | None = None,
    outcome: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> AuditFilter:
    def parse(value: str | None) -> date | None:
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            return None

    return AuditFilter(
        actor=actor or None,
        action=action or None,
        outcome=outcome or None,
        date_from=parse(date_from),
        date_to=parse(date_to),
    )


@router.get("/audit")
def audit_page(
    request: Request,
    user: AdminUser,
    session: SessionDep,
    f: Annotated[AuditFilter, Depends(_audit_filter)],
    page: int = 1,
) -> Response:
    if not user.is_system_admin:
        f.department = user.department.name
    page = max(page, 1)
    entries = query_entries(session, f, limit=50, offset=(page - 1) * 50)
    chain = None
    if user.is_system_admin and request.query_params.get("verify") == "1":
        checked, problems = verify(session)
        chain = {"checked": checked, "problems": problems}
    return render(
        request,
        "admin/audit.html",
        {"entries": entries, "f": f, "page": page, "chain": chain, "query": request.url.query},
    )


@router.get("/audit.csv")
def audit_csv(
    request: Request, user: AdminUser, session: SessionDep, f: Annotated[AuditFilter, Depends(_audit_filter)]
) -> Response:
    if not user.is_system_admin:
        f.department = user.department.name
    data = export_csv(session, f)
    _audit(
        request,
        session,
        user,
        action="audit.export",
    )
    return Response(
        ("\ufeff" + data).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": "attachment; filename=guai-audit.csv"},
    )
