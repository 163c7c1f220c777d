"""Admin: model servers (providers) — list, add, test, default/fallback, on/off, remove. System admins only."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from guai.audit import record
from guai.llm import LLMError, get_gateway
from guai.llm.providers import (
    KIND_LABELS,
    POLICY_LABELS,
    add_provider,
    list_providers,
    remove_provider,
    set_role,
)
from guai.web.deps import CsrfProtected, SessionDep, SystemAdmin, client_address
from guai.web.templating import render

router = APIRouter(prefix="/admin/providers")


def _back(msg: str | None = None, err: str | None = None) -> Response:
    params = {k: v for k, v in (("msg", msg), ("err", err)) if v}
    return RedirectResponse(
        f"/admin/providers?{urlencode(params)}" if params else "/admin/providers", status_code=303
    )


@router.get("")
def providers_page(
    request: Request, user: SystemAdmin, session: SessionDep, msg: str | None = None, err: str | None = None
) -> Response:
    return render(
        request,
        "admin_llm/providers.html",
        {
            "providers": list_providers(session),
            "kinds": KIND_LABELS,
            "policies": POLICY_LABELS,
            "msg": msg,
            "err": err,
        },
    )


@router.post("", dependencies=[CsrfProtected])
def providers_add(
    request: Request,
    user: SystemAdmin,
    session: SessionDep,
    name: Annotated[str, Form()],
    base_url: Annotated[str, Form()],
    model: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "external",
    policy: Annotated[str, Form()] = "",
    api_key_env: Annotated[str, Form()] = "",
    embedding_model: Annotated[str, Form()] = "",
    image_model: Annotated[str, Form()] = "",
    vision: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
) -> Response:
    try:
        row = add_provider(
            session,
            name=name.strip(),
            base_url=base_url.strip(),
            model=model.strip() or None,
            kind=kind,
            policy=policy or None,
            api_key_env=api_key_env.strip() or None,
            default=role == "default",
            fallback=role == "fallback",
            embedding_model=embedding_model.strip() or None,
            image_model=image_model.strip() or None,
            vision=vision == "1",
        )
    except LLMError as exc:
        session.rollback()
        return _back(err=str(exc))
    record(
        session,
        actor=user.username,
        action="provider.add",
        target=row.name,
        department=user.department.name,
        client=client_address(request),
        detail={
            "base_url": row.base_url,
            "kind": row.kind,
            "policy": row.policy,
            "api_key_env": row.api_key_env,
        },
    )
    return _back(msg=f"모델 서버 '{row.name}'을(를) 저장했습니다. '연결 확인'으로 응답을 확인하세요.")


@router.post("/{name}/test", dependencies=[CsrfProtected])
def providers_test(request: Request, name: str, user: SystemAdmin, session: SessionDep) -> Response:
    session.commit()  # release any lock before the gateway writes nothing but reads settings
    try:
        report = get_gateway(request.app.state.db).test_provider(name)
    except LLMError as exc:
        return _back(err=str(exc))
    parts = []
    for label, ko in (("chat", "대화"), ("embeddings", "임베딩")):
        if label in report:
            r = report[label]
            parts.append(f"{ko}: 정상 ({r['ms']} ms)" if r["ok"] else f"{ko}: 실패 — {r['error']}")
    record(
        session,
        actor=user.username,
        action="provider.test",
        target=name,
        department=user.department.name,
        outcome="성공" if report["ok"] else "실패",
        client=client_address(request),
    )
    text = f"'{name}' 연결 확인 — " + "; ".join(parts)
    return _back(msg=text) if report["ok"] else _back(err=text)


@router.post("/{name}/role", dependencies=[CsrfProtected])
def providers_role(
    request: Request, name: str, user: SystemAdmin, session: SessionDep, action: Annotated[str, Form()]
) -> Response:
    try:
        if action == "delete":
            remove_provider(session, name)
        else:
            set_role(
                session,
                name,
                default=True if action == "default" else None,
                fallback={"fallback": True, "nofallback": False}.get(action),
                enabled={"enable": True, "disable": False}.get(action),
            )
    except LLMError as exc:
        session.rollback()
        return _back(err=str(exc))
    record(
        session,
        actor=user.username,
        action=f"provider.{action}",
        target=name,
        department=user.department.name,
        client=client_address(request),
    )
    labels = {
        "default": "기본 서버로 지정",
        "fallback": "예비 서버로 지정",
        "nofallback": "예비 지정 해제",
        "enable": "사용",
        "disable": "중지",
        "delete": "삭제",
    }
    return _back(msg=f"'{name}': {labels.get(action, action)}했습니다.")
