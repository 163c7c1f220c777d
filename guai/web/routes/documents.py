"""/documents: 요약, 초안 작성, 교정, 번역 tabs and HWPX/DOCX/Markdown downloads (all via guai.documents)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from guai.audit import record
from guai.documents import DocumentError
from guai.web.deps import CsrfProtected, CurrentUser, SessionDep, client_address
from guai.web.templating import render

router = APIRouter(prefix="/documents")
TABS = [
    ("summary", "요약", "/documents"),
    ("draft", "초안 작성", "/documents/draft"),
    ("proofread", "교정", "/documents/proofread"),
    ("translate", "번역", "/documents/translate"),
]
MAX_TEXT = 400_000


def _page(request: Request, tab: str, ctx: dict[str, Any]) -> Response:
    from guai.documents.llm import gateway_for

    base = {"tabs": TABS, "tab": tab, "has_model": gateway_for(request.app.state.db) is not None}
    base.update(ctx)
    return render(request, f"documents/{tab}.html", base)


async def _form_text(request: Request) -> tuple[dict[str, Any], str, str | None]:
    """(form, text, error): pasted text, or the text of an uploaded file when one was sent."""
    from guai.documents.extract import text_from_upload

    limit = request.app.state.settings.max_upload_mb * 1024 * 1024
    form = dict(await request.form(max_part_size=limit))
    text = str(form.get("text") or "")
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read()
        if len(data) > limit:
            return form, text, f"파일이 너무 큽니다({request.app.state.settings.max_upload_mb}MB까지)."
        try:
            _, text = text_from_upload(data, upload.filename)
        except DocumentError as exc:
            return form, text, str(exc)
    if len(text) > MAX_TEXT:
        return form, text[:MAX_TEXT], f"글이 너무 깁니다({len(text):,}자). {MAX_TEXT:,}자까지 처리합니다."
    return form, text, None


def _audit(
    request: Request, session: Any, user: Any, action: str, detail: dict[str, Any], outcome: str = "성공"
) -> None:
    record(
        session,
        actor=user.username,
        action=action,
        outcome=outcome,
        department=user.department.name,
        client=client_address(request),
        detail=detail,
    )


@router.get("")
def summary_page(request: Request, user: CurrentUser) -> Response:
    return _page(request, "summary", {"length": "3줄"})


@router.post("", dependencies=[CsrfProtected])
async def summary_run(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    from guai.documents.llm import gateway_for
    from guai.documents.summarize import summarize

    form, text, error = await _form_text(request)
    length = str(form.get("length") or "3줄")
    ctx: dict[str, Any] = {"text": text, "length": length, "error": error}
    if not error:
        gateway = None if form.get("no_model") else gateway_for(request.app.state.db)
        try:
            summary = summarize(text, length=length, gateway=gateway, user=user)
            ctx["summary"] = summary
            _audit(
                request,
                session,
                user,
                "documents.summarize",
                {"chars": len(text), "length": length, "method": summary.method},
            )
        except DocumentError as exc:
            ctx["error"] = str(exc)
    return _page(request, "summary", ctx)


@router.get("/draft")
def draft_page(request: Request, user: CurrentUser, kind: str = "보고서") -> Response:
    from guai.documents.drafting import templates

    specs = templates()
    spec = specs.get(kind) or next(iter(specs.values()))
    facts = request.query_params.getlist("fact")
    values = {"부서": user.department.name} if any(f.name == "부서" for f in spec.fields) else {}
    return _page(
        request, "draft", {"specs": specs, "spec": spec, "values": values, "facts": "\n".join(facts)}
    )


@router.post("/draft", dependencies=[CsrfProtected])
async def draft_run(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    from guai.documents.drafting import draft, templates
    from guai.documents.llm import gateway_for

    form = dict(await request.form())
    specs = templates()
    kind = str(form.get("kind") or "")
    if kind not in specs:
        return _page(
            request,
            "draft",
            {
                "specs": specs,
                "spec": next(iter(specs.values())),
                "values": {},
                "facts": "",
                "error": f"'{kind}' 서식이 없습니다.",
            },
        )
    spec = specs[kind]
    values = {f.name: str(form.get(f"f_{f.name}") or "") for f in spec.fields}
    facts_text = str(form.get("facts") or "")
    ctx: dict[str, Any] = {"specs": specs, "spec": spec, "values": values, "facts": facts_text}
    gateway = None if form.get("no_model") else gateway_for(request.app.state.db)
    try:
        doc = draft(kind, values, facts=facts_text.splitlines(), gateway=gateway, user=user, complete=True)
        ctx["draft"] = doc
        _audit(
            request,
            session,
            user,
            "documents.draft",
            {"kind": kind, "method": doc.method, "title": doc.title},
        )
    except DocumentError as exc:
        ctx["error"] = str(exc)
    return _page(request, "draft", ctx)


@router.get("/proofread")
def proofread_page(request: Request, user: CurrentUser) -> Response:
    return _page(request, "proofread", {})


@router.post("/proofread", dependencies=[CsrfProtected])
async def proofread_run(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    from guai.documents.proofread import RULES, fix_all, proofread

    form, text, error = await _form_text(request)
    ctx: dict[str, Any] = {"text": text, "error": error, "rules": {r.id: r for r in RULES}}
    if not error and text.strip():
        if form.get("fix"):
            fixed = fix_all(text)
            ctx["fixed_count"] = len([f for f in proofread(text) if f.suggestion is not None])
            ctx["text"] = text = fixed
        findings = proofread(text)
        ctx["findings"] = [(f, text.count("\n", 0, f.start) + 1, text[f.start : f.end]) for f in findings]
        _audit(request, session, user, "documents.proofread", {"chars": len(text), "findings": len(findings)})
    elif not error:
        ctx["error"] = "교정할 글을 붙여 넣거나 파일을 올리세요."
    return _page(request, "proofread", ctx)


@router.get("/translate")
def translate_page(request: Request, user: CurrentUser) -> Response:
    return _page(request, "translate", {"target": "en"})


@router.post("/translate", dependencies=[CsrfProtected])
async def translate_run(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    from guai.documents.llm import gateway_for
    from guai.documents.translate import translate

    form, text, error = await _form_text(request)
    target = str(form.get("target") or "en")
    ctx: dict[str, Any] = {"text": text, "target": target, "error": error}
    if not error:
        try:
            result = translate(text, target, gateway=gateway_for(request.app.state.db), user=user)
            ctx["translation"] = result
            _audit(request, session, user, "documents.translate", {"chars": len(text), "target": target})
        except DocumentError as exc:
            ctx["error"] = str(exc)
    return _page(request, "translate", ctx)


@router.post("/export", dependencies=[CsrfProtected])
async def export_file(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    from guai.documents.export import export

    form = dict(await request.form())
    text, title, fmt = (
        str(form.get("text") or ""),
        str(form.get("title") or "문서"),
        str(form.get("fmt") or ""),
    )
    try:
        exported = export(text, fmt, title=title)
    except DocumentError as exc:
        return render(request, "error.html", {"status": 400, "message": str(exc)}, status_code=400)
    _audit(
        request,
        session,
        user,
        "documents.export",
        {"format": fmt, "title": title[:80], "bytes": len(exported.data)},
    )
    disposition = f"attachment; filename=\"document.{fmt}\"; filename*=UTF-8''{quote(exported.filename)}"
    return Response(
        exported.data, media_type=exported.media_type, headers={"Content-Disposition": disposition}
    )
