"""Chromium: the first-login tour steps through with the keyboard/mouse, is dismissed once and stays gone."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_first_login_tour_once(live_server, make_user, page) -> None:  # type: ignore[no-untyped-def]
    make_user("kim.staff", "교통행정과", "직원")
    page.goto(f"{live_server.url}/login")
    page.get_by_label("아이디", exact=True).fill("kim.staff")
    page.get_by_label("비밀번호", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="로그인", exact=True).click()
    dialog = page.get_by_role("dialog")
    assert dialog.is_visible()
    assert dialog.get_by_text("구 AI에 오신 것을 환영합니다").is_visible()
    assert page.get_by_role("button", name="이전").is_disabled()
    for _ in range(4):
        page.get_by_role("button", name="다음").click()
    assert dialog.get_by_text("활용 가이드", exact=True).is_visible()
    with page.expect_response(lambda r: r.url.endswith("/guide/tour/done")) as done:
        page.get_by_role("button", name="시작하기").click()
    assert done.value.status == 204
    assert page.get_by_role("dialog").count() == 0
    page.reload()
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.get_by_role("dialog").count() == 0
    page.get_by_role("link", name="활용 가이드").click()
    assert page.get_by_role("heading", name="활용 가이드", level=1).is_visible()
