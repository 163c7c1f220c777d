"""One chat turn as a stream of events: model with function calling when configured, else the intent router.

Events (dicts): meta {conversation_id, title, mode}, delta {text}, tool {name, title, markdown},
notice {text}, done {message_id, html, text}. The web page turns them into SSE.
"""

from __future__ import annotations

import functools
import json
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio

from guai.assistants import conversations as convs
from guai.assistants.attachments import Attachment
from guai.assistants.intent import UNSUPPORTED_MESSAGES, capabilities_help, route
from guai.assistants.pipeline import MAX_TOOL_ROUNDS, AssistantRun, AssistantSpec, system_prompt
from guai.assistants.render import render_markdown
from guai.assistants.service import assistant_collections, assistant_tools, can_use, get_assistant
from guai.assistants.tools import (
    Tool,
    ToolContext,
    ToolError,
    ToolOutput,
    available_tools,
    get_tool,
)
from guai.db.engine import Database
from guai.db.models.auth import User
from guai.llm import BlockedByPolicy, LLMError, NoProviderError, QuotaExceeded, get_gateway

__all__ = [
    "MAX_TOOL_ROUNDS",
    "ChatDenied",
    "ChatTurn",
    "TurnContext",
    "sse",
    "system_prompt",
    "wants_image_generation",
]
HISTORY_MESSAGES = 20


class ChatDenied(PermissionError):
    """The user may not use this assistant or conversation."""


@dataclass
class TurnContext:
    conversation_id: int
    title: str
    assistant_name: str | None = None
    instruction: str | None = None
    allowed_tools: list[str] | None = None  # None = every available tool
    collections: list[str] = field(default_factory=list)
    history: list[dict[str, str]] = field(default_factory=list)
    purpose: str = "chat"

    def spec(self) -> AssistantSpec:
        return AssistantSpec(
            name=self.assistant_name,
            instruction=self.instruction,
            allowed_tools=self.allowed_tools,
            collections=list(self.collections),
            purpose=self.purpose,
        )


