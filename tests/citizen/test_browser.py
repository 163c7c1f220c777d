"""Chromium round trip: a resident asks and leaves a question, staff reply in /admin/citizen, the resident sees it."""

from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.citizen.conftest import seed_guidance
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_escalation_round_trip(live_server, make_user, page) -> None:  # type: ignore[no-untyped-def]
    seed_guidance(live_server.db)
    make_user("clean.staff", "청소행정과", "직원")
    url = live_server.url

    # Resident: an answered question first, with department and phone.
    page.goto(f"{url}/citizen")
    widget = page.get_by_role("region", name="구청 안내 상담")
    box = widget.get_by_label(re.compile("질문 입력"))
    box.fill("음쓰 언제 버려유")
    box.press("Enter")
    log = page.get_by_role("log", name="상담 내용")
    log.get_by_text("담당: 청소행정과 (02-2600-1510)").wait_for()
    assert log.get_by_role("link", name=re.compile("전화 02-2600-1510")).count() == 1

    # An out-of-scope question is answered politely with an escalation offer.
    box.fill("우주선 타려면 어떻게 해요")
    widget.get_by_role("button", name="보내기").click()
    log.get_by_role("button", name="담당자에게 문의 남기기").wait_for()

    # The resident leaves a follow-up about the food-waste answer for staff, consenting to share a phone number.
    widget.locator(".guai-cz-head").get_by_role("button", name="담당자에게 문의 남기기").click()
    widget.get_by_label("문의 내용 (필수)").fill(
        "우리 골목 음식물 수거함이 부서졌는데 새로 놓아 줄 수 있나요?"
    )
    widget.get_by_label("전화번호 (선택)").fill("010-2345-6789")
    widget.get_by_role("button", name="문의 남기기", exact=True).click()
    widget.get_by_role("alert").get_by_text("동의해 주세요").wait_for()
    widget.get_by_label(re.compile("개인정보 수집·이용에 동의합니다")).check()
    widget.get_by_role("button", name="문의 남기기", exact=True).click()
    widget.get_by_role("heading", name="문의가 접수되었습니다").wait_for()
    code = re.search(r"GA-[2-9A-Z]{4}-[2-9A-Z]{4}", page.locator(".guai-cz-code").inner_text()).group(0)

    # Staff of the responsible department replies.
    staff = page.context.browser.new_context(locale="ko-KR").new_page()
    staff.goto(f"{url}/login?next=/admin/citizen/tickets")
    staff.get_by_label("아이디").fill("clean.staff")
    staff.get_by_label("비밀번호").fill(PASSWORD)
    staff.get_by_role("button", name="로그인").click()
    staff.get_by_role("link", name=code).click()
    assert "010-****-6789" in staff.content() and "010-2345-6789" not in staff.content()
    staff.get_by_label("답변").fill("수거함은 이번 주 금요일까지 새로 놓아 드리겠습니다.")
    staff.get_by_label("상태").select_option("답변완료")
    staff.get_by_role("button", name="저장").click()
    staff.get_by_role("status").get_by_text("저장했습니다").wait_for()
    staff.context.close()

    # Resident sees the reply with the ticket code (status page, and inside the widget).
    page.goto(f"{url}/citizen/ticket?code={code.lower()}")
    assert page.get_by_text("답변완료").is_visible()
    assert (
        page.locator("#ticket-reply")
        .inner_text()
        .startswith("수거함은 이번 주 금요일까지 새로 놓아 드리겠습니다.")
    )
    page.goto(f"{url}/citizen")
    widget = page.get_by_role("region", name="구청 안내 상담")
    widget.get_by_role("button", name="답변 확인").click()
    widget.get_by_label("문의 코드").fill(code)
    widget.get_by_role("button", name="확인", exact=True).click()
    widget.get_by_text("답변: 수거함은 이번 주 금요일까지").wait_for()


def _serve_host_page(html: str):  # type: ignore[no-untyped-def]
    """A separate loopback web server (another origin) standing in for the district's website."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server naming
            body = html.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_widget_on_a_foreign_host_page(live_server, page) -> None:  # type: ignore[no-untyped-def]
    """One <script> tag on another site's page gives a keyboard-usable floating chat (cross-origin API calls)."""
    seed_guidance(live_server.db)
    server = _serve_host_page(
        f'<!doctype html><html lang="ko"><body><h1>가온구청</h1>'
        f'<script src="{live_server.url}/citizen/widget.js" defer></script></body></html>'
    )
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        launcher = page.get_by_role("button", name="궁금한 점 물어보기")
        launcher.focus()
        page.keyboard.press("Enter")
        assert launcher.get_attribute("aria-expanded") == "true"
        dialog = page.get_by_role("dialog", name="구청 안내 상담")
        page.keyboard.type("등본 어디서 떼요")
        page.keyboard.press("Enter")
        dialog.get_by_text("담당: 민원여권과 (02-2600-1120)").wait_for()
        dialog.get_by_role("button", name="글자 크게").click()
        assert dialog.get_by_role("button", name="글자 크게").get_attribute("aria-pressed") == "true"
        page.keyboard.press("Escape")
        assert launcher.get_attribute("aria-expanded") == "false"
    finally:
        server.shutdown()
        server.server_close()
