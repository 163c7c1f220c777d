"""Gateway against the scripted server: chat, streaming, tool calls, fallback, retries, quotas, audit, embeddings."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from guai.db.models.audit import AuditEntry
from guai.db.models.llm import LLMUsage
from guai.llm import LLMError, NoProviderError, QuotaExceeded, get_gateway
from guai.llm.usage import set_quota
from tests.support.fake_llm import FakeLLM, embed_text
from tests.support.fixtures import register_fake_provider


def _user(db, make_user, name="kim.staff", dept="교통행정과"):
    from guai.auth.users import get_user

    make_user(name, dept)
    with db.session() as s:
        return get_user(s, name)


def test_no_provider_gives_korean_message(db):
    gw = get_gateway(db)
    assert gw.available("chat") is False
    with pytest.raises(NoProviderError, match="연결된 AI 모델이 없습니다"):
        gw.chat([{"role": "user", "content": "안녕"}])
    with pytest.raises(NoProviderError, match="내장 기능"):
        gw.embed(["안녕"])


def test_chat_records_usage_and_audit(db, fake_provider, make_user):
    user = _user(db, make_user)
    fake_provider.reply("주차 민원은 교통행정과 소관입니다.")
    gw = get_gateway(db)
    assert gw.available("chat") and gw.available("embeddings") and gw.available("images")
    res = gw.chat([{"role": "user", "content": "주차 민원 담당은?"}], user=user, purpose="test")
    assert res.text == "주차 민원은 교통행정과 소관입니다."
    assert res.provider == "fake" and res.usage.total_tokens > 0
    with db.session() as s:
        usage = s.execute(select(LLMUsage)).scalars().all()
        assert [(u.username, u.department, u.purpose) for u in usage] == [("kim.staff", "교통행정과", "test")]
        entry = s.execute(select(AuditEntry).where(AuditEntry.action == "llm.chat")).scalar_one()
        detail = json.loads(entry.detail)
        assert entry.actor == "kim.staff" and detail["provider"] == "fake" and detail["prompt_tokens"] > 0


def test_stream_yields_pieces_and_result(db, fake_provider):
    fake_provider.reply("가나다라마바사아자차카타파하")
    stream = get_gateway(db).chat_stream([{"role": "user", "content": "x"}])
    pieces = list(stream)
    assert len(pieces) > 2 and "".join(pieces) == "가나다라마바사아자차카타파하"
    assert stream.result is not None and stream.result.usage.completion_tokens > 0
    assert fake_provider.calls()[-1].body["stream"] is True


def test_tool_calls_returned(db, fake_provider):
    fake_provider.reply_tool_call("law_search", {"query": "주정차 위반"})
    tools = [{"type": "function", "function": {"name": "law_search", "parameters": {"type": "object"}}}]
    res = get_gateway(db).chat([{"role": "user", "content": "법 찾아줘"}], tools=tools)
    assert res.tool_calls[0].name == "law_search"
    assert res.tool_calls[0].parsed_arguments() == {"query": "주정차 위반"}
    assert fake_provider.calls()[-1].body["tools"][0]["function"]["name"] == "law_search"
    fake_provider.reply_tool_call("law_search", {"query": "불법 주차"})
    stream = get_gateway(db).chat_stream([{"role": "user", "content": "법 찾아줘"}], tools=tools)
    assert "".join(stream) == ""
    assert stream.result.tool_calls[0].parsed_arguments() == {"query": "불법 주차"}


def test_retries_on_429_then_succeeds(db, fake_provider):
    fake_provider.fail(429, times=2).reply("됐습니다")
    assert get_gateway(db).chat([{"role": "user", "content": "x"}]).text == "됐습니다"
    assert len(fake_provider.calls()) == 3


def test_fallback_to_second_provider(db, make_user):
    user = _user(db, make_user)
    with FakeLLM() as first, FakeLLM() as second:
        register_fake_provider(db, first, name="first", default=True, max_retries=1)
        register_fake_provider(db, second, name="second", default=False, fallback=True)
        first.fail(500, times=5)
        second.reply("두 번째 서버의 답")
        res = get_gateway(db).chat([{"role": "user", "content": "x"}], user=user)
        assert res.text == "두 번째 서버의 답" and res.provider == "second" and res.fallback_from == "first"
        assert len(first.calls()) == 2  # one try + one retry
        first.fail(500, times=10)
        second.fail(500, times=10)
        with pytest.raises(LLMError, match="모두 응답하지 않았습니다"):
            get_gateway(db).chat([{"role": "user", "content": "x"}], user=user)
    with db.session() as s:
        outcomes = [
            e.outcome for e in s.execute(select(AuditEntry).where(AuditEntry.action == "llm.chat")).scalars()
        ]
    assert outcomes == ["성공", "실패"]


def test_slow_provider_times_out_with_korean_message(db, fake_llm):
    register_fake_provider(db, fake_llm, timeout_s=0.3, max_retries=0)
    fake_llm.delay = 1.0
    with pytest.raises(LLMError, match="제한 시간"):
        get_gateway(db).chat([{"role": "user", "content": "x"}])


def test_provider_down_message(db):
    from guai.llm.providers import add_provider

    with db.session() as s:
        add_provider(
            s, name="down", base_url="http://127.0.0.1:9/v1", model="m", kind="on-prem", max_retries=0
        )
    with pytest.raises(LLMError, match="연결할 수 없습니다"):
        get_gateway(db).chat([{"role": "user", "content": "x"}])


def test_quota_exhaustion(db, fake_provider, make_user):
    user = _user(db, make_user)
    with db.session() as s:
        set_quota(
            s,
            scope="department",
            target_id=user.department_id,
            period="day",
            max_tokens=None,
            max_requests=2,
            actor="admin",
        )
    gw = get_gateway(db)
    gw.chat([{"role": "user", "content": "1"}], user=user)
    gw.chat([{"role": "user", "content": "2"}], user=user)
    with pytest.raises(QuotaExceeded, match="교통행정과 부서의 AI 사용 한도\\(요청 2회\\)에 도달"):
        gw.chat([{"role": "user", "content": "3"}], user=user)
    assert len(fake_provider.calls()) == 2
    with pytest.raises(QuotaExceeded):
        list(gw.chat_stream([{"role": "user", "content": "4"}], user=user))


def test_embeddings_deterministic_and_similar(db, fake_provider):
    vecs = get_gateway(db).embed(["불법 주정차 단속", "불법주정차 단속 요청", "출생신고 서류"])
    assert len(vecs) == 3 and vecs[0] == embed_text("불법 주정차 단속")

    def cos(a, b):
        return sum(x * y for x, y in zip(a, b, strict=True))

    assert cos(vecs[0], vecs[1]) > cos(vecs[0], vecs[2])


def test_images_generate_and_analyse(db, fake_provider):
    gw = get_gateway(db)
    res = gw.generate_image("구청 로고 스케치")
    assert res.images[0].startswith(b"\x89PNG")
    fake_provider.reply("파란 사각형 이미지입니다.")
    ans = gw.analyze_image(res.images[0], "무엇이 보이나요?")
    assert ans.text == "파란 사각형 이미지입니다."
    part = fake_provider.calls()[-1].body["messages"][0]["content"][1]
    assert part["image_url"]["url"].startswith("data:image/png;base64,")
    with pytest.raises(LLMError, match="PNG, JPEG"):
        gw.analyze_image(b"%PDF-1.4 not an image", "?")
    with pytest.raises(LLMError, match="너무 큽니다"):
        gw.analyze_image(b"\x89PNG\r\n\x1a\n" + b"0" * (11 * 1024 * 1024), "?")
