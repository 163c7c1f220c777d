"""OpenAI-compatible API (/v1): models (incl. department assistants), chat completions (streamed or not),
embeddings. Personal API keys only; every call goes through the gateway's masking, quotas and audit."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from guai.assistants.pipeline import AssistantRun, AssistantSpec
from guai.assistants.service import can_use, get_assistant, model_id, visible_assistants
from guai.audit import record
from guai.db.models.auth import User
from guai.llm import LLMError, ToolCall, Usage, get_gateway
from guai.web.deps import OptionalUser, SessionDep, audit_now, client_address

router = APIRouter(prefix="/v1")


def api_user(request: Request, user: OptionalUser, session: SessionDep) -> User:
    """Only personal API keys (Authorization: Bearer guai-...) — never a browser cookie, so no CSRF risk."""
    # Resolving the key wrote last_used_at; commit now so this request holds no SQLite write lock while
    # the gateway records usage and audit in its own transactions.
    session.commit()
    if user is None or getattr(request.state, "auth", None) != "api_key":
        if getattr(request.state, "auth", None) == "invalid_key":
            audit_now(
                request, actor="anonymous", action="apikey.rejected", outcome="거부", target=request.url.path
            )
        raise HTTPException(
            401,
            "API 키가 올바르지 않거나 폐기되었습니다. 'Authorization: Bearer <개인 API 키>'를 보내세요.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


ApiUser = Annotated[User, Depends(api_user)]


def _error(status: int, message: str, code: str, type_: str = "invalid_request_error") -> JSONResponse:
    return JSONResponse(
        {"error": {"message": message, "type": type_, "code": code, "param": None}}, status_code=status
    )


def _llm_error(exc: LLMError) -> JSONResponse:
    return _error(exc.status_code, str(exc), exc.code, "guai_error")


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="allow")
    model: str = "guai"
    messages: list[dict[str, Any]] = Field(min_length=1)
    stream: bool = False
    temperature: float | None = None
    max_tokens: int | None = None
    max_completion_tokens: int | None = None
    tools: list[dict[str, Any]] | None = None
    tool_choice: Any = None
    stream_options: dict[str, Any] | None = None


class EmbeddingRequest(BaseModel):
    model_config = ConfigDict(extra="allow")
    model: str | None = None
    input: str | list[str]


@router.get("/models")
def list_models(request: Request, user: ApiUser, session: SessionDep) -> dict[str, Any]:
    gw = get_gateway(request.app.state.db)
    data = []
    if gw.available("chat"):
        data.append({"id": "guai", "object": "model", "created": 0, "owned_by": "guai"})
        data += [
            {"id": f"{prov}/{m}", "object": "model", "created": 0, "owned_by": prov}
            for prov, m in gw.models()
        ]
    for p in gw.providers():
        if p.embedding_model:
            data.append(
                {"id": f"{p.name}/{p.embedding_model}", "object": "model", "created": 0, "owned_by": p.name}
            )
    for a in visible_assistants(session, user):
        data.append(
            {
                "id": model_id(a),
                "object": "model",
                "created": int(a.created_at.timestamp()),
                "owned_by": a.department.name,
                "name": a.name,
                "description": a.description or "",
            }
        )
    return {"object": "list", "data": data}


def _prepare(
    request: Request, user: User, session: Any, body: ChatRequest
) -> AssistantSpec | str | None | JSONResponse:
    """For an assistant model, its pipeline spec; otherwise the provider model name (None = default)."""
    if not body.model.startswith("assistant:"):
        return None if body.model in ("guai", "default") else body.model
    a = get_assistant(session, body.model)
    if a is None:
        return _error(404, f"모델 '{body.model}'이(가) 없습니다.", "model_not_found")
    if not can_use(user, a):
        record(
            session,
            actor=user.username,
            action="assistant.denied",
            outcome="거부",
            target=a.slug,
            department=user.department.name,
            client=client_address(request),
            detail={"via": "api"},
        )
        session.commit()
        return _error(
            403, f"'{a.name}' 비서는 {a.department.name} 직원만 쓸 수 있습니다.", "model_not_allowed"
        )
    spec = AssistantSpec.of(a, purpose_prefix="api:")
    session.commit()  # the gateway records usage in its own transaction
    return spec


def _usage(u: Usage) -> dict[str, int]:
    return {
        "prompt_tokens": u.prompt_tokens,
        "completion_tokens": u.completion_tokens,
        "total_tokens": u.total_tokens,
    }


class _Outcome:
    """What a completion produced, whichever path made it: plain gateway call or the assistant pipeline."""

    def __init__(self) -> None:
        self.tool_calls: list[ToolCall] = []
        self.finish_reason: str | None = None
        self.usage = Usage()
        self.citations: list[dict[str, str]] = []
        self.server_tools: list[str] = []


async def _pieces(
    request: Request, user: User, body: ChatRequest, prepared: AssistantSpec | str | None, out: _Outcome
) -> AsyncIterator[str]:
    """Text pieces of the answer; fills `out` when done. LLMError propagates."""
    gw = get_gateway(request.app.state.db)
    max_tokens = body.max_tokens or body.max_completion_tokens
    if isinstance(prepared, AssistantSpec):
        run = AssistantRun(
            request.app.state.db,
            user,
            body.messages,
            prepared,
            stream=body.stream,
            district=request.app.state.settings.district_name,
            client_tools=body.tools,
            tool_choice=body.tool_choice,
            temperature=body.temperature,
            max_tokens=max_tokens,
        )
        async for ev in run.events():
            if ev["type"] == "delta":
                yield ev["text"]
        out.tool_calls, out.usage = run.client_tool_calls, run.usage
        out.finish_reason = (
            "tool_calls" if run.client_tool_calls else (run.result.finish_reason if run.result else None)
        )
        out.citations = [c.as_dict() for c in run.citations]
        out.server_tools = [b["name"] for b in run.tool_blocks]
        return
    kwargs: dict[str, Any] = dict(
        user=user,
        purpose="api",
        tools=body.tools,
        temperature=body.temperature,
        max_tokens=max_tokens,
        model=prepared,
        tool_choice=body.tool_choice,
    )
    if not body.stream:
        res = await gw.achat(body.messages, **kwargs)
        if res.text:
            yield res.text
    else:
        stream = gw.achat_stream(body.messages, **kwargs)
        async for piece in stream:
            yield piece
        res = stream.result  # type: ignore[assignment]
    if res is not None:
        out.tool_calls, out.usage, out.finish_reason = res.tool_calls, res.usage, res.finish_reason


@router.post("/chat/completions")
async def chat_completions(
    request: Request, user: ApiUser, session: SessionDep, body: ChatRequest
) -> Response:
    prepared = await anyio.to_thread.run_sync(_prepare, request, user, session, body)
    if isinstance(prepared, JSONResponse):
        return prepared
    cid, created = f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time())
    out = _Outcome()
    pieces = _pieces(request, user, body, prepared, out).__aiter__()

    def extras() -> dict[str, Any]:
        """guai's additions to the OpenAI shape (clients ignore unknown fields): sources and server tools used."""
        extra: dict[str, Any] = {}
        if out.citations:
            extra["citations"] = out.citations
        if out.server_tools:
            extra["guai_tools"] = out.server_tools
        return extra

    if not body.stream:
        try:
            text = "".join([p async for p in pieces])
        except LLMError as exc:
            return _llm_error(exc)
        message: dict[str, Any] = {"role": "assistant", "content": text or None}
        if out.tool_calls:
            message["tool_calls"] = [tc.to_openai() for tc in out.tool_calls]
        return JSONResponse(
            {
                "id": cid,
                "object": "chat.completion",
                "created": created,
                "model": body.model,
                "choices": [{"index": 0, "message": message, "finish_reason": out.finish_reason or "stop"}],
                "usage": _usage(out.usage),
                **extras(),
            }
        )

    try:  # start before answering, so quota/policy/provider errors get a real HTTP status
        first: str | None = await pieces.__anext__()
    except StopAsyncIteration:
        first = None
    except LLMError as exc:
        return _llm_error(exc)
    include_usage = bool((body.stream_options or {}).get("include_usage"))

    def sse(payload: dict[str, Any]) -> str:
        return "data: " + json.dumps(payload, ensure_ascii=False) + "\n\n"

    head = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": body.model}

    def chunk(delta: dict[str, Any], finish: str | None = None, **more: Any) -> str:
        return sse({**head, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **more})

    async def events() -> AsyncIterator[str]:
        yield chunk({"role": "assistant", "content": ""})
        try:
            if first:
                yield chunk({"content": first})
            async for piece in pieces:
                yield chunk({"content": piece})
        except LLMError as exc:
            yield sse({"error": {"message": str(exc), "type": "guai_error", "code": exc.code}})
            return
        if out.tool_calls:
            yield chunk(
                {"tool_calls": [{"index": i, **tc.to_openai()} for i, tc in enumerate(out.tool_calls)]}
            )
        yield chunk({}, out.finish_reason or "stop", **extras())
        if include_usage:
            yield sse({**head, "choices": [], "usage": _usage(out.usage)})
        yield "data: [DONE]\n\n"

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.post("/embeddings")
async def embeddings(request: Request, user: ApiUser, body: EmbeddingRequest) -> Response:
    texts = [body.input] if isinstance(body.input, str) else list(body.input)
    if not texts or any(not isinstance(t, str) for t in texts):
        return _error(400, "input에는 문자열이나 문자열 목록을 넣어 주세요.", "invalid_input")
    gw = get_gateway(request.app.state.db)
    try:
        vectors = await gw.aembed(texts, user=user, purpose="api", model=body.model)
    except LLMError as exc:
        return _llm_error(exc)
    tokens = sum(max(1, len(t) // 2) for t in texts)
    return JSONResponse(
        {
            "object": "list",
            "model": body.model or "guai",
            "data": [{"object": "embedding", "index": i, "embedding": v} for i, v in enumerate(vectors)],
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
        }
    )
