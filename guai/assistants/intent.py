"""Rule-based Korean intent router: recognised requests go to tools when no model is connected."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Intent:
    tool: str | None = None
    args: dict[str, Any] = field(default_factory=dict)
    unsupported: str | None = None  # "translation" | "image" | "free" when only a model could answer


_TRANSLATE = re.compile(
    r"번역|영어로|영문으로|중국어로|일본어로|베트남어로|러시아어로|[a-z]+어로\s*(바꿔|옮겨)"
)
_IMAGE = re.compile(r"(이미지|그림|사진|로고|포스터)\S*\s*(을|를)?\s*(생성|그려|만들어|분석|설명|봐\s*줘)")
_COMPLAINT = re.compile(r"민원")
_RANK = re.compile(r"순위|랭킹|많이\s*(들어온|접수된)|상위|가장\s*많은|top\s*\d*|정리해|통계|건수", re.I)
_LAW_WORD = re.compile(r"법|조항|조문|법령|시행령|시행규칙|조례|규정|규칙|지침")
_ASK = re.compile(r"찾아|검색|알려|뭐야|무엇|어떻게\s*되|있어\?|있나요|있습니까|확인해")
_SUMMARY = re.compile(r"요약|줄여\s*줘|간추려")
_DRAFT = re.compile(r"(보고서|계획서|보도자료|공문)\S*\s*.*(작성|써\s*줘|써줘|만들어|초안)")
_LENGTH = re.compile(r"(\d+)\s*줄")

# Request phrasing removed to leave the search query ("전동킥보드 헬멧 법 조항 찾아줘" → "전동킥보드 헬멧").
_LAW_NOISE = re.compile(
    r"(관련(된)?|에\s*(대한|관한)|의)?\s*(법\s*조항|법\s*조문|조항|조문|법령|근거\s*규정|규정)?\s*(좀\s*)?"
    r"(을|를|이|가)?\s*(찾아|검색해|알려)\s*(줘|주세요|줄래|주십시오|봐)?[.?!\s]*$"
)


def law_query(text: str) -> str:
    q = _LAW_NOISE.sub("", text.strip())
    q = re.sub(r"\s*(관련(된)?|에\s*(대한|관한))\s*$", "", q)
    return q.strip(" .?!\"'") or text.strip()


def route(text: str, *, has_attachment: bool = False) -> Intent:
    """Map a staff request to a tool (with arguments) or say why only a model could do it."""
    t = " ".join(text.split())
    if not t:
        return Intent(unsupported="free")
    if _TRANSLATE.search(t):
        return Intent(unsupported="translation")
    if _IMAGE.search(t):
        return Intent(unsupported="image")
    if _SUMMARY.search(t):
        m = _LENGTH.search(t)
        body = re.split(r"(요약해\s*(줘|주세요)?|간추려\s*(줘|주세요)?|줄여\s*줘)[.:：\s]*", t, maxsplit=1)
        tail = body[-1].strip() if len(body) > 1 else ""
        head = body[0].strip()
        # The text to summarise is either pasted after the request or before it (long), or attached.
        text_arg = tail if len(tail) > len(head) else (head if len(head) > 60 else "")
        return Intent(tool="summarize", args={"text": text_arg, "length": f"{m.group(1)}줄" if m else "3줄"})
    if _COMPLAINT.search(t) and _RANK.search(t):
        return Intent(tool="complaint_ranking", args={"request": t})
    if _DRAFT.search(t):
        kind = next(k for k in ("보도자료", "계획서", "보고서", "공문") if k in t)
        return Intent(tool="draft_document", args={"kind": kind, "title": t})
    if _LAW_WORD.search(t) and _ASK.search(t):
        return Intent(tool="law_search", args={"query": law_query(t)})
    return Intent(unsupported="free")


UNSUPPORTED_MESSAGES = {
    "translation": "번역은 AI 모델이 있어야 할 수 있습니다. 지금은 연결된 모델이 없어 번역해 드릴 수 없습니다.",
    "image": "이미지 생성과 분석은 AI 모델이 있어야 할 수 있습니다. 지금은 연결된 모델이 없습니다.",
    "free": "지금은 AI 모델이 연결되어 있지 않아 자유로운 대화에는 답할 수 없습니다.",
}


def capabilities_help(available: list[tuple[str, str]]) -> str:
    """What works without a model, listed from the tools that exist right now."""
    examples = {
        "complaint_ranking": "「지난달 불법주정차 민원 순위별로 정리해줘」",
        "law_search": "「전동킥보드 헬멧 법 조항 찾아줘」",
        "summarize": "「(글을 붙여 넣거나 파일 첨부) 요약해줘」",
        "draft_document": "「주차 단속 강화 계획서 초안 작성해줘」",
    }
    lines = [f"- {title}: {examples.get(name, '')}" for name, title in available]
    if not lines:
        return "모델 없이 처리할 수 있는 기능이 아직 설치되어 있지 않습니다."
    return "모델 없이도 이런 요청은 바로 처리합니다:\n" + "\n".join(lines)
