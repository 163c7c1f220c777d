"""Liveness and readiness probes for load balancers and monitoring."""

from __future__ import annotations

import os
from functools import lru_cache

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

router = APIRouter()


@router.get("/healthz", include_in_schema=False)
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@lru_cache(maxsize=1)
def _schema_heads() -> frozenset[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from guai.db.engine import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return frozenset(ScriptDirectory.from_config(cfg).get_heads())


@router.get("/readyz", include_in_schema=False)
def readyz(request: Request) -> JSONResponse:
    try:
        with request.app.state.db.engine.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as exc:  # noqa: BLE001 - readiness must report any failure, not crash
        return JSONResponse({"status": "unavailable", "database": str(exc)[:200]}, status_code=503)
    checks = {"database": "ok"}
    current = request.app.state.db.current_revisions()
    checks["schema"] = "ok" if current == set(_schema_heads()) else "outdated (guai init 필요)"
    home = request.app.state.settings.home
    checks["data_dir"] = "ok" if os.access(home, os.W_OK) else f"쓰기 불가: {home}"
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "unavailable", **checks}, status_code=200 if ready else 503
    )
