"""활용 가이드 /guide: worked examples, prompts per department, the first-login tour, AI 활용 우수사례."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from guai.db.models.ops import OnboardingState
from guai.ops.guide_content import AREAS, DEPARTMENT_PROMPTS, DEPT_KINDS, FEATURES, TOUR_STEPS
from guai.ops.practices import (
    PracticeError,
    finish_tour,
    list_practices,
    my_votes,
    set_featured,
    submit,
    toggle_vote,
    tour_pending,
)
from guai.web.deps import AdminUser, CsrfProtected, CurrentUser, SessionDep, client_address
from guai.web.templating import render, templates

router = APIRouter(prefix="/guide")


def tour_for(request: Request) -> tuple[tuple[str, str], ...] | None:
    """Tour steps when the logged-in user has not finished the tour yet, else None (used by base.html)."""
    user = getattr(request.state, "user", None)
    if user is None:
        return None
    try:
        shared = getattr(request.state, "db_session", None)
        if shared is not None:
            return TOUR_STEPS if tour_pending(shared, user) else None
        with request.app.state.db.session() as s:
            return TOUR_STEPS if tour_pending(s, user) else None
    except Exception:  # noqa: BLE001 - the home page must render even if this table is unavailable
        return None


templates.env.globals["guide_tour"] = tour_for


def _redirect(path: str, message: str | None = None, error: str | None = None) -> Response:
    from urllib.parse import urlencode

    params = {k: v for k, v in (("msg", message), ("err", error)) if v}
    return RedirectResponse(f"{path}?{urlencode(params)}" if params else path, status_code=303)


@router.get("")
def guide_page(request: Request, user: CurrentUser, kind: str | None = None) -> Response:
    selected = kind if kind in DEPARTMENT_PROMPTS else None
    return render(
        request,
        "guide/guide.html",
        {"features": FEATURES, "prompts": DEPARTMENT_PROMPTS, "selected": selected},
    )


@router.get("/practices")
def practices_page(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    kind: str | None = None,
    msg: str | None = None,
    err: str | None = None,
) -> Response:
    items = list_practices(session, dept_kind=kind if kind in DEPT_KINDS else None)
    return render(
        request,
        "guide/practices.html",
        {
            "items": items,
            "voted": my_votes(session, user),
            "kinds": DEPT_KINDS,
            "areas": AREAS,
            "kind": kind if kind in DEPT_KINDS else "",
            "msg": msg,
            "err": err,
        },
    )


@router.post("/practices", dependencies=[CsrfProtected])
def practices_submit(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    title: Annotated[str, Form()] = "",
    area: Annotated[str, Form()] = "",
    dept_kind: Annotated[str, Form()] = "",
    prompt: Annotated[str, Form()] = "",
    outcome: Annotated[str, Form()] = "",
) -> Response:
    try:
        submit(
            session,
            user,
            title=title,
            area=area,
            dept_kind=dept_kind,
            prompt=prompt,
            outcome=outcome,
            client=client_address(request),
        )
    except PracticeError as exc:
        session.rollback()
        return _redirect("/guide/practices", error=str(exc))
    return _redirect("/guide/practices", message="우수사례를 올렸습니다. 동료들의 추천을 기다려 보세요.")


@router.post("/practices/{practice_id}/vote", dependencies=[CsrfProtected])
def practices_vote(request: Request, practice_id: int, user: CurrentUser, session: SessionDep) -> Response:
    try:
        toggle_vote(session, user, practice_id)
    except PracticeError as exc:
        session.rollback()
        return _redirect("/guide/practices", error=str(exc))
    return RedirectResponse(f"/guide/practices#practice-{practice_id}", status_code=303)


@router.post("/practices/{practice_id}/feature", dependencies=[CsrfProtected])
def practices_feature(
    request: Request,
    practice_id: int,
    user: AdminUser,
    session: SessionDep,
    featured: Annotated[str, Form()] = "1",
) -> Response:
    try:
        item = set_featured(session, user, practice_id, featured == "1", client=client_address(request))
    except PracticeError as exc:
        session.rollback()
        return _redirect("/guide/practices", error=str(exc))
    return _redirect(
        "/guide/practices",
        message=f"'{item.title}'을(를) {'우수사례로 선정' if item.featured else '선정 해제'}했습니다.",
    )


@router.post("/tour/done", dependencies=[CsrfProtected])
def tour_done(user: CurrentUser, session: SessionDep) -> Response:
    finish_tour(session, user)
    return Response(status_code=204)


@router.post("/tour/restart", dependencies=[CsrfProtected])
def tour_restart(user: CurrentUser, session: SessionDep) -> Response:
    state = session.get(OnboardingState, user.id)
    if state is not None:
        state.tour_done_at = None
    return RedirectResponse("/", status_code=303)
