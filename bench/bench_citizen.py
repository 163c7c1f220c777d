"""Load test of the public citizen chat (no model): requests/s and latency at 50 concurrent clients,
one and two `guai serve` workers, on SQLite and PostgreSQL. Bounded and loopback only.

Each configuration: seed the demo guidance into a fresh database, start `guai serve --workers N` as a
subprocess, warm every worker up, then 50 keep-alive clients (a small asyncio HTTP/1.1 client, so the
load generator costs less CPU than the server it measures) send a fixed number of varied resident
questions with a time limit. Every request goes through the real path: screening, in-process index,
one database transaction for the shared rate counter and the answer log. Clients send X-Forwarded-For
with 50 distinct addresses (uvicorn trusts it from 127.0.0.1), as residents behind a load balancer;
the per-minute limit is raised for the run so the test measures answers, not 429s.

    python bench/bench_citizen.py [--requests 4000] [--concurrency 50] [--time-limit 60]

PostgreSQL runs when GUAI_TEST_POSTGRES_URL (or GUAI_BENCH_POSTGRES_URL) is set or a local server accepts
postgresql://guai:guai@127.0.0.1:5432/guai_test; otherwise that row says why it was skipped.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results" / "citizen.json"
console = Console()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_base() -> str | None:
    url = (
        os.environ.get("GUAI_BENCH_POSTGRES_URL")
        or os.environ.get("GUAI_TEST_POSTGRES_URL")
        or "postgresql://guai:guai@127.0.0.1:5432/guai_test"
    )
    try:
        import sqlalchemy as sa

        eng = sa.create_engine(
            url.replace("postgresql://", "postgresql+psycopg://", 1), connect_args={"connect_timeout": 3}
        )
        with eng.connect() as conn:
            conn.execute(sa.text("select 1"))
        eng.dispose()
        return url
    except Exception:  # noqa: BLE001 - any failure means "no PostgreSQL for the benchmark"
        return None


def _prepare(home: Path, db_url: str | None) -> None:
    """Fresh schema + demo departments and guidance + high rate limits (guai's own services)."""
    from guai.auth.departments import import_departments
    from guai.citizen import import_guidance, save_settings
    from guai.config import load_settings
    from guai.db.engine import Database

    db = Database(load_settings(home=home, database_url=db_url))
    db.upgrade()
    with db.session() as s:
        import_departments(s, ROOT / "examples" / "org" / "departments.csv")
    with db.session() as s:
        csv = ROOT / "examples" / "citizen" / "guidance.csv"
        import_guidance(s, csv.read_bytes(), csv.name, actor="bench")
    with db.session() as s:
        save_settings(s, {"chat_per_minute": "1000000", "chat_per_day": "1000000"}, actor="bench")
    db.dispose()


def _questions() -> list[bytes]:
    from tests.citizen.questions import OUT_OF_SCOPE, QUESTIONS

    texts = [q for q, _ in QUESTIONS] + OUT_OF_SCOPE
    return [json.dumps({"message": t}, ensure_ascii=False).encode("utf-8") for t in texts]


async def _client(
    host: str,
    port: int,
    idx: int,
    bodies: list[bytes],
    counter: list[int],
    total: int,
    deadline: float,
    latencies: list[float],
    errors: list[str],
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while True:
            n = counter[0]
            if n >= total or time.perf_counter() > deadline:
                return
            counter[0] = n + 1
            body = bodies[n % len(bodies)]
            head = (
                f"POST /api/citizen/chat HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
                f"X-Forwarded-For: 10.77.{idx // 250}.{idx % 250 + 1}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            started = time.perf_counter()
            writer.write(head + body)
            status_line = await reader.readline()
            length = 0
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:].strip())
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            status = status_line.split(b" ", 2)[1] if status_line else b"---"
            if status != b"200":
                errors.append(status.decode())
    except (ConnectionError, asyncio.IncompleteReadError) as exc:
        errors.append(type(exc).__name__)
    finally:
        writer.close()


async def _load(port: int, total: int, concurrency: int, time_limit: float) -> dict[str, float | int]:
    bodies = _questions()
    latencies: list[float] = []
    errors: list[str] = []
    counter = [0]
    started = time.perf_counter()
    deadline = started + time_limit
    await asyncio.gather(
        *(
            _client("127.0.0.1", port, i, bodies, counter, total, deadline, latencies, errors)
            for i in range(concurrency)
        )
    )
    elapsed = time.perf_counter() - started
    lat = sorted(latencies)

    def pct(p: float) -> float:
        return lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 if lat else float("nan")

    return {
        "requests": len(lat),
        "errors": len(errors),
        "seconds": round(elapsed, 2),
        "rps": round(len(lat) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(pct(0.50), 1),
        "p95_ms": round(pct(0.95), 1),
        "p99_ms": round(pct(0.99), 1),
        "mean_ms": round(statistics.fmean(lat) * 1000, 1) if lat else float("nan"),
        "error_kinds": sorted(set(errors))[:5],
    }


def _start(home: Path, db_url: str | None, workers: int, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUAI_")}
    env.update(GUAI_HOME=str(home), GUAI_SECRET_KEY="bench-secret")
    if db_url:
        env["GUAI_DATABASE_URL"] = db_url
    cmd = [
        str(ROOT / ".venv" / "bin" / "guai") if (ROOT / ".venv" / "bin" / "guai").exists() else "guai",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    # Server logs go to a file: an unread pipe fills up and blocks the server mid-run.
    log = (home / "serve.log").open("wb")
    return subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=str(home))


def _warm(port: int, workers: int) -> None:
    import httpx

    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.3)
    # Each worker loads Kiwi and builds its index on its first question, then caches answers per distinct
    # question (≈1–3 ms each when new). Warm-up asks every benchmark question on several connections so each
    # worker is in steady state; the measured run then reflects a warm service, as in production.
    bodies = [json.loads(b) for b in _questions()]
    for _ in range(3 * workers):
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            for body in bodies:
                client.post("/api/citizen/chat", json=body)


def run_case(backend: str, db_url: str | None, workers: int, args: argparse.Namespace) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="guai-bench-") as tmp:
        home = Path(tmp)
        _prepare(home, db_url)
        port = _free_port()
        proc = _start(home, db_url, workers, port)
        try:
            _warm(port, workers)
            result = asyncio.run(_load(port, args.requests, args.concurrency, args.time_limit))
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    return {"backend": backend, "workers": workers, **result}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--backends", default="sqlite,postgresql", help="쉼표로 구분: sqlite,postgresql")
    parser.add_argument("--workers", default="1,2", help="쉼표로 구분한 작업 프로세스 수")
    args = parser.parse_args()

    pg = _pg_base()
    rows: list[dict[str, object]] = []
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        for workers in [int(w) for w in args.workers.split(",") if w.strip()]:
            if backend == "postgresql" and pg is None:
                rows.append(
                    {"backend": backend, "workers": workers, "skipped": "PostgreSQL에 연결할 수 없음"}
                )
                continue
            db_url = None
            schema = None
            if backend == "postgresql":
                import sqlalchemy as sa

                schema = f"bench_{uuid.uuid4().hex[:10]}"
                admin = sa.create_engine(pg.replace("postgresql://", "postgresql+psycopg://", 1))
                with admin.begin() as conn:
                    conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
                sep = "&" if "?" in pg else "?"
                db_url = f"{pg}{sep}options=-csearch_path%3D{schema}"
            console.print(f"[bold]{backend}, 작업 프로세스 {workers}개[/] …")
            try:
                rows.append(run_case(backend, db_url, workers, args))
            finally:
                if schema:
                    with admin.begin() as conn:
                        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
                    admin.dispose()

    table = Table(
        title=f"시민 챗봇 부하 시험 (모델 없음, 동시 {args.concurrency}, 목표 ≥300 req/s · p95 <100 ms · 오류 0)"
    )
    for col in ("DB", "작업 프로세스", "요청", "오류", "req/s", "p50 ms", "p95 ms", "p99 ms", "목표"):
        table.add_column(col, justify="right" if col not in ("DB",) else "left")
    for r in rows:
        if "skipped" in r:
            table.add_row(
                str(r["backend"]), str(r["workers"]), "-", "-", "-", "-", "-", "-", str(r["skipped"])
            )
            continue
        ok = r["rps"] >= 300 and r["p95_ms"] < 100 and r["errors"] == 0  # type: ignore[operator]
        table.add_row(
            str(r["backend"]),
            str(r["workers"]),
            str(r["requests"]),
            str(r["errors"]),
            str(r["rps"]),
            str(r["p50_ms"]),
            str(r["p95_ms"]),
            str(r["p99_ms"]),
            "달성" if ok else "미달",
        )
    console.print(table)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "citizen public chat load test",
                "concurrency": args.concurrency,
                "requests": args.requests,
                "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                "results": rows,
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    console.print(f"결과: {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
