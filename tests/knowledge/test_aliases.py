"""Everyday phrases per article (doc2query): searched, never shown; a district adds its own and re-analyses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guai.knowledge import aliases
from guai.knowledge.ingest import ingest_paths
from guai.knowledge.search import search
from tests.conftest import SHARED_DATA
from tests.knowledge.conftest import EXAMPLES

WASTE_ORDINANCE = EXAMPLES / "가온구_자치법규" / "가온구_생활폐기물_관리_조례.txt"


def test_alias_lines_parse_and_bad_lines_are_skipped() -> None:
    table = aliases.parse_aliases(
        "# 주석\n"
        "소음ㆍ진동관리법\t제 21 조\t밤에 공사; 새벽 공사 소리\n"
        "잘못된 줄\n"
        "주차장법\t조 없음\t무엇\n"
        "주차장법\t제19조의4\t\n",
        "test",
    )
    assert table == {(aliases.title_key("소음·진동 관리법"), "제21조"): ["밤에 공사", "새벽 공사 소리"]}


def test_district_phrases_find_an_ordinance_article_after_reanalyse(db, cli, settings) -> None:  # type: ignore[no-untyped-def]
    ingest_paths(db, [WASTE_ORDINANCE], collection="자치법규", actor="t")
    # "쓰파라치" (what residents call a reward for reporting dumpers) is nowhere in the ordinance.
    assert not any(h.article_key == "제4조" for h in search(db, "쓰파라치 얼마 받나요"))

    site = settings.home / aliases.SITE_FILE
    site.parent.mkdir(parents=True, exist_ok=True)
    site.write_bytes("가온구 생활폐기물 관리 조례\t제4조\t쓰파라치; 쓰레기 파파라치\n".encode("cp949"))
    result = cli("collections", "reindex", "자치법규", "--reanalyse")
    assert result.exit_code == 0, result.output
    assert "바뀌었습니다" in result.output

    hits = search(db, "쓰파라치 얼마 받나요")
    assert hits and hits[0].article_key == "제4조"
    assert "포상금" in hits[0].text and "쓰파라치" not in hits[0].text  # shown text is the ordinance's own
    assert "쓰파라치" in hits[0].phrases  # …and the result says which everyday phrase found it
    shown = cli("search", "쓰파라치 얼마 받나요", "--format", "json")
    assert "쓰파라치" in json.loads(shown.output)[0]["matched_phrases"]
    assert "생활 표현으로 찾음" in cli("search", "쓰파라치 얼마 받나요").output
    again = cli("collections", "reindex", "자치법규", "--reanalyse")
    assert "0개의 검색어가 바뀌었습니다" in again.output


def test_new_ingest_uses_district_phrases_at_once(db, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site = settings.home / aliases.SITE_FILE
    site.parent.mkdir(parents=True, exist_ok=True)
    site.write_text("가온구 생활폐기물 관리 조례\t제3조\t장롱 내다 버리기; 헌 소파\n", encoding="utf-8")
    ingest_paths(db, [WASTE_ORDINANCE], collection="자치법규", actor="t")
    hits = search(db, "헌 소파 어떻게 내놓나요", top=3)
    assert hits and hits[0].article_key == "제3조"


def test_unreadable_district_file_does_not_stop_ingest(db, settings) -> None:  # type: ignore[no-untyped-def]
    site = settings.home / aliases.SITE_FILE
    site.parent.mkdir(parents=True, exist_ok=True)
    site.write_bytes(b"\x00\x01binary")
    report = ingest_paths(db, [WASTE_ORDINANCE], collection="자치법규", actor="t")
    assert report.results[0].status == "added"


def test_bundled_phrases_point_at_real_articles() -> None:
    table = aliases.bundled_aliases()
    assert len(table) >= 5000
    laws_dir = SHARED_DATA / "laws"
    if not laws_dir.is_dir():
        pytest.skip("../shared/data/laws is not available")
    from guai.knowledge.lawtext import split_front_matter

    have: set[tuple[str, str]] = set()
    for path in laws_dir.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        title = aliases.title_key(str(split_front_matter(text)[0].get("제목", "")))
        for line in text.splitlines():
            if line.startswith("##### 제"):
                have.add((title, line[6:].split(" ")[0]))
    assert sorted(set(table) - have) == []
    assert len({law for law, _ in table}) >= 50


def test_eval_reports_what_the_phrases_add(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    laws = tmp_path / "laws" / "주차장법"
    laws.mkdir(parents=True)
    (laws / "법률.md").write_bytes((EXAMPLES / "법령" / "주차장법" / "법률.md").read_bytes())
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        json.dumps(
            {"question": "노상주차장은 누가 만드나요", "answers": ["주차장법 제7조"]}, ensure_ascii=False
        ),
        encoding="utf-8",
    )
    out = cli(
        "eval", "search", "--laws", str(tmp_path / "laws"), "--questions", str(questions), "--format", "json"
    )
    assert out.exit_code == 0, out.output
    systems = {row["name"] for s in json.loads(out.output)["sets"] for row in s["systems"]}
    assert any("생활 표현 없이" in name for name in systems)


def test_search_page_says_which_everyday_phrase_found_an_article(live_server, make_user) -> None:  # type: ignore[no-untyped-def]
    from tests.support.web import login

    site = live_server.settings.home / aliases.SITE_FILE
    site.parent.mkdir(parents=True, exist_ok=True)
    site.write_text("가온구 생활폐기물 관리 조례\t제4조\t쓰파라치\n", encoding="utf-8")
    ingest_paths(live_server.db, [WASTE_ORDINANCE], collection="자치법규", actor="t")
    make_user("kim", "교통행정과", "직원")
    with login(live_server.url, "kim") as client:
        page = client.get("/search", params={"q": "쓰파라치 신고"})
    assert page.status_code == 200
    assert "생활 표현으로 찾음" in page.text and "「쓰파라치」" in page.text
