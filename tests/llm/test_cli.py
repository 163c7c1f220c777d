"""`guai providers ...` and `guai usage ...` against a real database and the scripted server."""

from __future__ import annotations

import json


def test_providers_add_list_test_remove(cli, fake_llm, monkeypatch):
    r = cli(
        "providers",
        "add",
        "local",
        "--base-url",
        fake_llm.url,
        "--model",
        "fake-chat",
        "--kind",
        "on-prem",
        "--embedding-model",
        "fake-embed",
        "--default",
    )
    assert r.exit_code == 0, r.output
    assert "그대로 전송" in r.output and "기본 서버" in r.output
    monkeypatch.setenv("GUAI_PROVIDER_CLOUD_KEY", "sk-test")
    fake_llm.require_key = None
    r = cli(
        "providers",
        "add",
        "cloud",
        "--base-url",
        fake_llm.url,
        "--model",
        "fake-chat",
        "--api-key-env",
        "GUAI_PROVIDER_CLOUD_KEY",
        "--fallback",
    )
    assert r.exit_code == 0 and "가림 후 전송" in r.output
    rows = json.loads(cli("providers", "list", "--format", "json").output)
    assert [(p["name"], p["default"], p["fallback"], p["policy"]) for p in rows] == [
        ("local", True, False, "allow"),
        ("cloud", False, True, "mask"),
    ]
    r = cli("providers", "test", "local")
    assert r.exit_code == 0 and "정상" in r.output
    fake_llm.require_key = "sk-test"
    assert cli("providers", "test", "cloud").exit_code == 0
    assert fake_llm.requests[-1].headers["authorization"] == "Bearer sk-test"
    monkeypatch.delenv("GUAI_PROVIDER_CLOUD_KEY")
    r = cli("providers", "test", "cloud")
    assert r.exit_code == 1 and "GUAI_PROVIDER_CLOUD_KEY" in r.stderr
    assert cli("providers", "remove", "cloud").exit_code == 0
    assert len(json.loads(cli("providers", "list", "--format", "json").output)) == 1


def test_providers_bad_input_is_clear(cli):
    r = cli("providers", "add", "x", "--base-url", "localhost:8000", "--model", "m")
    assert r.exit_code == 1 and "주소" in r.stderr
    r = cli(
        "providers", "add", "x", "--base-url", "http://h/v1", "--model", "m", "--api-key-env", "sk-abc-123"
    )
    assert r.exit_code == 1 and "환경 변수 이름이 아닙니다" in r.stderr
    r = cli("providers", "add", "x", "--base-url", "http://h/v1", "--model", "m", "--policy", "maybe")
    assert r.exit_code == 1 and "정책" in r.stderr
    assert cli("providers", "test", "nope").exit_code == 1
    assert json.loads(cli("providers", "list", "--format", "json").output) == []


def test_usage_quota_and_report(cli, db, make_user, fake_provider, tmp_path):
    from guai.auth.users import get_user
    from guai.llm import QuotaExceeded, get_gateway

    make_user("kim.staff")
    assert (
        cli("usage", "quota", "--department", "교통행정과", "--period", "day", "--requests", "1").exit_code
        == 0
    )
    with db.session() as s:
        user = get_user(s, "kim.staff")
    get_gateway(db).chat([{"role": "user", "content": "x"}], user=user)
    try:
        get_gateway(db).chat([{"role": "user", "content": "y"}], user=user)
        raise AssertionError("quota not enforced")
    except QuotaExceeded:
        pass
    out = tmp_path / "usage.csv"
    r = cli("usage", "report", "--csv", str(out))
    assert r.exit_code == 0 and "교통행정과" in r.output
    assert "kim.staff" in out.read_text(encoding="utf-8-sig")
    assert cli("usage", "quota", "--department", "없는과", "--requests", "1").exit_code == 1
    assert cli("usage", "quota", "--department", "교통행정과", "--period", "day").exit_code == 0  # removes it
    get_gateway(db).chat([{"role": "user", "content": "z"}], user=user)


def test_keys_create_and_revoke_reuse_accounts_cli(cli, make_user, live_server):
    import openai

    make_user("kim.staff")
    r = cli("keys", "create", "kim.staff")
    key = r.output.strip().splitlines()[-1]
    assert key.startswith("guai-")
    client = openai.OpenAI(base_url=f"{live_server.url}/v1", api_key=key, max_retries=0)
    assert client.models.list().data == []  # valid key, no model configured, no assistants yet
    assert cli("keys", "revoke", "kim.staff").exit_code == 0
    try:
        client.models.list()
        raise AssertionError("revoked key accepted")
    except openai.AuthenticationError:
        pass
    client.close()
