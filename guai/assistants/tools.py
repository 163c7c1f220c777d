"""Tool registry for chat function calling and the intent router; colleagues' modules are imported lazily.

A tool whose module does not exist (yet) is simply not offered. Tests and later features add tools
through `register_tool`, the same way the built-in ones are registered.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from guai.db.engine import Database
from guai.db.models.auth import User


@dataclass(frozen=True)
class ToolContext:
    db: Database
    user: User | None
    attachment_text: str | None = None
    collections: tuple[str, ...] = ()  # knowledge collections an assistant is limited to
    settings: Any = None


@dataclass(frozen=True)
class ToolOutput:
    markdown: str  # shown to staff
    for_model: str = ""  # compact text given back to the model (defaults to markdown)
    data: dict[str, Any] = field(default_factory=dict)

    def model_text(self) -> str:
        return self.for_model or self.markdown


class ToolError(Exception):
    """A tool could not do its job; the message is Korean and shown to staff."""


@dataclass(frozen=True)
class Tool:
    name: str
    title: str  # Korean label for forms and chat
    description: str  # for the model
    parameters: dict[str, Any]
    requires: tuple[str, ...]  # "module" or "module:attribute" that must exist
    run: Callable[[dict[str, Any], ToolContext], ToolOutput]

    def available(self) -> bool:
        return all(_exists(req) for req in self.requires)

    def schema(self) -> dict[str, Any]:
        return {
            "type": "function",
            "function": {"name": self.name, "description": self.description, "parameters": self.parameters},
        }


_available_cache: set[str] = set()


def _exists(requirement: str) -> bool:
    """True when the module (and attribute) can be imported; positive answers are cached."""
    if requirement in _available_cache:
        return True
    module, _, attr = requirement.partition(":")
    try:
        if importlib.util.find_spec(module) is None:
            return False
        mod = importlib.import_module(module)
    except ImportError:
        return False
    if attr and not hasattr(mod, attr):
        return False
    _available_cache.add(requirement)
    return True


_TOOLS: dict[str, Tool] = {}


def register_tool(tool: Tool) -> Tool:
    _TOOLS[tool.name] = tool
    return tool


def unregister_tool(name: str) -> None:
    _TOOLS.pop(name, None)


def all_tools() -> list[Tool]:
    return list(_TOOLS.values())


def get_tool(name: str) -> Tool | None:
    tool = _TOOLS.get(name)
    return tool if tool is not None and tool.available() else None


def available_tools(names: list[str] | tuple[str, ...] | None = None) -> list[Tool]:
    """Tools that can run now, optionally limited to the given names (an assistant's allowed tools)."""
    return [t for t in _TOOLS.values() if (names is None or t.name in names) and t.available()]


def run_tool(name: str, arguments: dict[str, Any], ctx: ToolContext) -> ToolOutput:
    tool = get_tool(name)
    if tool is None:
        raise ToolError(f"'{name}' 기능은 지금 쓸 수 없습니다.")
    return tool.run(arguments, ctx)


# ---- built-in tools (each imports its colleague module only when it runs) ------------------------


def _law_search(args: dict[str, Any], ctx: ToolContext) -> ToolOutput:
    from guai.knowledge.search import search

    query = str(args.get("query") or "").strip()
    if not query:
        raise ToolError("무엇을 찾을지 알려 주세요. 예: '전동킥보드 헬멧 법 조항 찾아줘'")
    kwargs: dict[str, Any] = {"user": ctx.user, "top": int(args.get("top") or 5)}
    if ctx.collections:
        kwargs["collections"] = list(ctx.collections)
    hits = search(ctx.db, query, **kwargs)
    if not hits:
        return ToolOutput(
            f"'{query}'에 맞는 법령·지침을 찾지 못했습니다. 다른 낱말로 다시 찾아 보세요.",
            data={"query": query, "count": 0},
        )
    lines = [f"**'{query}' 검색 결과** ({len(hits)}건)", ""]
    model_lines = []
    for i, h in enumerate(hits, 1):
        snippet = " ".join(str(getattr(h, "snippet", "") or getattr(h, "text", "")).split())[:220]
        url = getattr(h, "url", None)
        cite = getattr(h, "citation", None) or getattr(h, "title", "")
        lines.append(f"{i}. **{cite}**" + (f" ([전문 보기]({url}))" if url else "") + f" — {snippet}")
        model_lines.append(f"[{cite}] {' '.join(str(getattr(h, 'text', snippet)).split())[:600]}")
    return ToolOutput(
        "\n".join(lines), for_model="\n".join(model_lines), data={"query": query, "count": len(hits)}
    )


def _summarize(args: dict[str, Any], ctx: ToolContext) -> ToolOutput:
    from guai.documents import DocumentError
    from guai.documents.summarize import summarize

    text = str(args.get("text") or "").strip() or (ctx.attachment_text or "").strip()
    if len(text) < 40:
        raise ToolError("요약할 글이 없습니다. 글을 붙여 넣거나 파일을 첨부한 뒤 '요약해줘'라고 해 주세요.")
    length = str(args.get("length") or "3줄")
    try:
        # Extractive on purpose (no gateway): every line can be traced back to a source sentence.
        summary = summarize(text, length=length, user=ctx.user)
    except DocumentError as exc:
        raise ToolError(str(exc)) from exc
    return ToolOutput(f"**요약** ({length})\n\n{summary.to_markdown()}", data={"chars": len(text)})


def _complaint_ranking(args: dict[str, Any], ctx: ToolContext) -> ToolOutput:
    from guai.complaints.intent import parse_request
    from guai.complaints.service import NoComplaintsError, rank_topic
    from guai.complaints.topics import TopicError

    request_text = str(args.get("request") or "").strip()
    req = parse_request(request_text) if request_text else None
    if req is None:
        raise ToolError("어떤 민원을 정리할지 알려 주세요. 예: '지난달 전동킥보드 민원 순위별로 정리해줘'")
    try:
        with ctx.db.session() as s:
            ranking = rank_topic(s, **req.to_kwargs(), settings=ctx.db.settings, viewer=ctx.user, top=req.top)  # type: ignore[arg-type]
            md = ranking.to_markdown()
    except (NoComplaintsError, TopicError) as exc:
        raise ToolError(str(exc)) from exc
    return ToolOutput(md, data={"request": request_text, "topic": req.topic})


def _draft(args: dict[str, Any], ctx: ToolContext) -> ToolOutput:
    from guai.documents import DocumentError
    from guai.documents.drafting import draft

    kind = str(args.get("kind") or "보고서")
    fields = dict(args["fields"]) if isinstance(args.get("fields"), dict) else {}
    content = str(args.get("content") or args.get("title") or "").strip()
    if content:
        fields["내용"] = content
    try:
        doc = draft(kind, fields, user=ctx.user)
    except DocumentError as exc:
        raise ToolError(str(exc)) from exc
    notes = "".join(f"\n- {n}" for n in doc.notes)
    return ToolOutput(
        f"**{kind} 초안**\n\n```text\n{doc.text}\n```" + (f"\n\n참고:{notes}" if notes else ""),
        for_model=doc.text,
        data={"kind": kind},
    )


register_tool(
    Tool(
        name="law_search",
        title="법령·지침 검색",
        description="법령, 자치법규, 지침, 내부 문서에서 조항을 찾는다. 정확한 조문 인용(예: 도로교통법 제50조제4항)을 돌려준다.",
        parameters={
            "type": "object",
            "properties": {
                "query": {"type": "string", "description": "찾을 내용 (예: 전동킥보드 헬멧 착용 의무)"},
                "top": {"type": "integer", "description": "결과 수 (기본 5)"},
            },
            "required": ["query"],
        },
        requires=("guai.knowledge.search:search",),
        run=_law_search,
    )
)
register_tool(
    Tool(
        name="complaint_ranking",
        title="민원 순위 정리",
        description="접수된 민원을 주제·기간·부서로 묶어 건수 순위로 정리한다. 사용자의 요청 문장을 그대로 넘긴다.",
        parameters={
            "type": "object",
            "properties": {
                "request": {
                    "type": "string",
                    "description": "사용자의 요청 (예: 지난달 불법주정차 민원 순위별로 정리해줘)",
                }
            },
            "required": ["request"],
        },
        requires=("guai.complaints.intent:parse_request", "guai.complaints.service:rank_topic"),
        run=_complaint_ranking,
    )
)
register_tool(
    Tool(
        name="summarize",
        title="문서 요약",
        description="긴 글이나 첨부 문서를 원문 문장을 근거로 개조식 몇 줄로 요약한다.",
        parameters={
            "type": "object",
            "properties": {
                "text": {"type": "string", "description": "요약할 글 (비우면 첨부 파일)"},
                "length": {"type": "string", "description": "요약 길이, 예: 3줄, 5줄"},
            },
        },
        requires=("guai.documents.summarize:summarize",),
        run=_summarize,
    )
)
register_tool(
    Tool(
        name="draft_document",
        title="공문서 초안 작성",
        description="보고서, 계획서, 보도자료, 공문 초안을 공문서 작성 규칙에 맞춰 만든다.",
        parameters={
            "type": "object",
            "properties": {
                "kind": {"type": "string", "enum": ["보고서", "계획서", "보도자료", "공문"]},
                "title": {"type": "string"},
                "content": {"type": "string", "description": "담을 내용"},
                "fields": {"type": "object", "description": "양식 항목 (선택)"},
            },
            "required": ["kind"],
        },
        requires=("guai.documents.drafting:draft",),
        run=_draft,
    )
)


def tool_output_json(out: ToolOutput) -> str:
    return json.dumps({"result": out.model_text()}, ensure_ascii=False)
