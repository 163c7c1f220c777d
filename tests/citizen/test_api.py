"""The public HTTP surface: JSON chat contract, CORS for the widget, rate limits (429), tickets, pages."""

from __future__ import annotations

import re
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from guai.citizen import save_settings
from guai.db.engine import Database
from guai.db.models.audit import AuditEntry
from guai.db.models.citizen import CitizenRateCounter
from guai.web.app import create_app


@pytest.fixture
def client(guidance_db: Database, settings) -> TestClient:  # type: ignore[no-untyped-def]
    return TestClient(create_app(settings))


def test_chat_contract(client: TestClient) -> None:
    r = client.post("/api/citizen/chat", json={"message": "대형폐기물 버리는 방법"})
    assert r.status_code == 200
    data = r.json()
    assert {"answer", "department", "phone", "sources", "escalate"} <= set(data)
    assert data["sources"] == ["G008"] and data["escalate"] is False
    assert data["department"] == "청소행정과" and data["phone"] == "02-2600-1510"
    assert "근거: 폐기물관리법" in data["answer"] and "최종 확인: 2025. 3. 10." in data["answer"]
    session = data["session"]
    again = client.post("/api/citizen/chat", json={"message": "수수료는요?", "session": session}).json()
    assert again["session"] == session


def test_chat_rejects_bad_json_and_handles_empty(client: TestClient) -> None:
    assert (
        client.post(
            "/api/citizen/chat", content=b"not json", headers={"content-type": "application/json"}
        ).status_code
        == 422
    )
    empty = client.post("/api/citizen/chat", json={"message": "   "}).json()
    assert empty["kind"] == "empty" and "적어 주세요" in empty["answer"]
    long = client.post("/api/citizen/chat", json={"message": "가" * 600}).json()
    assert long["kind"] == "too_long"


def test_cors_preflight_and_headers(client: TestClient) -> None:
    pre = client.options(
        "/api/citizen/chat",
        headers={"Origin": "https://www.gaon.go.kr", "Access-Control-Request-Method": "POST"},
    )
    assert pre.status_code == 204
    assert pre.headers["access-control-allow-origin"] == "*"
    assert "POST" in pre.headers["access-control-allow-methods"]
    r = client.post(
        "/api/citizen/chat", json={"message": "등본"}, headers={"Origin": "https://www.gaon.go.kr"}
    )
    assert r.headers["access-control-allow-origin"] == "*"


def test_allowed_origins_setting_limits_cors(client: TestClient, guidance_db: Database) -> None:
    with guidance_db.session() as s:
        save_settings(s, {"allowed_origins": "https://www.gaon.go.kr"}, actor="t")
    from guai.citizen import invalidate

    invalidate(guidance_db)
    ok = client.post(
        "/api/citizen/chat", json={"message": "등본"}, headers={"Origin": "https://www.gaon.go.kr"}
    )
    other = client.post(
        "/api/citizen/chat", json={"message": "등본"}, headers={"Origin": "https://evil.example"}
    )
    assert ok.headers["access-control-allow-origin"] == "https://www.gaon.go.kr"
    assert "access-control-allow-origin" not in other.headers


def test_rate_limit_is_polite_429_and_audited_once(client: TestClient, guidance_db: Database) -> None:
    with guidance_db.session() as s:
        save_settings(s, {"chat_per_minute": "3"}, actor="t")
    from guai.citizen import invalidate

    invalidate(guidance_db)
    if time.time() % 60 > 55:  # stay inside one fixed one-minute window
        time.sleep(61 - time.time() % 60)
    codes = [client.post("/api/citizen/chat", json={"message": "등본"}).status_code for _ in range(6)]
    assert codes == [200, 200, 200, 429, 429, 429]
    r = client.post("/api/citizen/chat", json={"message": "등본"})
    assert r.status_code == 429 and r.headers["retry-after"] == "60"
    assert "잠시 후에 다시" in r.json()["answer"]
    with guidance_db.session() as s:
        denials = (
            s.execute(select(AuditEntry).where(AuditEntry.action == "citizen.rate_limited")).scalars().all()
        )
        counters = s.execute(select(CitizenRateCounter)).scalars().all()
    assert len(denials) == 1
    assert all("testclient" not in c.key for c in counters)  # keys hold a pseudonym, never the address


def test_ticket_round_trip_over_http(client: TestClient) -> None:
    bad = client.post("/api/citizen/tickets", json={"question": "쓰레기 미수거", "phone": "010-1111-2222"})
    assert bad.status_code == 400 and "동의" in bad.json()["error"]["message"]
    r = client.post(
        "/api/citizen/tickets",
        json={"question": "우리 골목 쓰레기가 사흘째 그대로예요", "phone": "010-1111-2222", "consent": True},
    )
    assert r.status_code == 201
    ticket = r.json()
    assert re.fullmatch(r"GA-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", ticket["code"])
    assert ticket["department"] == "청소행정과" and "phone" in ticket and "010-1111-2222" not in r.text
    status = client.get(f"/api/citizen/tickets/{ticket['code'].lower().replace('-', '')}")
    assert status.status_code == 200 and status.json()["status"] == "접수"
    assert client.get("/api/citizen/tickets/GA-2222-2222").status_code == 404
    page = client.get("/citizen/ticket", params={"code": ticket["code"]})
    assert page.status_code == 200 and ticket["code"] in page.text and "010-1111-2222" not in page.text


def test_ticket_creation_is_rate_limited(client: TestClient) -> None:
    codes = [
        client.post("/api/citizen/tickets", json={"question": f"문의 {i}"}).status_code for i in range(7)
    ]
    assert codes[:5] == [201] * 5 and codes[5:] == [429, 429]


def test_no_js_escalation_form(client: TestClient) -> None:
    r = client.post("/citizen/ticket/new", data={"question": "가로등이 꺼졌어요", "name": "홍길동"})
    assert r.status_code == 400 and "동의" in r.text
    ok = client.post(
        "/citizen/ticket/new", data={"question": "가로등이 꺼졌어요", "name": "홍길동", "consent": "1"}
    )
    assert ok.status_code == 200 and "문의가 접수되었습니다" in ok.text and "도로과" in ok.text


def test_widget_script_is_self_contained(client: TestClient) -> None:
    r = client.get("/citizen/widget.js")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    js = r.text
    assert "/api/citizen/chat" in js and 'role", "log"' in js and "aria-live" in js
    assert not re.search(r"https?://(?!구청주소)", js.split("*/", 1)[1]), (
        "widget must not load external resources"
    )
    assert "innerHTML" not in js


def test_public_page_is_accessible(client: TestClient) -> None:
    page = client.get("/citizen").text
    assert '<html lang="ko">' in page and 'name="viewport"' in page
    for field_id in ("code", "f-question", "f-name", "f-phone", "f-email"):
        assert f'for="{field_id}"' in page and f'id="{field_id}"' in page
    assert 'src="/citizen/widget.js"' in page
    assert "http://" not in page and "https://" not in page
