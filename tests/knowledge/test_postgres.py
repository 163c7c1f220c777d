"""The knowledge store on both databases: ingest, replace, search, visibility and removal (SQLite and PostgreSQL)."""

from __future__ import annotations

from guai.auth.departments import add_department
from guai.auth.users import add_user, find_user
from guai.knowledge.collections import list_collections, parse_visibility, remove_collection
from guai.knowledge.ingest import ingest_bytes
from guai.knowledge.search import search


def test_ingest_search_visibility_remove(any_db) -> None:  # type: ignore[no-untyped-def]
    db = any_db
    with db.session() as s:
        for dept in ("교통행정과", "복지정책과"):
            add_department(s, name=dept, phone=None)
        add_user(s, username="tu", password="pw-123456789", department="교통행정과", role="직원")
    text = "제1조(목적) 이 지침은 야간 주차 단속을 정한다.\n제2조(단속 시간) 야간 단속은 오후 10시부터 한다."
    assert (
        ingest_bytes(
            db,
            text.encode(),
            "야간.txt",
            collection="교통 내부",
            visibility=parse_visibility("department:교통행정과"),
            actor="t",
        )
        .results[0]
        .status
        == "added"
    )
    assert (
        ingest_bytes(db, text.replace("10시", "11시").encode(), "야간.txt", collection="교통 내부", actor="t")
        .results[0]
        .status
        == "replaced"
    )
    with db.session() as s:
        user = find_user(s, "tu")
        s.expunge(user)
    hits = search(db, "야간 단속 시간", user=user)
    assert hits[0].citation == "야간 제2조" and "11시" in hits[0].text
    assert search(db, "야간 단속 시간") == []  # operator view without a user: no department collections
    with db.session() as s:
        assert [c.chunks for c in list_collections(s)] == [2]
        assert remove_collection(s, "교통 내부", db.settings.index_dir) == (1, 2)
    assert search(db, "야간 단속 시간", user=user) == []
