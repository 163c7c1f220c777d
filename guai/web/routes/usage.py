"""Admin: AI usage per department and user (chart, table, CSV export) and quotas."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from guai.audit import record
from guai.auth.departments import find_department
from guai.auth.users import find_user
from guai.llm.usage import (
    export_csv,
    list_quotas,
    period_start,
    set_quota,
    today,
    usage_by_department,
    usage_by_user,
)
from guai.web.deps import AdminUser, CsrfProtected, SessionDep, client_address, deny
from guai.web.templating import render

router = APIRouter(prefix="/admin")


def _range(period: str | None, date_from: str | None, date_to: str | None) -> tuple[date, date, str]:
    try:
        if date_from or date_to:
            start = date.fromisoformat(date_from) if date_from else period_start("month")
            end = date.fromisoformat(date_to) if date_to else today()
            return start, end, "custom"
    except ValueError:
        pass
    p = period if period in ("day", "month") else "month"
    return period_start(p), today(), p


def _bars(rows: list, width: int = 520) -> dict:  # type: ignore[type-arg]
    """Geometry for a horizontal SVG bar chart (tokens per department)."""
    top = max((r.tokens for r in rows), default=0) or 1
    bars = [
        {
            "label": r.department,
            "value": r.tokens,
            "requests": r.requests,
            "y": i * 22,
            "w": round(width * r.tokens / top, 1),
        }
        for i, r in enumerate(rows)
    ]
    return {"bars": bars, "height": len(bars) * 22 + 4, "width": width}


@router.get("/usage")
def usage_page(
    request: Request,
    user: AdminUser,
    session: SessionDep,
    period: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    msg: str | None = None,
    err: str | None = None,
) -> Response:
    start, end, chosen = _range(period, date_from, date_to)
    rows = usage_by_department(session, start, end)
    if not user.is_system_admin:
        rows = [r for r in rows if r.department == user.department.name]
    dept_filter = None if user.is_system_admin else user.department_id
    used = [r for r in rows if r.requests]
    return render(
        request,
        "admin_llm/usage.html",
        {
            "rows": rows,
            "chart": _bars(rows if len(rows) <= 60 else used),
            "start": start,
            "end": end,
            "period": chosen,
            "users": usage_by_user(session, start, end, department_id=dept_filter),
            "quotas": list_quotas(session, department_id=dept_filter),
            "query": urlencode({"date_from": start.isoformat(), "date_to": end.isoformat()}),
            "totals": {
                "requests": sum(r.requests for r in rows),
                "tokens": sum(r.tokens for r in rows),
                "active": len(used),
                "departments": len(rows),
            },
            "msg": msg,
            "err": err,
        },
    )


@router.get("/usage.csv")
def usage_csv(
    request: Request,
    user: AdminUser,
    session: SessionDep,
    date_from: str | None = None,
    date_to: str | None = None,
) -> Response:
    start, end, _ = _range(None, date_from or period_start("month").isoformat(), date_to)
    data = export_csv(session, start, end, department_id=None if user.is_system_admin else user.department_id)
    record(
        session,
        actor=user.username,
        action="usage.export",
        target=f"{start}~{end}",
        department=user.department.name,
        client=client_address(request),
    )
    return Response(
        data.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="guai-usage-{start}-{end}.csv"'},
    )


def _int_or_none(value: str) -> int | None:
    value = value.replace(",", "").strip()
    return int(value) if value.isdigit() else None


@router.post("/usage/quota", dependencies=[CsrfProtected])
def quota_set(
    request: Request,
    user: AdminUser,
    session: SessionDep,
    scope: Annotated[str, Form()],
    target: Annotated[str, Form()],
    period: Annotated[str, Form()] = "month",
    max_tokens: Annotated[str, Form()] = "",
    max_requests: Annotated[str, Form()] = "",
) -> Response:
    def back(msg: str | None = None, err: str | None = None) -> Response:
        params = {k: v for k, v in (("msg", msg), ("err", err)) if v}
        return RedirectResponse(f"/admin/usage?{urlencode(params)}", status_code=303)

    if scope == "department":
        if not user.is_system_admin:
            raise deny(request, user, "부서 한도는 시스템 관리자만 정할 수 있습니다.")
        dept = find_department(session, target.strip())
        if dept is None:
            return back(err=f"부서 '{target}'을(를) 찾을 수 없습니다.")
        target_id, label = dept.id, dept.name
    elif scope == "user":
        u = find_user(session, target.strip())
        if u is None:
            return back(err=f"사용자 '{target}'을(를) 찾을 수 없습니다.")
        if not user.is_system_admin and u.department_id != user.department_id:
            raise deny(request, user, "다른 부서 직원의 한도는 정할 수 없습니다.")
        target_id, label = u.id, u.username
    else:
        return back(err="한도 대상이 올바르지 않습니다.")
    tokens, requests = _int_or_none(max_tokens), _int_or_none(max_requests)
    try:
        set_quota(
            session,
            scope=scope,
            target_id=target_id,
            period=period,
            max_tokens=tokens,
            max_requests=requests,
            actor=user.username,
        )
    except ValueError as exc:
        session.rollback()
        return back(err=str(exc))
    record(
        session,
        actor=user.username,
        action="quota.set",
        target=f"{scope}:{label}",
        department=user.department.name,
        client=client_address(request),
        detail={"period": period, "tokens": tokens, "requests": requests},
    )
    if tokens is None and requests is None:
        return back(msg=f"{label}의 한도를 없앴습니다.")
    return back(msg=f"{label}의 한도를 정했습니다.")
