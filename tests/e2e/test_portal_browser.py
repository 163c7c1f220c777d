"""Chromium end to end: log in, see the menu, log out; wrong password; 직원 gets the 403 page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from guai.db.models.audit import AuditEntry
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _login(page, url: str, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{url}/login")
    page.get_by_label("아이디").fill(username)
    page.get_by_label("비밀번호").fill(password)
    page.get_by_role("button", name="로그인").click()


def test_login_menu_logout(live_server, make_user, page) -> None:  # type: ignore[no-untyped-def]
    make_user("boss", "총무과", "시스템관리자")
    _login(page, live_server.url, "boss", PASSWORD)
    tour = page.get_by_role("dialog")
    if tour.count():  # the first-login tour covers the page until it is skipped
        page.get_by_role("button", name="건너뛰기").click()
        assert page.get_by_role("dialog").count() == 0
    menu = page.get_by_role("navigation", name="주 메뉴")
    for label in ("대화", "민원 분석", "법령·지침 검색", "문서 작성", "부서 비서", "관리"):
        assert menu.get_by_role("link", name=label).is_visible()
    menu.get_by_role("link", name="관리").click()
    assert page.get_by_role("heading", name="관리").is_visible()
    page.get_by_role("button", name="로그아웃").click()
    assert page.get_by_role("status").inner_text() == "로그아웃했습니다."
    page.goto(f"{live_server.url}/admin")
    assert "/login" in page.url


def test_wrong_password_shows_korean_error(live_server, make_user, page) -> None:  # type: ignore[no-untyped-def]
    make_user("kim", "교통행정과", "직원")
    _login(page, live_server.url, "kim", "not-the-password")
    assert page.get_by_role("alert").inner_text() == "아이디 또는 비밀번호가 올바르지 않습니다."
    assert page.get_by_label("아이디").input_value() == "kim"


def test_staff_gets_403_page_for_admin(live_server, make_user, page) -> None:  # type: ignore[no-untyped-def]
    make_user("kim", "교통행정과", "직원")
    _login(page, live_server.url, "kim", PASSWORD)
    assert page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="관리").count() == 0
    response = page.goto(f"{live_server.url}/admin/users")
    assert response.status == 403
    assert page.get_by_role("heading", name="접근 권한 없음").is_visible()
    with live_server.db.session() as s:
        entry = (
            s.execute(select(AuditEntry).where(AuditEntry.action == "permission.denied")).scalars().first()
        )
    assert entry is not None and entry.actor == "kim" and entry.target == "/admin/users"
