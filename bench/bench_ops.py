"""Operations benchmark: backup, restore, purge and /metrics on a synthetic installation (no shared data needed).

Seeds N audit entries, login attempts and citizen-question rows (1 year spread) in a temp SQLite GUAI_HOME,
then times `create_backup`, `restore_backup` into an empty installation (+ audit verify), `purge` dry run
and real run, and rendering /metrics. Prints a Rich table and writes bench/results/ops.json.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
N_AUDIT = int(os.environ.get("GUAI_BENCH_OPS_AUDIT", "20000"))
N_ROWS = int(os.environ.get("GUAI_BENCH_OPS_ROWS", "20000"))


def main() -> int:
    for key in [k for k in os.environ if k.startswith("GUAI_") and not k.startswith("GUAI_BENCH_")]:
        del os.environ[key]
    console = Console()
    from guai.audit import entry_hash, verify
    from guai.audit.log import GENESIS, HEAD_KEY
    from guai.config import load_settings
    from guai.db.base import utcnow
    from guai.db.engine import Database
    from guai.db.models.audit import AuditEntry
    from guai.db.models.auth import LoginAttempt
    from guai.db.models.citizen import CitizenQuestion
    from guai.db.models.settings import AppSetting
    from guai.ops.backup import create_backup
    from guai.ops.metrics import HTTP_REQUESTS, render_metrics
    from guai.ops.restore import restore_backup
    from guai.ops.retention import purge

    results: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        settings = load_settings(home=tmp / "home")
        db = Database(settings)
        db.upgrade()
        now = utcnow()
        started = time.perf_counter()
        with db.session() as s:
            prev = GENESIS
            batch = []
            for i in range(1, N_AUDIT + 1):
                at = now - timedelta(seconds=(N_AUDIT - i) * 60)
                h = entry_hash(
                    entry_id=i,
                    at=at,
                    actor="bench",
                    department="총무과",
                    action="bench.event",
                    target=None,
                    outcome="성공",
                    client="127.0.0.1",
                    detail=f'{{"i": {i}}}',
                    prev_hash=prev,
                )
                batch.append(
                    AuditEntry(
                        id=i,
                        at=at,
                        actor="bench",
                        department="총무과",
                        action="bench.event",
                        target=None,
                        outcome="성공",
                        client="127.0.0.1",
                        detail=f'{{"i": {i}}}',
                        prev_hash=prev,
                        hash=h,
                    )
                )
                prev = h
            s.add_all(batch)
            s.add(AppSetting(key=HEAD_KEY, value=f"{N_AUDIT}:{prev}", updated_by="bench"))
            for i in range(N_ROWS):
                at = now - timedelta(days=(i % 365))
                s.add(LoginAttempt(username=f"u{i % 500}", client="10.0.0.1", at=at))
                s.add(
                    CitizenQuestion(
                        at=at, day=at.date(), question="대형폐기물 버리는 방법 " * 3, outcome="answered"
                    )
                )
        results.append(
            (
                "합성 데이터 만들기",
                time.perf_counter() - started,
                f"감사 {N_AUDIT:,} · 로그인 {N_ROWS:,} · 시민 질문 {N_ROWS:,}",
            )
        )
        uploads = settings.upload_dir / "bench"
        uploads.mkdir(parents=True)
        for i in range(200):
            (uploads / f"f{i}.txt").write_bytes(os.urandom(20_000))

        started = time.perf_counter()
        report = create_backup(settings, db, tmp / "backup.tar.gz")
        results.append(
            (
                "guai backup (SQLite 온라인 백업)",
                time.perf_counter() - started,
                f"{report.size / 1e6:.1f}MB, 행 {sum(report.tables.values()):,}, 파일 {report.files}",
            )
        )

        target = load_settings(home=tmp / "restored")
        tdb = Database(target)
        started = time.perf_counter()
        restore_backup(target, tdb, tmp / "backup.tar.gz", actor="bench")
        results.append(("guai restore (빈 설치로)", time.perf_counter() - started, "한 트랜잭션"))
        started = time.perf_counter()
        with tdb.session() as s:
            checked, problems = verify(s)
        results.append(
            (
                "guai audit verify (복원본)",
                time.perf_counter() - started,
                f"{checked:,}개, 문제 {len(problems)}건",
            )
        )

        from guai.ops.settings_store import set_json

        with db.session() as s:
            set_json(s, "ops.retention", {"citizen": 180, "logs": 90}, actor="bench")
        started = time.perf_counter()
        with db.session() as s:
            dry = purge(s, settings, dry_run=True)
        results.append(("guai purge --dry-run", time.perf_counter() - started, f"대상 {dry.total:,}건"))
        started = time.perf_counter()
        with db.session() as s:
            real = purge(s, settings, actor="bench")
        results.append(("guai purge", time.perf_counter() - started, f"삭제 {real.total:,}건"))

        for i in range(2000):
            HTTP_REQUESTS.labels(method="GET", route=f"/bench/{i % 50}", status="200").inc()
        started = time.perf_counter()
        for _ in range(100):
            body, _ = render_metrics()
        results.append(
            ("/metrics 렌더링 (100회 평균)", (time.perf_counter() - started) / 100, f"{len(body):,} bytes")
        )
        db.dispose()
        tdb.dispose()

    table = Table(title=f"운영 벤치마크 (감사 {N_AUDIT:,}건, 행 {N_ROWS:,}×2)")
    table.add_column("작업")
    table.add_column("시간(초)", justify="right")
    table.add_column("비고")
    for name, secs, note in results:
        table.add_row(name, f"{secs:.3f}", note)
    console.print(table)
    out = ROOT / "bench" / "results" / "ops.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            [{"task": n, "seconds": round(t, 4), "note": note} for n, t, note in results],
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    console.print(f"결과: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
