"""A staff member of department A never finds department B's private document: service, CLI, web page, API."""

from __future__ import annotations

import json

from sqlalchemy import select

from guai.auth.users import find_user
from guai.db.models.knowledge import KnowledgeChunk
from guai.knowledge.answer import answer
from guai.knowledge.collections import parse_visibility
from guai.knowledge.ingest import ingest_bytes
from guai.knowledge.search import search
from tests.support.web import login

SECRET = (
    "제1조(목적) 이 지침은 복지정책과 내부의 위기가구 사례관리 비밀 절차를 정한다.\n"
    "제2조(사례관리) 위기가구 사례관리 대상자 명단은 담당 주무관만 열람한다."
)
PUBLIC = "제1조(목적) 이 안내는 가온구 민원실 운영 시간을 정한다.\n제2조(운영 시간) 민원실은 평일 오전 9시부터 오후 6시까지 연다."
QUERY = "위기가구 사례관리 대상자 명단 열람"


def _setup(db, make_user):  # type: ignore[no-untyped-def]
    make_user("traffic", "교통행정과")
    make_user("traffic.boss", "교통행정과", role="부서관리자")
    make_user("welfare", "복지정책과")
    ingest_bytes(
        db,
        SECRET.encode(),
        "사례관리.txt",
        collection="복지 내부",
        visibility=parse_visibility("department:복지정책과"),
        actor="t",
    )
    ingest_bytes(
        db,
        PUBLIC.encode(),
        "민원실.txt",
        collection="공개 안내",
        visibility=parse_visibility("public"),
        actor="t",
    )
    with db.session() as s:
        secret_id = s.scalar(select(KnowledgeChunk.id).where(KnowledgeChunk.text.contains("명단은 담당")))
        users = {u: find_user(s, u) for u in ("traffic", "welfare")}
        for u in users.values():
            s.expunge(u)
    return secret_id, users


def test_service_api_and_cli_respect_department_visibility(db, make_user, cli) -> None:  # type: ignore[no-untyped-def]
    secret_id, users = _setup(db, make_user)
    own = search(db, QUERY, user=users["welfare"])
    assert own and own[0].chunk_id == secret_id and own[0].collection == "복지 내부"
    for kwargs in (
        {"user": users["traffic"]},
        {"user": None},
        {"public_only": True},
        {"user": users["traffic"], "collections": ["복지 내부"]},
    ):
        hits = search(db, QUERY, **kwargs)
        assert all(h.collection != "복지 내부" for h in hits), kwargs
    assert search(db, "민원실 운영 시간", public_only=True)[0].collection == "공개 안내"
    assert not answer(db, QUERY, user=users["traffic"]).found
    assert answer(db, QUERY, user=users["welfare"]).found

    as_traffic = cli("search", QUERY, "--as", "traffic", "--format", "json")
    assert as_traffic.exit_code == 0 and "명단" not in as_traffic.output
    assert all(h["collection"] != "복지 내부" for h in json.loads(as_traffic.output))
    as_welfare = cli("search", QUERY, "--as", "welfare", "--format", "json")
    assert json.loads(as_welfare.output)[0]["collection"] == "복지 내부"
    operator = cli("answer", QUERY, "--format", "json")
    assert json.loads(operator.output)["found"] is False
    unknown = cli("search", QUERY, "--as", "nobody")
    assert unknown.exit_code == 2


def test_web_page_api_and_article_link_respect_visibility(live_server, make_user) -> None:  # type: ignore[no-untyped-def]
    secret_id, _ = _setup(live_server.db, make_user)
    with login(live_server.url, "traffic") as client:
        page = client.get("/search", params={"q": QUERY})
        assert page.status_code == 200
        assert "명단은 담당" not in page.text and "복지 내부" not in page.text
        api = client.get("/api/search", params={"q": QUERY})
        assert api.status_code == 200 and all(r["collection"] != "복지 내부" for r in api.json()["results"])
        assert client.get(f"/search/article/{secret_id}").status_code == 404
        panel = client.get("/search/answer", params={"q": QUERY})
        assert "명단은 담당" not in panel.text and "근거를 찾지 못했습니다" in panel.text
        restricted = client.get("/search", params={"q": QUERY, "collection": "복지 내부"})
        assert "명단은 담당" not in restricted.text
    with login(live_server.url, "welfare") as client:
        page = client.get("/search", params={"q": QUERY})
        assert "사례관리" in page.text and f"/search/article/{secret_id}" in page.text
        article = client.get(f"/search/article/{secret_id}")
        assert article.status_code == 200 and "명단은 담당 주무관만 열람한다" in article.text
    # A department admin cannot put files into another department's private collection.
    with login(live_server.url, "traffic.boss") as client:
        denied = client.post(
            "/search/upload",
            data={"collection": "복지 내부", "csrf_token": client.csrf},
            files={"file": ("x.txt", "제1조(목적) 몰래 넣기".encode(), "text/plain")},
        )
        assert denied.status_code == 403
        ok = client.post(
            "/search/upload",
            data={"collection": "교통 내부", "csrf_token": client.csrf},
            files={
                "file": (
                    "규칙.txt",
                    "제1조(목적) 교통 내부 규칙\n제2조(단속) 야간 단속을 한다.".encode(),
                    "text/plain",
                )
            },
        )
        assert ok.status_code == 200 and "추가" in ok.text
        no_csrf = client.post(
            "/search/upload",
            data={"collection": "교통 내부"},
            files={"file": ("a.txt", b"x", "text/plain")},
            headers={"X-CSRF-Token": "wrong"},
        )
        assert no_csrf.status_code == 403
    with login(live_server.url, "welfare") as client:
        hits = client.get("/api/search", params={"q": "야간 단속"}).json()["results"]
        assert all(h["collection"] != "교통 내부" for h in hits)
        staff_upload = client.post(
            "/search/upload",
            data={"collection": "x", "csrf_token": client.csrf},
            files={"file": ("a.txt", b"x", "text/plain")},
        )
        assert staff_upload.status_code == 403
