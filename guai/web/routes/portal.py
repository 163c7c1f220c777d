"""Portal home: the staff member's start page with the areas of guai."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from guai.web.deps import CurrentUser
from guai.web.templating import render

router = APIRouter()

AREAS = [
    ("대화", "/chat", "AI와 대화하며 질문하고, 문서를 붙여 요약·번역을 요청합니다."),
    ("민원 분석", "/complaints", "주제별 민원을 유형·건수·추이·담당 부서로 정리하고 엑셀로 내려받습니다."),
    ("법령·지침 검색", "/search", "법령·조례·지침·내부 문서를 찾아 정확한 조문 인용과 함께 보여 줍니다."),
    ("문서 작성", "/documents", "보고서·계획서·보도자료·공문 초안을 쓰고 공문서 규칙에 맞게 교정합니다."),
    ("부서 비서", "/assistants", "우리 부서 문서와 지침으로 부서 전용 AI 비서를 만듭니다."),
]


@router.get("/")
def home(request: Request, user: CurrentUser) -> Response:
    areas = list(AREAS)
    if user.is_admin:
        areas.append(("관리", "/admin", "부서·계정·권한, 사용량과 감사 로그를 관리합니다."))
    return render(request, "home.html", {"areas": areas})
