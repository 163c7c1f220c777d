"""Department assistants (list, create, edit, delete, publish) and the shared prompt library."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from guai.assistants.service import (
    VISIBILITIES,
    AssistantError,
    add_prompt,
    assistant_collections,
    assistant_tools,
    can_edit,
    create_assistant,
    delete_assistant,
    get_assistant,
    liked_by,
    list_prompts,
    model_id,
    toggle_like,
    update_assistant,
    visible_assistants,
)
from guai.assistants.tools import all_tools
from guai.audit import record
from guai.auth.departments import list_departments
from guai.db.models.auth import User
from guai.web.deps import CsrfProtected, CurrentUser, SessionDep, client_address, deny
from guai.web.templating import render

router = APIRouter(prefix="/assistants")


def _redirect(path: str, msg: str | None = None, err: str | None = None) -> Response:
    params = {k: v for k, v in (("msg", msg), ("err", err)) if v}
    return RedirectResponse(f"{path}?{urlencode(params)}" if params else path, status_code=303)


def _collections_for(session: Session, user: User) -> list[str]:
    """Knowledge collections this user may attach (empty when the knowledge feature is not installed)."""
    try:
        from guai.knowledge.visibility import visible_collections
    except ImportError:
        return []
    return [c.name for c in visible_collections(session, user)]


@router.get("")
def assistants_page(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    q: str | None = None,
    msg: str | None = None,
    err: str | None = None,
) -> Response:
    assistants = visible_assistants(session, user)
    return render(
        request,
        "assistants/index.html",
        {
            "assistants": [
                {
                    "a": a,
                    "tools": assistant_tools(a),
                    "collections": assistant_collections(a),
                    "model_id": model_id(a),
                    "editable": can_edit(user, a),
                }
                for a in assistants
            ],
            "tool_titles": {t.name: t.title for t in all_tools()},
            "visibilities": VISIBILITIES,
            "prompts": list_prompts(session, q),
            "liked": liked_by(session, user),
            "q": q or "",
            "msg": msg,
            "err": err,
        },
    )


def _form_page(
    request: Request,
    user: User,
    session: Session,
    assistant=None,
    err: str | None = None,  # type: ignore[no-untyped-def]
    values: dict | None = None,
) -> Response:
    depts = list_departments(session) if user.is_system_admin else [user.department]
    return render(
        request,
        "assistants/form.html",
        {
            "assistant": assistant,
            "tools": all_tools(),
            "collections": _collections_for(session, user),
            "visibilities": VISIBILITIES,
            "departments": depts,
            "err": err,
            "v": values
            or (
                {
                    "name": assistant.name,
                    "description": assistant.description or "",
                    "instruction": assistant.instruction,
                    "visibility": assistant.visibility,
                    "tools": assistant_tools(assistant),
                    "collections": assistant_collections(assistant),
                    "published": assistant.published,
                    "slug": assistant.slug,
                    "department_id": assistant.department_id,
                }
                if assistant
                else {
                    "visibility": "department",
                    "tools": [],
                    "collections": [],
                    "published": True,
                    "department_id": user.department_id,
                }
            ),
        },
        status_code=400 if err else 200,
    )


@router.get("/new")
def new_form(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    if not user.is_admin:
        raise deny(request, user, "부서 비서는 부서 관리자만 만들 수 있습니다.")
    return _form_page(request, user, session)


@router.post("", dependencies=[CsrfProtected])
async def create(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    form = await request.form()
    v = _form_values(form)
    if not user.is_admin:
        raise deny(request, user, "부서 비서는 부서 관리자만 만들 수 있습니다.")
    try:
        a = create_assistant(
            session,
            actor=user,
            name=v["name"],
            instruction=v["instruction"],
            department_id=v["department_id"] or None,
            description=v["description"],
            visibility=v["visibility"],
            tools=v["tools"],
            collections=v["collections"],
            published=v["published"],
            slug=v["slug"] or None,
        )
    except AssistantError as exc:
        session.rollback()
        return _form_page(request, user, session, err=str(exc), values=v)
    record(
        session,
        actor=user.username,
        action="assistant.create",
        target=a.slug,
        department=user.department.name,
        client=client_address(request),
        detail={"name": a.name, "visibility": a.visibility, "tools": v["tools"]},
    )
    return _redirect("/assistants", msg=f"'{a.name}' 비서를 만들었습니다. API 모델 이름: {model_id(a)}")


def _form_values(form) -> dict:  # type: ignore[no-untyped-def,type-arg]
    dept = str(form.get("department_id") or "")
    return {
        "name": str(form.get("name") or ""),
        "description": str(form.get("description") or ""),
        "instruction": str(form.get("instruction") or ""),
        "visibility": str(form.get("visibility") or "department"),
        "tools": [str(t) for t in form.getlist("tools")],
        "collections": [str(c) for c in form.getlist("collections")]
        + [c.strip() for c in str(form.get("collections_extra") or "").split(",") if c.strip()],
        "published": form.get("published") == "1",
        "slug": str(form.get("slug") or "").strip(),
        "department_id": int(dept) if dept.isdigit() else None,
    }


def _editable(request: Request, user: User, session: Session, ref: int):  # type: ignore[no-untyped-def]
    a = get_assistant(session, ref)
    if a is None:
        raise HTTPException(404, "비서를 찾을 수 없습니다.")
    if not can_edit(user, a):
        raise deny(request, user, "이 비서는 그 부서의 부서 관리자만 고칠 수 있습니다.")
    return a


@router.get("/{ref}/edit")
def edit_form(request: Request, ref: int, user: CurrentUser, session: SessionDep) -> Response:
    return _form_page(request, user, session, assistant=_editable(request, user, session, ref))


@router.post("/{ref}/edit", dependencies=[CsrfProtected])
async def update(request: Request, ref: int, user: CurrentUser, session: SessionDep) -> Response:
    a = _editable(request, user, session, ref)
    v = _form_values(await request.form())
    try:
        update_assistant(
            session,
            a,
            actor=user,
            name=v["name"],
            instruction=v["instruction"],
            description=v["description"],
            visibility=v["visibility"],
            tools=v["tools"],
            collections=v["collections"],
            published=v["published"],
        )
    except AssistantError as exc:
        session.rollback()
        return _form_page(request, user, session, assistant=a, err=str(exc), values=v)
    record(
        session,
        actor=user.username,
        action="assistant.update",
        target=a.slug,
        department=user.department.name,
        client=client_address(request),
        detail={"visibility": a.visibility, "published": a.published},
    )
    return _redirect("/assistants", msg=f"'{a.name}' 비서를 고쳤습니다.")


@router.post("/{ref}/delete", dependencies=[CsrfProtected])
def delete(request: Request, ref: int, user: CurrentUser, session: SessionDep) -> Response:
    a = _editable(request, user, session, ref)
    name, slug = a.name, a.slug
    delete_assistant(session, a, actor=user)
    record(
        session,
        actor=user.username,
        action="assistant.delete",
        target=slug,
        department=user.department.name,
        client=client_address(request),
    )
    return _redirect("/assistants", msg=f"'{name}' 비서를 삭제했습니다.")


@router.post("/prompts", dependencies=[CsrfProtected])
def prompts_add(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    title: Annotated[str, Form()],
    prompt: Annotated[str, Form()],
    example: Annotated[str, Form()] = "",
) -> Response:
    try:
        entry = add_prompt(session, actor=user, title=title, prompt=prompt, example=example)
    except AssistantError as exc:
        session.rollback()
        return _redirect("/assistants", err=str(exc))
    record(
        session,
        actor=user.username,
        action="prompt.add",
        target=str(entry.id),
        department=user.department.name,
        client=client_address(request),
    )
    return _redirect("/assistants", msg=f"프롬프트 '{entry.title}'을(를) 공유했습니다.")


@router.post("/prompts/{prompt_id}/like", dependencies=[CsrfProtected])
def prompts_like(request: Request, prompt_id: int, user: CurrentUser, session: SessionDep) -> Response:
    try:
        liked, count = toggle_like(session, actor=user, prompt_id=prompt_id)
    except AssistantError as exc:
        session.rollback()
        return _redirect("/assistants", err=str(exc))
    if request.headers.get("hx-request"):
        return Response(f"{'♥' if liked else '♡'} {count}", media_type="text/plain; charset=utf-8")
    return _redirect("/assistants", msg="좋아요를 눌렀습니다." if liked else "좋아요를 취소했습니다.")
