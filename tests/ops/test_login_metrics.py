"""guai_logins_total counts local password logins through the real /login form, lockout included."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi.testclient import TestClient

from guai.ops.metrics import record_login
from guai.web.app import create_app
from tests.conftest import PASSWORD
from tests.ops.test_metrics import _value

OUTCOMES = ("success", "failed", "refused", "locked")


@pytest.fixture
def client(db, settings):  # type: ignore[no-untyped-def]
    with TestClient(create_app(settings), client=("127.0.0.1", 5000)) as c:
        yield c


def _post_login(client: TestClient, username: str, password: str) -> httpx.Response:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )


def _logins(client: TestClient) -> dict[tuple[str, str], float]:
    text = client.get("/metrics").text
    return {
        (method, outcome): _value(text, "guai_logins_total", method=method, outcome=outcome)
        for method in ("password", "oidc", "ldap")
        for outcome in OUTCOMES
    }


def _delta(before: dict[tuple[str, str], float], after: dict[tuple[str, str], float]) -> dict:
    return {key: after[key] - before[key] for key in before if after[key] != before[key]}


def test_password_logins_are_counted_once_per_attempt(client: TestClient, make_user, settings) -> None:  # type: ignore[no-untyped-def]
    make_user("kim.staff")

    before = _logins(client)
    assert _post_login(client, "kim.staff", PASSWORD).status_code == 303
    assert _delta(before, _logins(client)) == {("password", "success"): 1}

    client.cookies.clear()
    before = _logins(client)
    assert _post_login(client, "kim.staff", "wrong-password-1").status_code == 401
    assert _delta(before, _logins(client)) == {("password", "failed"): 1}

    # An unknown name is a failed attempt too (same answer as a wrong password, so nothing leaks).
    before = _logins(client)
    assert _post_login(client, "no.such.user", PASSWORD).status_code == 401
    assert _delta(before, _logins(client)) == {("password", "failed"): 1}


def test_lockout_counts_as_locked_not_failed(client: TestClient, make_user, settings) -> None:  # type: ignore[no-untyped-def]
    make_user("lee.manager")
    limit = settings.login_max_failures
    before = _logins(client)
    for i in range(limit):
        assert _post_login(client, "lee.manager", f"wrong-{i}").status_code == 401
    # Even the right password is not checked while the account is locked.
    assert _post_login(client, "lee.manager", PASSWORD).status_code == 429
    assert _post_login(client, "lee.manager", "wrong-again").status_code == 429
    assert _delta(before, _logins(client)) == {("password", "failed"): limit, ("password", "locked"): 2}


def test_form_errors_are_not_login_attempts(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user("park.welfare")
    before = _logins(client)
    assert _post_login(client, "park.welfare", "").status_code == 400
    stale = client.post(
        "/login",
        data={"username": "park.welfare", "password": PASSWORD, "csrf_token": "stale", "next": "/"},
        follow_redirects=False,
    )
    assert stale.status_code == 400
    assert _delta(before, _logins(client)) == {}


def test_unknown_login_labels_are_rejected() -> None:
    with pytest.raises(ValueError):
        record_login("password", "failure")
    with pytest.raises(ValueError):
        record_login("kerberos", "success")
