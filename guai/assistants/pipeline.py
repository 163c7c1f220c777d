"""The assistant pipeline shared by staff chat (/chat) and the OpenAI-compatible API (/v1).

One model turn for an assistant (or plain chat): system prompt with the assistant's instruction, retrieval from
its knowledge collections (with the caller's visibility) as cited context, and its allowed tools executed
server-side through function calling, round after round, until the model answers in text.

    run = AssistantRun(db, user, messages, spec, query="주차 단속 근거 조항은?")
    async for ev in run.events():   # {"type": "delta", "text"} / {"type": "tool", "name", "title", "markdown"}
        ...
    run.result, run.usage, run.citations, run.client_tool_calls

Tool calls to functions that are not server tools (tools the API client sent itself) end the turn and are handed
back to the caller in `client_tool_calls`, as the OpenAI protocol expects.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import anyio

from guai.assistants.service import assistant_collections, assistant_tools
from guai.assistants.tools import Tool, ToolContext, ToolError, ToolOutput, available_tools, tool_output_json
from guai.db.engine import Database
from guai.db.models.assistants import Assistant
from guai.db.models.auth import User
from guai.llm import ChatResult, ToolCall, Usage, get_gateway

MAX_TOOL_ROUNDS = 3
RETRIEVAL_TOP = 3
RETRIEVAL_CHARS = 800  # per passage given to the model


@dataclass
class AssistantSpec:
    """What an assistant adds to a model call. allowed_tools None = every available tool (plain staff chat)."""

    name: str | None = None
    instruction: str | None = None
    allowed_tools: list[str] | None = None
    collections: list[str] = field(default_factory=list)
    purpose: str = "chat"

    @classmethod
    def of(cls, a: Assistant, *, purpose_prefix: str = "") -> AssistantSpec:
        return cls(
            name=a.name,
            instruction=a.instruction,
            allowed_tools=assistant_tools(a),
            collections=assistant_collections(a),
            purpose=f"{purpose_prefix}assistant:{a.slug}",
        )


@dataclass(frozen=True)
class Citation:
    citation: str
    title: str
    collection: str
    url: str

    def as_dict(self) -> dict[str, str]:
        return {
            "citation": self.citation,
            "title": self.title,
            "collection": self.collection,
            "url": self.url,
        }


@dataclass(frozen=True)
class Retrieved:
    context: str  # passages for the system prompt, each starting with its [citation]
    citations: list[Citation]


def retrieve(db: Database, user: User | None, spec: AssistantSpec, query: str) -> Retrieved | None:
    """Passages from the assistant's collections that the caller may see; None when there is nothing to add."""
    if not spec.collections or not query.strip():
        return None
    try:
        from guai.knowledge.search import search
    except ImportError:
        return None
    try:
        hits = search(db, query, user=user, top=RETRIEVAL_TOP, collections=list(spec.collections))
    except Exception:  # retrieval is a bonus: the answer still comes without it
        return None
    if not hits:
        return None
    lines = [f"[{h.citation}] {' '.join(h.text.split())[:RETRIEVAL_CHARS]}" for h in hits]
    cites = [Citation(h.citation, h.title, h.collection, h.url) for h in hits]
    return Retrieved("\n".join(lines), cites)


def system_prompt(district: str, spec: AssistantSpec, knowledge: str | None) -> str:
    parts = [
        f"당신은 {district} 공무원의 업무를 돕는 AI 비서입니다. 한국어로 정확하고 공손하게 답하세요. "
        "모르는 것은 모른다고 말하고, 법령은 도구로 찾은 조문만 인용하세요. "
        "[전화번호1] 같은 대괄호 표시는 개인정보를 가린 자리이니 그대로 두세요."
    ]
    if spec.instruction:
        parts.append(f"이 비서({spec.name})의 역할: {spec.instruction}")
    if knowledge:
        parts.append("참고 자료 (답에 쓰면 대괄호 속 출처를 그대로 인용하세요):\n" + knowledge)
    return "\n\n".join(parts)


def last_user_text(messages: list[dict[str, Any]]) -> str:
    """The text of the last user message (string content or text parts): the retrieval query."""
    for m in reversed(messages):
        if m.get("role") != "user":
            continue
        c = m.get("content")
        if isinstance(c, str):
            return c
        if isinstance(c, list):
            return " ".join(str(p.get("text", "")) for p in c if isinstance(p, dict))
    return ""


