"""Chromium: upload a complaint file, ask for a ranking in Korean, see the table and chart, download the Excel."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.complaints.conftest import FIXTURES
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_upload_ask_table_download(live_server, make_user, page) -> None:  # type: ignore[no-untyped-def]
    make_user("boss", "교통행정과", "부서관리자")
    page.goto(f"{live_server.url}/login")
    page.get_by_label("아이디").fill("boss")
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/complaints")  # directly: the home page may show the first-login tour

    page.get_by_label("파일").set_input_files(str(FIXTURES / "topics_labelled.csv"))
    page.get_by_role("button", name="올리기").click()
    assert "27건 가져옴" in page.get_by_role("status").inner_text()

    page.get_by_label("요청 문장 또는 주제").fill("킥보드 관련 들어온 민원들을 순위별로 정리해줘")
    page.get_by_role("button", name="정리하기").click()
    table = page.locator("#ranking-table")
    assert "유형별 건수 순위 — 합계 6건" in table.locator("caption").inner_text()
    assert table.locator("tbody tr").count() >= 1
    img_src = page.locator("figure.chart img").get_attribute("src")
    resp = page.request.get(f"{live_server.url}{img_src}")
    assert resp.status == 200, (resp.status, resp.text()[:300])
    page.get_by_role("img", name="막대그래프와 월별 추이").wait_for(state="visible")
    page.wait_for_function(
        "() => { const i = document.querySelector('figure.chart img');"
        " return i.complete && i.naturalWidth > 500; }"
    )

    with page.expect_download() as info:
        page.get_by_role("link", name="엑셀").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    wb = load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    assert wb["순위"].cell(row=1, column=2).value == "유형" and wb["민원 목록"].max_row == 7


def test_staff_cannot_upload(live_server, make_user, page) -> None:  # type: ignore[no-untyped-def]
    make_user("kim", "교통행정과", "직원")
    page.goto(f"{live_server.url}/login")
    page.get_by_label("아이디").fill("kim")
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/complaints")
    assert page.get_by_role("heading", name="민원 분석").is_visible()
    assert page.get_by_role("button", name="올리기").count() == 0
    page.get_by_label("요청 문장 또는 주제").fill("전동킥보드")
    page.get_by_role("button", name="정리하기").click()
    assert "가져온 민원이 없습니다" in page.get_by_role("alert").inner_text()
