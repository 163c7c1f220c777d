"""Chromium: search with everyday words, see highlighted citations, open the whole article, get a cited answer."""

from __future__ import annotations

import pytest

from guai.knowledge.collections import parse_visibility
from guai.knowledge.ingest import ingest_paths
from tests.conftest import PASSWORD
from tests.knowledge.conftest import EXAMPLES

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_search_page_results_article_and_answer(live_server, make_user, page) -> None:  # type: ignore[no-untyped-def]
    make_user("kim", "교통행정과", "직원")
    ingest_paths(
        live_server.db,
        [EXAMPLES / "가온구_자치법규"],
        collection="가온구 자치법규",
        visibility=parse_visibility("public"),
        actor="t",
    )
    page.goto(f"{live_server.url}/login")
    page.get_by_label("아이디").fill("kim")
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    if page.get_by_role("dialog").count():
        page.get_by_role("button", name="건너뛰기").click()
    page.goto(f"{live_server.url}/search")
    page.get_by_label("검색어").fill("장롱 버리려면 어떻게 신고해요")
    page.get_by_role("button", name="검색", exact=True).click()
    first = page.locator("ol.hits li").first
    first.wait_for()
    assert "가온구 생활폐기물 관리 조례 제3조" in first.inner_text()
    assert page.locator("ol.hits mark").count() > 0
    page.get_by_role("button", name="이 검색어로 답 받기").click()
    answer = page.locator("#answer .answer-lines li").first
    answer.wait_for()
    assert "[가온구 생활폐기물 관리 조례 제3조제1항]" in answer.inner_text()
    first.get_by_role("link", name="가온구 생활폐기물 관리 조례 제3조", exact=True).click()
    assert page.get_by_role("heading", name="가온구 생활폐기물 관리 조례 제3조").is_visible()
    assert "납부 필증" in page.locator("article").inner_text()
