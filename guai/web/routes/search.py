"""법령·지침 검색 page: search with filters, highlighted snippets, the whole 조, the answer panel, uploads.

Every route calls guai.knowledge (the same service functions as the CLI and the chat tool); visibility is checked
there and again here for the article view, which answers 404 — not 403 — for a collection the user may not see,
so a department's private documents do not even reveal that they exist.
"""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from sqlalchemy import select

from guai.db.models.knowledge import KnowledgeChunk, KnowledgeCollection
from guai.web.deps import CsrfProtected, CurrentUser, SessionDep, audit_now, deny
from guai.web.templating import render

router = APIRouter()

TOP_CHOICES = (5, 10, 20)


def _visible(session, user):  # type: ignore[no-untyped-def]
    from guai.knowledge.visibility import visible_collections

    return visible_collections(session, user)


def _manageable(session, user) -> list[KnowledgeCollection]:  # type: ignore[no-untyped-def]
    from guai.knowledge.visibility import can_manage

    if not user.is_admin:
        return []
    return [
        c
        for c in session.scalars(select(KnowledgeCollection).order_by(KnowledgeCollection.name))
        if can_manage(c.visibility, c.department_id, user)
    ]


@router.get("/search")
def search_page(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    q: str = "",
    collection: Annotated[list[str] | None, Query()] = None,
    top: int = 5,
) -> Response:
    from guai.knowledge.collections import list_collections
    from guai.knowledge.search import search

    colls = _visible(session, user)
    visible_ids = {c.id for c in colls}
    infos = list_collections(session, visible_ids)
    chosen = [c for c in (collection or []) if c]
    top = top if top in TOP_CHOICES else 5
    hits = []
    if q.strip():
        hits = search(request.app.state.db, q, user=user, top=top, collections=chosen or None)
    ctx = {
        "q": q,
        "hits": hits,
        "collections": infos,
        "chosen": chosen,
        "top": top,
        "top_choices": TOP_CHOICES,
        "manageable": _manageable(session, user),
        "uploaded": request.query_params.get("uploaded"),
    }
    if request.headers.get("hx-request") and request.headers.get("hx-target") == "results":
        return render(request, "search/_results.html", ctx)
    return render(request, "search/index.html", ctx)


@router.get("/search/answer")
def answer_panel(
    request: Request, user: CurrentUser, q: str = "", collection: Annotated[list[str] | None, Query()] = None
) -> Response:
    from guai.knowledge.answer import answer

    result = None
    if q.strip():
        result = answer(
            request.app.state.db, q, user=user, collections=[c for c in collection or [] if c] or None
        )
    return render(request, "search/_answer.html", {"result": result, "q": q})


@router.get("/search/article/{chunk_id}")
def article(request: Request, chunk_id: int, user: CurrentUser, session: SessionDep) -> Response:
    """The whole 조 (every chunk of the same article of the same document), or the section of a document."""
    from guai.knowledge.visibility import can_see

    chunk = session.get(KnowledgeChunk, chunk_id)
    coll = session.get(KnowledgeCollection, chunk.collection_id) if chunk else None
    if chunk is None or coll is None or not can_see(coll, user):
        if chunk is not None:
            audit_now(
                request,
                actor=user.username,
                action="knowledge.article.denied",
                outcome="거부",
                target=str(chunk_id),
                department=user.department.name,
            )
        raise HTTPException(404, "조문을 찾을 수 없습니다.")
    parts = [chunk]
    if chunk.article_key:
        parts = list(
            session.scalars(
                select(KnowledgeChunk)
                .where(
                    KnowledgeChunk.document_id == chunk.document_id,
                    KnowledgeChunk.article_key == chunk.article_key,
                )
                .order_by(KnowledgeChunk.ordinal)
            )
        )
    siblings = list(
        session.execute(
            select(KnowledgeChunk.id, KnowledgeChunk.ordinal)
            .where(KnowledgeChunk.document_id == chunk.document_id, KnowledgeChunk.kind == chunk.kind)
            .order_by(KnowledgeChunk.ordinal)
        ).all()
    )
    first, last = parts[0].ordinal, parts[-1].ordinal
    prev_id = next((s.id for s in reversed(siblings) if s.ordinal < first), None)
    next_id = next((s.id for s in siblings if s.ordinal > last), None)
    citation = parts[0].citation if len(parts) == 1 else f"{chunk.doc_title} {chunk.article_key}"
    return render(
        request,
        "search/article.html",
        {
            "chunk": chunk,
            "parts": parts,
            "collection": coll,
            "citation": citation,
            "prev_id": prev_id,
            "next_id": next_id,
        },
    )


