"""Staff chat over real HTTP: streamed SSE answers, tool calls, intent router without a model, conversations."""

from __future__ import annotations

import json

import pytest

from guai.assistants.tools import Tool, ToolOutput, register_tool, unregister_tool
from tests.support.fixtures import register_fake_provider
from tests.support.web import login, sse_events


@pytest.fixture
def echo_tool():
    """A real tool registered through the public registry (as later features do)."""
    calls = []

    def run(args, ctx):
        calls.append((args, ctx.user.username if ctx.user else None))
        return ToolOutput(f"**메아리**: {args.get('query', '')}", for_model=f"결과: {args.get('query', '')}")

    register_tool(
        Tool(
            name="echo_search",
            title="메아리 검색",
            description="test tool",
            parameters={"type": "object", "properties": {"query": {"type": "string"}}},
            requires=("json",),
            run=run,
        )
    )
    yield calls
    unregister_tool("echo_search")


def _send(client, message, **fields):
    data = {"message": message, **{k: str(v) for k, v in fields.items()}}
    resp = client.post("/chat/send", data=data, headers={"X-CSRF-Token": client.csrf})
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/event-stream")
    return sse_events(resp.text)


def test_chat_without_model_says_what_it_cannot_do(live_server, make_user):
    make_user("kim.staff")
    with login(live_server.url, "kim.staff") as c:
        page = c.get("/chat")
        assert "AI 모델이 연결되어 있지 않습니다" in page.text
        events = _send(c, "이 공문을 영어로 번역해줘")
        kinds = [e["type"] for e in events]
        assert kinds[0] == "meta" and kinds[-1] == "done" and events[0]["mode"] == "rules"
        assert "번역은 AI 모델이 있어야" in events[-1]["text"]
        events = _send(c, "오늘 점심 메뉴 추천해줘", conversation_id=events[0]["conversation_id"])
        assert "자유로운 대화에는 답할 수 없습니다" in events[-1]["text"]


def test_chat_streams_model_answer_and_renders_markdown_safely(live_server, make_user, fake_llm):
    make_user("kim.staff")
    register_fake_provider(live_server.db, fake_llm)
    fake_llm.reply("**굵게** 답합니다 <script>alert(1)</script>")
    with login(live_server.url, "kim.staff") as c:
        events = _send(c, "안녕하세요")
        deltas = [e["text"] for e in events if e["type"] == "delta"]
        assert len(deltas) > 3  # really streamed in pieces
        done = events[-1]
        assert "<strong>굵게</strong>" in done["html"] and "<script>" not in done["html"]
        assert "&lt;script&gt;" in done["html"]
        conv = events[0]["conversation_id"]
        page = c.get(f"/chat?c={conv}")
        assert "<strong>굵게</strong>" in page.text and "<script>alert(1)" not in page.text
        # history is sent with the next message
        fake_llm.reply("두 번째 답")
        _send(c, "다음 질문", conversation_id=conv)
        sent = fake_llm.calls()[-1].body["messages"]
        assert [m["role"] for m in sent] == ["system", "user", "assistant", "user"]


def test_chat_function_calling_runs_tool(live_server, make_user, fake_llm, echo_tool):
    make_user("kim.staff")
    register_fake_provider(live_server.db, fake_llm)
    fake_llm.reply_tool_call("echo_search", {"query": "주정차"})
    fake_llm.reply("도구 결과를 보면 주정차입니다.")
    with login(live_server.url, "kim.staff") as c:
        events = _send(c, "주정차 관련 찾아줘")
    assert echo_tool == [({"query": "주정차"}, "kim.staff")]
    tool_ev = next(e for e in events if e["type"] == "tool")
    assert tool_ev["title"] == "메아리 검색"
    assert "도구 결과를 보면" in events[-1]["text"] and "메아리" in events[-1]["text"]
    second = fake_llm.calls()[-1].body["messages"]
    assert second[-1]["role"] == "tool" and "결과: 주정차" in second[-1]["content"]
    assert second[-2]["tool_calls"][0]["function"]["name"] == "echo_search"


