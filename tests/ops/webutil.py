"""Log a TestClient in through the real login form and read CSRF tokens from pages."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.conftest import PASSWORD


def login(client: TestClient, username: str, password: str = PASSWORD) -> None:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    resp = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text


def csrf(client: TestClient, path: str = "/guide") -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get(path).text).group(1)
