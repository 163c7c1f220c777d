"""Department assistants and the prompt library: create, edit, who may see and use them, likes."""

from __future__ import annotations

import json
import re
import uuid

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from guai.auth.permissions import can_manage_department
from guai.db.models.assistants import Assistant, PromptEntry, PromptLike
from guai.db.models.auth import User

VISIBILITIES = {"department": "우리 부서만", "all": "전 직원"}
_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,60}$")


class AssistantError(ValueError):
    """Invalid assistant or prompt input; Korean message."""


def assistant_tools(a: Assistant) -> list[str]:
    return [str(x) for x in json.loads(a.tools or "[]")]


def assistant_collections(a: Assistant) -> list[str]:
    return [str(x) for x in json.loads(a.collections or "[]")]


def model_id(a: Assistant) -> str:
    """The assistant's name in the OpenAI-compatible API (/v1/models)."""
    return f"assistant:{a.slug}"


def can_use(user: User, a: Assistant) -> bool:
    if user.is_system_admin:
        return True
    if a.department_id == user.department_id:
        return a.published or user.is_admin
    return a.published and a.visibility == "all"


def can_edit(user: User, a: Assistant) -> bool:
    return user.is_admin and can_manage_department(user, a.department_id)


def visible_assistants(session: Session, user: User) -> list[Assistant]:
    rows = session.execute(select(Assistant).order_by(Assistant.name)).scalars().all()
    return [a for a in rows if can_use(user, a)]


def get_assistant(session: Session, ref: int | str) -> Assistant | None:
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        return session.get(Assistant, int(ref))
    slug = ref.removeprefix("assistant:")
    return session.execute(select(Assistant).where(Assistant.slug == slug)).scalar_one_or_none()


def _clean(name: str, instruction: str, visibility: str, tools: list[str], collections: list[str]) -> None:
    if not name.strip() or len(name) > 100:
        raise AssistantError("비서 이름을 100자 이내로 적어 주세요.")
    if len(instruction.strip()) < 5:
        raise AssistantError(
            "비서가 할 일을 한두 문장으로 적어 주세요 (예: 민원 답변 초안을 공손하고 정확하게 써 주는 비서)."
        )
    if len(instruction) > 8000:
        raise AssistantError("지시문은 8,000자 이내로 적어 주세요.")
    if visibility not in VISIBILITIES:
        raise AssistantError("공개 범위는 '우리 부서만' 또는 '전 직원'이어야 합니다.")
    from guai.assistants.tools import all_tools

    known = {t.name for t in all_tools()}
    unknown = [t for t in tools if t not in known]
    if unknown:
        raise AssistantError(f"알 수 없는 도구: {', '.join(unknown)}")


def create_assistant(
    session: Session,
    *,
    actor: User,
    name: str,
    instruction: str,
    department_id: int | None = None,
    description: str | None = None,
    visibility: str = "department",
    tools: list[str] | None = None,
    collections: list[str] | None = None,
    published: bool = True,
    slug: str | None = None,
) -> Assistant:
    """A department administrator (or system administrator) makes an assistant for a department."""
    dept_id = department_id or actor.department_id
    if not (actor.is_admin and can_manage_department(actor, dept_id)):
        raise AssistantError("부서 비서는 그 부서의 부서 관리자나 시스템 관리자만 만들 수 있습니다.")
    tools, collections = list(tools or []), [c.strip() for c in (collections or []) if c.strip()]
    _clean(name, instruction, visibility, tools, collections)
    if slug:
        if not _SLUG_RE.match(slug):
            raise AssistantError(
                "API 이름은 영문 소문자·숫자·하이픈으로 2~60자여야 합니다 (예: complaint-reply)."
            )
        if session.execute(select(Assistant.id).where(Assistant.slug == slug)).first():
            raise AssistantError(f"API 이름 '{slug}'는 이미 쓰이고 있습니다.")
    a = Assistant(
        slug=slug or f"tmp-{uuid.uuid4().hex}",
        name=name.strip(),
        description=(description or "").strip() or None,
        instruction=instruction.strip(),
        department_id=dept_id,
        visibility=visibility,
        tools=json.dumps(tools, ensure_ascii=False),
        collections=json.dumps(collections, ensure_ascii=False),
        published=published,
        created_by=actor.username,
    )
    session.add(a)
    session.flush()
    if not slug:
        a.slug = f"asst-{a.id}"
        session.flush()
    return a


def update_assistant(
    session: Session,
    a: Assistant,
    *,
    actor: User,
    name: str,
    instruction: str,
    description: str | None,
    visibility: str,
    tools: list[str],
    collections: list[str],
    published: bool,
) -> Assistant:
    if not can_edit(actor, a):
        raise AssistantError("이 비서를 고칠 권한이 없습니다 (그 부서의 부서 관리자만 고칠 수 있습니다).")
    collections = [c.strip() for c in collections if c.strip()]
    _clean(name, instruction, visibility, tools, collections)
    a.name, a.instruction, a.description = (
        name.strip(),
        instruction.strip(),
        (description or "").strip() or None,
    )
    a.visibility, a.published = visibility, published
    a.tools, a.collections = (
        json.dumps(tools, ensure_ascii=False),
        json.dumps(collections, ensure_ascii=False),
    )
    session.flush()
    return a


def delete_assistant(session: Session, a: Assistant, *, actor: User) -> None:
    if not can_edit(actor, a):
        raise AssistantError("이 비서를 지울 권한이 없습니다.")
    session.delete(a)
    session.flush()


# ---- prompt library ---------------------------------------------------------------------------


def add_prompt(
    session: Session, *, actor: User, title: str, prompt: str, example: str | None = None
) -> PromptEntry:
    if not title.strip() or len(title) > 150:
        raise AssistantError("제목을 150자 이내로 적어 주세요.")
    if len(prompt.strip()) < 5:
        raise AssistantError("프롬프트 내용을 적어 주세요.")
    entry = PromptEntry(
        title=title.strip(),
        prompt=prompt.strip(),
        example=(example or "").strip() or None,
        department_id=actor.department_id,
        author_id=actor.id,
    )
    session.add(entry)
    session.flush()
    return entry


def list_prompts(session: Session, q: str | None = None, limit: int = 100) -> list[PromptEntry]:
    stmt = select(PromptEntry).order_by(PromptEntry.likes.desc(), PromptEntry.id.desc()).limit(limit)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(PromptEntry.title.like(like), PromptEntry.prompt.like(like)))
    return list(session.execute(stmt).scalars())


def toggle_like(session: Session, *, actor: User, prompt_id: int) -> tuple[bool, int]:
    """Like or un-like once per person; returns (liked now, like count)."""
    entry = session.get(PromptEntry, prompt_id)
    if entry is None:
        raise AssistantError("프롬프트를 찾을 수 없습니다.")
    existing = session.execute(
        select(PromptLike).where(PromptLike.prompt_id == prompt_id, PromptLike.user_id == actor.id)
    ).scalar_one_or_none()
    if existing is None:
        session.add(PromptLike(prompt_id=prompt_id, user_id=actor.id))
        liked = True
    else:
        session.execute(delete(PromptLike).where(PromptLike.id == existing.id))
        liked = False
    session.flush()
    entry.likes = session.execute(
        select(func.count(PromptLike.id)).where(PromptLike.prompt_id == prompt_id)
    ).scalar_one()
    session.flush()
    return liked, entry.likes


def liked_by(session: Session, user: User) -> set[int]:
    return set(session.execute(select(PromptLike.prompt_id).where(PromptLike.user_id == user.id)).scalars())
