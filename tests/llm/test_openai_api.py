"""The OpenAI-compatible API, driven by the official `openai` client against the live server."""

from __future__ import annotations

import openai
import pytest
from sqlalchemy import select

from guai.auth.tokens import create_api_key
from guai.auth.users import get_user
from guai.db.models.audit import AuditEntry
from guai.llm.usage import set_quota
from tests.support.fixtures import register_fake_provider


def _key(db, username):
    with db.session() as s:
        return create_api_key(s, get_user(s, username), "test")


@pytest.fixture
def api(live_server, make_user, fake_llm):
    make_user("kim.staff")
    register_fake_provider(live_server.db, fake_llm, kind="external")
    client = openai.OpenAI(
        base_url=f"{live_server.url}/v1", api_key=_key(live_server.db, "kim.staff"), max_retries=0
    )
    yield client
    client.close()


def test_models_and_non_streamed_completion(api, fake_llm):
    ids = [m.id for m in api.models.list()]
    assert "guai" in ids and "fake/fake-chat" in ids
    fake_llm.reply("안녕하세요, 무엇을 도와드릴까요?")
    resp = api.chat.completions.create(model="guai", messages=[{"role": "user", "content": "안녕"}])
    assert resp.choices[0].message.content == "안녕하세요, 무엇을 도와드릴까요?"
    assert resp.usage.total_tokens > 0


def test_streaming_is_masked_and_restored(api, fake_llm, live_server):
    fake_llm.chunk_chars = 3
    stream = api.chat.completions.create(
        model="guai",
        stream=True,
        stream_options={"include_usage": True},
        messages=[{"role": "user", "content": "민원인 전화 010-1234-5678로 회신 문구 써줘"}],
    )
    pieces, usage = [], None
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            pieces.append(chunk.choices[0].delta.content)
        if chunk.usage:
            usage = chunk.usage
    assert len(pieces) > 3
    assert "010-1234-5678" in "".join(pieces)  # restored for the caller
    assert "010-1234-5678" not in fake_llm.sent_text()  # masked on the way out
    assert usage is not None and usage.total_tokens > 0
    with live_server.db.session() as s:
        entry = s.execute(select(AuditEntry).where(AuditEntry.action == "llm.chat")).scalars().all()[-1]
    assert entry.actor == "kim.staff" and '"purpose": "api"' in entry.detail


def test_wrong_key_rejected_and_audited(live_server, make_user):
    bad = openai.OpenAI(base_url=f"{live_server.url}/v1", api_key="guai-not-a-real-key", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        bad.chat.completions.create(model="guai", messages=[{"role": "user", "content": "x"}])
    with live_server.db.session() as s:
        rejected = s.execute(select(AuditEntry).where(AuditEntry.action == "apikey.rejected")).scalars().all()
    assert rejected and rejected[-1].outcome == "거부" and rejected[-1].target == "/v1/chat/completions"


def test_quota_and_errors_have_openai_shape(api, live_server, fake_llm):
    with live_server.db.session() as s:
        user = get_user(s, "kim.staff")
        set_quota(
            s, scope="user", target_id=user.id, period="day", max_tokens=None, max_requests=1, actor="t"
        )
    api.chat.completions.create(model="guai", messages=[{"role": "user", "content": "1"}])
    with pytest.raises(openai.RateLimitError, match="사용 한도"):
        api.chat.completions.create(model="guai", messages=[{"role": "user", "content": "2"}])
    with pytest.raises(openai.RateLimitError):
        api.chat.completions.create(model="guai", stream=True, messages=[{"role": "user", "content": "2"}])
    with pytest.raises(openai.NotFoundError):
        api.chat.completions.create(model="assistant:nope", messages=[{"role": "user", "content": "x"}])


def test_embeddings(api):
    resp = api.embeddings.create(model="guai", input=["불법 주정차", "주정차 위반"])
    assert len(resp.data) == 2 and len(resp.data[0].embedding) == 256


def test_no_provider_is_503_with_korean_message(live_server, make_user):
    make_user("kim.staff")
    client = openai.OpenAI(
        base_url=f"{live_server.url}/v1", api_key=_key(live_server.db, "kim.staff"), max_retries=0
    )
    with pytest.raises(openai.InternalServerError, match="연결된 AI 모델이 없습니다"):
        client.chat.completions.create(model="guai", messages=[{"role": "user", "content": "x"}])
