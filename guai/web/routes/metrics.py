"""Prometheus scrape endpoint /metrics (loopback only, or with the configured bearer token)."""

from __future__ import annotations

import hmac
import ipaddress

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from guai.ops.metrics import render_metrics
from guai.web.deps import bearer_token

router = APIRouter()


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host in ("localhost", "testclient")


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    token = request.app.state.settings.metrics_token
    if token:
        sent = bearer_token(request) or ""
        if not hmac.compare_digest(sent, token):
            # Plain text, not the login redirect of the HTML error pages: the caller is a scraper.
            return PlainTextResponse(
                "메트릭 토큰이 올바르지 않습니다.", status_code=401, headers={"WWW-Authenticate": "Bearer"}
            )
    elif not _is_loopback(request.client.host if request.client else None):
        return PlainTextResponse(
            "메트릭은 서버 내부(127.0.0.1)에서만 볼 수 있습니다. GUAI_METRICS_TOKEN을 설정하세요.",
            status_code=403,
        )
    body, content_type = render_metrics(request.app.state.db)
    return Response(body, media_type=content_type)