def _add_usage(a: Usage, b: Usage) -> Usage:
    return Usage(
        a.prompt_tokens + b.prompt_tokens,
        a.completion_tokens + b.completion_tokens,
        a.total_tokens + b.total_tokens,
        a.estimated or b.estimated,
    )


class AssistantRun:
    """One turn through the pipeline. Gateway errors (LLMError and subclasses) propagate from events()."""

    def __init__(
        self,
        db: Database,
        user: User,
        messages: list[dict[str, Any]],
        spec: AssistantSpec,
        *,
        query: str | None = None,
        district: str = "가온구",
        stream: bool = True,
        client_tools: list[dict[str, Any]] | None = None,
        tool_choice: Any = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
        attachment_text: str | None = None,
    ) -> None:
        self.db, self.user, self.spec = db, user, spec
        self.messages = list(messages)  # history + the new user message, without our system prompt
        self.query = last_user_text(messages) if query is None else query
        self.district, self.stream = district, stream
        self.client_tools = list(client_tools or [])
        self.tool_choice, self.temperature, self.max_tokens = tool_choice, temperature, max_tokens
        self.attachment_text = attachment_text
        self.result: ChatResult | None = None  # the last model answer
        self.usage = Usage()  # summed over every round
        self.citations: list[Citation] = []
        self.tool_blocks: list[dict[str, str]] = []
        self.client_tool_calls: list[ToolCall] = []

    def _tool_ctx(self) -> ToolContext:
        return ToolContext(
            db=self.db,
            user=self.user,
            attachment_text=self.attachment_text,
            collections=tuple(self.spec.collections),
        )

    def _run_tool(self, tool: Tool, args: dict[str, Any]) -> ToolOutput:
        return tool.run(args, self._tool_ctx())

    async def events(self) -> AsyncIterator[dict[str, Any]]:
        retrieved = await anyio.to_thread.run_sync(retrieve, self.db, self.user, self.spec, self.query)
        if retrieved is not None:
            self.citations = list(retrieved.citations)
        system = {
            "role": "system",
            "content": system_prompt(self.district, self.spec, retrieved.context if retrieved else None),
        }
        messages: list[dict[str, Any]] = [system, *self.messages]
        tools = available_tools(self.spec.allowed_tools)
        server_names = {t.name for t in tools}
        client_schemas = [
            s for s in self.client_tools if s.get("function", {}).get("name") not in server_names
        ]
        schemas: list[dict[str, Any]] | None = [t.schema() for t in tools] + client_schemas or None
        gw = get_gateway(self.db)
        kwargs: dict[str, Any] = {
            "user": self.user,
            "purpose": self.spec.purpose,
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
        }
        for round_no in range(MAX_TOOL_ROUNDS + 1):
            choice = self.tool_choice if schemas and client_schemas else None
            if self.stream:
                stream = gw.achat_stream(messages, tools=schemas, tool_choice=choice, **kwargs)
                async for piece in stream:
                    yield {"type": "delta", "text": piece}
                result = stream.result
                assert result is not None
            else:
                result = await gw.achat(messages, tools=schemas, tool_choice=choice, **kwargs)
                if result.text:
                    yield {"type": "delta", "text": result.text}
            self.result, self.usage = result, _add_usage(self.usage, result.usage)
            if not result.tool_calls:
                return
            # A call to one of the API client's own functions: the client runs it, not us.
            client_calls = [
                c
                for c in result.tool_calls
                if c.name not in server_names
                and any(s.get("function", {}).get("name") == c.name for s in client_schemas)
            ]
            if client_calls:
                self.client_tool_calls = client_calls
                return
            messages.append(
                {
                    "role": "assistant",
                    "content": result.text or None,
                    "tool_calls": [tc.to_openai() for tc in result.tool_calls],
                }
            )
            for call in result.tool_calls:
                tool = next((t for t in tools if t.name == call.name), None)
                if tool is None:
                    out = ToolOutput(f"'{call.name}' 기능은 이 비서에서 쓸 수 없습니다.")
                else:
                    try:
                        out = await anyio.to_thread.run_sync(self._run_tool, tool, call.parsed_arguments())
                    except ToolError as exc:
                        out = ToolOutput(str(exc))
                    block = {"name": call.name, "title": tool.title, "markdown": out.markdown}
                    self.tool_blocks.append(block)
                    yield {"type": "tool", **block}
                messages.append({"role": "tool", "tool_call_id": call.id, "content": tool_output_json(out)})
            if round_no == MAX_TOOL_ROUNDS - 1:
                schemas = None  # last round: ask for a plain answer from the tool results
