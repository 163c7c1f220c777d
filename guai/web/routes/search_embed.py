"""법령·지침 검색 page, system admins: see which collections lack vectors and fill them (「벡터 채우기」).

The same backfill as `guai collections embed`, run synchronously in a worker thread. One click embeds at most
WEB_LIMIT chunks so the request stays short; every batch is committed, so the next click (or the CLI, for a
large corpus) continues where this one stopped.
"""

from __future__ import annotations

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import Response

from guai.web.deps import CsrfProtected, SystemAdmin
from guai.web.templating import render

router = APIRouter()

#: Chunks embedded per click: 16 requests of 64 texts, seconds on an on-prem embeddings server.
WEB_LIMIT = 1024


def _status(db) -> dict:  # type: ignore[no-untyped-def, type-arg]
    """The current embeddings model (None without one) and per-collection counts for it."""
    from guai.knowledge import dense
    from guai.knowledge.backfill import resolve_collections, survey

    model = dense.embedding_model_id(db)
    rows = survey(db, model, resolve_collections(db, None)) if model else []
    return {"model": model, "rows": rows, "missing": sum(r.missing for r in rows)}


def _render(request: Request, ctx: dict, status_code: int = 200) -> Response:  # type: ignore[type-arg]
    """htmx swaps the panel in place (htmx only swaps 2xx answers, the panel itself shows the error); a plain
    form post without JavaScript gets a whole page with the real status code."""
    if request.headers.get("hx-request"):
        return render(request, "search/_embed.html", ctx)
    return render(request, "search/embed.html", ctx, status_code=status_code)


@router.get("/search/embeddings")
def embed_status(request: Request, user: SystemAdmin) -> Response:
    return _render(request, {"status": _status(request.app.state.db), "report": None, "error": None})


@router.post("/search/embeddings", dependencies=[CsrfProtected])
async def embed_fill(request: Request, user: SystemAdmin) -> Response:
    from guai.knowledge.backfill import BackfillError, backfill_embeddings

    db = request.app.state.db
    report, error = None, None
    try:
        report = await anyio.to_thread.run_sync(
            lambda: backfill_embeddings(db, limit=WEB_LIMIT, actor=user.username, user=user)
        )
    except BackfillError as exc:
        error = str(exc)
    status = await anyio.to_thread.run_sync(lambda: _status(db))
    failed = error is not None or (report is not None and report.error is not None)
    return _render(
        request,
        {"status": status, "report": report, "error": error},
        status_code=422 if error else 502 if failed else 200,
    )
