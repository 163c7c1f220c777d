"""Web login over real HTTP: sessions, CSRF, rate limiting, role checks with audited 403s."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select

from guai.db.models.audit import AuditEntry
from tests.conftest import PASSWORD


def _login(client: httpx.Client, username: str, password: str) -> httpx.Response:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token, "next": "/"}
    )


def test_login_shows_portal_menu_and_logout(live_server, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user("kim", "교통행정과", "직원")
    with httpx.Client(base_url=live_server.url) as client:
        assert client.get("/").status_code == 303
        resp = _login(client, "kim", PASSWORD)
        assert resp.status_code == 303 and resp.headers["location"] == "/"
        cookie = resp.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie
        home = client.get("/")
        for label in ("대화", "민원 분석", "법령·지침 검색", "문서 작성", "부서 비서"):
            assert label in home.text
        assert 'href="/admin"' not in home.text  # 직원 sees no admin menu
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', home.text).group(1)
        out = client.post("/logout", data={"csrf_token": csrf})
        assert out.status_code == 303
        assert client.get("/").status_code == 303  # session is gone


def test_wrong_password_gives_korean_error_and_is_audited(live_server, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user("kim", "교통행정과", "직원")
    with httpx.Client(base_url=live_server.url) as client:
        resp = _login(client, "kim", "wrong-password")
    assert resp.status_code == 401
    assert "아이디 또는 비밀번호가 올바르지 않습니다" in resp.text
    with live_server.db.session() as s:
        actions = [e.action for e in s.execute(select(AuditEntry)).scalars()]
    assert "login.failed" in actions


def test_failed_logins_are_rate_limited(live_server, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user("kim", "교통행정과", "직원")
    with httpx.Client(base_url=live_server.url) as client:
        for _ in range(live_server.settings.login_max_failures):
            assert _login(client, "kim", "nope-nope").status_code == 401
        blocked = _login(client, "kim", PASSWORD)  # even the right password waits now
    assert blocked.status_code == 429
    assert "로그인이 제한됩니다" in blocked.text


def test_login_without_csrf_token_is_refused(live_server, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user("kim", "교통행정과", "직원")
    with httpx.Client(base_url=live_server.url) as client:
        resp = client.post("/login", data={"username": "kim", "password": PASSWORD, "csrf_token": "forged"})
    assert resp.status_code == 400 and "보안 토큰" in resp.text


def test_staff_cannot_open_admin_and_denial_is_audited(live_server, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user("kim", "교통행정과", "직원")
    with httpx.Client(base_url=live_server.url) as client:
        _login(client, "kim", PASSWORD)
        for path in ("/admin", "/admin/users", "/admin/audit", "/admin/audit.csv"):
            resp = client.get(path)
            assert resp.status_code == 403, path
            assert "권한" in resp.text
    with live_server.db.session() as s:
        denied = [
            e for e in s.execute(select(AuditEntry).where(AuditEntry.action == "permission.denied")).scalars()
        ]
    assert {e.target for e in denied} >= {"/admin", "/admin/users"} and all(e.actor == "kim" for e in denied)


def test_form_post_without_csrf_is_refused(live_server, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user("boss", "총무과", "시스템관리자")
    with httpx.Client(base_url=live_server.url) as client:
        _login(client, "boss", PASSWORD)
        resp = client.post("/admin/departments", data={"name": "해킹과"})
        assert resp.status_code == 403 and "보안 토큰" in resp.text
        assert "해킹과" not in client.get("/admin/departments").text


def test_department_admin_manages_only_own_department(live_server, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user("lee", "교통행정과", "부서관리자")
    make_user("park", "복지정책과", "직원")
    with httpx.Client(base_url=live_server.url) as client:
        _login(client, "lee", PASSWORD)
        page = client.get("/admin/users")
        assert page.status_code == 200
        assert "lee" in page.text and "park" not in page.text
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
        other = client.post(
            "/admin/users",
            data={
                "csrf_token": csrf,
                "username": "newbie",
                "password": "password-123",
                "department": "복지정책과",
                "role": "직원",
            },
            follow_redirects=True,
        )
        assert "권한이 없습니다" in other.text
        own = client.post(
            "/admin/users",
            data={
                "csrf_token": csrf,
                "username": "newbie",
                "password": "password-123",
                "department": "교통행정과",
                "role": "직원",
            },
            follow_redirects=True,
        )
        assert "newbie을(를) 추가했습니다" in own.text
        disable_other = client.post(
            "/admin/users/park/active", data={"csrf_token": csrf, "active": "0"}, follow_redirects=True
        )
        assert "권한이 없습니다" in disable_other.text


def test_audit_page_filters_and_exports_csv(live_server, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user("boss", "총무과", "시스템관리자")
    make_user("kim", "교통행정과", "직원")
    with httpx.Client(base_url=live_server.url) as client:
        _login(client, "kim", "bad-password")
        _login(client, "boss", PASSWORD)
        page = client.get("/admin/audit", params={"action": "login.failed"})
        assert page.status_code == 200 and "login.failed" in page.text and ">login<" not in page.text
        csv_resp = client.get("/admin/audit.csv", params={"actor": "kim"})
        assert csv_resp.headers["content-type"].startswith("text/csv")
        body = csv_resp.content.decode("utf-8-sig")
        assert body.splitlines()[0].startswith("번호,시각(UTC),사용자")
        assert "kim" in body and "login.failed" in body
        verify = client.get("/admin/audit", params={"verify": "1"})
        assert "해시 사슬이 온전합니다" in verify.text
