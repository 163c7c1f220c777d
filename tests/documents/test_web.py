"""/documents over real HTTP: tabs, summary with source sentences, draft + download, proofread + fix, translate."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document

from tests.support.web import login

TEXT = "\n".join(f"{i}번째 문장은 전동킥보드 정비 사업의 추진 현황을 설명합니다." for i in range(1, 10))


def test_documents_pages(live_server, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user("kim.staff")
    with login(live_server.url, "kim.staff") as c:
        for path in (
            "/documents",
            "/documents/draft?kind=공문",
            "/documents/proofread",
            "/documents/translate",
        ):
            page = c.get(path)
            assert page.status_code == 200 and 'aria-current="page"' in page.text
        summary = c.post("/documents", data={"text": TEXT, "length": "3줄", "csrf_token": c.csrf})
        assert summary.status_code == 200
        assert summary.text.count("<details>") == 3 and "원문(" in summary.text
        draft = c.post(
            "/documents/draft",
            data={
                "kind": "공문",
                "f_수신": "각 동장",
                "f_제목": "협조 요청",
                "f_본문": "협조 바랍니다.",
                "csrf_token": c.csrf,
            },
        )
        assert "고칠 곳 없음" in draft.text and "협조 바랍니다.  끝." in draft.text
        text = re.search(
            r'<textarea name="text" hidden aria-hidden="true">(.*?)</textarea>', draft.text, re.S
        ).group(1)
        file = c.post(
            "/documents/export",
            data={
                "text": text.replace("&#34;", '"'),
                "title": "협조 요청",
                "fmt": "docx",
                "csrf_token": c.csrf,
            },
        )
        assert file.status_code == 200 and "filename*=UTF-8''" in file.headers["content-disposition"]
        assert "1. 협조 바랍니다.  끝." in [p.text for p in Document(io.BytesIO(file.content)).paragraphs]
        proof = c.post("/documents/proofread", data={"text": "익일 오후 2시 회의", "csrf_token": c.csrf})
        assert "교정 의견 2건" in proof.text
        fixed = c.post(
            "/documents/proofread", data={"text": "익일 오후 2시 회의", "fix": "1", "csrf_token": c.csrf}
        )
        assert "다음 날 14:00 회의" in fixed.text and "고칠 곳을 찾지 못했습니다" in fixed.text
        tr = c.post("/documents/translate", data={"text": "주민센터", "target": "en", "csrf_token": c.csrf})
        assert "AI 모델이 필요" in tr.text
        upload = c.post(
            "/documents",
            data={"length": "3줄", "csrf_token": c.csrf},
            files={"file": ("a.txt", TEXT.encode("cp949"), "text/plain")},
        )
        assert upload.text.count("<details>") == 3
        no_csrf = c.post("/documents/proofread", data={"text": "x"})
        assert no_csrf.status_code == 403


def test_documents_need_login(live_server) -> None:  # type: ignore[no-untyped-def]
    import httpx

    assert httpx.get(live_server.url + "/documents", follow_redirects=False).status_code in (303, 401)


@pytest.mark.slow
@pytest.mark.browser
def test_summary_line_reveals_source_sentence(live_server, make_user, page) -> None:  # type: ignore[no-untyped-def]
    make_user("kim.staff")
    page.goto(live_server.url + "/login")
    page.fill("input[name=username]", "kim.staff")
    page.fill("input[name=password]", "test-password-1")
    page.click("button[type=submit]")
    page.goto(live_server.url + "/documents")
    page.fill("#sum-text", TEXT)
    page.click("text=요약하기")
    first = page.locator(".summary-lines details").first
    first.locator("summary").click()
    assert "원문(" in first.locator("blockquote").inner_text()
