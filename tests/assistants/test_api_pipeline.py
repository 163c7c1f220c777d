"""/v1 with model `assistant:<slug>` runs the same pipeline as /chat: retrieval with citations and server-side tools.

Driven by the official `openai` client against the live server, with the scripted model server behind guai.
"""

from __future__ import annotations

import json

import openai
import pytest

from guai.assistants.service import create_assistant
from guai.assistants.tools import get_tool
from guai.auth.tokens import create_api_key
from guai.auth.users import get_user
from guai.knowledge.collections import parse_visibility
from guai.knowledge.ingest import ingest_bytes
from tests.support.fixtures import register_fake_provider
from tests.support.web import login, sse_events

LAW_MD = """# 도로교통법

## 제50조(특정 운전자의 준수사항)
④ 자전거등의 운전자는 자전거도로 및 도로법에 따른 도로를 운전할 때에는 행정안전부령으로 정하는 인명보호 장구를 착용하여야 하며, 동승자에게도 이를 착용하도록 하여야 한다.

## 제32조(정차 및 주차의 금지)
모든 차의 운전자는 교차로·횡단보도·건널목이나 보도와 차도가 구분된 도로의 보도에서는 차를 정차하거나 주차하여서는 아니 된다.
"""
SECRET_MD = """# 복지 내부 지침

## 제1조(자전거 인명보호 장구 지원)
복지정책과 내부 전용: 자전거 인명보호 장구 구입비 지원 대상자 명단은 외부에 공개하지 않는다. 비밀표식-7731
"""


@pytest.fixture
def setup(live_server, make_user, fake_llm):
    if get_tool("law_search") is None:
        pytest.skip("law_search tool (guai.knowledge) not installed")
    make_user("lee.manager", "교통행정과", "부서관리자")
    make_user("kim.staff", "교통행정과")
    make_user("park.welfare", "복지정책과")
    register_fake_provider(live_server.db, fake_llm)
    db = live_server.db
    ingest_bytes(
        db, LAW_MD.encode(), "도로교통법.md", collection="법령", visibility=parse_visibility("staff")
    )
    ingest_bytes(
        db,
        SECRET_MD.encode(),
        "복지내부.md",
        collection="복지 내부",
        visibility=parse_visibility("department:복지정책과"),
    )
    with db.session() as s:
        mgr = get_user(s, "lee.manager")
        create_assistant(
            s,
            actor=mgr,
            name="교통 법령 비서",
            instruction="교통 법령을 조문 인용과 함께 설명하는 비서",
            visibility="all",
            tools=["law_search"],
            collections=["법령", "복지 내부"],
            slug="traffic-law",
        )
        key = create_api_key(s, get_user(s, "kim.staff"), "test")
    client = openai.OpenAI(base_url=f"{live_server.url}/v1", api_key=key, max_retries=0)
    yield client
    client.close()


def _tool_message(body):
    return next(m for m in body["messages"] if m.get("role") == "tool")


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
def test_assistant_model_retrieves_and_runs_server_tools(setup, fake_llm, stream):
    fake_llm.reply_tool_call("law_search", {"query": "교차로 정차 주차 금지"}, call_id="call_law")
    fake_llm.reply("제50조제4항에 따라 헬멧을 써야 하고, 제32조에 따라 교차로에는 주차할 수 없습니다.")
    question = [{"role": "user", "content": "자전거 인명보호 장구 착용 의무가 있나요?"}]
    if stream:
        chunks = list(
            setup.chat.completions.create(
                model="assistant:traffic-law",
                messages=question,
                stream=True,
                stream_options={"include_usage": True},
            )
        )
        text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        finals = [c for c in chunks if c.choices and c.choices[0].finish_reason]
        assert len(finals) == 1 and finals[0].choices[0].finish_reason == "stop"
        extra = finals[0].model_extra or {}
        usage = next(c.usage for c in chunks if c.usage)
    else:
        resp = setup.chat.completions.create(model="assistant:traffic-law", messages=question)
        text, extra, usage = resp.choices[0].message.content, resp.model_extra or {}, resp.usage
    assert text.startswith("제50조제4항에 따라")
    calls = fake_llm.calls()
    assert len(calls) == 2  # the tool round, then the answer
    # retrieval: the article text from the assistant's collection reached the provider, in the system prompt
    system = calls[0].body["messages"][0]
    assert system["role"] == "system" and "인명보호 장구를 착용하여야" in system["content"]
    assert "교통 법령을 조문 인용과 함께" in system["content"]
    chat_text = "\n".join(t for c in calls for t in c.texts())
    assert "비밀표식-7731" not in chat_text  # another department's collection stays invisible
    assert [t["function"]["name"] for t in calls[0].body["tools"]] == ["law_search"]
    # the scripted tool call ran the real guai search; its result went back to the provider
    tool_msg = _tool_message(calls[1].body)
    assert tool_msg["tool_call_id"] == "call_law"
    assert "정차하거나 주차하여서는 아니 된다" in json.loads(tool_msg["content"])["result"]
    assert any(m.get("tool_calls") for m in calls[1].body["messages"] if m["role"] == "assistant")
    # citations and the server tools used come back to the API caller; usage covers both rounds
    assert any("제50조" in c["citation"] for c in extra["citations"])
    assert extra["guai_tools"] == ["law_search"]
    assert usage.prompt_tokens > len(system["content"]) // 2


def test_client_tools_are_returned_not_run(setup, fake_llm):
    weather = {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "날씨",
            "parameters": {"type": "object", "properties": {}},
        },
    }
    fake_llm.reply_tool_call("get_weather", {}, call_id="call_w")
    resp = setup.chat.completions.create(
        model="assistant:traffic-law",
        tools=[weather],
        messages=[{"role": "user", "content": "오늘 날씨 어때?"}],
    )
    choice = resp.choices[0]
    assert (
        choice.finish_reason == "tool_calls" and choice.message.tool_calls[0].function.name == "get_weather"
    )
    assert {t["function"]["name"] for t in fake_llm.calls()[-1].body["tools"]} == {
        "law_search",
        "get_weather",
    }
    assert len(fake_llm.calls()) == 1


def test_chat_page_uses_the_same_pipeline(setup, live_server, fake_llm):
    from guai.assistants.service import get_assistant

    with live_server.db.session() as s:
        aid = get_assistant(s, "traffic-law").id
    fake_llm.reply("제50조에 따른 답입니다.")
    with login(live_server.url, "kim.staff") as c:
        ev = sse_events(
            c.post(
                "/chat/send",
                data={"message": "자전거 인명보호 장구 착용 의무", "assistant_id": str(aid)},
                headers={"X-CSRF-Token": c.csrf},
            ).text
        )
        assert ev[-1]["type"] == "done" and "제50조에 따른 답" in ev[-1]["text"]
        cited = [c["citation"] for c in ev[-1]["citations"]]
        assert any(c.startswith("도로교통법 제50조") for c in cited)
        # the saved conversation shows the same sources under the answer, with links to the articles
        page = c.get("/chat", params={"c": ev[0]["conversation_id"]}).text
        assert "근거 자료" in page and 'href="/search/article/' in page
        assert all(citation in page for citation in cited)
    system = fake_llm.calls()[-1].body["messages"][0]["content"]
    assert "인명보호 장구를 착용하여야" in system and "비밀표식-7731" not in system
