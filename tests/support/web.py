"""Logging in to the live server with httpx, for feature tests that drive real HTTP."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from tests.conftest import PASSWORD


@contextmanager
def login(base_url: str, username: str, password: str = PASSWORD) -> Iterator[httpx.Client]:
    """A client with a logged-in session cookie; `.csrf` holds the session's CSRF token."""
    with httpx.Client(base_url=base_url, timeout=30) as client:
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        resp = client.post(
            "/login", data={"username": username, "password": password, "csrf_token": token, "next": "/"}
        )
        assert resp.status_code == 303, resp.text
        home = client.get("/")
        client.csrf = re.search(r'name="csrf-token" content="([^"]+)"', home.text).group(1)  # type: ignore[attr-defined]
        yield client


def sse_events(text: str) -> list[dict]:
    """Parse an SSE body into the list of JSON data payloads."""
    out = []
    for block in text.split("\n\n"):
        for line in block.splitlines():
            if line.startswith("data: "):
                out.append(json.loads(line[6:]))
    return out