class ChatTurn:
    def __init__(
        self,
        db: Database,
        user: User,
        text: str,
        *,
        conversation_id: int | None = None,
        assistant_id: int | None = None,
        attachment: Attachment | None = None,
        district: str = "가온구",
        image: tuple[str, bytes] | None = None,
        image_dir: Path | None = None,
    ) -> None:
        self.db, self.user, self.text = db, user, text.strip()
        self.conversation_id, self.assistant_id = conversation_id, assistant_id
        self.attachment, self.district = attachment, district
        self.image, self.image_dir = image, image_dir
        self.tool_blocks: list[dict[str, str]] = []
        self.answer: list[str] = []
        self.meta: dict[str, Any] = {}

    # ---- database steps (run in worker threads) --------------------------------------------------
    def _prepare(self) -> TurnContext:
        with self.db.session() as s:
            if self.conversation_id:
                conv = convs.get_conversation(s, self.user, self.conversation_id)
                assistant_id = conv.assistant_id
            else:
                assistant_id = self.assistant_id
                conv = None
            assistant = get_assistant(s, assistant_id) if assistant_id else None
            if assistant_id and assistant is None:
                raise ChatDenied("이 비서는 삭제되었습니다. 새 대화를 시작해 주세요.")
            if assistant is not None and not can_use(self.user, assistant):
                raise ChatDenied(
                    f"'{assistant.name}' 비서는 {assistant.department.name} 직원만 쓸 수 있습니다."
                )
            if conv is None:
                fallback_title = (
                    self.attachment.filename
                    if self.attachment
                    else self.image[0]
                    if self.image
                    else "새 대화"
                )
                conv = convs.create_conversation(
                    s,
                    self.user,
                    title=self.text or fallback_title,
                    assistant_id=assistant.id if assistant else None,
                )
            history = [
                {"role": m.role, "content": m.content}
                for m in convs.messages(s, conv)
                if m.role in ("user", "assistant")
            ][-HISTORY_MESSAGES:]
            meta: dict[str, Any] = {}
            if self.attachment:
                meta["attachment"] = {
                    "filename": self.attachment.filename,
                    "chars": self.attachment.chars,
                    "truncated": self.attachment.truncated,
                }
            if self.image:
                meta["attachment"] = {"filename": self.image[0], "chars": 0, "image": True}
            convs.add_message(s, conv.id, "user", self.text, meta)
            ctx = TurnContext(conversation_id=conv.id, title=conv.title, history=history)
            if assistant is not None:
                ctx.assistant_name, ctx.instruction = assistant.name, assistant.instruction
                ctx.allowed_tools, ctx.collections = (
                    assistant_tools(assistant),
                    assistant_collections(assistant),
                )
                ctx.purpose = f"assistant:{assistant.slug}"
            return ctx

    def _save_answer(self, ctx: TurnContext) -> tuple[int, str]:
        content = "\n\n".join(
            [b["markdown"] for b in self.tool_blocks] + ["".join(self.answer).strip()]
        ).strip()
        meta = {**self.meta, "tools": [b["name"] for b in self.tool_blocks]}
        with self.db.session() as s:
            msg = convs.add_message(s, ctx.conversation_id, "assistant", content, meta)
            return msg.id, content

    def _tool_ctx(self, ctx: TurnContext) -> ToolContext:
        return ToolContext(
            db=self.db,
            user=self.user,
            attachment_text=self.attachment.text if self.attachment else None,
            collections=tuple(ctx.collections),
        )

    def _run_tool(self, tool: Tool, args: dict[str, Any], ctx: TurnContext) -> ToolOutput:
        return tool.run(args, self._tool_ctx(ctx))

    # ---- the turn ------------------------------------------------------------------------------
    async def events(self) -> AsyncIterator[dict[str, Any]]:
        if not self.text and not self.attachment and not self.image:
            yield {"type": "error", "message": "보낼 내용을 적어 주세요."}
            return
        try:
            ctx = await anyio.to_thread.run_sync(self._prepare)
        except (ChatDenied, convs.ConversationError) as exc:
            yield {"type": "error", "message": str(exc)}
            return
        gw = get_gateway(self.db)
        mode = "model" if gw.available("chat") else "rules"
        yield {"type": "meta", "conversation_id": ctx.conversation_id, "title": ctx.title, "mode": mode}
        if self.image or wants_image_generation(self.text):
            async for ev in self._images(ctx):
                yield ev
        elif mode == "model":
            async for ev in self._with_model(ctx):
                yield ev
        else:
            async for ev in self._with_rules(ctx, reason=None):
                yield ev
        message_id, content = await anyio.to_thread.run_sync(self._save_answer, ctx)
        yield {
            "type": "done",
            "message_id": message_id,
            "text": content,
            "html": render_markdown(content),
            "citations": self.meta.get("citations", []),
        }

    def _user_content(self) -> str:
        if not self.attachment:
            return self.text
        note = " (앞부분만)" if self.attachment.truncated else ""
        return f"{self.text}\n\n[첨부 파일: {self.attachment.filename}{note}]\n{self.attachment.text}"

    async def _with_model(self, ctx: TurnContext) -> AsyncIterator[dict[str, Any]]:
        messages = ctx.history + [{"role": "user", "content": self._user_content()}]
        run = AssistantRun(
            self.db,
            self.user,
            messages,
            ctx.spec(),
            query=self.text,
            district=self.district,
            attachment_text=self.attachment.text if self.attachment else None,
        )
        try:
            async for ev in run.events():
                if ev["type"] == "delta":
                    self.answer.append(ev["text"])
                else:
                    self.tool_blocks.append({k: ev[k] for k in ("name", "title", "markdown")})
                yield ev
            if run.result is not None:
                self.meta.update(
                    provider=run.result.provider, model=run.result.model, masked=run.result.masked_counts
                )
            if run.citations:
                self.meta["citations"] = [c.as_dict() for c in run.citations]
        except (QuotaExceeded, BlockedByPolicy) as exc:
            self.answer.append(str(exc))
            self.meta["stopped"] = exc.code
            yield {"type": "notice", "text": str(exc)}
        except NoProviderError:
            async for ev in self._with_rules(ctx, reason=None):
                yield ev
        except LLMError as exc:
            if self.answer:  # half an answer is already on screen: say it broke off
                self.answer.append(f"\n\n_(답변이 중간에 끊겼습니다: {exc})_")
                yield {"type": "notice", "text": str(exc)}
                return
            async for ev in self._with_rules(ctx, reason=str(exc)):
                yield ev

    async def _images(self, ctx: TurnContext) -> AsyncIterator[dict[str, Any]]:
        """Image analysis (attached picture) or generation (성동GPT 이미지 생성·분석), when a model supports it."""
        gw = get_gateway(self.db)
        try:
            if self.image:
                if not gw.available("vision"):
                    text = "이미지 분석은 이미지를 읽을 수 있는 AI 모델이 있어야 합니다. 지금은 연결되어 있지 않습니다."
                else:
                    question = self.text or "이 이미지를 설명해 주세요."
                    res = await anyio.to_thread.run_sync(
                        functools.partial(
                            gw.analyze_image,
                            self.image[1],
                            question,
                            user=self.user,
                            purpose=f"{ctx.purpose}:image",
                        )
                    )
                    self.meta.update(provider=res.provider, model=res.model, masked=res.masked_counts)
                    text = res.text
            elif not gw.available("images") or self.image_dir is None:
                text = "이미지 생성은 이미지 생성 모델이 있어야 합니다. 지금은 연결되어 있지 않습니다."
            else:
                gen = await anyio.to_thread.run_sync(
                    functools.partial(
                        gw.generate_image, self.text, user=self.user, purpose=f"{ctx.purpose}:image"
                    )
                )
                names = await anyio.to_thread.run_sync(self._save_images, gen.images)
                self.meta.update(provider=gen.provider, model=gen.model)
                text = "\n\n".join(f"![생성한 이미지 {i}](/chat/images/{n})" for i, n in enumerate(names, 1))
        except LLMError as exc:
            text = str(exc)
        self.answer.append(text)
        yield {"type": "delta", "text": text}

    def _save_images(self, images: list[bytes]) -> list[str]:
        assert self.image_dir is not None
        self.image_dir.mkdir(parents=True, exist_ok=True)
        names = []
        for data in images:
            name = f"{uuid.uuid4().hex}.png"
            (self.image_dir / name).write_bytes(data)
            names.append(name)
        return names

    async def _with_rules(self, ctx: TurnContext, reason: str | None) -> AsyncIterator[dict[str, Any]]:
        self.meta["mode"] = "rules"
        if reason:
            note = f"{reason} 모델 없이 처리할 수 있는 요청인지 확인합니다.\n\n"
            self.answer.append(note)
            yield {"type": "notice", "text": reason}
        intent = route(self.text, has_attachment=self.attachment is not None)
        allowed = ctx.allowed_tools
        if intent.tool and (allowed is None or intent.tool in allowed):
            tool = get_tool(intent.tool)
            if tool is None:
                text = f"요청하신 기능({intent.tool})은 아직 설치되지 않아 처리할 수 없습니다."
            else:
                try:
                    out = await anyio.to_thread.run_sync(self._run_tool, tool, intent.args, ctx)
                    block = {"name": tool.name, "title": tool.title, "markdown": out.markdown}
                    self.tool_blocks.append(block)
                    yield {"type": "tool", **block}
                    return
                except ToolError as exc:
                    text = str(exc)
        elif intent.tool:
            text = f"이 비서에서는 '{intent.tool}' 기능을 쓰도록 설정되어 있지 않습니다."
        else:
            usable = [(t.name, t.title) for t in available_tools(allowed)]
            text = UNSUPPORTED_MESSAGES[intent.unsupported or "free"] + "\n\n" + capabilities_help(usable)
        self.answer.append(text)
        yield {"type": "delta", "text": text}


_GENERATE_IMAGE = re.compile(r"(이미지|그림|사진|로고|포스터|삽화)\S*\s*(을|를)?\s*(생성|그려|만들어)")


def wants_image_generation(text: str) -> bool:
    return bool(_GENERATE_IMAGE.search(text or ""))


def sse(event: dict[str, Any]) -> str:
    return f"event: {event['type']}\ndata: {json.dumps(event, ensure_ascii=False)}\n\n"
