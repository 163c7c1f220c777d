"""Staff side of the citizen chatbot (/admin/citizen): overview and daily top questions, unanswered and
low-confidence questions, guidance Q&A editing and import, the department's tickets with replies, settings.

Any logged-in staff member sees the overview and their own department's tickets; editing guidance needs a
department administrator (own department's entries) or a system administrator; settings need a system
administrator.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from guai.audit import record
from guai.citizen import (
    STATUSES,
    CitizenError,
    CitizenSettings,
    GuidanceInput,
    daily_report,
    deactivate_guidance,
    get_guidance,
    import_guidance,
    invalidate,
    list_guidance,
    list_tickets,
    load_settings,
    save_guidance,
    save_settings,
    staff_view,
    update_ticket,
    weak_questions,
)
from guai.citizen.store import parse_date
from guai.citizen.tickets import can_see_contact, get_for_staff, status_counts
from guai.db.models.auth import Department, User
from guai.web.deps import AdminUser, CsrfProtected, CurrentUser, SessionDep, SystemAdmin, client_address, deny
from guai.web.templating import render

router = APIRouter(prefix="/admin/citizen")


def _back(path: str, message: str | None = None, error: str | None = None) -> Response:
    params = {k: v for k, v in (("msg", message), ("err", error)) if v}
    return RedirectResponse(f"{path}?{urlencode(params)}" if params else path, status_code=303)


def _parse_day(value: str | None) -> date:
    try:
        return date.fromisoformat(value) if value else date.today()
    except ValueError:
        return date.today()


def _may_edit(user: User, department: str) -> bool:
    return user.is_system_admin or (user.is_admin and user.department.name == department)


@router.get("")
def overview(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    day: str | None = None,
    msg: str | None = None,
    err: str | None = None,
) -> Response:
    when = _parse_day(day)
    cfg = load_settings(session)
    report = daily_report(session, when, min_confidence=cfg.min_confidence, top_n=10)
    weak = weak_questions(
        session, since=when - timedelta(days=6), until=when, min_confidence=cfg.min_confidence
    )
    return render(
        request,
        "citizen/admin_overview.html",
        {
            "report": report,
            "weak": weak,
            "day": when,
            "counts": status_counts(session, user),
            "cfg": cfg,
            "msg": msg,
            "err": err,
            "guidance_count": len(list_guidance(session)),
            "tab": "overview",
        },
    )


@router.get("/guidance")
def guidance_list(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    q: str = "",
    inactive: int = 0,
    msg: str | None = None,
    err: str | None = None,
) -> Response:
    rows = list_guidance(session, query=q, include_inactive=bool(inactive))
    return render(
        request,
        "citizen/admin_guidance.html",
        {
            "rows": rows,
            "q": q,
            "inactive": inactive,
            "msg": msg,
            "err": err,
            "tab": "guidance",
            "can_edit": {g.code: _may_edit(user, g.department) for g in rows},
            "is_admin": user.is_admin,
        },
    )


def _departments(session: SessionDep, user: User) -> list[Department]:
    depts = list(session.execute(select(Department).order_by(Department.name)).scalars())
    return depts if user.is_system_admin else [d for d in depts if d.id == user.department_id]


@router.get("/guidance/new")
def guidance_new(request: Request, user: AdminUser, session: SessionDep, question: str = "") -> Response:
    item = GuidanceInput(question=question, answer="", department=user.department.name)
    return render(
        request,
        "citizen/admin_guidance_form.html",
        {
            "item": item,
            "code": "",
            "departments": _departments(session, user),
            "tab": "guidance",
        },
    )


@router.get("/guidance/{code}")
def guidance_edit(request: Request, code: str, user: AdminUser, session: SessionDep) -> Response:
    try:
        row = get_guidance(session, code)
    except CitizenError as exc:
        return _back("/admin/citizen/guidance", error=str(exc))
    if not _may_edit(user, row.department):
        raise deny(request, user, "다른 부서의 안내는 고칠 수 없습니다.")
    return render(
        request,
        "citizen/admin_guidance_form.html",
        {
            "item": row,
            "code": row.code,
            "departments": _departments(session, user),
            "tab": "guidance",
        },
    )


@router.post("/guidance", dependencies=[CsrfProtected])
def guidance_save(
    request: Request,
    user: AdminUser,
    session: SessionDep,
    question: Annotated[str, Form()],
    answer: Annotated[str, Form()],
    department: Annotated[str, Form()],
    code: Annotated[str, Form()] = "",
    phone: Annotated[str, Form()] = "",
    tags: Annotated[str, Form()] = "",
    category: Annotated[str, Form()] = "",
    source: Annotated[str, Form()] = "",
    valid_until: Annotated[str, Form()] = "",
    last_checked: Annotated[str, Form()] = "",
) -> Response:
    if not _may_edit(user, department):
        raise deny(request, user, "자기 부서의 안내만 만들거나 고칠 수 있습니다.")
    try:
        if code:
            existing = get_guidance(session, code)
            if not _may_edit(user, existing.department):
                raise deny(request, user, "다른 부서의 안내는 고칠 수 없습니다.")
        item = GuidanceInput(
            question=question,
            answer=answer,
            department=department,
            phone=phone,
            code=code,
            tags=tags,
            category=category,
            source=source,
            valid_until=parse_date(valid_until, "유효기간"),
            last_checked=parse_date(last_checked, "최종 확인일"),
        )
        row, created = save_guidance(session, item, actor=user.username)
    except CitizenError as exc:
        session.rollback()
        return render(
            request,
            "citizen/admin_guidance_form.html",
            {
                "item": GuidanceInput(
                    question=question,
                    answer=answer,
                    department=department,
                    phone=phone,
                    code=code,
                    tags=tags,
                    category=category,
                    source=source,
                ),
                "code": code,
                "departments": _departments(session, user),
                "error": str(exc),
                "tab": "guidance",
                "valid_until_raw": valid_until,
                "last_checked_raw": last_checked,
            },
            status_code=400,
        )
    record(
        session,
        actor=user.username,
        action="citizen.guidance.create" if created else "citizen.guidance.update",
        target=row.code,
        department=user.department.name,
        client=client_address(request),
    )
    invalidate(request.app.state.db)
    return _back(
        "/admin/citizen/guidance", message=f"안내 {row.code}을(를) {'추가' if created else '고쳤'}습니다."
    )


@router.post("/guidance/{code}/deactivate", dependencies=[CsrfProtected])
def guidance_deactivate(request: Request, code: str, user: AdminUser, session: SessionDep) -> Response:
    try:
        row = get_guidance(session, code)
        if not _may_edit(user, row.department):
            raise deny(request, user, "다른 부서의 안내는 내릴 수 없습니다.")
        deactivate_guidance(session, code, actor=user.username)
    except CitizenError as exc:
        return _back("/admin/citizen/guidance", error=str(exc))
    record(
        session,
        actor=user.username,
        action="citizen.guidance.deactivate",
        target=code,
        department=user.department.name,
        client=client_address(request),
    )
    invalidate(request.app.state.db)
    return _back("/admin/citizen/guidance", message=f"안내 {code}을(를) 더 이상 답변에 쓰지 않습니다.")


@router.post("/guidance/import", dependencies=[CsrfProtected])
async def guidance_import(
    request: Request, user: SystemAdmin, session: SessionDep, file: Annotated[UploadFile, File()]
) -> Response:
    limit = request.app.state.settings.max_upload_mb * 1024 * 1024
    data = await file.read(limit + 1)
    if len(data) > limit:
        return _back("/admin/citizen/guidance", error="파일이 너무 큽니다.")
    try:
        report = import_guidance(session, data, file.filename or "upload.csv", actor=user.username)
    except CitizenError as exc:
        return _back("/admin/citizen/guidance", error=str(exc))
    record(
        session,
        actor=user.username,
        action="citizen.import",
        target=file.filename,
        department=user.department.name,
        client=client_address(request),
        detail={"created": report.created, "updated": report.updated},
    )
    invalidate(request.app.state.db)
    return _back(
        "/admin/citizen/guidance", message=f"가져오기 완료: 새로 {report.created}건, 고침 {report.updated}건"
    )


@router.get("/tickets")
def tickets_page(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    status: str = "",
    msg: str | None = None,
    err: str | None = None,
) -> Response:
    rows = list_tickets(session, user, status=status or None)
    return render(
        request,
        "citizen/admin_tickets.html",
        {
            "rows": [staff_view(user, t) for t in rows],
            "status": status,
            "statuses": STATUSES,
            "counts": status_counts(session, user),
            "msg": msg,
            "err": err,
            "tab": "tickets",
        },
    )


@router.get("/tickets/{ticket_id}")
def ticket_detail(
    request: Request,
    ticket_id: int,
    user: CurrentUser,
    session: SessionDep,
    msg: str | None = None,
    err: str | None = None,
) -> Response:
    try:
        ticket = get_for_staff(session, user, ticket_id)
    except CitizenError as exc:
        return _back("/admin/citizen/tickets", error=str(exc))
    view = staff_view(user, ticket)
    if can_see_contact(user, ticket) and (
        ticket.contact_name or ticket.contact_phone or ticket.contact_email
    ):
        record(
            session,
            actor=user.username,
            action="citizen.ticket.view_contact",
            target=ticket.code,
            department=user.department.name,
            client=client_address(request),
        )
    depts = list(session.execute(select(Department).order_by(Department.name)).scalars())
    return render(
        request,
        "citizen/admin_ticket.html",
        {
            "t": view,
            "statuses": STATUSES,
            "departments": depts,
            "msg": msg,
            "err": err,
            "tab": "tickets",
        },
    )


@router.post("/tickets/{ticket_id}", dependencies=[CsrfProtected])
def ticket_update(
    request: Request,
    ticket_id: int,
    user: CurrentUser,
    session: SessionDep,
    status: Annotated[str, Form()],
    reply: Annotated[str, Form()] = "",
    department: Annotated[str, Form()] = "",
) -> Response:
    target = None
    if department:
        target = session.execute(select(Department).where(Department.name == department)).scalar_one_or_none()
        if target is None:
            return _back(
                f"/admin/citizen/tickets/{ticket_id}", error=f"부서 '{department}'을(를) 찾을 수 없습니다."
            )
    try:
        ticket = update_ticket(
            session,
            user,
            ticket_id,
            status=status,
            reply=reply,
            department=target,
            client=client_address(request),
        )
    except CitizenError as exc:
        session.rollback()
        return _back(f"/admin/citizen/tickets/{ticket_id}", error=str(exc))
    if target is not None and ticket.department_id != user.department_id and not user.is_system_admin:
        return _back(
            "/admin/citizen/tickets", message=f"문의 {ticket.code}을(를) {target.name}(으)로 넘겼습니다."
        )
    return _back(f"/admin/citizen/tickets/{ticket_id}", message="저장했습니다.")


@router.post("/settings", dependencies=[CsrfProtected])
async def settings_save(request: Request, user: SystemAdmin, session: SessionDep) -> Response:
    form = await request.form()
    values = {name: str(form.get(name)) for name in CitizenSettings.names() if form.get(name) is not None}
    try:
        save_settings(session, values, actor=user.username)
    except CitizenError as exc:
        session.rollback()
        return _back("/admin/citizen", error=str(exc))
    record(
        session,
        actor=user.username,
        action="citizen.settings",
        department=user.department.name,
        client=client_address(request),
        detail=values,
    )
    invalidate(request.app.state.db)
    return _back("/admin/citizen", message="시민 챗봇 설정을 저장했습니다.")