def test_conversations_list_search_rename_delete_and_privacy(live_server, make_user):
    make_user("kim.staff")
    make_user("park.welfare", "복지정책과")
    with login(live_server.url, "kim.staff") as c:
        conv = _send(c, "주차장 민원 처리 기한 알려줘 아무거나")[0]["conversation_id"]
        _send(c, "출생신고 절차")
        assert "주차장 민원" in c.get("/chat?q=주차장").text
        assert "출생신고" not in c.get("/chat?q=주차장").text
        r = c.post(f"/chat/{conv}/rename", data={"title": "주차 기한", "csrf_token": c.csrf})
        assert r.status_code == 303
        assert "주차 기한" in c.get("/chat").text
        with login(live_server.url, "park.welfare") as other:
            assert "대화를 찾을 수 없습니다" in other.get(f"/chat?c={conv}").text
            assert (
                other.post(f"/chat/{conv}/delete", data={"csrf_token": other.csrf})
                .headers["location"]
                .startswith("/chat?err=")
            )
        assert c.post(f"/chat/{conv}/rename", data={"title": "x"}).status_code == 403  # no CSRF token
        c.post(f"/chat/{conv}/delete", data={"csrf_token": c.csrf})
        assert "주차 기한" not in c.get("/chat").text


def test_file_attach_text_goes_to_model(live_server, make_user, fake_llm):
    make_user("kim.staff")
    register_fake_provider(live_server.db, fake_llm)
    with login(live_server.url, "kim.staff") as c:
        body = "가온구 주차 단속 계획\n불법 주정차 단속을 강화한다.".encode("cp949")
        resp = c.post(
            "/chat/send",
            data={"message": "첨부 내용 설명해줘"},
            files={"file": ("계획.txt", body, "text/plain")},
            headers={"X-CSRF-Token": c.csrf},
        )
        events = sse_events(resp.text)
        assert events[-1]["type"] == "done"
        assert "불법 주정차 단속을 강화한다" in json.dumps(fake_llm.calls()[-1].body, ensure_ascii=False)
        resp = c.post(
            "/chat/send",
            data={"message": "x"},
            files={"file": ("a.exe", b"MZ...", "application/x")},
            headers={"X-CSRF-Token": c.csrf},
        )
        assert sse_events(resp.text)[0]["type"] == "error"


def test_image_analysis_and_generation_in_chat(live_server, make_user, fake_llm):
    from tests.support.fake_llm import TINY_PNG

    make_user("kim.staff")
    with login(live_server.url, "kim.staff") as c:
        no_model = sse_events(
            c.post(
                "/chat/send",
                data={"message": "무엇이 보이나요?"},
                files={"file": ("사진.png", TINY_PNG, "image/png")},
                headers={"X-CSRF-Token": c.csrf},
            ).text
        )
        assert "이미지를 읽을 수 있는 AI 모델" in no_model[-1]["text"]
        register_fake_provider(live_server.db, fake_llm)
        fake_llm.reply("작은 점 하나가 있는 이미지입니다.")
        ev = sse_events(
            c.post(
                "/chat/send",
                data={"message": "무엇이 보이나요?"},
                files={"file": ("사진.png", TINY_PNG, "image/png")},
                headers={"X-CSRF-Token": c.csrf},
            ).text
        )
        assert ev[-1]["text"] == "작은 점 하나가 있는 이미지입니다."
        part = fake_llm.calls()[-1].body["messages"][0]["content"][1]
        assert part["image_url"]["url"].startswith("data:image/png;base64,")
        bad = sse_events(
            c.post(
                "/chat/send",
                data={"message": "?"},
                files={"file": ("가짜.png", b"not an image", "image/png")},
                headers={"X-CSRF-Token": c.csrf},
            ).text
        )
        assert bad[0]["type"] == "error" and "PNG, JPEG" in bad[0]["message"]
        ev = sse_events(
            c.post(
                "/chat/send",
                data={"message": "구청 청사 로고 그림을 그려줘"},
                headers={"X-CSRF-Token": c.csrf},
            ).text
        )
        assert '<img src="/chat/images/' in ev[-1]["html"]
        src = ev[-1]["html"].split('src="')[1].split('"')[0]
        img = c.get(src)
        assert img.status_code == 200 and img.content == TINY_PNG
        assert c.get("/chat/images/../../secret.key").status_code == 404
