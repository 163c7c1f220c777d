"""Seed the 활용 가이드's AI 활용 우수사례 (a few submissions, votes, one featured) and contact numbers."""

from __future__ import annotations

from rich.console import Console
from sqlalchemy import func, select

from guai.auth.users import find_user
from guai.config import Settings
from guai.db.engine import Database
from guai.db.models.ops import BestPractice
from guai.ops.practices import set_featured, submit, toggle_vote
from guai.ops.settings_store import BRANDING_KEY, get_json, set_json

PRACTICES = [
    (
        "kim.staff",
        "불법 주정차 민원 답변 초안을 10분 만에",
        "문서 작성",
        "민원",
        "이 불법 주정차 민원에 대한 답변을 공손하고 쉬운 말로 써 줘. 단속 근거 조문과 처리 일정도 넣어 줘.",
        "답변 한 건에 40분 걸리던 것이 10분으로 줄었습니다. 조문 인용이 정확해 재작성이 없었습니다.",
    ),
    (
        "park.welfare",
        "어르신 돌봄 안내문을 쉬운 말로",
        "대화",
        "복지",
        "붙인 노인맞춤돌봄서비스 안내문을 어르신이 읽기 쉬운 말로 바꾸고 문장을 짧게 나눠 줘.",
        "주민센터 창구 문의가 눈에 띄게 줄었습니다. 큰 글씨 인쇄용으로 그대로 썼습니다.",
    ),
    (
        "lee.manager",
        "주간 민원 동향 보고서 자동 정리",
        "민원 분석",
        "총무",
        "이번 주 교통 민원을 유형별로 묶고 전주 대비 늘어난 지역을 표로 보여 줘.",
        "월요일 간부회의 자료 준비가 반나절에서 30분으로 줄었습니다.",
    ),
]


def seed(db: Database, settings: Settings, console: Console) -> None:
    with db.session() as s:
        if s.execute(select(func.count()).select_from(BestPractice)).scalar_one():
            return
        created = []
        for username, title, area, kind, prompt, outcome in PRACTICES:
            user = find_user(s, username)
            if user is not None:
                created.append(
                    submit(
                        s,
                        user,
                        title=title,
                        area=area,
                        dept_kind=kind,
                        prompt=prompt,
                        outcome=outcome,
                        client="demo",
                    )
                )
        voters = [
            u
            for u in (find_user(s, n) for n in ("kim.staff", "park.welfare", "choi.dong", "lee.manager"))
            if u
        ]
        for item in created:
            for voter in voters:
                if voter.id != item.author_id and (item.dept_kind != "총무" or voter.username == "choi.dong"):
                    toggle_vote(s, voter, item.id)
        admin = find_user(s, "admin")
        if admin is not None and created:
            set_featured(s, admin, created[0].id, True, client="demo")
        if get_json(s, BRANDING_KEY) is None:
            set_json(
                s,
                BRANDING_KEY,
                {
                    "district_name": settings.district_name,
                    "title": "구 AI",
                    "primary_color": "#1f5fbf",
                    "accent_color": "#174a96",
                    "phone_main": "02-2600-6114",
                    "phone_helpdesk": "02-2600-6300",
                    "helpdesk_label": "정보통신과",
                    "logo": None,
                },
                actor="demo",
            )
    console.print(f"  AI 활용 우수사례 {len(PRACTICES)}건")
