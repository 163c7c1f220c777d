"""Seed example department assistants and prompt-library entries (idempotent)."""

from __future__ import annotations

from rich.console import Console
from sqlalchemy import select

from guai.assistants.service import add_prompt, create_assistant
from guai.auth.users import find_user
from guai.config import Settings
from guai.db.engine import Database
from guai.db.models.assistants import Assistant, PromptEntry

# (slug, name, description, instruction, owner username, visibility, tools, collections)
ASSISTANTS = [
    (
        "complaint-reply",
        "민원 답변 도우미",
        "민원 답변 초안을 공손하고 정확하게 씁니다.",
        "민원 답변 초안을 공손하고 정확하게 써 주는 비서. 민원인의 요청을 한 줄로 정리하고, 처리 결과와 근거 법령 조항, "
        "담당 부서와 전화번호를 적는다. 개인정보는 다시 쓰지 않는다.",
        "lee.manager",
        "all",
        ["law_search", "complaint_ranking"],
        ["법령", "교통행정과 업무 지침"],
    ),
    (
        "traffic-rules",
        "교통 단속 지침 비서",
        "교통행정과 내부 지침과 도로교통법을 찾아 답합니다.",
        "교통행정과 직원의 단속·과태료 질문에 내부 지침과 도로교통법 조항을 인용해 답하는 비서. 근거가 없으면 모른다고 답한다.",
        "lee.manager",
        "department",
        ["law_search", "summarize"],
        ["교통행정과 업무 지침", "법령"],
    ),
    (
        "dong-guide",
        "주민센터 안내 비서",
        "동 주민센터 민원 안내문과 공지 초안을 씁니다.",
        "동 주민센터 창구에서 쓰는 안내문과 공지 초안을 쉬운 우리말로 짧게 써 주는 비서.",
        "choi.dong",
        "department",
        ["summarize", "draft_document"],
        ["가온구 자치법규"],
    ),
]

PROMPTS = [
    (
        "민원 답변 초안 (공손체)",
        "다음 민원에 대한 답변 초안을 써 주세요. 인사말, 처리 결과, 근거 법령, 담당 부서 연락처 순서로 "
        "쓰고 '끝.'으로 마치세요.\n\n[민원 내용]",
        "불법 주정차 신고 민원에 대한 답변",
        "kim.staff",
    ),
    (
        "보고서 개조식 요약",
        "아래 글을 보고서용 개조식 3줄로 요약해 주세요. 각 줄은 명사형으로 끝내세요.\n\n[본문]",
        "회의 결과 보고 요약",
        "lee.manager",
    ),
    (
        "쉬운 우리말로 고치기",
        "다음 문장의 어려운 행정 용어를 쉬운 우리말로 바꾸고, 바꾼 낱말을 표로 보여 주세요.",
        "'익일까지 상기 서류를 제출' → '다음 날까지 위 서류를 제출'",
        "park.welfare",
    ),
    (
        "민원 순위 정리 요청",
        "지난달 전동킥보드 민원 순위별로 정리해줘",
        "모델 없이도 민원 분석으로 바로 연결됩니다.",
        "kim.staff",
    ),
]


def seed(db: Database, settings: Settings, console: Console) -> None:
    made = added = 0
    with db.session() as s:
        for slug, name, desc, instruction, owner, visibility, tools, collections in ASSISTANTS:
            user = find_user(s, owner)
            if user is None or s.execute(select(Assistant.id).where(Assistant.slug == slug)).first():
                continue
            create_assistant(
                s,
                actor=user,
                name=name,
                instruction=instruction,
                description=desc,
                visibility=visibility,
                tools=tools,
                collections=collections,
                slug=slug,
            )
            made += 1
        for title, prompt, example, owner in PROMPTS:
            user = find_user(s, owner)
            if user is None or s.execute(select(PromptEntry.id).where(PromptEntry.title == title)).first():
                continue
            add_prompt(s, actor=user, title=title, prompt=prompt, example=example)
            added += 1
    console.print(f"[green]부서 비서·프롬프트 모음 준비[/] (새 비서 {made}개, 새 프롬프트 {added}개)")
