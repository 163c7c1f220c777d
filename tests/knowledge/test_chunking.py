"""Chunking of a real law file and of plain-text ordinances: 조 numbers, titles, 항/호, headings and 부칙."""

from __future__ import annotations

from guai.knowledge.chunking import chunk_document
from guai.knowledge.citations import citation_matches, position_citation
from guai.knowledge.extract import extract_bytes
from guai.knowledge.lawtext import chunk_law_markdown
from tests.knowledge.conftest import EXAMPLES, ROAD_LAW


def _law():
    return chunk_law_markdown(ROAD_LAW.read_text(encoding="utf-8"), "도로교통법")


def test_real_law_articles_titles_paragraphs_and_headings() -> None:
    title, meta, chunks = _law()
    assert title == "도로교통법" and meta["법령구분"] == "법률"
    by_key = {}
    for c in chunks:
        by_key.setdefault(c.article_key, []).append(c)
    art50 = by_key["제50조"]
    assert len(art50) == 1
    c = art50[0]
    assert c.citation == "도로교통법 제50조"
    assert c.title == "특정 운전자의 준수사항"
    assert c.heading == "제4장 운전자 및 고용주 등의 의무"
    assert c.text.startswith("제50조(특정 운전자의 준수사항)\n① 자동차")
    assert "\n④ 자전거등의 운전자는" in c.text and "**" not in c.text
    # Article numbers with a branch and the 절 level of the heading path.
    assert by_key["제5조의2"][0].title == "모범운전자연합회"
    assert by_key["제1조"][0].heading == "제1장 총칙"
    # A repealed 조 ("삭제") is not a chunk.
    assert "제152조의2" not in by_key


def test_long_article_split_at_items_with_exact_ranges() -> None:
    _, _, chunks = _law()
    parts = [c for c in chunks if c.article_key == "제2조"]
    assert len(parts) >= 3
    assert parts[0].citation == "도로교통법 제2조제1호부터 제13호까지"
    assert all(p.text.startswith("제2조(정의)\n") for p in parts)
    assert all(len(p.text) <= 2000 for p in parts)
    # Every 호 of the 조 is in exactly one part.
    items = [line.split(".")[0] for p in parts for line in p.text.splitlines()[1:] if line[:1].isdigit()]
    assert items[:3] == ["1", "2", "3"] and "35" in items and len(items) == len(set(items))


def test_supplements_are_separate_chunks() -> None:
    _, _, chunks = _law()
    supplements = [c for c in chunks if c.kind == "supplement"]
    articles = [c for c in chunks if c.kind == "article"]
    assert supplements and articles
    first = supplements[0]
    assert first.citation == "도로교통법 부칙 <제7545호,2005.5.31>"
    assert first.title == "부칙" and first.heading == "부칙"
    assert "제1조 (시행일)" in first.text
    # No 부칙 text leaks into articles (the last article is 제166조).
    assert articles[-1].article_key == "제166조"
    assert not any("부칙 <" in a.text for a in articles)


def test_position_citation_names_paragraph_and_item() -> None:
    _, _, chunks = _law()
    c = next(c for c in chunks if c.article_key == "제50조")
    offset = c.text.index("④ 자전거등의 운전자는") + 3
    assert (
        position_citation("도로교통법 제50조", c.text, offset, article_level=True) == "도로교통법 제50조제4항"
    )
    art156 = next(c for c in chunks if c.citation.startswith("도로교통법 제156조"))
    offset = art156.text.index("6. 제50조제1항")
    assert (
        position_citation("도로교통법 제156조", art156.text, offset + 2, article_level=True)
        == "도로교통법 제156조제6호"
    )
    assert citation_matches("도로교통법 제50조 제4항", ["도로교통법 제50조"]) == "도로교통법 제50조"
    assert citation_matches("도로교통법 제51조", ["도로교통법 제50조"]) is None


def test_plain_text_ordinance_chunks_by_article_with_chapters() -> None:
    path = EXAMPLES / "가온구_자치법규" / "가온구_주차장_설치_및_관리_조례.txt"
    title, chunks = chunk_document(extract_bytes(path.read_bytes(), path.name))
    assert title == "가온구 주차장 설치 및 관리 조례"
    cites = [c.citation for c in chunks]
    assert cites[:3] == [
        "가온구 주차장 설치 및 관리 조례 제1조",
        "가온구 주차장 설치 및 관리 조례 제2조",
        "가온구 주차장 설치 및 관리 조례 제3조",
    ]
    art3 = chunks[2]
    assert art3.title == "주차요금" and art3.heading == "제2장 공영주차장의 운영"
    assert "② 구청장은 경형자동차" in art3.text
    assert chunks[-1].kind == "supplement" and "시행일" in chunks[-1].text


def test_ordinary_markdown_chunks_by_heading() -> None:
    path = EXAMPLES / "교통행정과_지침" / "불법주정차_민원_처리_지침.md"
    title, chunks = chunk_document(extract_bytes(path.read_bytes(), path.name))
    assert title.startswith("가온구 불법 주정차 민원 처리 지침")
    sections = [c.title for c in chunks]
    assert "2. 현장 확인" in sections and "3. 답변" in sections
    reply = next(c for c in chunks if c.title == "3. 답변")
    assert reply.kind == "section" and reply.citation == f"{title} 3. 답변"
    assert "7일 안에" in reply.text
