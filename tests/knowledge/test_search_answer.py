"""Search quality on real law text, answers with citations, "no basis", index freshness across workers, model paths."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from guai.config import load_settings
from guai.db.engine import Database
from guai.knowledge.answer import NO_BASIS, answer, check_model_answer
from guai.knowledge.index import index_root
from guai.knowledge.ingest import ingest_bytes
from guai.knowledge.search import search


def test_everyday_words_find_the_formal_articles(law_db) -> None:  # type: ignore[no-untyped-def]
    hits = search(law_db, "킥보드 헬멧 안 쓰면 벌금", top=5)
    cites = [h.citation for h in hits]
    assert "도로교통법 제50조" in cites, cites
    assert any(c.startswith("도로교통법 제156조") for c in cites), cites  # the penalty article
    top = next(h for h in hits if h.citation == "도로교통법 제50조")
    assert (
        "인명보호 장구" in top.text
        and "<mark>" in top.snippet_html
        and top.url.startswith("/search/article/")
    )
    assert search(law_db, "도로교통법 제50조", top=1)[0].citation == "도로교통법 제50조"
    # The ordinance collection answers local questions even next to thousands of law chunks.
    assert (
        search(law_db, "공영주차장 주차요금 감면", top=1)[0].citation
        == "가온구 주차장 설치 및 관리 조례 제3조"
    )
    only = search(law_db, "주차요금", collections=["가온구 자치법규"], top=10)
    assert only and {h.collection for h in only} == {"가온구 자치법규"}
    assert search(law_db, "   ") == []


def test_sanction_question_puts_the_duty_first_and_its_penalty_next(law_db) -> None:  # type: ignore[no-untyped-def]
    hits = search(law_db, "킥보드 헬멧 안 쓰면 벌금", top=5)
    cites = [h.citation for h in hits]
    assert cites[0] == "도로교통법 제50조", cites
    # the 항 that states the duty: ④ 자전거등의 운전자 … 인명보호 장구를 착용 (not ③, which excludes 개인형 이동장치)
    assert hits[0].passage == "도로교통법 제50조제4항" and hits[0].as_dict()["passage"] == hits[0].passage
    assert any(c.startswith(("도로교통법 제156조", "도로교통법 제160조")) for c in cites[1:3]), cites
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    # one hit per article: a 조 split into several chunks is listed once
    keys = [(h.document_id, h.article_key) for h in hits]
    assert len(keys) == len(set(keys)), cites


def test_best_line_skips_words_inside_an_exclusion() -> None:
    from guai.knowledge.search import best_line

    text = (
        "제9조(보기)\n① 원동기장치자전거(개인형 이동장치는 제외한다)의 운전자는 장구를 착용한다.\n"
        "② 자전거등(개인형 이동장치를 포함한다)의 운전자는 장구를 착용한다.\n③ 다른 내용"
    )
    assert text[best_line(text, ["개인형이동장치", "자전거", "장구"]) :].startswith("② 자전거등")
    assert best_line(text, ["없는말"]) is None


def test_extractive_answer_cites_paragraphs(law_db) -> None:  # type: ignore[no-untyped-def]
    ans = answer(law_db, "전동킥보드 탈 때 헬멧을 써야 하나요?", use_model=False)
    assert ans.found and ans.mode == "extractive"
    cites = [s.citation for s in ans.sentences]
    assert "도로교통법 제50조제4항" in cites, cites
    line = next(s for s in ans.sentences if s.citation == "도로교통법 제50조제4항")
    assert line.text.startswith("자전거등의 운전자는") and "인명보호 장구" in line.text
    assert "(도로교통법 제50조제4항)" in ans.text


def test_unanswerable_question_says_no_basis(law_db, cli) -> None:  # type: ignore[no-untyped-def]
    for question in ("구청장 관사의 애완 공룡 사료비 지원 기준은?", "우주 정거장 입주 신청 자격"):
        ans = answer(law_db, question, use_model=False)
        assert not ans.found and ans.text == NO_BASIS and "근거를 찾지 못했습니다" in ans.text
        assert ans.sentences == []


def test_cli_search_json_and_bulk_file(law_db, cli, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GUAI_HOME", str(law_db.settings.home))
    out = cli("search", "어린이 보호구역 지정", "--top", "3", "--format", "json")
    assert out.exit_code == 0, out.output
    rows = json.loads(out.output)
    assert len(rows) == 3 and {"citation", "title", "collection", "score", "text", "source"} <= set(rows[0])
    assert rows[0]["citation"].startswith("도로교통법 제12조")
    queries = tmp_path / "q.txt"
    queries.write_text("어린이 보호구역 지정\n\n음주운전 처벌\n", encoding="utf-8")
    bulk = cli("search", "--file", str(queries), "--top", "2")
    lines = [json.loads(x) for x in bulk.output.splitlines()]
    assert [x["query"] for x in lines] == ["어린이 보호구역 지정", "음주운전 처벌"]
    assert all(len(x["results"]) == 2 for x in lines)
    table = cli("search", "킥보드 헬멧")
    assert table.exit_code == 0 and "도로교통법" in table.output
    said = cli("answer", "킥보드 헬멧 안 쓰면 벌금 내나요?", "--no-model")
    assert said.exit_code == 0 and "도로교통법 제50조" in said.output


def test_the_same_article_in_two_collections_is_listed_once(db) -> None:  # type: ignore[no-untyped-def]
    rule = "제1조(목적) 이 규정은 청사 출입을 정한다.\n제2조(출입증) 방문객은 출입증을 받아야 한다.".encode()
    ingest_bytes(db, rule, "출입.txt", collection="규정", actor="t")
    ingest_bytes(db, rule, "출입.txt", collection="부서 규정", actor="t")
    hits = search(db, "방문객 출입증", top=5)
    assert [h.citation for h in hits].count("출입 제2조") == 1, [(h.citation, h.collection) for h in hits]


def test_index_follows_changes_made_by_another_worker(db) -> None:  # type: ignore[no-untyped-def]
    ingest_bytes(
        db, "제1조(목적) 이 규정은 청사 출입을 정한다.".encode(), "출입.txt", collection="규정", actor="t"
    )
    first = search(db, "청사 출입")
    assert first[0].doc_title == "출입" and "청사 출입" in first[0].text
    other = Database(load_settings(home=db.settings.home))  # a second worker on the same database
    try:
        ingest_bytes(
            other,
            "제1조(목적) 이 규정은 당직 근무를 정한다.\n제2조(당직) 당직은 두 명이 선다.".encode(),
            "당직.txt",
            collection="규정",
            actor="t",
        )
        assert any("당직" in h.text for h in search(db, "당직 근무 인원"))
    finally:
        other.dispose()
    # The index files are only a cache: deleting them loses nothing.
    shutil.rmtree(index_root(db))
    from guai.knowledge import index

    index._cache.clear()
    assert any("당직" in h.text for h in search(db, "당직 근무 인원"))
    assert any(p.name.startswith("c") for p in index_root(db).iterdir())


def test_model_answer_keeps_only_checked_citations(db, fake_provider) -> None:  # type: ignore[no-untyped-def]
    ingest_bytes(
        db,
        "제1조(목적) 이 규정은 청사 주차를 정한다.\n제2조(주차 요금) ① 민원인은 2시간 무료로 주차한다.\n"
        "② 직원은 월 3만원을 낸다.".encode(),
        "청사 주차 규정.txt",
        collection="규정",
        actor="t",
    )
    fake_provider.reply(
        "민원인은 2시간 동안 무료로 주차할 수 있습니다 [청사 주차 규정 제2조제1항]. "
        "주말에는 종일 무료입니다 [청사 주차 규정 제9조]."
    )
    ans = answer(db, "민원인 주차 요금은 얼마인가요?")
    assert ans.mode == "model" and ans.found
    assert [s.citation for s in ans.sentences] == ["청사 주차 규정 제2조제1항"]
    assert ans.flagged and "주말" in ans.flagged[0] and "주말" not in ans.text
    sent = fake_provider.requests[-1].texts()
    assert any("청사 주차 규정 제2조" in t for t in sent)  # the sources went to the model
    # Embeddings were stored at ingest and fused at search time.
    assert any(r.path.endswith("/embeddings") for r in fake_provider.requests)
    assert search(db, "민원인 주차 무료")[0].citation == "청사 주차 규정 제2조"


def test_model_answer_without_valid_citation_falls_back(db, fake_provider) -> None:  # type: ignore[no-untyped-def]
    ingest_bytes(
        db,
        "제1조(목적) 이 규정은 청사 주차를 정한다.\n제2조(주차 요금) 민원인은 2시간 무료로 주차한다.".encode(),
        "청사 주차 규정.txt",
        collection="규정",
        actor="t",
    )
    fake_provider.reply("주차는 언제나 무료입니다.")
    ans = answer(db, "민원인 주차 요금은 얼마인가요?")
    assert ans.mode == "extractive" and ans.note and "확인된 인용" in ans.note
    assert ans.sentences[0].citation.startswith("청사 주차 규정 제2조")
    fake_provider.reply("근거를 찾지 못했습니다.")
    assert not answer(db, "민원인 주차 요금은 얼마인가요?").found


def test_check_model_answer_rules() -> None:
    from guai.knowledge.search import SearchHit

    hit = SearchHit(
        chunk_id=1,
        citation="도로교통법 제50조",
        title="특정 운전자의 준수사항",
        doc_title="도로교통법",
        collection="법령",
        score=1.0,
        text="",
        source="",
        snippet="",
        article_key="제50조",
    )
    ok = check_model_answer("q", "자전거 운전자는 안전모를 써야 합니다 [도로교통법 제50조 제4항].", [hit])
    assert ok is not None and ok.sentences[0].citation == "도로교통법 제50조 제4항"
    assert check_model_answer("q", "벌금은 10만원입니다 [도로교통법 제999조].", [hit]) is None
    assert check_model_answer("q", "출처 없이 길게 지어낸 문장이 여기에 있습니다.", [hit]) is None