@router.get("/api/search")
def api_search(
    request: Request,
    user: CurrentUser,
    q: str = "",
    top: int = 5,
    collection: Annotated[list[str] | None, Query()] = None,
) -> JSONResponse:
    """JSON search for programs (personal API key): the same results as the page."""
    from guai.knowledge.search import search

    if not q.strip():
        return JSONResponse(
            {"error": {"message": "검색어(q)를 주세요.", "type": "invalid_request"}}, status_code=422
        )
    hits = search(
        request.app.state.db,
        q,
        user=user,
        top=max(1, min(top, 50)),
        collections=[c for c in collection or [] if c] or None,
    )
    return JSONResponse({"query": q, "results": [h.as_dict() for h in hits]})


@router.get("/api/answer")
def api_answer(request: Request, user: CurrentUser, q: str = "") -> JSONResponse:
    from guai.knowledge.answer import answer

    if not q.strip():
        return JSONResponse(
            {"error": {"message": "질문(q)을 주세요.", "type": "invalid_request"}}, status_code=422
        )
    return JSONResponse(answer(request.app.state.db, q, user=user).as_dict())


@router.post("/search/upload", dependencies=[CsrfProtected])
async def upload(
    request: Request,
    user: CurrentUser,
    file: UploadFile = File(...),
    collection: str = Form(...),
    visibility: str = Form(""),
) -> Response:
    """Add a file to a collection (system admins: any; department admins: their department's collections)."""
    from guai.auth.departments import find_department
    from guai.knowledge.collections import CollectionError, find_collection, parse_visibility
    from guai.knowledge.ingest import ingest_bytes
    from guai.knowledge.visibility import can_manage

    db = request.app.state.db
    settings = request.app.state.settings
    if not user.is_admin:
        raise deny(request, user, "문서 올리기는 시스템 관리자와 부서 관리자만 할 수 있습니다.")
    try:
        vis = parse_visibility(visibility) if visibility.strip() else None
    except CollectionError as exc:
        raise HTTPException(400, str(exc)) from exc
    name = collection.strip()
    with db.session() as s:
        existing = find_collection(s, name)
        if existing is not None and vis is None:
            target = (existing.visibility, existing.department_id)
        else:
            if vis is None:  # a new collection from a department admin stays inside the department
                vis = parse_visibility(
                    "staff" if user.is_system_admin else f"department:{user.department.name}"
                )
            dept = find_department(s, vis.department) if vis.department else None
            if vis.kind == "department" and dept is None:
                raise HTTPException(400, f"부서 '{vis.department}'이(가) 없습니다.")
            target = (vis.kind, dept.id if dept else None)
        allowed = can_manage(*target, user)
        if existing is not None:
            allowed = allowed and can_manage(existing.visibility, existing.department_id, user)
    if not allowed:
        raise deny(
            request,
            user,
            "이 컬렉션에 문서를 올릴 권한이 없습니다. 부서 관리자는 "
            f"department:{user.department.name} 컬렉션에만 올릴 수 있습니다.",
        )
    data = await file.read(settings.max_upload_mb * 1024 * 1024 + 1)
    if len(data) > settings.max_upload_mb * 1024 * 1024:
        raise HTTPException(413, f"파일이 너무 큽니다 (최대 {settings.max_upload_mb}MB).")
    try:
        report = await anyio.to_thread.run_sync(
            lambda: ingest_bytes(
                db,
                data,
                file.filename or "upload",
                collection=name,
                visibility=vis,
                actor=user.username,
                user=user,
            )
        )
    except CollectionError as exc:
        raise HTTPException(400, str(exc)) from exc
    result = report.results[0]
    return render(
        request,
        "search/_upload_result.html",
        {"result": result, "report": report},
        status_code=200 if result.status != "failed" else 422,
    )


@router.post("/search/collections/{name}/remove", dependencies=[CsrfProtected])
def remove(request: Request, name: str, user: CurrentUser, session: SessionDep) -> Response:
    from guai.audit import record
    from guai.knowledge.collections import find_collection, remove_collection
    from guai.knowledge.visibility import can_manage

    coll = find_collection(session, name)
    if coll is None:
        raise HTTPException(404, "컬렉션을 찾을 수 없습니다.")
    if not can_manage(coll.visibility, coll.department_id, user):
        raise deny(request, user, "이 컬렉션을 지울 권한이 없습니다.")
    docs, chunks = remove_collection(session, name, request.app.state.settings.index_dir)
    record(
        session,
        actor=user.username,
        action="knowledge.collection.remove",
        target=name,
        department=user.department.name,
        detail={"documents": docs, "chunks": chunks},
    )
    session.commit()
    return Response(status_code=303, headers={"Location": "/search"})
