"""Public citizen chatbot (no login): JSON chat API, escalation and ticket status, standalone page, widget.js.

Staff pages live in citizen_admin.py. Everything here is safe to expose to the internet: answers come
from public guidance only, every write is rate-limited in the database, and responses carry CORS headers
so the widget can run on the district's own website.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.background import BackgroundTask

from guai.citizen import (
    CitizenError,
    RateLimited,
    TicketInput,
    TooMany,
    Turn,
    ask,
    escalate,
    get_index,
    lookup,
    seal_answers,
)
from guai.citizen.grounded import model_available
from guai.web.templating import STATIC_DIR, render

router = APIRouter()

WIDGET_JS = STATIC_DIR / "citizen" / "widget.js"


class TurnIn(BaseModel):
    """One previous turn as the client remembers it; re-validated server-side (guai.citizen.followup)."""

    question: str = Field(default="", max_length=1000)
    guidance: str | None = Field(default=None, max_length=40)


class ChatIn(BaseModel):
    message: str = Field(default="", max_length=5000)
    session: str | None = Field(default=None, max_length=100)
    #: The previous turns, oldest first; only the last two are used, and only for a follow-up question.
    history: list[TurnIn] = Field(default_factory=list, max_length=6)


class TicketIn(BaseModel):
    question: str = Field(default="", max_length=5000)
    name: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=100)
    email: str = Field(default="", max_length=300)
    consent: bool = False
    session: str | None = Field(default=None, max_length=100)
    guidance: str | None = Field(default=None, max_length=40)


def _client(request: Request) -> str | None:
    # uvicorn already replaced the peer with X-Forwarded-For when the proxy is trusted (--forwarded-allow-ips);
    # reading the header ourselves would let anyone pick their own rate-limit bucket.
    return request.client.host if request.client else None


def _cors(request: Request, response: Response) -> Response:
    origin = request.headers.get("origin")
    allowed = get_index(request.app.state.db).settings.allowed_origins.strip()
    if origin and (allowed == "*" or origin in {o.strip() for o in allowed.split(",")}):
        response.headers["Access-Control-Allow-Origin"] = "*" if allowed == "*" else origin
        response.headers["Vary"] = "Origin"
    response.headers["Cache-Control"] = "no-store"
    return response


def _secret(request: Request) -> str:
    return request.app.state.settings.secret()


@router.options("/api/citizen/{path:path}", include_in_schema=False)
def preflight(request: Request, path: str) -> Response:
    resp = Response(status_code=204)
    resp.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    resp.headers["Access-Control-Allow-Headers"] = "Content-Type"
    resp.headers["Access-Control-Max-Age"] = "600"
    return _cors(request, resp)


@router.post("/api/citizen/chat", tags=["citizen"])
async def chat_api(request: Request, body: ChatIn) -> Response:
    """주민 질문에 답합니다: {"answer", "department", "phone", "sources", "escalate", "session", ...}."""
    # Deliberately run on the event loop, not the thread pool: the work is ~1 ms of CPU plus one short
    # transaction, and thread hand-offs under 50 concurrent clients cost more (and widen the tail) than that.
    # Only when a model is configured does the answer wait on the network, so then it moves to a thread.
    settings, db = request.app.state.settings, request.app.state.db
    kwargs = {
        "session_id": body.session,
        "client": _client(request),
        "secret": _secret(request),
        "district": settings.district_name,
        "seal_inline": False,
        "history": [Turn(t.question, t.guidance) for t in body.history],
    }
    try:
        if model_available(db):
            answer = await run_in_threadpool(ask, db, body.message, **kwargs)
        else:
            answer = ask(db, body.message, **kwargs)
    except RateLimited as exc:
        resp = JSONResponse(
            exc.answer.public(), status_code=429, headers={"Retry-After": str(exc.retry_after)}
        )
        return _cors(request, resp)
    background = BackgroundTask(seal_answers, db) if answer.seal_due else None
    return _cors(request, JSONResponse(answer.public(), background=background))


@router.post("/api/citizen/tickets", tags=["citizen"])
def ticket_api(request: Request, body: TicketIn) -> Response:
    """담당자에게 문의를 남깁니다. 응답의 code로 답변을 확인합니다."""
    item = TicketInput(
        question=body.question,
        contact_name=body.name,
        contact_phone=body.phone,
        contact_email=body.email,
        consent=body.consent,
        session=body.session or "",
        guidance_code=body.guidance or "",
    )
    try:
        ticket = escalate(request.app.state.db, item, client=_client(request), secret=_secret(request))
    except TooMany as exc:
        return _cors(request, JSONResponse({"error": {"message": str(exc), "code": 429}}, status_code=429))
    except CitizenError as exc:
        return _cors(request, JSONResponse({"error": {"message": str(exc), "code": 400}}, status_code=400))
    return _cors(request, JSONResponse(ticket.public(), status_code=201))


@router.get("/api/citizen/tickets/{code}", tags=["citizen"])
def ticket_status_api(request: Request, code: str) -> Response:
    try:
        ticket = lookup(request.app.state.db, code, client=_client(request), secret=_secret(request))
    except TooMany as exc:
        return _cors(request, JSONResponse({"error": {"message": str(exc), "code": 429}}, status_code=429))
    if ticket is None:
        return _cors(
            request,
            JSONResponse(
                {
                    "error": {
                        "message": "이 코드로 접수된 문의를 찾을 수 없습니다. 코드를 다시 확인해 주세요.",
                        "code": 404,
                    }
                },
                status_code=404,
            ),
        )
    return _cors(request, JSONResponse(ticket.public()))


@router.get("/citizen/widget.js", include_in_schema=False)
async def widget_js() -> Response:
    return Response(
        WIDGET_JS.read_bytes(),
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*"},
    )


@router.get("/citizen", include_in_schema=False)
def citizen_page(request: Request) -> Response:
    return render(request, "citizen/page.html", {})


@router.get("/citizen/ticket", include_in_schema=False)
def ticket_page(request: Request, code: str = "") -> Response:
    ticket, error = None, None
    if code:
        try:
            ticket = lookup(request.app.state.db, code, client=_client(request), secret=_secret(request))
        except TooMany as exc:
            error = str(exc)
        if ticket is None and error is None:
            error = "이 코드로 접수된 문의를 찾을 수 없습니다. 코드를 다시 확인해 주세요."
    return render(
        request,
        "citizen/ticket.html",
        {"ticket": ticket, "error": error, "code": code},
        status_code=404 if code and ticket is None and error and "찾을 수" in error else 200,
    )


@router.post("/citizen/ticket/new", include_in_schema=False)
async def ticket_form(
    request: Request,
    question: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    phone: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
    consent: Annotated[str, Form()] = "",
) -> Response:
    """The escalation form without JavaScript: same service as the widget."""
    item = TicketInput(
        question=question,
        contact_name=name,
        contact_phone=phone,
        contact_email=email,
        consent=consent in {"1", "on", "yes", "true"},
    )
    try:
        ticket = await run_in_threadpool(
            escalate, request.app.state.db, item, client=_client(request), secret=_secret(request)
        )
    except CitizenError as exc:
        return render(request, "citizen/page.html", {"form_error": str(exc), "form": item}, status_code=400)
    return render(request, "citizen/ticket.html", {"ticket": ticket, "created": True, "code": ticket.code})
