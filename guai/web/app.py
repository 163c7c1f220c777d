"""App factory: one FastAPI app; every module in guai.web.routes contributes a router."""

from __future__ import annotations

import importlib
import logging
import pkgutil
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

import guai.web.routes as routes_pkg
from guai.config import Settings, get_settings
from guai.db.engine import Database
from guai.web.errors import render_error
from guai.web.templating import STATIC_DIR

log = logging.getLogger("guai.web")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    settings.ensure_dirs()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.db.dispose()

    app = FastAPI(
        title="guai 구 AI",
        version="0.1.0",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.db = Database(settings)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    for info in sorted(pkgutil.iter_modules(routes_pkg.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{routes_pkg.__name__}.{info.name}")
        router = getattr(module, "router", None)
        if router is not None:
            app.include_router(router)

    @app.middleware("http")
    async def request_context(request: Request, call_next):  # type: ignore[no-untyped-def]
        request.state.request_id = request.headers.get("x-request-id") or uuid.uuid4().hex[:16]
        started = time.perf_counter()
        response: Response = await call_next(request)
        response.headers["X-Request-ID"] = request.state.request_id
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if not request.url.path.startswith("/citizen/widget"):
            response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        request.state.elapsed = time.perf_counter() - started
        return response

    from guai.ops.metrics import MetricsMiddleware

    # Outermost: counts every request (incl. errors) and fixes the request id used by the access log.
    app.add_middleware(MetricsMiddleware)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return render_error(request, exc.status_code, exc.detail, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
        if _wants_json(request):
            return JSONResponse(
                {"error": {"message": f"입력 값이 올바르지 않습니다: {problems}", "type": "invalid_request"}},
                status_code=422,
            )
        return render_error(request, 422, f"입력 값이 올바르지 않습니다: {problems}")

    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/v1/")) or "application/json" in request.headers.get(
        "accept", ""
    )
