"""운영 설정 /admin/settings: branding, retention, masking policy (links to providers and quotas); public logo."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from guai.ops.retention import KINDS, current_policy
from guai.ops.settings_store import (
    LOGO_MAX_BYTES,
    Branding,
    SettingsError,
    branding_dir,
    load_branding,
    load_masking_policy,
    update_branding,
    update_masking_policy,
    update_retention,
)
from guai.web.deps import CsrfProtected, SessionDep, SystemAdmin, client_address
from guai.web.templating import render, templates

router = APIRouter()


def branding_for(request: Request) -> Branding:
    """Branding for the page header (once per request; falls back to defaults if the table is unreachable)."""
    cached = getattr(request.state, "branding", None)
    if cached is not None:
        return cached
    settings = request.app.state.settings
    try:
        shared = getattr(request.state, "db_session", None)
        if shared is not None:
            # Same transaction as the request: a second connection could wait on the request's own lock.
            branding = load_branding(shared, settings)
        else:
            with request.app.state.db.session() as s:
                branding = load_branding(s, settings)
    except Exception:  # noqa: BLE001 - an error page must still render when the database is down
        branding = Branding(district_name=settings.district_name)
    request.state.branding = branding
    return branding


templates.env.globals["branding"] = branding_for


def _redirect(message: str | None = None, error: str | None = None, anchor: str = "") -> Response:
    from urllib.parse import urlencode

    params = {k: v for k, v in (("msg", message), ("err", error)) if v}
    return RedirectResponse(f"/admin/settings?{urlencode(params)}{anchor}", status_code=303)


@router.get("/admin/settings")
def settings_page(
    request: Request, user: SystemAdmin, session: SessionDep, msg: str | None = None, err: str | None = None
) -> Response:
    from guai.privacy import PiiType

    policy = load_masking_policy(session)
    return render(
        request,
        "ops/settings.html",
        {
            "brand": load_branding(session, request.app.state.settings),
            "kinds": KINDS,
            "retention": current_policy(session),
            "masking": policy,
            "pii_types": list(PiiType),
            "logo_max_kb": LOGO_MAX_BYTES // 1024,
            "msg": msg,
            "err": err,
        },
    )


def _actor(request: Request, user: Any) -> dict[str, Any]:
    return {"actor": user.username, "client": client_address(request), "department": user.department.name}


@router.post("/admin/settings/branding", dependencies=[CsrfProtected])
async def save_branding(
    request: Request,
    user: SystemAdmin,
    session: SessionDep,
    district_name: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    primary_color: Annotated[str, Form()] = "",
    accent_color: Annotated[str, Form()] = "",
    phone_main: Annotated[str, Form()] = "",
    phone_helpdesk: Annotated[str, Form()] = "",
    helpdesk_label: Annotated[str, Form()] = "",
    remove_logo: Annotated[str, Form()] = "",
    logo: Annotated[UploadFile | None, File()] = None,
) -> Response:
    data = await logo.read(LOGO_MAX_BYTES + 1) if logo is not None and logo.filename else None
    form = {
        "district_name": district_name,
        "title": title,
        "primary_color": primary_color,
        "accent_color": accent_color,
        "phone_main": phone_main,
        "phone_helpdesk": phone_helpdesk,
        "helpdesk_label": helpdesk_label,
    }
    try:
        changed = update_branding(
            session,
            request.app.state.settings,
            form,
            logo=data,
            remove_logo=remove_logo == "1",
            **_actor(request, user),
        )
    except SettingsError as exc:
        session.rollback()
        return _redirect(error=" ".join(exc.problems), anchor="#branding")
    return _redirect(
        "기관 표시 설정을 저장했습니다." if changed else "바뀐 내용이 없습니다.", anchor="#branding"
    )


@router.post("/admin/settings/retention", dependencies=[CsrfProtected])
async def save_retention(request: Request, user: SystemAdmin, session: SessionDep) -> Response:
    form = await request.form()
    raw: dict[str, object] = {}
    for key in KINDS:
        if form.get(f"{key}_keep") == "1":
            raw[key] = None
        else:
            raw[key] = str(form.get(key, "")).strip() or None
    try:
        changed = update_retention(session, raw, **_actor(request, user))
    except SettingsError as exc:
        session.rollback()
        return _redirect(error=" ".join(exc.problems), anchor="#retention")
    return _redirect("보관기간을 저장했습니다." if changed else "바뀐 내용이 없습니다.", anchor="#retention")


@router.post("/admin/settings/masking", dependencies=[CsrfProtected])
async def save_masking(request: Request, user: SystemAdmin, session: SessionDep) -> Response:
    form = await request.form()
    prefixes = [
        p.strip()
        for p in str(form.get("public_phone_prefixes", "")).replace(",", "\n").splitlines()
        if p.strip()
    ]
    data = {
        "types": [str(t) for t in form.getlist("types")],
        "public_phone_prefixes": prefixes,
        "mask_business_numbers": form.get("mask_business_numbers") == "1",
    }
    try:
        changed = update_masking_policy(session, data, **_actor(request, user))
    except SettingsError as exc:
        session.rollback()
        return _redirect(error=" ".join(exc.problems), anchor="#masking")
    return _redirect(
        "개인정보 가림 정책을 저장했습니다." if changed else "바뀐 내용이 없습니다.", anchor="#masking"
    )


@router.get("/branding/logo", include_in_schema=False)
def logo(request: Request) -> Response:
    brand = branding_for(request)
    path = branding_dir(request.app.state.settings) / (brand.logo or "")
    if not brand.logo or not path.is_file():
        raise HTTPException(404, "로고가 없습니다.")
    return FileResponse(path, headers={"Cache-Control": "public, max-age=300"})
