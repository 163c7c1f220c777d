"""Providers that reject `stream_options.include_usage` (400 naming it): the gateway streams again without it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import anyio
import pytest

from guai.llm import LLMError, get_gateway


def test_stream_retries_once_without_stream_options(db, fake_provider):
    fake_provider.reject_stream_options = True
    gw = get_gateway(db)
    messages = [{"role": "user", "content": "주정차 단속 시간 알려줘"}]

    async def astream() -> tuple[str, object]:
        stream = gw.achat_stream(messages)
        text = "".join([p async for p in stream])
        return text, stream.result

    # In its own thread: Playwright's sync API (browser tests) keeps an event loop running in the main thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        text, result = pool.submit(anyio.run, astream).result()
    assert text == "모의 응답: 주정차 단속 시간 알려줘"
    first, second = fake_provider.calls()
    assert "stream_options" in first.body and "stream_options" not in second.body and second.body["stream"]
    assert result.usage.estimated and result.usage.total_tokens > 0  # counted by guai instead

    # remembered for this provider: the next stream goes without it straight away
    stream = gw.chat_stream(messages)
    assert stream.text() == "모의 응답: 주정차 단속 시간 알려줘"
    assert len(fake_provider.calls()) == 3 and "stream_options" not in fake_provider.calls()[-1].body


def test_other_bad_requests_are_not_retried(db, fake_provider):
    fake_provider.fail(400)
    with pytest.raises(LLMError, match="HTTP 400"):
        get_gateway(db).chat_stream([{"role": "user", "content": "x"}]).text()
    assert len(fake_provider.calls()) == 1
