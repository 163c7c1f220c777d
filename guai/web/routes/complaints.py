"""민원 분석 page: ask in Korean or by topic, see the ranked table and chart, download, upload, route."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from guai.complaints.columns import ColumnError, parse_overrides
from guai.complaints.intent import parse_request
from guai.complaints.operations import RouterNotTrainedError, import_file, suggest
from guai.complaints.ranking import Ranking
from guai.complaints.reader import ImportFileError
from guai.complaints.reports import XLSX_MIME, chart_png, workbook_bytes
from guai.complaints.service import NoComplaintsError, TopicError, rank_topic
from guai.db.models.complaints import ComplaintImport
from guai.web.deps import CsrfProtected, CurrentUser, SessionDep, audit_now, client_address, deny
from guai.web.templating import render

router = APIRouter()


class Criteria:
    """The query string of a ranking (sentence or topic + filters), parsed once."""

    def __init__(
        self, q: str = "", date_from: str = "", date_to: str = "", dong: str = "", department: str = ""
    ) -> None:
        self.q, self.dong, self.department = q.strip(), dong.strip(), department.strip()
        self.raw_from, self.raw_to = date_from.strip(), date_to.strip()
        self.topic = self.q
        self.date_from = _parse_date(self.raw_from)
        self.date_to = _parse_date(self.raw_to)
        self.understood: str | None = None
        request = parse_request(self.q) if self.q else None
        if request is not None:
            self.topic = request.topic
            if request.period and not (self.date_from or self.date_to):
                self.date_from, self.date_to = request.period.start, request.period.end
            period = f", 기간 {request.period.label}" if request.period else ""
            self.understood = f"주제 '{request.topic}'{period}(으)로 알아들었습니다."

    def query(self) -> str:
        return urlencode(
            {
                k: v
                for k, v in (
                    ("q", self.q),
                    ("from", self.raw_from),
                    ("to", self.raw_to),
                    ("dong", self.dong),
                    ("department", self.department),
                )
                if v
            }
        )


def _parse_date(value: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise HTTPException(
            422, f"날짜 '{value}'을(를) 읽을 수 없습니다. 2025-03-01 형식으로 쓰세요."
        ) from exc


def criteria(
    q: str = Query(""),
    date_from: str = Query("", alias="from"),
    date_to: str = Query("", alias="to"),
    dong: str = Query(""),
    department: str = Query(""),
) -> Criteria:
    return Criteria(q, date_from, date_to, dong, department)


CriteriaDep = Annotated[Criteria, Depends(criteria)]


def _rank(request: Request, session: SessionDep, user: CurrentUser, c: Criteria) -> Ranking:
    return rank_topic(
        session,
        c.topic,
        date_from=c.date_from,
        date_to=c.date_to,
        dong=c.dong or None,
        department=c.department or None,
        settings=request.app.state.settings,
        viewer=user,
    )


@router.get("/complaints")
def complaints_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    c: CriteriaDep,
    imported: int | None = None,
    route_text: str = Query("", alias="route"),
) -> Response:
    ctx: dict[str, object] = {
        "c": c,
        "ranking": None,
        "error": None,
        "import_result": None,
        "route_text": route_text,
        "suggestions": None,
        "route_error": None,
    }
    if imported:
        ctx["import_result"] = session.get(ComplaintImport, imported)
    if c.topic:
        try:
            ranking = _rank(request, session, user, c)
            ctx["ranking"] = ranking
            ctx["query"] = c.query()
            audit_now(
                request,
                actor=user.username,
                action="complaints.rank",
                outcome="성공",
                target=ranking.label,
                department=user.department.name,
                detail={"total": ranking.total},
            )
        except (TopicError, NoComplaintsError) as exc:
            ctx["error"] = str(exc)
    if route_text.strip():
        try:
            field, results = suggest([route_text], settings=request.app.state.settings, k=3, session=session)
            ctx["suggestions"], ctx["route_field"] = results[0], field
        except RouterNotTrainedError as exc:
            ctx["route_error"] = str(exc)
    return render(request, "complaints/index.html", ctx)


@router.get("/complaints/chart.png")
def chart(request: Request, session: SessionDep, user: CurrentUser, c: CriteriaDep) -> Response:
    try:
        ranking = _rank(request, session, user, c)
    except (TopicError, NoComplaintsError) as exc:
        raise HTTPException(404, str(exc)) from exc
    return Response(
        chart_png(ranking), media_type="image/png", headers={"Cache-Control": "private, max-age=60"}
    )


@router.get("/complaints/export.{fmt}")
def export(request: Request, session: SessionDep, user: CurrentUser, c: CriteriaDep, fmt: str) -> Response:
    """Downloads are always masked: files leave the portal."""
    if fmt not in ("xlsx", "md", "json", "png"):
        raise HTTPException(404, "지원하지 않는 형식입니다.")
    try:
        ranking = rank_topic(
            session,
            c.topic,
            date_from=c.date_from,
            date_to=c.date_to,
            dong=c.dong or None,
            department=c.department or None,
            settings=request.app.state.settings,
        )
    except (TopicError, NoComplaintsError) as exc:
        raise HTTPException(404, str(exc)) from exc
    audit_now(
        request,
        actor=user.username,
        action="complaints.export",
        outcome="성공",
        target=ranking.label,
        department=user.department.name,
        detail={"format": fmt, "total": ranking.total},
    )
    name = f"민원순위_{ranking.label.replace(' ', '_')}.{fmt}"
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}
    if fmt == "xlsx":
        return Response(workbook_bytes(ranking, ranking.listing()), media_type=XLSX_MIME, headers=headers)
    if fmt == "png":
        return Response(chart_png(ranking), media_type="image/png", headers=headers)
    if fmt == "md":
        return Response(ranking.to_markdown(), media_type="text/markdown; charset=utf-8", headers=headers)
    return Response(
        json.dumps(ranking.to_dict(), ensure_ascii=False, indent=1),
        media_type="application/json",
        headers=headers,
    )


@router.post("/complaints/upload", dependencies=[CsrfProtected])
async def upload(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    file: Annotated[UploadFile, File()],
    mapping: Annotated[str, Form()] = "",
) -> Response:
    if not user.is_admin:
        raise deny(request, user, "민원 자료 올리기는 부서 관리자와 시스템 관리자만 할 수 있습니다.")
    settings = request.app.state.settings
    data = await file.read(settings.max_upload_mb * 1024 * 1024 + 1)
    name = file.filename or "upload.csv"
    try:
        if len(data) > settings.max_upload_mb * 1024 * 1024:
            raise ImportFileError(f"{name}: 파일이 너무 큽니다 (최대 {settings.max_upload_mb}MB).")
        overrides = parse_overrides(mapping.split()) if mapping.strip() else None
        report = import_file(
            session,
            data,
            name,
            actor=user.username,
            settings=settings,
            overrides=overrides,
            client=client_address(request),
        )
    except (ImportFileError, ColumnError) as exc:
        session.rollback()
        audit_now(
            request,
            actor=user.username,
            action="complaints.import",
            outcome="실패",
            target=name,
            department=user.department.name,
            detail={"error": str(exc)[:300]},
        )
        return render(
            request,
            "complaints/index.html",
            {
                "c": Criteria(),
                "ranking": None,
                "error": None,
                "import_result": None,
                "suggestions": None,
                "route_text": "",
                "upload_error": f"{exc} 아무것도 저장하지 않았습니다.",
            },
            status_code=400,
        )
    session.commit()
    return RedirectResponse(f"/complaints?imported={report.import_id}", status_code=303)
