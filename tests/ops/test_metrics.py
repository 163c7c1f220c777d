"""/metrics exposes counters that move when requests are made; request ids and readiness."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from guai.ops.metrics import QUEUE_DEPTH, record_model_call, register_queue_probe
from guai.web.app import create_app


def _value(text: str, name: str, **labels: str) -> float:
    for line in text.splitlines():
        if not line.startswith(name + "{"):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}")[0]))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


@pytest.fixture
def client(db, settings):  # type: ignore[no-untyped-def]
    with TestClient(create_app(settings), client=("127.0.0.1", 5000)) as c:
        yield c


def test_request_counters_and_latency_move(client: TestClient) -> None:
    before = client.get("/metrics").text
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
    client.get("/no-such-page")
    after = client.get("/metrics").text
    assert (
        _value(after, "guai_http_requests_total", route="/healthz", status="200")
        == _value(before, "guai_http_requests_total", route="/healthz", status="200") + 3
    )
    assert (
        _value(after, "guai_http_requests_total", route="other", status="404")
        >= _value(before, "guai_http_requests_total", route="other", status="404") + 1
    )
    assert _value(after, "guai_http_request_duration_seconds_count", route="/healthz") >= 3


def test_model_counters_and_queue_probe(client: TestClient) -> None:
    before = client.get("/metrics").text
    record_model_call(
        provider="test-vllm",
        purpose="chat",
        outcome="ok",
        prompt_tokens=120,
        completion_tokens=30,
        seconds=0.4,
    )
    register_queue_probe("test-ingest", lambda db: 7)
    after = client.get("/metrics").text
    assert (
        _value(after, "guai_model_calls_total", provider="test-vllm", outcome="ok")
        == _value(before, "guai_model_calls_total", provider="test-vllm", outcome="ok") + 1
    )
    assert _value(after, "guai_model_tokens_total", provider="test-vllm", kind="prompt") >= 120
    assert _value(after, "guai_queue_depth", queue="test-ingest") == 7
    QUEUE_DEPTH.remove("test-ingest")


def test_metrics_refused_from_outside_without_token(db, settings) -> None:  # type: ignore[no-untyped-def]
    with TestClient(create_app(settings), client=("10.1.2.3", 5000)) as outside:
        assert outside.get("/metrics").status_code == 403


def test_metrics_token(db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from guai.config import load_settings

    monkeypatch.setenv("GUAI_METRICS_TOKEN", "scrape-secret")
    with TestClient(create_app(load_settings()), client=("10.1.2.3", 5000)) as c:
        assert c.get("/metrics").status_code == 401
        resp = c.get("/metrics", headers={"Authorization": "Bearer scrape-secret"})
        assert resp.status_code == 200 and "guai_http_requests_total" in resp.text


def test_request_id_is_kept_or_generated(client: TestClient) -> None:
    resp = client.get("/healthz", headers={"X-Request-ID": "abc123"})
    assert resp.headers["X-Request-ID"] == "abc123"
    generated = client.get("/healthz").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{16}", generated)


def test_readyz_reports_schema_and_data_dir(client: TestClient) -> None:
    body = client.get("/readyz").json()
    assert body == {"status": "ready", "database": "ok", "schema": "ok", "data_dir": "ok"}


def test_gateway_model_calls_move_model_counters(client: TestClient, db, make_user, fake_llm) -> None:  # type: ignore[no-untyped-def]
    from guai.auth.users import find_user
    from guai.llm import get_gateway
    from tests.support.fixtures import register_fake_provider

    register_fake_provider(db, fake_llm, name="metrics-fake")
    make_user("kim.staff")
    with db.session() as s:
        user = find_user(s, "kim.staff")
    before = client.get("/metrics").text
    fake_llm.reply("교통행정과 소관입니다.")
    res = get_gateway(db).chat([{"role": "user", "content": "주차 민원 담당은?"}], user=user, purpose="test")
    after = client.get("/metrics").text
    assert (
        _value(after, "guai_model_calls_total", provider="metrics-fake", purpose="chat")
        == _value(before, "guai_model_calls_total", provider="metrics-fake", purpose="chat") + 1
    )
    assert (
        _value(after, "guai_model_tokens_total", provider="metrics-fake", kind="completion")
        >= res.usage.completion_tokens
        > 0
    )
