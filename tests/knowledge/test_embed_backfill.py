"""`guai collections embed` and 「벡터 채우기」: vectors for chunks ingested before an embeddings provider existed.

The scripted provider's embeddings are hashed character n-grams, so a chunk sharing many characters with the
query is its dense nearest neighbour even when it shares no Kiwi token with it (the words it shares are
adverbs, which Kiwi tokenisation drops): BM25 alone never finds it, fusion with the dense ranking does.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from guai.db.engine import Database
from guai.db.models.audit import AuditEntry
from guai.db.models.knowledge import KnowledgeChunk, KnowledgeCollection
from guai.knowledge import index
from guai.knowledge.backfill import backfill_embeddings
from guai.knowledge.search import search
from tests.support.fake_llm import EMBED_DIM, FakeLLM
from tests.support.fixtures import register_fake_provider
from tests.support.web import login

LAW = """가온구 반려동물 조례

제1조(목적) 이 조례는 가온구에서 반려동물과 사람이 함께 안전하게 살아가는 데 필요한 사항을 정함을 목적으로 한다.

제2조(목줄 착용) 반려견과 외출할 때에는 길이 2미터 이내의 목줄을 하여야 한다.

제3조(배설물 수거) 소유자는 공원과 도로에서 반려동물의 배설물을 즉시 수거하여야 한다.

제4조(동물등록) 2개월령 이상의 개는 구청에 등록하여야 한다.

제5조(놀이터 운영) 구청장은 반려견 놀이터를 설치하여 운영할 수 있다.

제6조(산책로 표지판) 산책로 표지판에는 "울퉁불퉁 꼬불꼬불 반짝반짝"이라고 적는다.

