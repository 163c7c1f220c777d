"""/admin/settings: branding shows in the header, validation errors, retention and masking policy, audit per change."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from guai.db.models.audit import AuditEntry
from guai.ops.settings_store import load_masking_policy
from guai.web.app import create_app
from tests.ops.webutil import csrf, login

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def admin_client(db, settings, make_user):  # type: ignore[no-untyped-def]
    make_user("admin", "총무과", "시스템관리자")
    make_user("kim.staff", "교통행정과", "직원")
    with TestClient(create_app(settings)) as client:
        login(client, "admin")
        yield client


def _changes(db) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    with db.session() as s:
        return list(
            s.execute(
                sa.select(AuditEntry).where(AuditEntry.action == "settings.change").order_by(AuditEntry.id)
            ).scalars()
        )


BRAND = {
    "district_name": "나래구",
    "title": "나래 AI",
    "primary_color": "#0a7d3b",
    "accent_color": "#055a2a",
    "phone_main": "02-3000-1234",
    "phone_helpdesk": "02-3000-5678",
    "helpdesk_label": "정보통신과",
}


def test_branding_shows_in_portal_header_and_is_audited(admin_client: TestClient, db) -> None:  # type: ignore[no-untyped-def]
    token = csrf(admin_client, "/admin/settings")
    resp = admin_client.post(
        "/admin/settings/branding",
        data={**BRAND, "csrf_token": token},
        files={"logo": ("logo.png", PNG, "image/png")},
        follow_redirects=False,
    )
    assert resp.status_code == 303 and "err=" not in resp.headers["location"]
    home = admin_client.get("/").text
    assert "나래구" in home and "나래 AI" in home and "--brand: #0a7d3b" in home
    assert 'src="/branding/logo"' in home and "정보통신과 02-3000-5678" in home
    logo = admin_client.get("/branding/logo")
    assert logo.status_code == 200 and logo.content == PNG and logo.headers["content-type"] == "image/png"
    # The login page (no user) shows the branding too.
    assert "나래구" in TestClient(admin_client.app).get("/login").text
    entries = _changes(db)
    assert len(entries) == 1 and entries[0].target == "ops.branding" and entries[0].actor == "admin"
    detail = json.loads(entries[0].detail)
    assert detail["after"]["district_name"] == "나래구" and detail["after"]["logo"] == "logo.png"


def test_invalid_branding_is_refused_and_nothing_saved(admin_client: TestClient, db) -> None:  # type: ignore[no-untyped-def]
    token = csrf(admin_client, "/admin/settings")
    bad = {**BRAND, "primary_color": "red", "phone_main": "전화 없음", "csrf_token": token}
    resp = admin_client.post("/admin/settings/branding", data=bad)
    assert "#RRGGBB" in resp.text and "대표 전화 번호 형식" in resp.text
    svg = admin_client.post(
        "/admin/settings/branding",
        data={**BRAND, "csrf_token": token},
        files={"logo": ("x.svg", b"<svg onload='alert(1)'/>", "image/svg+xml")},
    )
    assert "PNG, JPEG, WebP" in svg.text
    assert _changes(db) == []
    assert "나래구" not in admin_client.get("/").text


def test_retention_and_masking_policy(admin_client: TestClient, db) -> None:  # type: ignore[no-untyped-def]
    token = csrf(admin_client, "/admin/settings")
    form = {
        "csrf_token": token,
        "conversations": "90",
        "uploads": "180",
        "citizen": "365",
        "logs": "365",
        "audit_keep": "1",
    }
    assert (
        admin_client.post("/admin/settings/retention", data=form, follow_redirects=False).status_code == 303
    )
    resp = admin_client.post("/admin/settings/retention", data={**form, "audit_keep": "", "audit": "100"})
    assert "최소 730일" in resp.text
    page = admin_client.get("/admin/settings").text
    assert 'name="conversations" type="number" min="7" value="90"' in page
    resp = admin_client.post(
        "/admin/settings/masking",
        data={
            "csrf_token": token,
            "types": ["주민등록번호", "전화번호"],
            "public_phone_prefixes": "02-2600-\n02-2601-",
        },
        follow_redirects=False,
    )
    assert resp.status_code == 303 and "err=" not in resp.headers["location"]
    with db.session() as s:
        policy = load_masking_policy(s)
    assert {t.value for t in policy.types} == {"주민등록번호", "전화번호"}
    assert policy.public_phone_prefixes == ("02-2600-", "02-2601-")
    bad = admin_client.post(
        "/admin/settings/masking", data={"csrf_token": token, "public_phone_prefixes": "없음"}
    )
    assert "public_phone_prefixes" in bad.text
    assert [e.target for e in _changes(db)] == ["ops.retention", "privacy.masking_policy"]


def test_settings_page_links_and_permissions(admin_client: TestClient, settings) -> None:  # type: ignore[no-untyped-def]
    page = admin_client.get("/admin/settings").text
    assert 'href="/admin/providers"' in page and 'href="/admin/usage"' in page
    with TestClient(admin_client.app) as staff:
        login(staff, "kim.staff")
        assert staff.get("/admin/settings").status_code == 403
        token = csrf(staff)
        assert staff.post("/admin/settings/branding", data={**BRAND, "csrf_token": token}).status_code == 403
