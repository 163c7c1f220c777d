"""`guai serve` as a real process: JSON logs with request ids, graceful exit on SIGTERM, readiness."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_serve_json_logs_and_graceful_shutdown(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUAI_") or k.startswith("GUAI_TEST_")}
    env["GUAI_HOME"] = str(tmp_path / "home")
    log_path = tmp_path / "serve.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "guai.cli", "serve", "--port", str(port), "--json-logs"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.time() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, log_path.read_text()
            assert time.time() < deadline, "server did not become ready"
            time.sleep(0.2)
        resp = httpx.get(f"http://127.0.0.1:{port}/healthz", headers={"X-Request-ID": "trace-42"})
        assert resp.headers["x-request-id"] == "trace-42"
        proc.send_signal(signal.SIGTERM)
        # uvicorn finishes in-flight work, runs shutdown hooks, then re-raises SIGTERM (systemd counts it clean).
        assert proc.wait(timeout=20) in (0, -signal.SIGTERM)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    records = []
    for line in log_path.read_text(encoding="utf-8").splitlines():
        if line.startswith("{"):
            records.append(json.loads(line))
    access = [r for r in records if r.get("logger") == "guai.access" and r.get("path") == "/healthz"]
    assert access and access[0]["request_id"] == "trace-42" and access[0]["status"] == 200
    assert "duration_ms" in access[0] and access[0]["route"] == "/healthz"
    assert any(r["message"] == "Application shutdown complete." for r in records)
