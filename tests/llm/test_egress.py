"""Egress policy against the scripted server: masked text (not the original) leaves; replies are restored."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from guai.db.models.audit import AuditEntry
from guai.llm import BlockedByPolicy, get_gateway
from tests.support.fixtures import register_fake_provider

PERSONAL = "민원인 김철수(010-1234-5678, 900101-1234567)가 불법 주정차 신고를 했습니다."


def _audit(db, action="llm.chat"):
    with db.session() as s:
        return list(s.execute(select(AuditEntry).where(AuditEntry.action == action)).scalars())


def test_external_provider_gets_masked_text_and_reply_is_restored(db, fake_llm):
    register_fake_provider(db, fake_llm, kind="external")  # policy defaults to mask
    res = get_gateway(db).chat(
        [{"role": "system", "content": "공손하게"}, {"role": "user", "content": PERSONAL}]
    )
    sent = fake_llm.sent_text()
    for original in ("김철수", "010-1234-5678", "900101-1234567"):
        assert original not in sent
    assert "[전화1]" in sent and "[주민번호1]" in sent
    # the fake echoes the (masked) question; the user sees the originals again
    assert "010-1234-5678" in res.text and "[전화1]" not in res.text
    assert res.masked_counts == {"주민등록번호": 1, "전화번호": 1, "이름": 1}
    entry = _audit(db)[-1]
    assert (
        '"전화번호": 1' in entry.detail
        and "010-1234-5678" not in entry.detail
        and "김철수" not in entry.detail
    )


def test_same_value_same_placeholder_across_messages(db, fake_llm):
    register_fake_provider(db, fake_llm, kind="external")
    get_gateway(db).chat(
        [
            {"role": "user", "content": "010-1234-5678로 연락"},
            {"role": "assistant", "content": "네, 010-1234-5678로 하겠습니다"},
            {"role": "user", "content": "02-2600-1111도 알려줘"},
        ]
    )
    msgs = fake_llm.calls()[-1].body["messages"]
    assert (
        "[전화1]" in msgs[0]["content"]
        and "[전화1]" in msgs[1]["content"]
        and "[전화2]" in msgs[2]["content"]
    )


def test_stream_restores_placeholders_split_across_chunks(db, fake_llm):
    register_fake_provider(db, fake_llm, kind="external")
    fake_llm.chunk_chars = 2  # "[전화1]" arrives in three pieces
    pieces = list(get_gateway(db).chat_stream([{"role": "user", "content": PERSONAL}]))
    text = "".join(pieces)
    assert "010-1234-5678" in text and "900101-1234567" in text and "[" not in text
    assert not any("[전" in p for p in pieces)


def test_tool_call_arguments_are_restored(db, fake_llm):
    register_fake_provider(db, fake_llm, kind="external")
    fake_llm.reply_tool_call("lookup", {"phone": "[전화1]"})
    res = get_gateway(db).chat(
        [{"role": "user", "content": "010-1234-5678 조회"}],
        tools=[{"type": "function", "function": {"name": "lookup", "parameters": {}}}],
    )
    assert res.tool_calls[0].parsed_arguments() == {"phone": "010-1234-5678"}


def test_block_policy_refuses_and_says_what_was_found(db, fake_llm):
    register_fake_provider(db, fake_llm, kind="external", policy="block")
    with pytest.raises(BlockedByPolicy, match="주민등록번호 1건.*전화번호 1건") as info:
        get_gateway(db).chat([{"role": "user", "content": PERSONAL}])
    assert info.value.counts["전화번호"] == 1
    assert fake_llm.calls() == []  # nothing left the building
    entry = _audit(db)[-1]
    assert entry.outcome == "거부" and "010-1234-5678" not in entry.detail
    fake_llm.reply("괜찮습니다")
    assert get_gateway(db).chat([{"role": "user", "content": "개인정보 없는 질문"}]).text == "괜찮습니다"


def test_block_on_external_falls_back_to_on_prem(db, fake_llm):
    from tests.support.fake_llm import FakeLLM

    with FakeLLM() as onprem:
        register_fake_provider(db, fake_llm, name="cloud", kind="external", policy="block")
        register_fake_provider(db, onprem, name="inside", kind="on-prem", default=False, fallback=True)
        res = get_gateway(db).chat([{"role": "user", "content": PERSONAL}])
        assert res.provider == "inside" and "010-1234-5678" in onprem.sent_text()
    assert fake_llm.calls() == []


def test_on_prem_allow_sends_original(db, fake_llm):
    register_fake_provider(db, fake_llm, kind="on-prem")
    get_gateway(db).chat([{"role": "user", "content": PERSONAL}])
    assert "010-1234-5678" in fake_llm.sent_text()


def test_embeddings_are_masked_for_external(db, fake_llm):
    register_fake_provider(db, fake_llm, kind="external")
    get_gateway(db).embed([PERSONAL, "주차"])
    body = fake_llm.calls("/embeddings")[-1].body
    assert "010-1234-5678" not in str(body["input"]) and "[전화1]" in body["input"][0]


def test_administrators_masking_policy_is_applied(db, fake_llm):
    settings_store = pytest.importorskip("guai.ops.settings_store")
    with db.session() as s:  # 운영 설정: mask phone numbers only
        settings_store.update_masking_policy(
            s, {"types": ["전화번호"]}, actor="admin", client=None, department=None
        )
    register_fake_provider(db, fake_llm, kind="external")
    res = get_gateway(db).chat([{"role": "user", "content": PERSONAL}])
    sent = fake_llm.sent_text()
    assert "010-1234-5678" not in sent and "김철수" in sent
    assert res.masked_counts == {"전화번호": 1}
