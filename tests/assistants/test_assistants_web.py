"""Department assistants and the prompt library over real HTTP; department-only assistants stay in the department."""

from __future__ import annotations

import openai
from sqlalchemy import select

from guai.auth.tokens import create_api_key
from guai.auth.users import get_user
from guai.db.models.assistants import Assistant
from guai.db.models.audit import AuditEntry
from tests.support.fixtures import register_fake_provider
from tests.support.web import login, sse_events


def _create(client, **fields):
    data = {
        "csrf_token": client.csrf,
        "name": "민원 답변 도우미",
        "description": "답변 초안",
        "instruction": "민원 답변 초안을 공손하고 정확하게 써 주는 비서",
        "visibility": "department",
        "published": "1",
        **fields,
    }
    return client.post("/assistants", data=data)


def test_department_admin_creates_assistant_others_cannot_use_it(live_server, make_user, fake_llm):
    make_user("lee.manager", "교통행정과", "부서관리자")
    make_user("kim.staff", "교통행정과")
    make_user("park.welfare", "복지정책과")
    register_fake_provider(live_server.db, fake_llm)
    with login(live_server.url, "lee.manager") as mgr:
        r = _create(mgr, tools=["law_search"], slug="complaint-reply")
        assert r.status_code == 303 and "assistant%3Acomplaint-reply" in r.headers["location"].replace(
            ":", "%3A"
        )
        assert "민원 답변 도우미" in mgr.get("/assistants").text
    with live_server.db.session() as s:
        a = s.execute(select(Assistant)).scalar_one()
        assert a.slug == "complaint-reply" and a.visibility == "department"
        aid = a.id
    with login(live_server.url, "kim.staff") as staff:
        assert "민원 답변 도우미" in staff.get("/assistants").text
        fake_llm.reply("정중한 답변 초안입니다.")
        events = sse_events(
            staff.post(
                "/chat/send",
                data={"message": "답변 써줘", "assistant_id": str(aid)},
                headers={"X-CSRF-Token": staff.csrf},
            ).text
        )
        assert events[-1]["type"] == "done" and "정중한 답변" in events[-1]["text"]
        system = fake_llm.calls()[-1].body["messages"][0]["content"]
        assert "민원 답변 초안을 공손하고 정확하게" in system
        assert staff.get("/assistants/new").status_code == 403  # 직원 cannot make assistants
    with login(live_server.url, "park.welfare") as other:
        assert "민원 답변 도우미" not in other.get("/assistants").text
        assert "교통행정과 직원만 쓸 수 있습니다" in other.get(f"/chat?assistant={aid}").text
        events = sse_events(
            other.post(
                "/chat/send",
                data={"message": "답변 써줘", "assistant_id": str(aid)},
                headers={"X-CSRF-Token": other.csrf},
            ).text
        )
        assert events == [
            {"type": "error", "message": "'민원 답변 도우미' 비서는 교통행정과 직원만 쓸 수 있습니다."}
        ]
        assert other.get(f"/assistants/{aid}/edit").status_code == 403
    with live_server.db.session() as s:
        denied = s.execute(select(AuditEntry).where(AuditEntry.action == "assistant.denied")).scalars().all()
        assert {d.actor for d in denied} == {"park.welfare"}
        key_other = create_api_key(s, get_user(s, "park.welfare"))
        key_staff = create_api_key(s, get_user(s, "kim.staff"))
    # the API agrees: assistants are models only for those allowed to use them
    other_api = openai.OpenAI(base_url=f"{live_server.url}/v1", api_key=key_other, max_retries=0)
    assert "assistant:complaint-reply" not in [m.id for m in other_api.models.list()]
    try:
        other_api.chat.completions.create(
            model="assistant:complaint-reply", messages=[{"role": "user", "content": "x"}]
        )
        raise AssertionError("expected 403")
    except openai.PermissionDeniedError as exc:
        assert "교통행정과 직원만" in str(exc)
    staff_api = openai.OpenAI(base_url=f"{live_server.url}/v1", api_key=key_staff, max_retries=0)
    assert "assistant:complaint-reply" in [m.id for m in staff_api.models.list()]
    fake_llm.reply("API로 받은 답")
    out = staff_api.chat.completions.create(
        model="assistant:complaint-reply", messages=[{"role": "user", "content": "x"}]
    )
    assert out.choices[0].message.content == "API로 받은 답"
    assert "민원 답변 초안" in fake_llm.calls()[-1].body["messages"][0]["content"]
    other_api.close()
    staff_api.close()


def test_publish_to_all_staff_and_validation(live_server, make_user):
    make_user("lee.manager", "교통행정과", "부서관리자")
    make_user("park.welfare", "복지정책과")
    with login(live_server.url, "lee.manager") as mgr:
        bad = _create(mgr, instruction="짧")
        assert bad.status_code == 400 and "할 일을 한두 문장으로" in bad.text
        _create(mgr, name="보도자료 비서", visibility="all")
    with login(live_server.url, "park.welfare") as other:
        assert "보도자료 비서" in other.get("/assistants").text


def test_prompt_library_add_like_search_copy(live_server, make_user):
    make_user("kim.staff")
    make_user("park.welfare", "복지정책과")
    with login(live_server.url, "kim.staff") as c:
        r = c.post(
            "/assistants/prompts",
            data={
                "csrf_token": c.csrf,
                "title": "민원 답변 공손하게",
                "prompt": "다음 민원에 공손한 답변 초안을 써 주세요:",
                "example": "예시",
            },
        )
        assert r.status_code == 303
        page = c.get("/assistants")
        assert (
            "민원 답변 공손하게" in page.text
            and "교통행정과" in page.text
            and 'data-copy-target="prompt-' in page.text
        )
        pid = int(page.text.split('id="prompt-')[1].split('"')[0])
        c.post(f"/assistants/prompts/{pid}/like", data={"csrf_token": c.csrf})
        c.post(f"/assistants/prompts/{pid}/like", data={"csrf_token": c.csrf})  # second click un-likes
        assert "♡ 0" in c.get("/assistants").text
        assert "민원 답변 공손하게" not in c.get("/assistants?q=보도자료").text
        assert "공손한 답변 초안을 써 주세요" in c.get(f"/chat?prompt={pid}").text
    with login(live_server.url, "park.welfare") as o:
        resp = o.post(
            f"/assistants/prompts/{pid}/like", data={}, headers={"X-CSRF-Token": o.csrf, "HX-Request": "true"}
        )
        assert resp.text == "♥ 1"
