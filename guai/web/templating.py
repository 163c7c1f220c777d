"""Jinja2 templates with the portal's globals (navigation, branding, CSRF token)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

WEB_DIR = Path(__file__).parent
STATIC_DIR = WEB_DIR / "static"
templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))

# The portal's areas, in menu order. Each later feature fills its own page.
NAV = [
    ("chat", "대화", "/chat"),
    ("complaints", "민원 분석", "/complaints"),
    ("search", "법령·지침 검색", "/search"),
    ("documents", "문서 작성", "/documents"),
    ("assistants", "부서 비서", "/assistants"),
    ("admin", "관리", "/admin"),
]


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> Response:
    ctx: dict[str, Any] = {
        "request": request,
        "nav": NAV,
        "user": getattr(request.state, "user", None),
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "district": request.app.state.settings.district_name,
    }
    if context:
        ctx.update(context)
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)