제7조(과태료) 제2조 또는 제3조를 위반한 자에게는 과태료를 부과한다.
"""
CHUNKS = 7
QUERY = "울퉁불퉁 꼬불꼬불 반짝반짝 놀이터"
LEXICAL = "가온구 반려동물 조례 제5조"  # the only chunk with a query token (놀이터)
DENSE = "가온구 반려동물 조례 제6조"  # no shared token, but the query's characters
MODEL = "fake/fake-embed"


def _ingest(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "가온구 반려동물 조례.txt"
    path.write_text(LAW, encoding="utf-8")
    result = cli("ingest", str(path), "--collection", "조례")
    assert result.exit_code == 0, result.output


def _vectors(db: Database) -> dict[str, tuple[str | None, int]]:
    """citation → (embedding model, vector size in floats) for every stored chunk."""
    with db.session() as s:
        rows = s.execute(
            select(KnowledgeChunk.citation, KnowledgeChunk.embedding_model, KnowledgeChunk.embedding)
        ).all()
    return {c: (m, len(e) // 4 if e else 0) for c, m, e in rows}


def _citations(db: Database) -> list[str]:
    return [h.citation for h in search(db, QUERY, top=5)]


def _generation(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(KnowledgeCollection.generation).where(KnowledgeCollection.name == "조례")))


def test_embed_fills_vectors_once_and_search_fuses_them(any_db, cli, fake_llm, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _ingest(cli, tmp_path)
    assert set(_vectors(any_db).values()) == {(None, 0)}
    bm25_only = _citations(any_db)
    assert bm25_only[0] == LEXICAL and DENSE not in bm25_only

    register_fake_provider(any_db, fake_llm)
    # The gap this command closes: a provider alone does not give old chunks vectors.
    assert DENSE not in _citations(any_db)

    first = cli("collections", "embed")
    assert first.exit_code == 0, first.output
    assert MODEL in first.output
    assert f"새로 채운 조각 {CHUNKS}개" in first.output and "이미 있던 조각 0개" in first.output
    assert set(_vectors(any_db).values()) == {(MODEL, EMBED_DIM)}

    fused = _citations(any_db)
    assert fused[0] == LEXICAL and DENSE in fused[:2], fused
    # The rebuilt index was saved: a fresh process (no in-memory cache) loads it from disk with its vectors.
    with any_db.session() as s:
        cid = s.scalar(select(KnowledgeCollection.id).where(KnowledgeCollection.name == "조례"))
    index.forget(any_db, cid)
    assert _citations(any_db) == fused

    requests = len(fake_llm.calls("/embeddings"))
    generation = _generation(any_db)
    second = cli("collections", "embed", "조례")
    assert second.exit_code == 0, second.output
    assert "새로 채운 조각 0개" in second.output and f"이미 있던 조각 {CHUNKS}개" in second.output
    # Only the search above asked for a vector; the backfill sent nothing and left the index alone.
    assert len(fake_llm.calls("/embeddings")) == requests
    assert _generation(any_db) == generation


def test_embed_without_provider_is_a_clear_error_and_changes_nothing(any_db, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _ingest(cli, tmp_path)
    generation = _generation(any_db)
    result = cli("collections", "embed")
    assert result.exit_code != 0
    assert "임베딩" in result.stderr and "연결되어 있지 않아" in result.stderr
    assert set(_vectors(any_db).values()) == {(None, 0)}
    assert _generation(any_db) == generation

    unknown = cli("collections", "embed", "없는 컬렉션")
    assert unknown.exit_code == 2 and "없는 컬렉션" in unknown.stderr


def test_provider_failure_keeps_earlier_batches_and_a_rerun_continues(db, cli, fake_llm, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _ingest(cli, tmp_path)
    register_fake_provider(db, fake_llm, max_retries=0)

    def fail_after_first_batch(_collection: str, _n: int) -> None:
        fake_llm.fail(500, times=50)

    report = backfill_embeddings(db, batch_size=3, progress=fail_after_first_batch)
    assert report.error and report.embedded == 3 and report.missing == CHUNKS - 3
    stored = _vectors(db)
    assert sorted(m for m, _ in stored.values() if m) == [MODEL] * 3
    # Half-embedded collections search as before (BM25 only) rather than with a partial dense ranking.
    assert DENSE not in _citations(db)

    failing = cli("collections", "embed", "--batch-size", "2")
    assert failing.exit_code != 0
    assert "모델 서버 오류" in failing.stderr and "다시 실행하면 남은 조각부터" in failing.stderr
    assert len([m for m, _ in _vectors(db).values() if m]) == 3

    fake_llm.clear()
    resumed = cli("collections", "embed", "--batch-size", "2")
    assert resumed.exit_code == 0, resumed.output
    assert f"새로 채운 조각 {CHUNKS - 3}개" in resumed.output and "이미 있던 조각 3개" in resumed.output
    assert set(_vectors(db).values()) == {(MODEL, EMBED_DIM)}
    assert DENSE in _citations(db)[:2]


def test_web_button_fills_vectors_for_system_admins_only(live_server, make_user, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from guai.knowledge.ingest import ingest_bytes

    db = live_server.db
    make_user("root", "정보통신과", role="시스템관리자")
    make_user("traffic.boss", "교통행정과", role="부서관리자")
    ingest_bytes(db, LAW.encode(), "가온구 반려동물 조례.txt", collection="조례", actor="t")
    with login(live_server.url, "traffic.boss") as client:
        assert "벡터 채우기" not in client.get("/search").text
        denied = client.post("/search/embeddings", data={"csrf_token": client.csrf})
        assert denied.status_code == 403
    with login(live_server.url, "root") as client:
        assert 'hx-get="/search/embeddings"' in client.get("/search").text
        none = client.post("/search/embeddings", data={"csrf_token": client.csrf})
        assert none.status_code == 422 and "연결되어 있지 않아" in none.text
        fake = FakeLLM().start()
        try:
            register_fake_provider(db, fake)
            panel = client.get("/search/embeddings", headers={"HX-Request": "true"})
            assert "벡터 채우기" in panel.text and MODEL in panel.text
            assert f"<td>조례</td><td>{CHUNKS}</td><td>0</td><td>{CHUNKS}</td>" in panel.text
            filled = client.post(
                "/search/embeddings", data={"csrf_token": client.csrf}, headers={"HX-Request": "true"}
            )
            assert filled.status_code == 200
            assert f"새로 채운 조각 {CHUNKS}개" in filled.text
            assert f"<td>조례</td><td>{CHUNKS}</td><td>{CHUNKS}</td><td>0</td>" in filled.text
            assert DENSE in [
                h["citation"] for h in client.get("/api/search", params={"q": QUERY}).json()["results"]
            ]
        finally:
            fake.stop()
    with db.session() as s:
        audited = list(s.scalars(select(AuditEntry).where(AuditEntry.action == "knowledge.embed")))
    assert [(a.actor, a.outcome) for a in audited] == [("root", "성공")]
    assert json.loads(audited[0].detail)["embedded"] == CHUNKS
