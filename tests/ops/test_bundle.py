"""`make bundle` → install from the bundle into a fresh venv with every package index disabled → guai runs."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tarfile
import time
from pathlib import Path

import httpx
import pytest

from guai.ops.bundle import build


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_bundle_installs_and_starts_without_any_index(tmp_path: Path) -> None:
    if shutil.which("python3.11") is None:
        pytest.skip("python3.11 not on PATH")
    archive = build(tmp_path / "dist")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        tar.extractall(tmp_path / "unpacked", filter="data")
    top = archive.name.removesuffix(".tar.gz")
    wheels = {Path(n).name.split("-")[0].lower() for n in names if n.endswith(".whl")}
    assert {"guai", "kiwipiepy", "kiwipiepy_model", "fastapi", "authlib", "ldap3"} <= wheels
    assert f"{top}/install.sh" in names and f"{top}/static/guai.css" in names
    assert f"{top}/deploy/guai.service" in names and f"{top}/deploy/nginx.conf" in names

    port = _free_port()
    home = tmp_path / "home"
    prefix = tmp_path / "prefix"
    # No index anywhere: pip is told not to use one, and the index URL points at a closed port.
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PIP_NO_INDEX": "1",
        "PIP_INDEX_URL": "http://127.0.0.1:9/simple",
        "PIP_FIND_LINKS": "",
        "INSTALL_PREFIX": str(prefix),
        "GUAI_HOME": str(home),
        "INSTALL_START": "background",
        "GUAI_PORT": str(port),
    }
    result = subprocess.run(
        ["./install.sh"],
        cwd=tmp_path / "unpacked" / top,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    pid_file = home / "guai.pid"
    try:
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        assert "준비됨" in result.stdout
        assert httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5).json()["status"] == "ready"
        assert "로그인" in httpx.get(f"http://127.0.0.1:{port}/login", timeout=5).text
        # The Korean analyser works from the bundle (the Kiwi model wheel was installed).
        check = subprocess.run(
            [
                str(prefix / "venv" / "bin" / "python"),
                "-c",
                "from kiwipiepy import Kiwi; print(Kiwi().tokenize('전동킥보드 견인')[0].form)",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        assert check.returncode == 0 and check.stdout.strip(), check.stderr
        assert (prefix / "static" / "guai.css").exists()
    finally:
        if pid_file.exists():
            pid = int(pid_file.read_text())
            try:
                os.kill(pid, signal.SIGTERM)
                for _ in range(100):
                    os.kill(pid, 0)
                    time.sleep(0.1)
            except ProcessLookupError:
                pass
