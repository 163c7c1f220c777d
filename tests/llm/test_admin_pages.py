"""Admin pages over HTTP: usage chart/table/CSV and quotas, provider settings with a live connection test."""

from __future__ import annotations

import csv
import io

from guai.auth.users import get_user
from guai.llm import get_gateway
from tests.support.fixtures import register_fake_provider
from tests.support.web import login


def test_usage_page_chart_csv_and_quota(live_server, make_user, fake_llm):
    make_user("boss", "총무과", "시스템관리자")
    make_user("kim.staff", "교통행정과")
    make_user("choi.dong", "가온1동 주민센터", "부서관리자")
    register_fake_provider(live_server.db, fake_llm)
    with live_server.db.session() as s:
        kim = get_user(s, "kim.staff")
    get_gateway(live_server.db).chat([{"role": "user", "content": "주차 민원"}], user=kim, purpose="chat")
    with login(live_server.url, "boss") as c:
        page = c.get("/admin/usage")
        assert page.status_code == 200 and "<svg" in page.text and "교통행정과" in page.text
        assert "가온1동 주민센터" in page.text  # departments with no use are listed too
        data = c.get("/admin/usage.csv")
        rows = list(csv.reader(io.StringIO(data.content.decode("utf-8-sig"))))
        assert rows[0][:3] == ["날짜", "부서", "사용자"] and rows[1][1:3] == ["교통행정과", "kim.staff"]
        r = c.post(
            "/admin/usage/quota",
            data={
                "csrf_token": c.csrf,
                "scope": "department",
                "target": "교통행정과",
                "period": "day",
                "max_requests": "1",
            },
        )
        assert r.status_code == 303 and "msg=" in r.headers["location"]
    with login(live_server.url, "kim.staff") as staff:
        assert staff.get("/admin/usage").status_code == 403
        from tests.support.web import sse_events

        events = sse_events(
            staff.post("/chat/send", data={"message": "한 번 더"}, headers={"X-CSRF-Token": staff.csrf}).text
        )
        assert any(e["type"] == "notice" and "사용 한도(요청 1회)에 도달" in e["text"] for e in events)
        assert events[-1]["type"] == "done" and "부서 관리자에게" in events[-1]["text"]
    with login(live_server.url, "choi.dong") as dong:
        page = dong.get("/admin/usage")
        assert "가온1동 주민센터" in page.text and "교통행정과" not in page.text
        r = dong.post(
            "/admin/usage/quota",
            data={
                "csrf_token": dong.csrf,
                "scope": "department",
                "target": "가온1동 주민센터",
                "max_requests": "5",
            },
        )
        assert r.status_code == 403


def test_providers_page_add_test_and_roles(live_server, make_user, fake_llm):
    make_user("boss", "총무과", "시스템관리자")
    make_user("lee.manager", "교통행정과", "부서관리자")
    with login(live_server.url, "boss") as c:
        assert "등록된 모델 서버가 없습니다" in c.get("/admin/providers").text
        r = c.post(
            "/admin/providers",
            data={
                "csrf_token": c.csrf,
                "name": "local",
                "base_url": fake_llm.url,
                "model": "fake-chat",
                "kind": "on-prem",
                "embedding_model": "fake-embed",
            },
        )
        assert r.status_code == 303
        page = c.get("/admin/providers")
        assert "local" in page.text and "그대로 전송" in page.text
        r = c.post("/admin/providers/local/test", data={"csrf_token": c.csrf})
        assert "msg=" in r.headers["location"]
        assert "정상" in c.get(r.headers["location"]).text
        bad = c.post(
            "/admin/providers",
            data={"csrf_token": c.csrf, "name": "x", "base_url": "not a url", "model": "m"},
        )
        assert "err=" in bad.headers["location"]
        c.post("/admin/providers/local/role", data={"csrf_token": c.csrf, "action": "disable"})
        assert get_gateway(live_server.db).available("chat") is False
    with login(live_server.url, "lee.manager") as m:
        assert m.get("/admin/providers").status_code == 403
