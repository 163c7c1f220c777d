"""Gateway benchmark: overhead of guai's gateway (masking, quota check, usage + audit) versus calling the same
local scripted OpenAI-compatible server directly; time to first streamed token; 50 concurrent streamed chats
through one guai worker (the /v1 API, real HTTP).

Runs alone: .venv/bin/python bench/bench_gateway.py [--n 300] [--concurrency 50]
Needs no external data (the scripted server from tests/support stands in for the model server).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
import openai  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

RESULTS = REPO / "bench" / "results" / "gateway.json"
MESSAGE = "민원인 김철수(010-1234-5678)가 가온역 앞 불법 주정차 단속을 요청했습니다. 답변 초안을 써 주세요."
ANSWER = "안녕하십니까. 가온구 교통행정과입니다. 요청하신 불법 주정차 단속은 이번 주부터 강화하겠습니다. 끝."
console = Console()


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def setup(home: Path, fake_url: str) -> tuple[object, object, str]:
    os.environ["GUAI_HOME"] = str(home)
    from guai.auth.departments import add_department
    from guai.auth.tokens import create_api_key
    from guai.auth.users import add_user
    from guai.config import load_settings
    from guai.db.engine import Database
    from guai.llm.providers import add_provider

    db = Database(load_settings())
    db.upgrade()
    with db.session() as s:
        add_department(s, name="교통행정과", phone="02-2600-1410")
        user = add_user(
            s, username="bench", password="bench-password-1", department="교통행정과", role="직원"
        )
        # external + mask: the measured path includes personal-data masking and restoring
        add_provider(
            s,
            name="fake",
            base_url=fake_url,
            model="fake-chat",
            kind="external",
            default=True,
            max_retries=0,
            timeout_s=30,
        )
        key = create_api_key(s, user, "bench")
    with db.session() as s:
        from guai.auth.users import get_user

        user = get_user(s, "bench")
    return db, user, key


def bench_overhead(db: object, user: object, fake: object, n: int) -> dict[str, float]:
    from guai.llm import get_gateway

    gw = get_gateway(db)  # type: ignore[arg-type]
    direct = openai.OpenAI(base_url=fake.url, api_key="not-needed", max_retries=0)  # type: ignore[attr-defined]
    msgs = [{"role": "user", "content": MESSAGE}]
    for _ in range(20):  # warm up both paths (connections, imports, caches)
        fake.reply(ANSWER)  # type: ignore[attr-defined]
        direct.chat.completions.create(model="fake-chat", messages=msgs)
        fake.reply(ANSWER)  # type: ignore[attr-defined]
        gw.chat(msgs, user=user, purpose="bench")
    d_lat, g_lat, d_ttft, g_ttft = [], [], [], []
    for _ in range(n):  # interleaved so both paths see the same machine state
        fake.reply(ANSWER)  # type: ignore[attr-defined]
        t = time.perf_counter()
        direct.chat.completions.create(model="fake-chat", messages=msgs)
        d_lat.append((time.perf_counter() - t) * 1000)
        fake.reply(ANSWER)  # type: ignore[attr-defined]
        t = time.perf_counter()
        res = gw.chat(msgs, user=user, purpose="bench")
        g_lat.append((time.perf_counter() - t) * 1000)
        assert "010-1234-5678" not in fake.requests[-1].body["messages"][0]["content"]  # type: ignore[attr-defined]
        assert res.text == ANSWER
    for _ in range(max(50, n // 3)):
        fake.reply(ANSWER)  # type: ignore[attr-defined]
        t = time.perf_counter()
        for chunk in direct.chat.completions.create(model="fake-chat", messages=msgs, stream=True):
            if chunk.choices and chunk.choices[0].delta.content:
                d_ttft.append((time.perf_counter() - t) * 1000)
                break
        fake.reply(ANSWER)  # type: ignore[attr-defined]
        t = time.perf_counter()
        stream = gw.chat_stream(msgs, user=user, purpose="bench")
        for _piece in stream:
            g_ttft.append((time.perf_counter() - t) * 1000)
            break
    direct.close()
    from guai.privacy import mask

    t = time.perf_counter()
    for _ in range(200):
        mask(MESSAGE)
    mask_ms = (time.perf_counter() - t) * 1000 / 200
    return {
        "direct_p50_ms": statistics.median(d_lat),
        "direct_p95_ms": pct(d_lat, 0.95),
        "guai_p50_ms": statistics.median(g_lat),
        "guai_p95_ms": pct(g_lat, 0.95),
        "overhead_p50_ms": statistics.median(g_lat) - statistics.median(d_lat),
        "overhead_p95_ms": pct(g_lat, 0.95) - pct(d_lat, 0.95),
        "direct_ttft_p50_ms": statistics.median(d_ttft),
        "guai_ttft_p50_ms": statistics.median(g_ttft),
        "ttft_overhead_p50_ms": statistics.median(g_ttft) - statistics.median(d_ttft),
        "masking_only_ms": mask_ms,
        "requests_each": n,
    }


async def _one_stream(client: httpx.AsyncClient, key: str) -> tuple[bool, float, float, str]:
    t = time.perf_counter()
    ttft = 0.0
    text = ""
    body = {"model": "guai", "stream": True, "messages": [{"role": "user", "content": MESSAGE}]}
    try:
        async with client.stream(
            "POST", "/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {key}"}
        ) as resp:
            if resp.status_code != 200:
                return False, 0.0, 0.0, f"HTTP {resp.status_code}"
            async for line in resp.aiter_lines():
                if not line.startswith("data: ") or line == "data: [DONE]":
                    continue
                data = json.loads(line[6:])
                if "error" in data:
                    return False, 0.0, 0.0, data["error"]["message"]
                for ch in data.get("choices") or []:
                    piece = (ch.get("delta") or {}).get("content") or ""
                    if piece and not ttft:
                        ttft = (time.perf_counter() - t) * 1000
                    text += piece
    except httpx.HTTPError as exc:
        return False, 0.0, 0.0, type(exc).__name__
    ok = "010-1234-5678" in text  # the full answer arrived, with the masked number restored
    return ok, (time.perf_counter() - t) * 1000, ttft, "" if ok else "incomplete answer"


async def _concurrent(url: str, key: str, n: int) -> list[tuple[bool, float, float, str]]:
    limits = httpx.Limits(max_connections=n + 5, max_keepalive_connections=n + 5)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:
        return await asyncio.gather(*[_one_stream(client, key) for _ in range(n)])


def bench_concurrency(home: Path, db: object, key: str, n: int) -> dict[str, float]:
    """The scripted server runs in its own process here, so this process only plays the 50 clients."""
    from guai.llm.providers import add_provider

    fake_port = free_port()
    fake_proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.support.fake_llm",
            "--port",
            str(fake_port),
            "--chunk-delay",
            "0.02",
            "--chunk-chars",
            "4",
        ],
        cwd=str(REPO),
        stdout=subprocess.DEVNULL,
    )
    with db.session() as s:  # type: ignore[attr-defined]
        add_provider(
            s,
            name="fake",
            base_url=f"http://127.0.0.1:{fake_port}/v1",
            model="fake-chat",
            kind="external",
            default=True,
            max_retries=0,
            timeout_s=60,
        )
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUAI_")}
    env["GUAI_HOME"] = str(home)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "guai.web.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=str(REPO),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.time() > deadline or proc.poll() is not None:
                raise RuntimeError("guai server did not start")
            time.sleep(0.2)
        asyncio.run(_concurrent(url, key, 5))  # warm up
        t = time.perf_counter()
        results = asyncio.run(_concurrent(url, key, n))
        wall = (time.perf_counter() - t) * 1000
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        fake_proc.terminate()
        fake_proc.wait(timeout=20)
    ok = [r for r in results if r[0]]
    errors = sorted({r[3] for r in results if not r[0]})
    echoed = len("모의 응답: ") + len(MESSAGE)  # the scripted server echoes the (masked) question
    single = echoed / 4 * 20  # ms one stream takes at the scripted pace
    return {
        "streams": n,
        "ok": len(ok),
        "errors": n - len(ok),
        "error_kinds": errors,
        "wall_ms": wall,
        "stream_p50_ms": statistics.median([r[1] for r in ok]) if ok else 0.0,
        "stream_p95_ms": pct([r[1] for r in ok], 0.95) if ok else 0.0,
        "ttft_p50_ms": statistics.median([r[2] for r in ok]) if ok else 0.0,
        "ttft_p95_ms": pct([r[2] for r in ok], 0.95) if ok else 0.0,
        "single_stream_pace_ms": single,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=300, help="completions per path for the overhead test")
    parser.add_argument("--concurrency", type=int, default=50)
    args = parser.parse_args()
    from tests.support.fake_llm import FakeLLM

    with tempfile.TemporaryDirectory() as tmp, FakeLLM() as fake:
        home = Path(tmp)
        db, user, key = setup(home, fake.url)
        console.print(
            f"scripted model server {fake.url}; guai home {home}; {os.cpu_count()} CPU; SQLite (WAL)"
        )
        over = bench_overhead(db, user, fake, args.n)
        conc = bench_concurrency(home, db, key, args.concurrency)
        db.dispose()  # type: ignore[attr-defined]

    table = Table(title="guai gateway vs direct (same local scripted server; external provider, masking on)")
    table.add_column("measure")
    table.add_column("direct", justify="right")
    table.add_column("through guai", justify="right")
    table.add_column("added", justify="right")
    table.add_row(
        "completion p50 (ms)",
        f"{over['direct_p50_ms']:.2f}",
        f"{over['guai_p50_ms']:.2f}",
        f"{over['overhead_p50_ms']:.2f}",
    )
    table.add_row(
        "completion p95 (ms)",
        f"{over['direct_p95_ms']:.2f}",
        f"{over['guai_p95_ms']:.2f}",
        f"{over['overhead_p95_ms']:.2f}",
    )
    table.add_row(
        "first streamed token p50 (ms)",
        f"{over['direct_ttft_p50_ms']:.2f}",
        f"{over['guai_ttft_p50_ms']:.2f}",
        f"{over['ttft_overhead_p50_ms']:.2f}",
    )
    table.add_row("of which masking one message (ms)", "", "", f"{over['masking_only_ms']:.3f}")
    console.print(table)
    t2 = Table(title=f"{conc['streams']} concurrent streamed chats through one guai worker (/v1, real HTTP)")
    for col in (
        "ok",
        "errors",
        "wall (ms)",
        "stream p50/p95 (ms)",
        "TTFT p50/p95 (ms)",
        "one stream alone (ms)",
    ):
        t2.add_column(col, justify="right")
    t2.add_row(
        str(conc["ok"]),
        str(conc["errors"]),
        f"{conc['wall_ms']:.0f}",
        f"{conc['stream_p50_ms']:.0f} / {conc['stream_p95_ms']:.0f}",
        f"{conc['ttft_p50_ms']:.0f} / {conc['ttft_p95_ms']:.0f}",
        f"{conc['single_stream_pace_ms']:.0f}",
    )
    console.print(t2)
    if conc["error_kinds"]:
        console.print(f"[red]errors:[/] {conc['error_kinds']}")
    target = over["overhead_p50_ms"] < 5.0
    console.print(
        f"target < 5 ms added at p50 (masking included): {'[green]met' if target else '[red]missed'}[/]"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {"overhead": over, "concurrency": conc, "cpus": os.cpu_count(), "target_p50_under_5ms": target},
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    console.print(f"결과 저장: {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
