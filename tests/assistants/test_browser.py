"""Chromium: a department admin creates an assistant, chats with it and sees the streamed answer;
a user of another department cannot use the department-only assistant."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.support.fixtures import register_fake_provider

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _login(page, url: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{url}/login")
    page.get_by_label("아이디").fill(username)
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url(f"{url}/")
    if page.get_by_role("dialog").count():  # the first-login tour covers the page until it is skipped
        page.get_by_role("button", name="건너뛰기").click()


def test_create_assistant_chat_streamed_and_other_department_denied(live_server, make_user, fake_llm, page):  # type: ignore[no-untyped-def]
    make_user("lee.manager", "교통행정과", "부서관리자")
    make_user("park.welfare", "복지정책과")
    register_fake_provider(live_server.db, fake_llm)
    fake_llm.chunk_delay = 0.05
    answer = "안녕하세요. 요청하신 불법 주정차 민원 답변 초안입니다. **담당: 교통행정과**"
    fake_llm.reply(answer)

    _login(page, live_server.url, "lee.manager")
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="부서 비서").click()
    page.get_by_role("link", name="새 비서 만들기").click()
    page.get_by_label("이름", exact=True).fill("민원 답변 도우미")
    page.get_by_label("지시문 (비서가 할 일)").fill("민원 답변 초안을 공손하고 정확하게 써 주는 비서")
    page.get_by_label("법령·지침 검색").check()
    page.get_by_label("우리 부서만").check()
    page.get_by_role("button", name="만들기").click()
    assert "비서를 만들었습니다" in page.get_by_role("status").inner_text()
    page.get_by_role("link", name="대화하기").click()
    assert page.get_by_role("heading", name="민원 답변 도우미").is_visible()

    page.get_by_label("메시지").fill("불법 주정차 민원 답변 써줘")
    page.get_by_role("button", name="보내기").click()
    streaming = page.locator(".msg.assistant .md.streaming")
    streaming.wait_for(state="attached")
    # while streaming, the answer grows piece by piece (plain text) ...
    page.wait_for_function("document.querySelector('.msg.assistant .md').textContent.length > 3")
    partial = page.locator(".msg.assistant .md").text_content()
    assert partial and len(partial) < len(answer)
    # ... then the final answer is rendered as Markdown by the server
    page.locator(".msg.assistant .md strong").wait_for()
    assert page.locator(".msg.assistant .md strong").inner_text() == "담당: 교통행정과"
    assert page.get_by_role("status").filter(has_text="답변 완료").is_visible()
    assert "공손하고 정확하게" in fake_llm.calls()[-1].body["messages"][0]["content"]
    assert "/chat?c=" in page.url
    page.get_by_role("button", name="로그아웃").click()

    _login(page, live_server.url, "park.welfare")
    page.goto(f"{live_server.url}/assistants")
    assert page.get_by_text("민원 답변 도우미").count() == 0
    page.goto(f"{live_server.url}/chat?assistant=1")
    assert "교통행정과 직원만 쓸 수 있습니다" in page.get_by_role("alert").inner_text()
