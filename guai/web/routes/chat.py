"""Staff chat: conversations (list, search, rename, delete) and a streamed answer per message (SSE over fetch)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated

import anyio
from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response, StreamingResponse
from starlette.datastructures import UploadFile

from guai.assistants import conversations as convs
from guai.assistants.attachments import AttachmentError, extract_attachment
from guai.assistants.chat import ChatTurn, sse
from guai.assistants.render import render_markdown
from guai.assistants.service import can_use, get_assistant, visible_assistants
from guai.assistants.tools import available_tools
from guai.audit import record
from guai.db.models.assistants import PromptEntry
from guai.llm import LLMError, get_gateway, sniff_image
from guai.web.deps import CsrfProtected, CurrentUser, SessionDep, audit_now, client_address
from guai.web.templating import render

router = APIRouter(prefix="/chat")
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}
_IMAGE_NAME = re.compile(r"^[0-9a-f]{32}\.png$")


@router.get("")
def chat_page(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    c: int | None = None,
    q: str | None = None,
    assistant: int | None = None,
    prompt: int | None = None,
    msg: str | None = None,
    err: str | None = None,
) -> Response:
    # The gateway reads its settings in its own transaction: end this request's first (SQLite has one writer).
    session.commit()
    model_ready = get_gateway(request.app.state.db).available("chat")
    current, history, chosen = None, [], None
    if c is not None:
        try:
            current = convs.get_conversation(session, user, c)
        except convs.ConversationError as exc:
            err = str(exc)
        else:
            history = [
                {"m": m, "html": render_markdown(m.content), "meta": convs.message_meta(m)}
                for m in convs.messages(session, current)
            ]
            chosen = current.assistant
    elif assistant is not None:
        chosen = get_assistant(session, assistant)
        if chosen is None:
            err = "비서를 찾을 수 없습니다."
        elif not can_use(user, chosen):
            record(
                session,
                actor=user.username,
                action="assistant.denied",
                outcome="거부",
                target=chosen.slug,
                department=user.department.name,
                client=client_address(request),
            )
            err, chosen = f"'{chosen.name}' 비서는 {chosen.department.name} 직원만 쓸 수 있습니다.", None
    prefill = ""
    if prompt is not None:
        entry = session.get(PromptEntry, prompt)
        prefill = entry.prompt if entry else ""
    return render(
        request,
        "chat/index.html",
        {
            "conversations": convs.list_conversations(session, user, q),
            "current": current,
            "history": history,
            "q": q or "",
            "assistant": chosen,
            "assistants": visible_assistants(session, user),
            "prefill": prefill,
            "model_ready": model_ready,
            "tools": available_tools(),
            "msg": msg,
            "err": err,
        },
    )


async def _error_stream(message: str) -> AsyncIterator[str]:
    yield sse({"type": "error", "message": message})


@router.post("/send", dependencies=[CsrfProtected])
async def chat_send(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    """Send one message (multipart: message, conversation_id, assistant_id, file); answer streams as SSE."""
    # The turn works in its own transactions while the answer streams; hold nothing open here.
    await anyio.to_thread.run_sync(session.commit)
    settings = request.app.state.settings
    form = await request.form(max_part_size=settings.max_upload_mb * 1024 * 1024)
    text = str(form.get("message") or "")
    conv_id = str(form.get("conversation_id") or "")
    assistant_id = str(form.get("assistant_id") or "")
    upload = form.get("file")
    attachment = None
    image = None
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read()
        try:
            if Path(upload.filename).suffix.lower() in IMAGE_SUFFIXES:
                sniff_image(data)  # type and size are checked before anything else happens
                image = (Path(upload.filename).name, data)
            else:
                attachment = extract_attachment(
                    data, upload.filename, max_bytes=settings.max_upload_mb * 1024 * 1024
                )
        except (AttachmentError, LLMError) as exc:
            return StreamingResponse(_error_stream(str(exc)), media_type="text/event-stream", headers=headers)
    if len(text) > 20000:
        return StreamingResponse(
            _error_stream("메시지가 너무 깁니다. 긴 글은 파일로 첨부해 주세요."),
            media_type="text/event-stream",
            headers=headers,
        )
    turn = ChatTurn(
        request.app.state.db,
        user,
        text,
        conversation_id=int(conv_id) if conv_id.isdigit() else None,
        assistant_id=int(assistant_id) if assistant_id.isdigit() else None,
        attachment=attachment,
        district=settings.district_name,
        image=image,
        image_dir=settings.upload_dir / "chat-images",
    )

    async def stream() -> AsyncIterator[str]:
        async for event in turn.events():
            if event["type"] == "error" and "직원만" in event.get("message", ""):
                audit_now(
                    request,
                    actor=user.username,
                    action="assistant.denied",
                    outcome="거부",
                    target=assistant_id or conv_id,
                    department=user.department.name,
                )
            yield sse(event)

    return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)


@router.get("/images/{name}")
def chat_image(request: Request, name: str, user: CurrentUser) -> Response:
    """A generated image; names are random 128-bit tokens, and only logged-in staff can fetch them."""
    if not _IMAGE_NAME.match(name):
        raise HTTPException(404, "이미지를 찾을 수 없습니다.")
    path = request.app.state.settings.upload_dir / "chat-images" / name
    if not path.is_file():
        raise HTTPException(404, "이미지를 찾을 수 없습니다.")
    return FileResponse(path, media_type="image/png")


@router.post("/{conv_id}/rename", dependencies=[CsrfProtected])
def chat_rename(
    conv_id: int, user: CurrentUser, session: SessionDep, title: Annotated[str, Form()]
) -> Response:
    try:
        convs.rename_conversation(session, user, conv_id, title)
    except convs.ConversationError as exc:
        session.rollback()
        return RedirectResponse(f"/chat?err={exc}", status_code=303)
    return RedirectResponse(f"/chat?c={conv_id}", status_code=303)


@router.post("/{conv_id}/delete", dependencies=[CsrfProtected])
def chat_delete(conv_id: int, user: CurrentUser, session: SessionDep) -> Response:
    try:
        convs.delete_conversation(session, user, conv_id)
    except convs.ConversationError as exc:
        session.rollback()
        return RedirectResponse(f"/chat?err={exc}", status_code=303)
    return RedirectResponse("/chat?msg=대화를 삭제했습니다.", status_code=303)
