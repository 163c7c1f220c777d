"""Error pages (Korean HTML) and JSON errors for API paths."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

MESSAGES = {
    400: "요청을 처리할 수 없습니다.",
    401: "로그인이 필요합니다.",
    403: "이 페이지를 볼 권한이 없습니다.",
    404: "페이지를 찾을 수 없습니다.",
    405: "허용되지 않는 요청 방식입니다.",
    413: "파일이 너무 큽니다.",
    422: "입력 값이 올바르지 않습니다.",
    429: "요청이 너무 많습니다. 잠시 후 다시 시도하세요.",
    500: "서버 오류가 발생했습니다. 관리자에게 문의하세요.",
}


def render_error(
    request: Request, status: int, detail: object = None, headers: Mapping[str, str] | None = None
) -> Response:
    message = (
        detail
        if isinstance(detail, str)
        and detail
        and detail not in {"Not Found", "Forbidden", "Method Not Allowed"}
        else MESSAGES.get(status, "오류가 발생했습니다.")
    )
    path = request.url.path
    if path.startswith(("/api/", "/v1/")) or "application/json" in request.headers.get("accept", ""):
        return JSONResponse(
            {"error": {"message": message, "code": status}}, status_code=status, headers=dict(headers or {})
        )
    if status == 401:
        return RedirectResponse(f"/login?next={path}", status_code=303)
    from guai.web.templating import render

    resp = render(request, "error.html", {"status": status, "message": message}, status_code=status)
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp
